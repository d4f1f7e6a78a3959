package fix

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/source"
)

// diffCase is one file, its edits and the content they must produce.
type diffCase struct {
	name, old string
	edits     [][3]any // start, end, new
	want      string
}

var diffCases = []diffCase{
	{"replace.cnf", "[mysqld]\ntls_version=TLSv1,TLSv1.2\nssl_ca=ca.pem\n",
		[][3]any{{21, 27, ""}}, "[mysqld]\ntls_version=TLSv1.2\nssl_ca=ca.pem\n"},
	{"crlf.cnf", "[mysqld]\r\ntls_version=TLSv1\r\n# keep\r\n",
		[][3]any{{22, 27, "TLSv1.2"}}, "[mysqld]\r\ntls_version=TLSv1.2\r\n# keep\r\n"},
	{"no-final-newline.cnf", "[mysqld]\ntls_version=TLSv1",
		[][3]any{{21, 26, "TLSv1.2"}}, "[mysqld]\ntls_version=TLSv1.2"},
	{"add-final-newline.cnf", "a\nb", [][3]any{{3, 3, "\n"}}, "a\nb\n"},
	{"drop-final-newline.cnf", "a\nb\n", [][3]any{{3, 4, ""}}, "a\nb"},
	{"context-without-newline.cnf", "x=1\na\nb\nc", [][3]any{{0, 1, "y"}}, "y=1\na\nb\nc"},
	{"bom.cnf", "\xef\xbb\xbf[mysqld]\nssl=0\n", [][3]any{{16, 17, "1"}}, "\xef\xbb\xbf[mysqld]\nssl=1\n"},
	{"insert-line.cnf", "[mysqld]\nssl_cert=c.pem\n",
		[][3]any{{9, 9, "ssl_key=k.pem\n"}}, "[mysqld]\nssl_key=k.pem\nssl_cert=c.pem\n"},
	{"insert-at-end.cnf", "[client]\n", [][3]any{{9, 9, "ssl-mode=VERIFY_IDENTITY\n"}}, "[client]\nssl-mode=VERIFY_IDENTITY\n"},
	{"insert-into-line.cnf", "a\nb\n", [][3]any{{2, 2, "x"}}, "a\nxb\n"},
	{"remove-line.cnf", "[mysqld]\nold_passwords=1\nssl=1\n", [][3]any{{9, 25, ""}}, "[mysqld]\nssl=1\n"},
	{"remove-line-break.cnf", "a\nb\nc\n", [][3]any{{1, 2, " "}}, "a b\nc\n"},
	{"insert-after-joined-end.cnf", "a\nb\n", [][3]any{{2, 4, "c"}, {4, 4, "\n"}}, "a\nc\n"},
	{"remove-last-line.cnf", "a\nb", [][3]any{{1, 3, ""}}, "a"},
	{"empty-result.cnf", "ssl=0\n", [][3]any{{0, 6, ""}}, ""},
	{"from-empty.cnf", "", [][3]any{{0, 0, "[client]\nssl-mode=REQUIRED"}}, "[client]\nssl-mode=REQUIRED"},
	{"two-hunks.cnf", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
		[][3]any{{0, 1, "one"}, {24, 26, "twelve"}}, "one\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\ntwelve\n"},
	{"merged-hunks.cnf", "1\n2\n3\n4\n5\n6\n7\n8\n9\n",
		[][3]any{{0, 1, "one"}, {14, 15, "eight"}}, "one\n2\n3\n4\n5\n6\n7\neight\n9\n"},
	{"same-line.cnf", "tls_version=TLSv1,TLSv1.1,TLSv1.2\n",
		[][3]any{{12, 18, ""}, {18, 26, ""}, {33, 33, ",TLSv1.3"}}, "tls_version=TLSv1.2,TLSv1.3\n"},
	{"dir/with space.cnf", "a\n", [][3]any{{0, 1, "b"}}, "b\n"},
	{"quote\"and\\back.cnf", "a\n", [][3]any{{0, 1, "b"}}, "b\n"},
}

// plan builds a Plan that makes each case's edits, one finding per edit.
func plan(cs []diffCase) *Plan {
	var ds []lint.Diagnostic
	for _, c := range cs {
		f := source.NewFile(c.name, []byte(c.old))
		for _, e := range c.edits {
			ds = append(ds, lint.Diagnostic{RuleID: "TV999", Span: f.Span(e[0].(int), e[1].(int)),
				Fix: &lint.Fix{Edits: []source.Edit{{Span: f.Span(e[0].(int), e[1].(int)), New: e[2].(string)}}}})
		}
	}
	return NewPlan(ds)
}

func TestDiffTable(t *testing.T) {
	p := plan(diffCases)
	if len(p.Skipped) != 0 {
		t.Fatalf("skipped %+v", p.Skipped)
	}
	if len(p.Changes) != len(diffCases) {
		t.Errorf("%d changes for %d cases", len(p.Changes), len(diffCases))
	}
	want := map[string]string{}
	for _, c := range diffCases {
		want[c.name] = c.want
	}
	for _, c := range p.Changes {
		if string(c.New) != want[c.File.Path] {
			t.Errorf("%s: new content %q, want %q", c.File.Path, c.New, want[c.File.Path])
		}
	}
	diff, _ := p.Diff(nil)
	d := string(diff)
	for _, s := range []string{
		"diff --git a/crlf.cnf b/crlf.cnf\n--- a/crlf.cnf\n+++ b/crlf.cnf\n@@ -1,3 +1,3 @@\n [mysqld]\r\n-tls_version=TLSv1\r\n+tls_version=TLSv1.2\r\n # keep\r\n",
		"@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n",
		"@@ -1,2 +1,3 @@\n [mysqld]\n+ssl_key=k.pem\n ssl_cert=c.pem\n",
		"@@ -1 +0,0 @@\n-ssl=0\n",
		"@@ -0,0 +1,2 @@\n+[client]\n+ssl-mode=REQUIRED\n\\ No newline at end of file\n",
		"@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+twelve\n",
		"@@ -1,9 +1,9 @@\n-1\n+one\n 2\n 3\n 4\n 5\n 6\n 7\n-8\n+eight\n 9\n",
		"@@ -1,3 +1,2 @@\n-a\n-b\n+a b\n c\n",
		"--- a/dir/with space.cnf\t\n",
		`--- "a/quote\"and\\back.cnf"` + "\n",
	} {
		if !strings.Contains(d, s) {
			t.Errorf("diff lacks %q", s)
		}
	}
	if t.Failed() {
		t.Logf("diff:\n%s", d)
	}
	checkOracles(t, diffCases, p)
}

func TestDiffPrefix(t *testing.T) {
	in := source.NewFile("conf.d/tls.cnf", []byte("a\n"))
	out := source.NewFile("/etc/mysql/x.cnf", []byte("b\n"))
	p := NewPlan([]lint.Diagnostic{
		finding("in", source.Edit{Span: in.Span(0, 1), New: "A"}),
		finding("out", source.Edit{Span: out.Span(0, 1), New: "B"}),
	})
	want := "diff --git a//etc/mysql/x.cnf b//etc/mysql/x.cnf\n--- a//etc/mysql/x.cnf\n+++ b//etc/mysql/x.cnf\n@@ -1 +1 @@\n-b\n+B\n" +
		"diff --git a/sub/conf.d/tls.cnf b/sub/conf.d/tls.cnf\n--- a/sub/conf.d/tls.cnf\n+++ b/sub/conf.d/tls.cnf\n@@ -1 +1 @@\n-a\n+A\n"
	if got, _ := p.Diff(func(p string) string { return "sub/" + p }); string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestDiffRandom checks diffs of random files and edits with git apply and
// patch: CRLF and LF lines, lone CRs, missing final newlines, insertions,
// deletions and edits that add or join lines.
func TestDiffRandom(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	const n = 400
	var cs []diffCase
	for i := 0; i < n; i++ {
		cs = append(cs, randomCase(r, fmt.Sprintf("r%03d.cnf", i)))
	}
	p := plan(cs)
	if len(p.Skipped) != 0 {
		t.Fatalf("skipped %+v", p.Skipped)
	}
	// The generator must keep reaching the cases that matter.
	seen := map[string]int{}
	for _, c := range cs {
		if len(c.edits) == 0 {
			continue
		}
		seen["edited"]++
		for k, v := range map[string]bool{
			"crlf":             strings.Contains(c.old, "\r\n"),
			"no final LF":      c.old != "" && !strings.HasSuffix(c.old, "\n"),
			"LF dropped":       strings.HasSuffix(c.old, "\n") && !strings.HasSuffix(c.want, "\n"),
			"lines added":      strings.Count(c.want, "\n") > strings.Count(c.old, "\n"),
			"lines removed":    strings.Count(c.want, "\n") < strings.Count(c.old, "\n"),
			"several hunks":    bytes.Count(diffOf(c), []byte("\n@@ ")) > 1,
			"empty result":     c.want == "",
			"insertion":        c.edits[0][0] == c.edits[0][1],
			"CR split from LF": strings.Contains(c.old, "\r\n") && strings.Contains(c.want, "\r") && !strings.Contains(c.want, "\r\n"),
		} {
			if v {
				seen[k]++
			}
		}
	}
	t.Logf("%d random cases: %v", n, seen)
	for _, k := range []string{"edited", "crlf", "no final LF", "LF dropped", "lines added", "lines removed", "several hunks", "insertion"} {
		if seen[k] < 5 {
			t.Errorf("only %d random cases with %s", seen[k], k)
		}
	}
	checkOracles(t, cs, p)
}

func diffOf(c diffCase) []byte {
	diff, _ := plan([]diffCase{c}).Diff(nil)
	return diff
}

func randomCase(r *rand.Rand, name string) diffCase {
	words := []string{"", "a", "bc", "#x", " ", "ssl=1", "é", "a\rb"}
	ends := []string{"\n", "\n", "\r\n"}
	var b strings.Builder
	for lines := r.Intn(30); lines > 0; lines-- {
		b.WriteString(words[r.Intn(len(words))])
		b.WriteString(ends[r.Intn(len(ends))])
	}
	if r.Intn(3) == 0 {
		b.WriteString("last")
	}
	old := b.String()
	// Offsets at line boundaries are favoured so that whole lines come
	// and go; the rest fall anywhere, inside a CRLF included.
	var offs []int
	for k := r.Intn(6) * 2; k > 0; k-- {
		o := r.Intn(len(old) + 1)
		if r.Intn(2) == 0 {
			o = strings.LastIndexByte(old[:o], '\n') + 1
		}
		offs = append(offs, o)
	}
	sort.Ints(offs)
	news := []string{"", "x", "y\n", "\r\n", "z\r\nw", "\n", "u\nv\n"}
	c := diffCase{name: name, old: old}
	last := -1
	for k := 0; k+1 < len(offs); k += 2 {
		if offs[k] == last { // same start: ambiguous, refused by the planner
			continue
		}
		e := [3]any{offs[k], offs[k+1], news[r.Intn(len(news))]}
		if old[offs[k]:offs[k+1]] == e[2] {
			continue
		}
		c.edits = append(c.edits, e)
		last = offs[k]
	}
	var want strings.Builder
	pos := 0
	for _, e := range c.edits {
		want.WriteString(old[pos:e[0].(int)] + e[2].(string))
		pos = e[1].(int)
	}
	want.WriteString(old[pos:])
	c.want = want.String()
	return c
}

// checkOracles applies the plan's diff with git apply and GNU patch in
// directories holding the old files and compares every file with its
// expected new content.
func checkOracles(t *testing.T, cs []diffCase, p *Plan) {
	t.Helper()
	diff, _ := p.Diff(nil)
	for _, o := range []struct {
		tool string
		args [][]string
	}{
		{"git", [][]string{{"init", "-q"}, {"apply", "--check", "-"}, {"apply", "-"}}},
		{"patch", [][]string{{"-p1", "--batch", "--no-backup-if-mismatch", "--quiet"}}},
	} {
		t.Run(o.tool, func(t *testing.T) {
			if _, err := exec.LookPath(o.tool); err != nil {
				if os.Getenv("CI") == "true" {
					t.Fatalf("%s is needed as the diff oracle: %v", o.tool, err)
				}
				t.Skipf("%s not found, diff not checked with it: %v", o.tool, err)
			}
			dir := t.TempDir()
			for _, c := range cs {
				name := filepath.Join(dir, filepath.FromSlash(c.name))
				if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(name, []byte(c.old), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for _, args := range o.args {
				cmd := exec.Command(o.tool, args...)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "HOME="+dir, "GIT_CONFIG_NOSYSTEM=1", "LC_ALL=C")
				cmd.Stdin = bytes.NewReader(diff)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("%s %s: %v\n%s\ndiff:\n%s", o.tool, strings.Join(args, " "), err, out, diff)
				}
			}
			for _, c := range cs {
				got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(c.name)))
				if err != nil {
					t.Errorf("%s: %v", c.name, err)
					continue
				}
				if string(got) != c.want {
					t.Errorf("%s: %s made %q from %q, want %q", c.name, o.tool, got, c.old, c.want)
				}
			}
		})
	}
}
