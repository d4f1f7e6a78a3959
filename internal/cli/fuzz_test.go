package cli

import (
	"bytes"
	"io"
	"testing"
	"testing/fstest"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/load"
	"github.com/tlsvet/tlsvet/internal/report"
	"github.com/tlsvet/tlsvet/rules"
)

// FuzzCheck runs the whole pipeline on arbitrary bytes as a my.cnf that
// also includes a second arbitrary file: nothing may panic, and every
// finding must point inside its file.
func FuzzCheck(f *testing.F) {
	f.Add([]byte("[mysqld]\ntls_version=TLSv1,TLSv1.2\n!include b.cnf\n"), []byte("[client]\nssl-mode=DISABLED\n"))
	f.Add([]byte("[mysqld]\nssl_cipher=RC4-MD5 ; x\nrequire_secure_transport=yes\n"), []byte("ssl=1\n"))
	f.Add([]byte("\xef\xbb\xbf[client]\r\nssl-ca='a#b\\\r\n[x"), []byte("!includedir .\n"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		fsys := fstest.MapFS{"my.cnf": {Data: a}, "b.cnf": {Data: b}}
		p, err := load.Load(load.Options{FS: fsys, Paths: []string{"."}})
		if err != nil {
			t.Fatal(err)
		}
		ds := lint.Run(p, rules.All, lint.Options{Policy: lint.DefaultPolicy})
		for _, d := range ds {
			if d.Span.File == nil || d.Span.Start < 0 || d.Span.End < d.Span.Start || d.Span.End > len(d.Span.File.Content) {
				t.Fatalf("%s: span %d-%d outside its file", d.RuleID, d.Span.Start, d.Span.End)
			}
			if d.Fix != nil {
				for _, e := range d.Fix.Edits {
					if e.Span.Start < 0 || e.Span.End < e.Span.Start || e.Span.End > len(e.Span.File.Content) {
						t.Fatalf("%s: fix edit %d-%d outside its file", d.RuleID, e.Span.Start, e.Span.End)
					}
				}
			}
		}
		rep := &report.Report{Diagnostics: ds, Rules: rules.All, Files: p.Files, Version: Version}
		var buf bytes.Buffer
		for _, w := range []func(io.Writer, *report.Report) error{report.JSON, report.SARIF, report.GitHub} {
			if err := w(&buf, rep); err != nil {
				t.Fatal(err)
			}
		}
		if err := report.Text(&buf, rep, false); err != nil {
			t.Fatal(err)
		}
	})
}
