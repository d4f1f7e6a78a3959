package sqlrepl

import (
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
)

// at returns "line:col" of a span's start.
func at(s source.Span) string {
	p := s.StartPos()
	return strings.Join([]string{itoa(p.Line), itoa(p.Col)}, ":")
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func TestParseSQL(t *testing.T) {
	const text = "-- set up the replica\n" +
		"STOP REPLICA; /* comment ; with a delimiter */\n" +
		"CHANGE REPLICATION SOURCE TO\n" +
		"  SOURCE_HOST = 'db1', # comment, with a comma\n" +
		"  SOURCE_PASSWORD='s3cr''et', SOURCE_SSL=1,\n" +
		"  SOURCE_SSL_CA = \"/etc/ca.pem\", IGNORE_SERVER_IDS = (1, 2),\n" +
		"  SOURCE_TLS_VERSION='TLSv1.2,TLSv1.3' FOR CHANNEL 'ch1';\n" +
		"/*!50000 CHANGE MASTER 'conn' TO MASTER_SSL = 0 */;\n" +
		"CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY 'pw-of-repl', app@localhost REQUIRE SUBJECT '/CN=x' AND ISSUER '/CN=ca' WITH MAX_QUERIES_PER_HOUR 1;\n" +
		"GRANT REPLICATION SLAVE ON *.* TO 'r2'@'10.%' REQUIRE SSL;\n" +
		"CREATE USER nobody IDENTIFIED BY 'x';\n"
	f := source.NewFile("init.sql", []byte(text))
	r := ParseSQL(f, nil)
	if len(r.Problems) != 0 {
		t.Fatalf("problems: %+v", r.Problems)
	}
	if len(r.Changes) != 2 {
		t.Fatalf("got %d changes, want 2", len(r.Changes))
	}
	c := r.Changes[0]
	if !c.Source || c.Channel != "ch1" || c.Keyword != "CHANGE REPLICATION SOURCE TO" || at(c.Span) != "3:1" {
		t.Errorf("change 1: %+v", c)
	}
	want := []struct{ name, value, span, at string }{
		{"source_host", "db1", "'db1'", "4:17"},
		{"source_password", "s3cr'et", "'s3cr''et'", "5:19"},
		{"source_ssl", "1", "1", "5:42"},
		{"source_ssl_ca", "/etc/ca.pem", `"/etc/ca.pem"`, "6:19"},
		{"ignore_server_ids", "(1, 2)", "(1, 2)", "6:54"},
		{"source_tls_version", "TLSv1.2,TLSv1.3", "'TLSv1.2,TLSv1.3'", "7:22"},
	}
	if len(c.Options) != len(want) {
		t.Fatalf("options: %+v", c.Options)
	}
	for i, w := range want {
		o := c.Options[i]
		if o.Name != w.name || o.Value != w.value || o.ValueSpan.Text() != w.span || at(o.ValueSpan) != w.at {
			t.Errorf("option %d = %s %q %q at %s; want %+v", i, o.Name, o.Value, o.ValueSpan.Text(), at(o.ValueSpan), w)
		}
	}
	m := r.Changes[1]
	if m.Source || m.Connection != "conn" || len(m.Options) != 1 || m.Options[0].Name != "source_ssl" || m.Options[0].Value != "0" {
		t.Errorf("executable comment: %+v", m)
	}
	if len(r.Accounts) != 4 {
		t.Fatalf("accounts: %+v", r.Accounts)
	}
	for i, w := range []struct{ user, host, req, span string }{
		{"repl", "%", "SUBJECT AND ISSUER", "'repl'@'%'"},
		{"app", "localhost", "SUBJECT AND ISSUER", "app@localhost"},
		{"r2", "10.%", "SSL", "'r2'@'10.%'"},
		{"nobody", "%", "NONE", "nobody"}, // CREATE USER without REQUIRE: the default
	} {
		a := r.Accounts[i]
		if a.User != w.user || a.Host != w.host || a.Require != w.req || a.Span.Text() != w.span {
			t.Errorf("account %d = %+v, want %+v", i, a, w)
		}
	}
	// Every password is marked; nothing else is.
	var secrets []string
	for _, s := range f.SecretRanges(0, len(text)) {
		secrets = append(secrets, text[s[0]:s[1]])
	}
	if got := strings.Join(secrets, " "); got != "'s3cr''et' 'pw-of-repl' 'x'" {
		t.Errorf("secrets = %s", got)
	}
	if len(r.Comments) != 3 {
		t.Errorf("comments: %d, want 3", len(r.Comments))
	}
}

func TestParseProblems(t *testing.T) {
	for text, want := range map[string]string{
		"CHANGE MASTER TO MASTER_SSL 1;\n":                      "1:18: cannot read CHANGE MASTER TO: expected an option NAME = value",
		"CHANGE MASTER TO MASTER_SSL=1,;\n":                     "1:30: cannot read CHANGE MASTER TO: a comma ends the statement",
		"CHANGE REPLICATION SOURCE TO SOURCE_SSL=;\n":           "1:40: cannot read CHANGE REPLICATION SOURCE TO: SOURCE_SSL has no value",
		"CHANGE MASTER TO MASTER_PASSWORD='abc, MASTER_SSL=1\n": "1:34: string quote ' is never closed",
		"CHANGE MASTER TO;\n":                                   "1:15: cannot read CHANGE MASTER TO: no options",
	} {
		f := source.NewFile("x.sql", []byte(text))
		r := ParseSQL(f, nil)
		if len(r.Problems) != 1 || at(r.Problems[0].Span)+": "+r.Problems[0].Msg != want {
			t.Errorf("%q: problems %+v, want %s", text, r.Problems, want)
		}
	}
	// An unterminated quote hides the rest of its line.
	f := source.NewFile("x.sql", []byte("CHANGE MASTER TO MASTER_PASSWORD='abc, MASTER_SSL=1\n"))
	ParseSQL(f, nil)
	if !f.HasSecret(34, 40) {
		t.Error("the text after an open quote is not hidden")
	}
}

func TestDelimiter(t *testing.T) {
	text := "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END//\nDELIMITER ;\nCHANGE MASTER TO MASTER_SSL=1;\n"
	r := ParseSQL(source.NewFile("x.sql", []byte(text)), nil)
	if len(r.Changes) != 1 || at(r.Changes[0].Span) != "4:1" || len(r.Problems) != 0 {
		t.Errorf("changes %+v problems %+v", r.Changes, r.Problems)
	}
}

func TestParseShell(t *testing.T) {
	const text = "#!/bin/bash\n" +
		"set -e\n" +
		"# mysql -e \"CHANGE MASTER TO MASTER_SSL=0\"\n" +
		"mysql -uroot -p\"$MYSQL_ROOT_PASSWORD\" <<-EOSQL\n" +
		"\tCHANGE MASTER TO MASTER_HOST='$SOURCE', MASTER_PASSWORD='$REPL_PASSWORD',\n" +
		"\t  MASTER_SSL=1, MASTER_SSL_CA='/ca.pem';\n" +
		"\tEOSQL\n" +
		"cat <<EOF > /tmp/x\nCHANGE MASTER TO MASTER_SSL=0;\nEOF\n" +
		"mariadb -e \"CHANGE MASTER TO MASTER_SSL_CIPHER='AES128-SHA', MASTER_SSL=1\"\n" +
		"mysql --execute='CHANGE REPLICATION SOURCE TO SOURCE_SSL=0, SOURCE_HOST=\"db\"'\n" +
		"docker_process_sql <<'EOF'\nCHANGE MASTER TO MASTER_PASSWORD='$x';\nEOF\n"
	f := source.NewFile("init.sh", []byte(text))
	r := ParseShell(f)
	if len(r.Problems) != 0 {
		t.Fatalf("problems: %+v", r.Problems)
	}
	if len(r.Changes) != 4 {
		t.Fatalf("got %d changes: %+v", len(r.Changes), r.Changes)
	}
	type opt struct {
		name, value, at string
		expanded        bool
	}
	for i, want := range [][]opt{
		{{"source_host", "$SOURCE", "5:31", true}, {"source_password", "$REPL_PASSWORD", "5:58", true}, {"source_ssl", "1", "6:15", false}, {"source_ssl_ca", "/ca.pem", "6:32", false}},
		{{"source_ssl_cipher", "AES128-SHA", "11:48", false}, {"source_ssl", "1", "11:73", false}},
		{{"source_ssl", "0", "12:58", false}, {"source_host", "db", "12:73", false}},
		{{"source_password", "$x", "14:34", false}},
	} {
		c := r.Changes[i]
		if len(c.Options) != len(want) {
			t.Errorf("change %d: %+v", i, c.Options)
			continue
		}
		for k, w := range want {
			o := c.Options[k]
			if got := (opt{o.Name, o.Value, at(o.ValueSpan), o.Expanded}); got != w {
				t.Errorf("change %d option %d = %+v, want %+v", i, k, got, w)
			}
		}
	}
	if r.Changes[0].Context != Heredoc || r.Changes[1].Context != DoubleQuoted || r.Changes[2].Context != SingleQuoted || r.Changes[3].Context != Plain {
		t.Error("contexts are wrong")
	}
	if !f.HasSecret(r.Changes[0].Options[1].ValueSpan.Start, r.Changes[0].Options[1].ValueSpan.End) {
		t.Error("the heredoc's password is not marked")
	}
}

func TestMentions(t *testing.T) {
	for text, want := range map[string]bool{
		"change master to":                    true,
		"CHANGE\n  REPLICATION SOURCE TO":     true,
		"create user x require\tX509":         true,
		"exchange master":                     false,
		"change masters":                      false,
		"echo 'require sslmode'":              false,
		"npm install; require('x'); change a": false,
	} {
		if got := Mentions([]byte(text)); got != want {
			t.Errorf("Mentions(%q) = %v", text, got)
		}
	}
}

func TestDetect(t *testing.T) {
	for name, want := range map[string]Kind{
		"init.sql": SQLFile, "docker-entrypoint-initdb.d/01-REPL.SQL": SQLFile, "scripts/setup.sh": ShellScript,
		"a/b.bash": ShellScript, "dump.sql.gz": NotRead, "sh": NotRead, ".sql": NotRead, "x.sqlite": NotRead, "Makefile": NotRead,
	} {
		if got := Detect(name); got != want {
			t.Errorf("Detect(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestDecimalValue(t *testing.T) {
	r := ParseSQL(source.NewFile("x.sql", []byte("CHANGE MASTER TO MASTER_HEARTBEAT_PERIOD = 0.5, MASTER_SSL=1;")), nil)
	if len(r.Problems) != 0 || len(r.Changes) != 1 || r.Changes[0].Options[0].Value != "0.5" {
		t.Errorf("changes %+v problems %+v", r.Changes, r.Problems)
	}
}
