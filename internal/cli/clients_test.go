package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// clientTree holds issue 9's acceptance cases, one per file kind and
// dialect, each with all rules on: exactly the findings listed in
// TestClientAcceptance, nothing else (the sound strings are silent).
var clientTree = map[string]string{
	"deploy/app.env": "# a Go DSN in a double-quoted value\n" +
		"DB_DSN=\"app:s3cret-go@tcp(db:3306)/shop?tls=skip-verify\"\n",
	"src/main/resources/application.properties": "spring.datasource.url=jdbc:mysql://db:3306/shop?useSSL=false\n" +
		"reports.url=jdbc:mariadb://db/shop?useSsl=true&trustServerCertificate=true\n" +
		"py.url=mysql+pymysql://app:s3cret-py@db/shop?ssl_ca=/etc/ssl/ca.pem\n" +
		"conn.url=mysql+mysqlconnector://app:s3cret-my@db/shop?ssl_disabled=false\n" +
		"pg.url=postgresql://app:s3cret-pg@pg/shop?sslmode=disable\n",
	"appsettings.json": "{\"ConnectionStrings\": {\"Shop\": \"Server=db;Database=shop;Pwd=s3cret-net;SslMode=Required;SslCa=ca.pem\"}}\n",
	"etc/odbc.ini":     "[shop]\nDriver = MySQL ODBC 8.0 Unicode Driver\nSERVER = db\nPWD = s3cret-odbc\nSSLMODE=PREFERRED\n",
	"mysqlrouter.conf": "[routing:rw]\nbind_address = 0.0.0.0:6446\ndestinations = db:3306\n" +
		"client_ssl_mode = REQUIRED\nclient_ssl_cert = /etc/router/cert.pem\nclient_ssl_key = /etc/router/key.pem\n" +
		"server_ssl_mode = DISABLED\n",
	"config/application.yml": "spring:\n  datasource:\n" +
		"    url: \"jdbc:mysql://db/shop?sslMode=REQUIRED&trustCertificateKeyStoreUrl=file:/etc/ca.jks\"\n" +
		"    password: s3cret-yaml\n",
}

// TestClientAcceptance checks the acceptance fixtures of issue 9 end to
// end, with every rule on, and that the fix of a DSN inside YAML edits
// only the parameter's bytes.
func TestClientAcceptance(t *testing.T) {
	dir := writeFiles(t, clientTree)
	_, out, stderr := run(t, dir, "--format", "json", ".")
	var rep struct {
		Findings []struct {
			Rule  string
			Path  string
			Start struct{ Line, Column int }
			Fix   *struct {
				Edits []struct {
					Path        string
					StartOffset int    `json:"start_offset"`
					EndOffset   int    `json:"end_offset"`
					NewText     string `json:"new_text"`
				}
				Suggestion bool
			}
		}
		Clients []struct{ Driver, Mode, Path string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, stderr)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.Path+":"+itoa(f.Start.Line)+":"+itoa(f.Start.Column)+" "+f.Rule)
	}
	want := []string{ // the column of each deciding parameter's key
		"appsettings.json:1:72 TV302",
		"appsettings.json:1:89 TV305",
		"config/application.yml:3:32 TV302",
		"config/application.yml:3:49 TV305",
		"deploy/app.env:2:41 TV302",
		"etc/odbc.ini:5:1 TV303",
		"mysqlrouter.conf:7:1 TV301",
		"src/main/resources/application.properties:1:49 TV301",
		"src/main/resources/application.properties:2:36 TV302",
		"src/main/resources/application.properties:4:55 TV301",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(rep.Clients) != 9 {
		t.Errorf("JSON lists %d clients, want 9 (the PostgreSQL URL is not one): %+v", len(rep.Clients), rep.Clients)
	}
	// The YAML fix: sslMode's value and nothing else.
	yml := clientTree["config/application.yml"]
	for _, f := range rep.Findings {
		if f.Path != "config/application.yml" || f.Fix == nil {
			continue
		}
		if f.Fix.Suggestion || len(f.Fix.Edits) != 1 {
			t.Fatalf("YAML fix: %+v", f.Fix)
		}
		e := f.Fix.Edits[0]
		if yml[e.StartOffset:e.EndOffset] != "REQUIRED" || e.NewText != "VERIFY_IDENTITY" {
			t.Errorf("YAML fix edits %q into %q, want REQUIRED into VERIFY_IDENTITY", yml[e.StartOffset:e.EndOffset], e.NewText)
		}
	}
	if _, _, stderr := run(t, dir, "--fix", "."); stderr == "" {
		t.Log("no --fix summary")
	}
	b, err := os.ReadFile(filepath.Join(dir, "config", "application.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if wantYML := strings.Replace(yml, "sslMode=REQUIRED", "sslMode=VERIFY_IDENTITY", 1); string(b) != wantYML {
		t.Errorf("--fix left application.yml as\n%s\nwant\n%s", b, wantYML)
	}
	for _, pw := range []string{"s3cret-go", "s3cret-py", "s3cret-my", "s3cret-net", "s3cret-odbc", "s3cret-yaml"} {
		if strings.Contains(out, pw) {
			t.Errorf("the JSON report shows %s", pw)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestUnknownVariables: a mode decided by a variable the repository does
// not set is judged only for what compose does when it is unset (an empty
// string: tls= turns TLS off), and one note names the variable; a default
// in the reference, or the project's .env, decides it.
func TestUnknownVariables(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".env":           "DB_TLS=skip-verify\n",
		"deploy/app.env": "A_DSN=\"app@tcp(db)/shop?tls=${APP_TLS}\"\nB_DSN=\"app@tcp(db)/shop?tls=${DB_TLS}\"\nC_DSN=\"app@tcp(db)/shop?tls=${C_TLS:-preferred}\"\n",
	})
	_, out, _ := run(t, dir, ".")
	for _, want := range []string{
		"deploy/app.env:2:", "TV302", // DB_TLS from the project's .env
		"deploy/app.env:3:", "TV303", // the default in the reference
		"the value of ${APP_TLS} is unknown",
		"deploy/app.env:1:25: warning: go-sql-driver/mysql `tls=${APP_TLS}`: when ${APP_TLS} is unset at deploy time",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "deploy/app.env:1:") != 1 {
		t.Errorf("a mode an unknown variable decides was judged beyond its empty value:\n%s", out)
	}
}

// TestSuppressInApplicationFiles: a tlsvet:ignore comment on the line
// above a connection string works in .env, YAML and INI files as in an
// option file; an unused one is reported (TV000).
func TestSuppressInApplicationFiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".env":            "# tlsvet:ignore TV302 -- staging only, CA rollout in OPS-12\nDB_DSN=\"app@tcp(db)/x?tls=skip-verify\"\n",
		"application.yml": "spring:\n  datasource:\n    # tlsvet:ignore TV301 -- local development database\n    url: jdbc:mysql://localhost/x?useSSL=false\n",
		"odbc.ini":        "[shop]\nDriver = MySQL ODBC 8.0 Unicode Driver\n; tlsvet:ignore TV303 -- the reporting job tolerates it\nSSLMODE=PREFERRED\n# tlsvet:ignore TV302 -- nothing here\nSERVER=db\n",
	})
	code, out, _ := run(t, dir, ".")
	if code != ExitClean || strings.Count(out, "[TV000 unused-suppression]") != 1 || !strings.Contains(out, "odbc.ini:5:") {
		t.Errorf("exit %d, want 0 with one unused suppression at odbc.ini:5:\n%s", code, out)
	}
}
