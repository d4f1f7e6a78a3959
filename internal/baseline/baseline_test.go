package baseline

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/source"
)

// at returns a diagnostic of rule on the first occurrence of text in f.
func at(t *testing.T, f *source.File, rule, text, msg string) lint.Diagnostic {
	t.Helper()
	i := strings.Index(string(f.Content), text)
	if i < 0 {
		t.Fatalf("%q not in %s", text, f.Path)
	}
	return lint.Diagnostic{RuleID: rule, Span: f.Span(i, i+len(text)), Message: msg}
}

// roundTrip writes ds as a baseline and reads it back.
func roundTrip(t *testing.T, ds []lint.Diagnostic) *Baseline {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, ds); err != nil {
		t.Fatal(err)
	}
	b, err := Read(&buf)
	if err != nil {
		t.Fatalf("Read(Write(ds)): %v\n%s", err, buf.String())
	}
	return b
}

const oldCnf = "[mysqld]\ntls_version=TLSv1,TLSv1.2\nssl_cipher=RC4-SHA\n"

func oldFindings(t *testing.T, f *source.File) []lint.Diagnostic {
	return []lint.Diagnostic{
		at(t, f, "TV101", "TLSv1,TLSv1.2", "tls_version has a hole"),
		at(t, f, "TV201", "RC4-SHA", "restricted cipher RC4-SHA; wins over conf/b.cnf:3"),
	}
}

func TestSurvivesUnrelatedEdits(t *testing.T) {
	b := roundTrip(t, oldFindings(t, source.NewFile("conf/my.cnf", []byte(oldCnf))))
	// Lines inserted above, another line edited, indentation and CRLF
	// changed, the message changed (it names a moved line): still known.
	now := source.NewFile("conf/my.cnf", []byte("# managed by ops\n\n[mysqld]\nport=3307\n  tls_version=TLSv1,TLSv1.2\r\nssl_cipher=RC4-SHA\r\n"))
	ds := []lint.Diagnostic{
		at(t, now, "TV101", "TLSv1,TLSv1.2", "tls_version has a hole"),
		at(t, now, "TV201", "RC4-SHA", "restricted cipher RC4-SHA; wins over conf/b.cnf:7"),
	}
	fresh, known := b.Filter(ds)
	if len(fresh) != 0 || known != 2 {
		t.Errorf("Filter = %d fresh, %d known; want 0, 2: %+v", len(fresh), known, fresh)
	}
}

func TestChangedValueIsNew(t *testing.T) {
	b := roundTrip(t, oldFindings(t, source.NewFile("conf/my.cnf", []byte(oldCnf))))
	now := source.NewFile("conf/my.cnf", []byte("[mysqld]\ntls_version=TLSv1,TLSv1.3\nssl_cipher=RC4-SHA\n"))
	hole := at(t, now, "TV101", "TLSv1,TLSv1.3", "tls_version has a hole")
	ds := []lint.Diagnostic{hole, at(t, now, "TV201", "RC4-SHA", "restricted cipher RC4-SHA")}
	fresh, known := b.Filter(ds)
	if len(fresh) != 1 || fresh[0].Span != hole.Span || known != 1 {
		t.Errorf("Filter = %+v, %d known; want only the changed TV101", fresh, known)
	}
}

func TestSameSpanOtherLineTextIsNew(t *testing.T) {
	// The span is the key only; what follows on its line is part of the
	// finding (ssl=1 versus ssl=0 on a removed option).
	old := source.NewFile("my.cnf", []byte("[client]\nssl=1\n"))
	b := roundTrip(t, []lint.Diagnostic{at(t, old, "TV004", "ssl", "removed")})
	now := source.NewFile("my.cnf", []byte("[client]\nssl=0\n"))
	if fresh, _ := b.Filter([]lint.Diagnostic{at(t, now, "TV004", "ssl", "removed")}); len(fresh) != 1 {
		t.Errorf("a changed value on the finding's line was not new")
	}
}

func TestCounts(t *testing.T) {
	line := "ssl_cipher=RC4-SHA\n"
	old := source.NewFile("my.cnf", []byte("[mysqld]\n"+line+line))
	var ds []lint.Diagnostic
	for i := 0; i < 2; i++ {
		off := len("[mysqld]\n") + i*len(line) + len("ssl_cipher=")
		ds = append(ds, lint.Diagnostic{RuleID: "TV201", Span: old.Span(off, off+7), Message: "restricted"})
	}
	var buf bytes.Buffer
	if err := Write(&buf, ds); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"count": 2`) {
		t.Fatalf("two equal findings are not one entry with count 2:\n%s", buf.String())
	}
	b, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	now := source.NewFile("my.cnf", []byte("[mysqld]\n"+line+line+line))
	ds = nil
	for i := 0; i < 3; i++ {
		off := len("[mysqld]\n") + i*len(line) + len("ssl_cipher=")
		ds = append(ds, lint.Diagnostic{RuleID: "TV201", Span: now.Span(off, off+7), Message: "restricted"})
	}
	fresh, known := b.Filter(ds)
	if len(fresh) != 1 || known != 2 || fresh[0].Span != ds[2].Span {
		t.Errorf("Filter = %d fresh, %d known; want the last of 3 fresh and 2 known", len(fresh), known)
	}
}

func TestMovedFileIsNew(t *testing.T) {
	b := roundTrip(t, oldFindings(t, source.NewFile("conf/my.cnf", []byte(oldCnf))))
	fresh, known := b.Filter(oldFindings(t, source.NewFile("conf/mysqld.cnf", []byte(oldCnf))))
	if len(fresh) != 2 || known != 0 {
		t.Errorf("findings of a moved file: %d fresh, %d known; want 2, 0", len(fresh), known)
	}
}

func TestOtherRuleIsNew(t *testing.T) {
	f := source.NewFile("my.cnf", []byte(oldCnf))
	b := roundTrip(t, []lint.Diagnostic{at(t, f, "TV201", "RC4-SHA", "restricted")})
	if fresh, _ := b.Filter([]lint.Diagnostic{at(t, f, "TV207", "RC4-SHA", "unknown")}); len(fresh) != 1 {
		t.Errorf("another rule on the same span was hidden")
	}
}

func TestNoSpan(t *testing.T) {
	d := lint.Diagnostic{RuleID: "TV003", Message: "somewhere"}
	b := roundTrip(t, []lint.Diagnostic{d})
	if fresh, known := b.Filter([]lint.Diagnostic{d, d}); len(fresh) != 1 || known != 1 {
		t.Errorf("span-less findings: %d fresh, %d known; want 1, 1", len(fresh), known)
	}
}

func TestMultiLineAndNewlineEndingSpans(t *testing.T) {
	f := source.NewFile("my.cnf", []byte("[mysqld]\nssl_ca=a\nssl_cert=b\n"))
	whole := lint.Diagnostic{RuleID: "TV009", Span: f.Span(9, len(f.Content))} // two lines, ends with "\n"
	g := source.NewFile("my.cnf", []byte("[mysqld]\nssl_ca=a\nssl_cert=b\n[client]\n"))
	same := lint.Diagnostic{RuleID: "TV009", Span: g.Span(9, len("[mysqld]\nssl_ca=a\nssl_cert=b\n"))}
	if keyOf(whole) != keyOf(same) {
		t.Errorf("a span ending with a newline took in the next line")
	}
	h := source.NewFile("my.cnf", []byte("[mysqld]\nssl_ca=a\nssl_cert=c\n"))
	changed := lint.Diagnostic{RuleID: "TV009", Span: h.Span(9, len(h.Content))}
	if keyOf(whole) == keyOf(changed) {
		t.Errorf("a change on the second line of a two-line span kept the fingerprint")
	}
}

func TestPasswordsMasked(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"DATABASE_URL=mysql://app:hunter2@db/app?ssl-mode=DISABLED", "DATABASE_URL=mysql://app:s3cr3t@db/app?ssl-mode=DISABLED"},
		{`DSN="app:p@ss@tcp(db:3306)/app?tls=false"`, `DSN="app:other@tcp(db:3306)/app?tls=false"`},
		{"password = hunter2 # ssl-mode=DISABLED", "password = x # ssl-mode=DISABLED"},
		{`"MYSQL_PASSWORD": "a b", "tls": false`, `"MYSQL_PASSWORD": "c", "tls": false`},
		{"jdbc:mysql://db/app?user=u&password=hunter2&sslMode=DISABLED", "jdbc:mysql://db/app?user=u&password=x&sslMode=DISABLED"},
	} {
		if ma, mb := maskSecrets(tc.a), maskSecrets(tc.b); ma != mb {
			t.Errorf("masked lines differ:\n%s\n%s", ma, mb)
		}
		if strings.Contains(maskSecrets(tc.a), "hunter2") || strings.Contains(maskSecrets(tc.a), "ss@") {
			t.Errorf("password left in %q", maskSecrets(tc.a))
		}
	}
	// What is not a password stays, so the fingerprint still sees it.
	for _, s := range []string{
		"ssl_cipher=DEFAULT:RC4-SHA:@SECLEVEL=0",
		"tls_version=TLSv1,TLSv1.2",
		"DATABASE_URL=mysql://app@db/app?ssl-mode=DISABLED",
		"ssl-mode=DISABLED",
	} {
		if got := maskSecrets(s); got != s {
			t.Errorf("maskSecrets(%q) = %q; want it unchanged", s, got)
		}
	}
	if maskSecrets("mysql://app:x@db/app?ssl-mode=DISABLED") == maskSecrets("mysql://app:x@db/app?ssl-mode=REQUIRED") {
		t.Error("masking hid the TLS setting")
	}
}

func TestWriteFormat(t *testing.T) {
	f := source.NewFile("conf/my.cnf", []byte(oldCnf))
	g := source.NewFile("a.cnf", []byte("[client]\nssl-mode=PREFERRED\n"))
	ds := append(oldFindings(t, f), at(t, g, "TV303", "PREFERRED", "falls back to <plaintext> & more"))
	var one, two bytes.Buffer
	if err := Write(&one, ds); err != nil {
		t.Fatal(err)
	}
	// Another order gives the same bytes.
	if err := Write(&two, []lint.Diagnostic{ds[2], ds[1], ds[0]}); err != nil {
		t.Fatal(err)
	}
	if one.String() != two.String() {
		t.Errorf("output depends on the order of findings:\n%s\n%s", one.String(), two.String())
	}
	want := `{
  "tool": "tlsvet",
  "version": 1,
  "findings": [
    {
      "rule": "TV303",
      "path": "a.cnf",
      "fingerprint": "` + keyOf(ds[2]).fingerprint + `",
      "count": 1,
      "message": "falls back to <plaintext> & more"
    },
    {
      "rule": "TV101",
      "path": "conf/my.cnf",
      "fingerprint": "` + keyOf(ds[0]).fingerprint + `",
      "count": 1,
      "message": "tls_version has a hole"
    },
    {
      "rule": "TV201",
      "path": "conf/my.cnf",
      "fingerprint": "` + keyOf(ds[1]).fingerprint + `",
      "count": 1,
      "message": "restricted cipher RC4-SHA; wins over conf/b.cnf:3"
    }
  ]
}
`
	if one.String() != want {
		t.Errorf("Write =\n%s\nwant\n%s", one.String(), want)
	}
	if fp := keyOf(ds[0]).fingerprint; len(fp) != 16 || !validFingerprint(fp) {
		t.Errorf("fingerprint %q is not 16 lower-case hex digits", fp)
	}
}

func TestWriteEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, nil); err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"tool\": \"tlsvet\",\n  \"version\": 1,\n  \"findings\": []\n}\n"; buf.String() != want {
		t.Errorf("empty baseline = %q; want %q", buf.String(), want)
	}
}

func TestReadMergesRepeatedEntries(t *testing.T) {
	f := source.NewFile("my.cnf", []byte(oldCnf))
	d := at(t, f, "TV201", "RC4-SHA", "restricted")
	fp := keyOf(d).fingerprint
	e := `{"rule":"TV201","path":"my.cnf","fingerprint":"` + fp + `","count":1,"message":"m"}`
	b, err := Read(strings.NewReader(`{"tool":"tlsvet","version":1,"findings":[` + e + `,` + e + `]}`))
	if err != nil {
		t.Fatal(err)
	}
	if fresh, known := b.Filter([]lint.Diagnostic{d, d, d}); len(fresh) != 1 || known != 2 {
		t.Errorf("repeated entries: %d fresh, %d known; want 1, 2", len(fresh), known)
	}
}

func TestReadErrors(t *testing.T) {
	const fp = "0123456789abcdef"
	for _, tc := range []struct{ in, want string }{
		{"", "invalid file: the file is empty"}, {"{\"tool\":", "unexpected EOF"},
		{"{\n  \"tool\": \"tlsvet\",\n  \"version\": 1,\n  \"findings\": [\n}", "line 5, column 1"},
		{`{"tool":"tlsvet","version":"1","findings":[]}`, "line 1, column 30"},
		{`{"tool":"tlsvet","version":1,"findings":[]} {}`, "data after the JSON object"},
		{`{"tool":"tlsvet","version":1,"findings":[],"extra":1}`, `unknown field "extra"`},
		{`{"tool":"phpstan","version":1,"findings":[]}`, `not a tlsvet baseline (tool is "phpstan"`},
		{`{"tool":"tlsvet","version":2,"findings":[]}`, "unsupported version 2 (this tlsvet reads version 1"},
		{`{"tool":"tlsvet","findings":[]}`, "unsupported version 0"},
		{`{"tool":"tlsvet","version":1,"findings":[{"rule":"TV101","path":"a","fingerprint":"xyz","count":1}]}`, "finding 1: need"},
		{`{"tool":"tlsvet","version":1,"findings":[{"rule":"TV101","path":"a","fingerprint":"` + strings.ToUpper(fp) + `","count":1}]}`, "finding 1: need"},
		{`{"tool":"tlsvet","version":1,"findings":[{"rule":"TV101","path":"a","fingerprint":"` + fp + `","count":0}]}`, "finding 1: need"},
		{`{"tool":"tlsvet","version":1,"findings":[{"path":"a","fingerprint":"` + fp + `","count":1}]}`, "finding 1: need"},
	} {
		_, err := Read(strings.NewReader(tc.in))
		if err == nil || !strings.HasPrefix(err.Error(), "baseline: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Read(%q) error = %v; want one containing %q", tc.in, err, tc.want)
		}
	}
}
