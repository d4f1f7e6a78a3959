package fix

import (
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
)

func TestApplyKeepsOtherBytes(t *testing.T) {
	f := source.NewFile("my.cnf", []byte("\xef\xbb\xbf[mysqld]\r\ntls_version=TLSv1,TLSv1.2 # keep\r\n"))
	got, err := Apply(f.Content, []source.Edit{
		{Span: f.Span(25, 30), New: "TLSv1.2"},
		{Span: f.Span(31, 38), New: "TLSv1.3"},
		{Span: f.Span(11, 11), New: ""},
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "\xef\xbb\xbf[mysqld]\r\ntls_version=TLSv1.2,TLSv1.3 # keep\r\n"; string(got) != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestOverlapsAndRejects(t *testing.T) {
	f := source.NewFile("a", []byte("0123456789"))
	a := []source.Edit{{Span: f.Span(2, 5), New: "x"}}
	b := []source.Edit{{Span: f.Span(4, 6), New: "y"}}
	c := []source.Edit{{Span: f.Span(5, 6), New: "z"}}
	if !Overlaps(a, b) || Overlaps(a, c) {
		t.Fatal("overlap detection is wrong")
	}
	if _, err := Apply(f.Content, append(a, b...)); err == nil {
		t.Fatal("overlapping edits must be refused")
	}
}
