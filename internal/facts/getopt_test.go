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
	if got, want := CaseFoldedReleases(), "10.5.29, 10.6.22, 10.11.12, 11.4.6 and 11.8.2"; got != want {
		t.Errorf("CaseFoldedReleases() = %q, want %q", got, want)
	}
}
