package config

import (
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, name string
		want          bool
	}{
		{"*.cnf", "my.cnf", true},
		{"*.cnf", "conf.d/my.cnf", false},
		{"conf.d", "conf.d/my.cnf", true}, // a directory matches what is below it
		{"**/my.cnf", "my.cnf", true},
		{"**/my.cnf", "a/b/c/my.cnf", true},
		{"a/**/c/*.cnf", "a/c/x.cnf", true},
		{"a/**/c/*.cnf", "a/b/b/c/x.cnf", true},
		{"a/**/c/*.cnf", "a/b/b/d/x.cnf", false},
		{"**/**/x", "a/x", true},
		{"**/test/**", "a/test/b/c.cnf", true},
		{"**/test/**", "a/tests/b.cnf", false},
		{"a/**", "b/a/c", false},
	} {
		got, err := Match(c.pattern, c.name)
		if err != nil || got != c.want {
			t.Errorf("Match(%q, %q) = %v, %v; want %v", c.pattern, c.name, got, err, c.want)
		}
	}
	if _, err := Match("[", "x"); err == nil {
		t.Error(`Match("[") gave no error`)
	}
}

// TestMatchLinearInDepth doubles the number of "**" elements (and the path
// depth) and requires the element comparisons to grow at most 2.2×
// per doubling of each; the old backtracking match tried every split of
// the path at every "**" and grew exponentially. The path never matches,
// which is the worst case.
func TestMatchLinearInDepth(t *testing.T) {
	calls := 0
	defer func(f func(string, string) (bool, error)) { segmentMatch = f }(segmentMatch)
	inner := segmentMatch
	segmentMatch = func(p, n string) (bool, error) { calls++; return inner(p, n) }
	work := func(stars int) int {
		calls = 0
		pat := strings.Repeat("**/x/", stars) + "nomatch"
		name := strings.Repeat("x/", 20) + "y"
		if ok, _ := Match(pat, name); ok {
			t.Fatalf("Match(%q, %q) = true", pat, name)
		}
		return calls
	}
	for n := 8; n <= 64; n *= 2 {
		a, b := work(n), work(2*n)
		if float64(b) > 2.2*float64(a) {
			t.Errorf(`%d "**" elements: %d comparisons, %d: %d (more than 2.2×)`, n, a, 2*n, b)
		}
	}
}

func BenchmarkMatchDoubleStar(b *testing.B) {
	pat := strings.Repeat("**/x/", 32) + "nomatch"
	name := strings.Repeat("x/", 20) + "y"
	for b.Loop() {
		Match(pat, name)
	}
}
