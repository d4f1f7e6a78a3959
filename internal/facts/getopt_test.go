package facts

import "testing"

func TestCaseFoldedFrom(t *testing.T) {
	for _, c := range []struct {
		v     Version
		first Version
		ok    bool
	}{
		{V(10, 11, 19), V(10, 11, 12), true},
		{V(10, 11, 5), V(10, 11, 12), true},
		{V(10, 6, 0), V(10, 6, 22), true},
		{V(11, 4, 2), V(11, 4, 6), true},
		{V(12, 0, 2), V(12, 0, 0), true},
		{V(10, 4, 34), Version{}, false},
		{V(11, 2, 6), Version{}, false},
	} {
		first, ok := CaseFoldedFrom(c.v)
		if first != c.first || ok != c.ok {
			t.Errorf("CaseFoldedFrom(%s) = %s, %v; want %s, %v", c.v, first, ok, c.first, c.ok)
		}
	}
	for _, c := range []struct {
		lo, hi Version
		want   bool
	}{
		{V(10, 11, 12), V(10, 11, Any), true},
		{V(10, 11, 11), V(10, 11, Any), false},
		{V(10, 11, 12), V(11, 4, 0), false}, // 11.4.0–11.4.5 refuse
		{V(11, 8, 2), maxVersion, true},
		{V(12, 0, 0), V(12, Any, Any), true},
		{V(10, 4, 0), V(10, 4, Any), false},
	} {
		if got := CaseFoldedRange(c.lo, c.hi); got != c.want {
			t.Errorf("CaseFoldedRange(%s, %s) = %v, want %v", c.lo, c.hi, got, c.want)
		}
	}
	if got, want := CaseFoldedReleases(), "10.5.29, 10.6.22, 10.11.12, 11.4.6 and 11.8.2"; got != want {
		t.Errorf("CaseFoldedReleases() = %q, want %q", got, want)
	}
}
