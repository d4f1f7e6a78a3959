package dockerfile

import (
	"strings"
	"testing"
	"time"

	"github.com/tlsvet/tlsvet/internal/source"
)

func parse(t *testing.T, in string) *File {
	t.Helper()
	return Parse(source.NewFile("Dockerfile", []byte(in)))
}

func noProblems(t *testing.T, f *File) {
	t.Helper()
	for _, p := range f.Problems {
		t.Errorf("problem: %v", p)
	}
}

// at returns the 1-based line and column of a span's start.
func at(s source.Span) [2]int {
	p := s.StartPos()
	return [2]int{p.Line, p.Col}
}

func TestDetect(t *testing.T) {
	for name, want := range map[string]bool{
		"Dockerfile": true, "docker/Containerfile": true, "db.Dockerfile": true, "Dockerfile.mysql": true,
		"x/mysql.containerfile": true, "dockerfile": true, "Dockerfile.": false, ".dockerfile": false,
		"Dockerfiles": false, "my.cnf": false, "compose.yaml": false, "Dockerfile/x": false,
	} {
		if got := Detect(name); got != want {
			t.Errorf("Detect(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestFrom(t *testing.T) {
	f := parse(t, `ARG MYSQL_VERSION=5.7.44
ARG TAG
ARG REG="docker.io"
FROM ${REG}/library/mysql:${MYSQL_VERSION} AS db
FROM --platform=linux/amd64 mariadb:11.4.3
FROM mysql:$TAG
FROM percona:${NOPE:-8.0.36}
FROM DB
ARG MYSQL_VERSION
ENV V=${MYSQL_VERSION}
`)
	noProblems(t, f)
	if len(f.Args) != 3 || f.Args[0].Name != "MYSQL_VERSION" || f.Args[0].Default.Text != "5.7.44" || f.Args[1].HasDefault {
		t.Fatalf("global args %+v", f.Args)
	}
	type want struct {
		text, raw       string
		literal, unknwn bool
		pos             [2]int
	}
	wants := []want{
		{"docker.io/library/mysql:5.7.44", "${REG}/library/mysql:${MYSQL_VERSION}", false, false, [2]int{4, 6}},
		{"mariadb:11.4.3", "mariadb:11.4.3", true, false, [2]int{5, 29}},
		{"mysql:$TAG", "mysql:$TAG", true, true, [2]int{6, 6}},
		{"percona:8.0.36", "percona:${NOPE:-8.0.36}", false, false, [2]int{7, 6}},
		{"DB", "DB", true, false, [2]int{8, 6}},
	}
	if len(f.Stages) != len(wants) {
		t.Fatalf("%d stages", len(f.Stages))
	}
	for i, w := range wants {
		im := f.Stages[i].Image
		if im.Text != w.text || im.Span.Text() != w.raw || im.Literal != w.literal || im.Unknown != w.unknwn || at(im.Span) != w.pos {
			t.Errorf("stage %d image %q %q literal %v unknown %v at %v, want %+v", i, im.Text, im.Span.Text(), im.Literal, im.Unknown, at(im.Span), w)
		}
	}
	db := f.Stages[0]
	if db.Name != "db" || db.NameSpan.Text() != "db" || at(db.NameSpan) != [2]int{4, 47} {
		t.Errorf("stage name %q %q at %v", db.Name, db.NameSpan.Text(), at(db.NameSpan))
	}
	// The tag comes from the ARG: the part before it maps exactly, the
	// tag itself only to the whole reference.
	im := db.Image
	if s, ok := im.Sub(strings.Index(im.Text, "library"), strings.Index(im.Text, ":")); !ok || s.Text() != "library/mysql" {
		t.Errorf("repository sub-span %q exact %v", s.Text(), ok)
	}
	if s, ok := im.Sub(strings.Index(im.Text, ":")+1, len(im.Text)); ok || s.Text() != "${MYSQL_VERSION}" {
		t.Errorf("tag sub-span %q exact %v", s.Text(), ok)
	}
	if p := f.Stages[1].Platform; p == nil || p.Text != "linux/amd64" {
		t.Errorf("platform %+v", p)
	}
	if f.Stages[4].Base != 0 || f.Stages[1].Base != -1 {
		t.Errorf("bases %d %d", f.Stages[4].Base, f.Stages[1].Base)
	}
	// "ARG NAME" in a stage imports the global default.
	if env := f.Stages[4].Env; len(env) != 1 || env[0].Value.Text != "5.7.44" {
		t.Errorf("env %+v", env)
	}
}

func TestGlobalArgsOnlyInFrom(t *testing.T) {
	f := parse(t, "ARG V=1\nFROM a\nENV X=$V Y=${V:-d}\n")
	noProblems(t, f)
	// Without "ARG V" in the stage, V is not set there.
	if e := f.Stages[0].Env; e[0].Value.Text != "" || e[1].Value.Text != "d" {
		t.Errorf("env %q %q", e[0].Value.Text, e[1].Value.Text)
	}
}

func TestCopy(t *testing.T) {
	f := parse(t, `FROM mysql:5.7.44
COPY --chown=mysql:mysql conf/tls.cnf /etc/mysql/conf.d/
COPY --from=build /out/my.cnf /etc/my.cnf
COPY ../x /etc/mysql/conf.d/x.cnf
ADD a.cnf /abs.cnf https://example.com/b.cnf /etc/mysql/
COPY ["conf/with space.cnf", "/etc/mysql/conf.d/z.cnf"]
COPY one
`)
	if len(f.Problems) != 1 || f.Problems[0].Span.StartLine() != 7 {
		t.Errorf("problems %v", f.Problems)
	}
	cs := f.Stages[0].Copies
	if len(cs) != 5 {
		t.Fatalf("%d copies", len(cs))
	}
	c := cs[0]
	if c.From != nil || len(c.Sources) != 1 || !c.DestIsDir || c.Dest.Text != "/etc/mysql/conf.d/" || at(c.Dest.Span) != [2]int{2, 39} {
		t.Errorf("copy 0: %+v", c)
	}
	if s := c.Sources[0]; s.Path.Text != "conf/tls.cnf" || !s.Context || s.OutsideContext || at(s.Path.Span) != [2]int{2, 26} || !s.Path.Literal {
		t.Errorf("source 0: %+v", s)
	}
	c = cs[1]
	if c.From == nil || c.From.Text != "build" || at(c.From.Span) != [2]int{3, 13} || c.Sources[0].Context || c.DestIsDir {
		t.Errorf("copy --from: %+v", c)
	}
	if s := cs[2].Sources[0]; !s.OutsideContext || !s.Context || s.ContextPath != "x" || s.Path.Text != "../x" {
		t.Errorf("../x: %+v", s)
	}
	if s := cs[0].Sources[0]; s.ContextPath != "conf/tls.cnf" {
		t.Errorf("context path %q", s.ContextPath)
	}
	if s := cs[3].Sources[1]; s.ContextPath != "abs.cnf" {
		t.Errorf("absolute source's context path %q", s.ContextPath)
	}
	c = cs[3]
	if !c.Add || !c.DestIsDir || len(c.Sources) != 3 || !c.Sources[1].Absolute || !c.Sources[2].Remote || c.Sources[2].Context {
		t.Errorf("ADD: %+v", c)
	}
	c = cs[4]
	if !c.Exec || c.Sources[0].Path.Text != "conf/with space.cnf" || c.Sources[0].Path.Span.Text() != `"conf/with space.cnf"` || c.Dest.Text != "/etc/mysql/conf.d/z.cnf" {
		t.Errorf("exec COPY: %+v", c)
	}
}

func TestCommand(t *testing.T) {
	f := parse(t, `FROM mysql:8.0.36
CMD ["mysqld", "--ssl-cipher=ECDHE\u002dRSA", "--tls-version=TLSv1.2\t", "--x=\ud83d\ude00é"]
ENTRYPOINT docker-entrypoint.sh --require-secure-transport=ON 'a b'
`)
	noProblems(t, f)
	st := f.Stages[0]
	c := st.Cmd
	if c == nil || !c.Exec || len(c.Args) != 4 {
		t.Fatalf("cmd %+v", c)
	}
	want := []struct{ text, raw string }{
		{"mysqld", `"mysqld"`},
		{"--ssl-cipher=ECDHE-RSA", `"--ssl-cipher=ECDHE\u002dRSA"`},
		{"--tls-version=TLSv1.2\t", `"--tls-version=TLSv1.2\t"`},
		{"--x=😀é", `"--x=\ud83d\ude00é"`},
	}
	for i, w := range want {
		if a := c.Args[i]; a.Text != w.text || a.Span.Text() != w.raw {
			t.Errorf("arg %d %q %q, want %+v", i, a.Text, a.Span.Text(), w)
		}
	}
	a := c.Args[1]
	if s, ok := a.Sub(0, len("--ssl-cipher")); !ok || s.Text() != "--ssl-cipher" || at(s) != [2]int{2, 17} {
		t.Errorf("flag name %q %v at %v", s.Text(), ok, at(s))
	}
	// A range holding a whole escape is exact (replaced by the new text
	// spelled in JSON); one cutting a surrogate pair's rune is widened.
	if s, ok := a.Sub(strings.Index(a.Text, "=")+1, len(a.Text)); !ok || s.Text() != `ECDHE\u002dRSA` {
		t.Errorf("cipher through an escape %q %v", s.Text(), ok)
	}
	if s, ok := c.Args[3].Sub(5, 6); ok || s.Text() != `\ud83d\ude00` {
		t.Errorf("inside a surrogate pair %q %v", s.Text(), ok)
	}
	if s, ok := a.Sub(strings.Index(a.Text, "=")+1, strings.Index(a.Text, "-R")); !ok || s.Text() != `ECDHE` {
		t.Errorf("cipher before the escape %q %v", s.Text(), ok)
	}
	if s, ok := c.Args[2].Sub(len("--tls-version="), len("--tls-version=TLSv1.2")); !ok || s.Text() != "TLSv1.2" {
		t.Errorf("tls version %q %v", s.Text(), ok)
	}
	e := st.Entrypoint
	if e == nil || e.Exec || len(e.Args) != 3 || e.Args[1].Text != "--require-secure-transport=ON" || at(e.Args[1].Span) != [2]int{3, 33} || e.Args[2].Text != "a b" {
		t.Errorf("entrypoint %+v", e)
	}
}

func TestContinuationAndEscape(t *testing.T) {
	in := "# escape=`\nFROM mysql:8.0 AS\\\n  x\nCMD [\"mysqld\", `\n  # a comment inside\n\n  \"--ssl=ON\"]\nENV P=C:\\dir\n"
	f := parse(t, in)
	// With ` as the escape token, "\" continues nothing: "AS\" is a word
	// and "x" the next instruction.
	if len(f.Problems) != 2 || f.Problems[0].Span.StartLine() != 2 || f.Problems[1].Span.Text() != "x" {
		t.Errorf("problems %v", f.Problems)
	}
	if f.Escape != '`' {
		t.Errorf("escape %q", f.Escape)
	}
	st := f.Stages[0]
	if st.Image.Text != "mysql:8.0" {
		t.Errorf("image %q", st.Image.Text)
	}
	if st.Cmd == nil || len(st.Cmd.Args) != 2 || st.Cmd.Args[1].Text != "--ssl=ON" || at(st.Cmd.Args[1].Span) != [2]int{7, 3} {
		t.Fatalf("cmd %+v", st.Cmd)
	}
	if st.Env[0].Value.Text != `C:\dir` {
		t.Errorf("env %q", st.Env[0].Value.Text)
	}

	// Blanks after the escape token, CRLF line ends.
	f = parse(t, "FROM mysql:5.7 \\\t \r\n  AS db\r\nCOPY a \\\n b/\n")
	noProblems(t, f)
	st = f.Stages[0]
	if st.Name != "db" || at(st.NameSpan) != [2]int{2, 6} {
		t.Errorf("name %q at %v", st.Name, at(st.NameSpan))
	}
	if c := st.Copies[0]; c.Dest.Text != "b/" || at(c.Dest.Span) != [2]int{4, 2} || c.Sources[0].Path.Text != "a" {
		t.Errorf("copy %+v", c)
	}
}

// TestWordAcrossLines: a word split by a continuation maps each part
// to its own line and is not literal.
func TestWordAcrossLines(t *testing.T) {
	f := parse(t, "FROM mysql:5.\\\n7.44\n")
	noProblems(t, f)
	im := f.Stages[0].Image
	if im.Text != "mysql:5.7.44" || im.Literal || im.Span.Text() != "mysql:5.\\\n7.44" {
		t.Fatalf("image %q literal %v span %q", im.Text, im.Literal, im.Span.Text())
	}
	if s, ok := im.Sub(len("mysql:5."), len(im.Text)); !ok || s.Text() != "7.44" || at(s) != [2]int{2, 1} {
		t.Errorf("tail %q %v at %v", s.Text(), ok, at(s))
	}
}

// file is what a test expects of a WrittenFile.
type file struct {
	path, via, content string
	known, append      bool
}

func files(st *Stage) []file {
	var out []file
	for _, w := range st.Files {
		out = append(out, file{w.Path.Text, w.Via, w.Content, w.Known, w.Append})
	}
	return out
}

func TestRunFiles(t *testing.T) {
	in := `FROM mysql:5.7.44
RUN printf '[mysqld]\ntls_version=TLSv1.2\n' > /etc/mysql/conf.d/x.cnf
RUN mkdir -p /etc/mysql/conf.d && echo "[mysqld]" > /etc/mysql/conf.d/e.cnf && \
    echo ssl_cipher=AES128-SHA >> /etc/mysql/conf.d/e.cnf
RUN cat <<EOF > /etc/mysql/conf.d/h.cnf
[mysqld]
require_secure_transport=ON
EOF
RUN cat > /etc/mysql/conf.d/t.cnf <<-'EOF'
	[mysqld]
	ssl=$X
	EOF
COPY <<EOF /etc/mysql/conf.d/tls.cnf
[mysqld]
tls_version=TLSv1.3
EOF
RUN <<EOF
printf "[client]\nssl-mode=REQUIRED\n" | tee /x >/dev/null
tee -a /etc/my.cnf <<'EOT'
[mysqld]
EOT
EOF
RUN echo "a\tb" > /u1 && printf '%s\n' x > /u2 && printf "$V$" > /u3 && echo -e x > /u4 && echo 5$ > /k
RUN cat <<EOF > /u5
ssl=$X
EOF
COPY <<EOF /u6/
$X
EOF
`
	f := parse(t, in)
	noProblems(t, f)
	got := files(f.Stages[0])
	want := []file{
		{"/etc/mysql/conf.d/x.cnf", "printf", "[mysqld]\ntls_version=TLSv1.2\n", true, false},
		{"/etc/mysql/conf.d/e.cnf", "echo", "[mysqld]\n", true, false},
		{"/etc/mysql/conf.d/e.cnf", "echo", "ssl_cipher=AES128-SHA\n", true, true},
		{"/etc/mysql/conf.d/h.cnf", "cat", "[mysqld]\nrequire_secure_transport=ON\n", true, false},
		{"/etc/mysql/conf.d/t.cnf", "cat", "[mysqld]\nssl=$X\n", true, false},
		{"/etc/mysql/conf.d/tls.cnf", "COPY", "[mysqld]\ntls_version=TLSv1.3\n", true, false},
		{"/etc/my.cnf", "tee", "[mysqld]\n", true, true},
		{"/u1", "echo", "a\\tb\n", false, false},
		{"/u2", "printf", "%s\n", false, false},
		{"/u3", "printf", "$V$", false, false},
		{"/u4", "echo", "x\n", false, false},
		{"/k", "echo", "5$\n", true, false},
		{"/u5", "cat", "ssl=$X\n", false, false},
		{"/u6/EOF", "COPY", "$X\n", false, false},
	}
	if len(got) != len(want) {
		t.Fatalf("files\n got %+v\nwant %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("file %d\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	for _, w := range f.Stages[0].Files {
		if w.Known && w.Why != "" || !w.Known && w.Why == "" {
			t.Errorf("%s: known %v why %q", w.Path.Text, w.Known, w.Why)
		}
	}
	ws := f.Stages[0].Files
	// printf: the literal part maps exactly; a range ending in "\n" takes
	// both source bytes and is not exact.
	x := ws[0]
	if at(x.Path.Span) != [2]int{2, 48} {
		t.Errorf("path at %v", at(x.Path.Span))
	}
	k := strings.Index(x.Content, "TLSv1.2")
	if s, ok := x.ContentSpan(k, k+len("TLSv1.2")); !ok || s.Text() != "TLSv1.2" || at(s) != [2]int{2, 35} {
		t.Errorf("printf value %q %v at %v", s.Text(), ok, at(s))
	}
	if s, ok := x.ContentSpan(k, k+len("TLSv1.2")+1); s.Text() != `TLSv1.2\n` {
		t.Errorf("printf value with newline %q %v", s.Text(), ok)
	}
	// echo: the value inside its quotes, then one on a continued line.
	if s, ok := ws[1].ContentSpan(1, 7); !ok || s.Text() != "mysqld" || at(s) != [2]int{3, 42} {
		t.Errorf("echo %q %v at %v", s.Text(), ok, at(s))
	}
	if s, ok := ws[2].ContentSpan(11, 21); !ok || s.Text() != "AES128-SHA" || at(s) != [2]int{4, 21} {
		t.Errorf("echo continued %q %v at %v", s.Text(), ok, at(s))
	}
	// Heredocs: body lines, tabs stripped by <<-.
	if s, ok := ws[3].ContentSpan(9, 33); !ok || s.Text() != "require_secure_transport" || at(s) != [2]int{7, 1} {
		t.Errorf("heredoc %q %v at %v", s.Text(), ok, at(s))
	}
	if s, ok := ws[4].ContentSpan(9, 12); !ok || s.Text() != "ssl" || at(s) != [2]int{11, 2} {
		t.Errorf("chomped heredoc %q %v at %v", s.Text(), ok, at(s))
	}
	if s, ok := ws[5].ContentSpan(9, 20); !ok || s.Text() != "tls_version" || at(s) != [2]int{15, 1} {
		t.Errorf("COPY heredoc %q %v at %v", s.Text(), ok, at(s))
	}
	if s, ok := ws[6].ContentSpan(1, 7); !ok || s.Text() != "mysqld" || at(s) != [2]int{20, 2} {
		t.Errorf("tee heredoc in a script %q %v at %v", s.Text(), ok, at(s))
	}
	// Unknown content has no exact span.
	if _, ok := ws[12].ContentSpan(0, 3); ok {
		t.Error("expanded heredoc maps exactly")
	}
	// The pipe into tee has no heredoc: not recorded.
	for _, w := range ws {
		if w.Path.Text == "/x" {
			t.Errorf("recorded %+v", w)
		}
	}
}

func TestProblems(t *testing.T) {
	in := `COPY a b
FROM
FROM mysql:8.0 AS
NOPE x
CMD ["a", 1]
# escape=x
RUN cat <<EOF > /f
[mysqld]
FROM after
`
	f := parse(t, in)
	var lines []int
	for _, p := range f.Problems {
		lines = append(lines, p.Span.StartLine())
		if !strings.HasPrefix(p.Error(), "Dockerfile:") {
			t.Errorf("error %q", p.Error())
		}
	}
	if want := []int{1, 2, 3, 4, 5, 7}; !equalInts(lines, want) {
		t.Errorf("problem lines %v, want %v (%v)", lines, want, f.Problems)
	}
	// The unterminated heredoc takes the rest of the file: "FROM after"
	// is its body, as BuildKit reads it.
	if len(f.Stages) != 1 || f.Stages[0].Image.Text != "mysql:8.0" {
		t.Errorf("stages %+v", f.Stages)
	}
	if fs := f.Stages[0].Files; len(fs) != 1 || fs[0].Content != "[mysqld]\nFROM after\n" {
		t.Errorf("files %+v", fs)
	}
}

func TestDirectives(t *testing.T) {
	f := parse(t, "\ufeff# syntax=docker/dockerfile:1\n#escape = `\n# escape=\\\nFROM a\n")
	if f.Escape != '`' || len(f.Problems) != 1 || f.Problems[0].Span.StartLine() != 3 {
		t.Errorf("escape %q problems %v", f.Escape, f.Problems)
	}
	f = parse(t, "# a comment\n# escape=`\nFROM a `\n  AS b\n")
	if f.Escape != '\\' || f.Stages[0].Name != "" {
		t.Errorf("a directive after a comment is a comment: escape %q, stage %+v", f.Escape, f.Stages[0])
	}
	f = parse(t, "# escape=/\nFROM a\n")
	if len(f.Problems) != 1 || f.Problems[0].Span.Text() != "/" {
		t.Errorf("problems %v", f.Problems)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestHostile checks the costs stay linear.
func TestHostile(t *testing.T) {
	for name, in := range map[string]string{
		"long line":               "FROM mysql\nRUN printf '" + strings.Repeat(`a\n`, 10<<18) + "' > /f\n",
		"long word":               "FROM " + strings.Repeat("a", 10<<20) + "\n",
		"endless continuations":   "FROM a\nRUN x" + strings.Repeat(" \\\n", 1<<20),
		"continued comments":      "FROM a\nRUN x \\\n" + strings.Repeat("# c\n", 1<<20),
		"many heredocs":           "FROM a\nRUN cat" + strings.Repeat(" <<A", 1<<19) + " > /f\n",
		"escapes":                 "FROM a\nENV A=" + strings.Repeat(`\a`, 5<<20) + "\n",
		"unclosed references":     "FROM a\nENV A=" + strings.Repeat("${", 1<<20) + "\n",
		"unclosed expansions":     "FROM a\nRUN echo " + strings.Repeat("$(", 1<<20) + " > /f\n",
		"many stages":             strings.Repeat("FROM a AS b\n", 1<<17),
		"json":                    "FROM a\nCMD [" + strings.Repeat(`"\u0041",`, 1<<19) + "\"x\"]\n",
		"echo words":              "FROM a\nRUN echo" + strings.Repeat(" 'a'", 1<<18) + " > /f\n",
		"heredoc scripts nesting": "FROM a\nRUN <<A\n" + strings.Repeat("sh <<A\n", 1<<16) + "A\n",
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			f := parse(t, in)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
			if len(f.Stages)+len(f.Problems) == 0 {
				t.Error("read nothing")
			}
		})
	}
}
