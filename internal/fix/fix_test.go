package fix

import (
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
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
	ins := []source.Edit{{Span: f.Span(5, 5), New: "i"}}
	if !Overlaps(a, b) || Overlaps(a, c) || Overlaps(a, ins) || !Overlaps(c, ins) || !Overlaps(ins, ins) {
		t.Fatal("overlap detection is wrong")
	}
	if _, err := Apply(f.Content, append(a, b...)); err == nil {
		t.Fatal("overlapping edits must be refused")
	}
	if _, err := Apply(f.Content, append(c, ins...)); err == nil {
		t.Fatal("an insertion where a replacement starts is ambiguous and must be refused")
	}
	if _, err := Apply(f.Content, []source.Edit{{Span: f.Span(8, 11)}}); err == nil {
		t.Fatal("an edit past the end must be refused")
	}
}

// finding returns a TV999 finding at the first edit whose fix makes edits.
func finding(msg string, edits ...source.Edit) lint.Diagnostic {
	return lint.Diagnostic{RuleID: "TV999", Span: edits[0].Span, Message: msg, Fix: &lint.Fix{Message: msg, Edits: edits}}
}

func TestPlan(t *testing.T) {
	a := source.NewFile("a.cnf", []byte("[mysqld]\r\ntls_version=TLSv1,TLSv1.1 # old\r\nssl=0"))
	b := source.NewFile("b.cnf", []byte("\xef\xbb\xbf[client]\nssl-mode=DISABLED\n"))
	ds := []lint.Diagnostic{
		{RuleID: "TV001", Span: a.Span(0, 1), Message: "no fix"},
		finding("tls", source.Edit{Span: a.Span(22, 35), New: "TLSv1.2"}),
		finding("overlapping", source.Edit{Span: a.Span(28, 35), New: "TLSv1.3"}),
		finding("no-op", source.Edit{Span: a.Span(0, 8), New: "[mysqld]"}),
		// One fix over two files: b's edit is shared with the next finding's.
		finding("ssl", source.Edit{Span: a.Span(47, 48), New: "1"}, source.Edit{Span: b.Span(21, 29), New: "REQUIRED"}),
		finding("same edit", source.Edit{Span: b.Span(21, 29), New: "REQUIRED"}, source.Edit{Span: b.Span(12, 12), New: "# tlsvet\n"}),
		finding("insert", source.Edit{Span: b.Span(12, 12), New: "ssl-ca=ca.pem\n"}),
		finding("bad span", source.Edit{Span: b.Span(20, 99), New: ""}),
		finding("self-overlap", source.Edit{Span: b.Span(3, 5)}, source.Edit{Span: b.Span(4, 6)}),
		finding("partly overlapping", source.Edit{Span: b.Span(3, 4)}, source.Edit{Span: a.Span(23, 24)}),
		finding("other copy", source.Edit{Span: source.NewFile("b.cnf", b.Content).Span(0, 1)}),
	}
	p := NewPlan(ds)
	var fixed []string
	for _, d := range p.Fixed {
		fixed = append(fixed, d.Message)
	}
	if got := strings.Join(fixed, ","); got != "tls,ssl,same edit" {
		t.Errorf("fixed %s", got)
	}
	var skipped []string
	for _, s := range p.Skipped {
		skipped = append(skipped, s.Diagnostic.Message+": "+s.Reason)
	}
	if got, want := strings.Join(skipped, "\n"), strings.Join([]string{
		"overlapping: overlaps the fix of TV999 at a.cnf:2:13",
		"insert: overlaps the fix of TV999 at b.cnf:2:10",
		"bad span: edit 20-99 lies outside b.cnf (30 bytes)",
		"self-overlap: its edits 3-5 and 4-6 overlap",
		"partly overlapping: overlaps the fix of TV999 at a.cnf:2:13",
		"other copy: edits another copy of b.cnf",
	}, "\n"); got != want {
		t.Fatalf("skipped:\n%s\nwant:\n%s", got, want)
	}
	for i, want := range []string{"tls", "same edit", "", "", "tls", ""} {
		if c := p.Skipped[i].Conflict; c == nil && want != "" || c != nil && c.Message != want {
			t.Errorf("skipped %q: conflict %+v, want %q", p.Skipped[i].Diagnostic.Message, c, want)
		}
	}
	if len(p.Changes) != 2 || p.Changes[0].File != a || p.Changes[1].File != b {
		t.Fatalf("changes %+v", p.Changes)
	}
	// Bytes outside the edits stay: CRLF, comment, BOM, no final newline.
	if got, want := string(p.Changes[0].New), "[mysqld]\r\ntls_version=TLSv1.2 # old\r\nssl=1"; got != want {
		t.Errorf("a.cnf = %q, want %q", got, want)
	}
	if got, want := string(p.Changes[1].New), "\xef\xbb\xbf[client]\n# tlsvet\nssl-mode=REQUIRED\n"; got != want {
		t.Errorf("b.cnf = %q, want %q", got, want)
	}
	if n := len(p.Changes[1].Edits); n != 2 {
		t.Errorf("b.cnf has %d edits, want the shared edit once", n)
	}
	if string(a.Content) != "[mysqld]\r\ntls_version=TLSv1,TLSv1.1 # old\r\nssl=0" {
		t.Error("planning changed the file's content")
	}
}

func TestPlanNothingToDo(t *testing.T) {
	f := source.NewFile("my.cnf", []byte("ssl=1\n"))
	p := NewPlan([]lint.Diagnostic{
		finding("no-op", source.Edit{Span: f.Span(4, 5), New: "1"}),
		finding("empty insertion", source.Edit{Span: f.Span(6, 6)}),
	})
	if len(p.Changes) != 0 || len(p.Fixed) != 0 || len(p.Skipped) != 0 {
		t.Errorf("plan of no-op fixes: %+v", p)
	}
	if diff, withheld := p.Diff(nil); len(diff) != 0 || len(withheld) != 0 {
		t.Errorf("plan of no-op fixes: %+v", p)
	}
}
