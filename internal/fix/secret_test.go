package fix

import (
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/source"
)

// TestDiffHidesSecrets checks that --diff shows no line holding a secret,
// neither as context nor as a change, and that the shorter hunks still
// apply with git apply and patch.
func TestDiffHidesSecrets(t *testing.T) {
	const old = "[client]\na=1\npassword=hunter2\nb=1\nc=1\nd=1\ne=1\nf=1\npassword=hunter2\n" +
		"g=1\nh=1\ni=1\npassword=hunter2\nj=1\nssl_passphrase=hunter2#x\nk=1\n"
	f := source.NewFile("my.cnf", []byte(old))
	for i := 0; ; {
		j := strings.Index(old[i:], "=hunter2")
		if j < 0 {
			break
		}
		i += j + 1
		f.MarkSecret(i, i+strings.IndexByte(old[i:], '\n'))
	}
	var ds []lint.Diagnostic
	edit := func(from, to string) {
		i := strings.Index(old, from)
		e := source.Edit{Span: f.Span(i, i+len(from)), New: to}
		ds = append(ds, lint.Diagnostic{RuleID: "TV999", Span: e.Span, Fix: &lint.Fix{Edits: []source.Edit{e}}})
	}
	edit("b=1", "b=2")               // no context before: the line above holds a secret
	edit("f=1", "f=2")               // left out: no context after
	edit("g=1", "g=2")               // shown
	edit("i=1", "i=2")               // left out: no context after
	edit("hunter2#x", `"hunter2#x"`) // left out: the change holds a secret
	p := NewPlan(ds)
	diff, withheld := p.Diff(nil)
	if strings.Contains(string(diff), "hunter2") {
		t.Errorf("the diff shows a secret:\n%s", diff)
	}
	want := []string{
		"my.cnf:8: the diff leaves out a change next to a line holding a secret",
		"my.cnf:12: the diff leaves out a change next to a line holding a secret",
		"my.cnf:15: the diff leaves out a change to a line holding a secret",
	}
	if strings.Join(withheld, "\n") != strings.Join(want, "\n") {
		t.Errorf("withheld:\n%s\nwant:\n%s", strings.Join(withheld, "\n"), strings.Join(want, "\n"))
	}
	shown := strings.NewReplacer("b=1", "b=2", "g=1", "g=2").Replace(old)
	checkOracles(t, []diffCase{{name: "my.cnf", old: old, want: shown}}, p)
}
