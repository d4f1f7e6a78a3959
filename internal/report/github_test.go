package report_test

import (
	"bytes"
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/report"
	"github.com/tlsvet/tlsvet/internal/source"
)

func TestGitHub(t *testing.T) {
	f := source.NewFile("conf/my.cnf", []byte("[mysqld]\n# é\ntls_version=TLSv1,TLSv1.2\nssl_ca=x\n"))
	odd := source.NewFile("conf/a,b:c%.cnf", []byte("ssl=0\n"))
	hole := diag(holeRule, spanOf(t, f, "TLSv1,TLSv1.2"), "tls_version has a hole: 100% sure\r\nreally")
	hole.Fix = &lint.Fix{Message: "remove TLSv1"}
	hole.Related = []lint.Related{{Span: spanOf(t, f, "ssl_ca"), Message: "see also"}}
	multi := diag(cipherRule, f.Span(14, 48), "over two lines")
	empty := diag(dupRule, odd.Span(4, 4), "empty span")
	r := &report.Report{
		Diagnostics:   []lint.Diagnostic{hole, multi, empty, {RuleID: "TV999", Message: "nowhere"}},
		Rules:         []*lint.Rule{holeRule, cipherRule, dupRule},
		Notifications: []report.Notification{{Path: "x,y.cnf", Message: "cannot read"}},
	}
	var b bytes.Buffer
	if err := report.GitHub(&b, r); err != nil {
		t.Fatal(err)
	}
	want := "::warning file=conf/my.cnf,line=3,col=13,endLine=3,endColumn=25,title=TV101 tls-version-hole::" +
		"tls_version has a hole: 100%25 sure%0D%0Areally%0Afix: remove TLSv1%0Anote: see also (at conf/my.cnf:4:1)\n" +
		"::error file=conf/my.cnf,line=3,endLine=4,title=TV201 restricted-cipher::over two lines\n" +
		"::notice file=conf/a%2Cb%3Ac%25.cnf,line=1,col=5,endLine=1,endColumn=5,title=TV009 duplicate-setting::empty span\n" +
		"::warning title=TV999::nowhere\n" +
		"::warning file=x%2Cy.cnf,title=tlsvet::cannot read\n"
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}
