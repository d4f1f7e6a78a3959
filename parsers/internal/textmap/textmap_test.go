package textmap

import "testing"

// TestMap builds `a\tb` + a dropped continuation `\<LF>  ` + `cd` from the
// source `a\tb\` + "\n  cd" and checks both mappings at every offset.
func TestMap(t *testing.T) {
	src := "a\\tb\\\n  cd"
	b := NewBuilder(0)
	b.Copy(0, []byte("a"))
	b.Replace(1, 3, "\t")
	b.Copy(3, []byte("b"))
	b.Replace(4, 8, "")
	b.Copy(8, []byte("cd"))
	val, m := b.Done()
	if val != "a\tbcd" {
		t.Fatalf("value %q", val)
	}
	// decoded offset:       0  1  2  3  4  5
	wantStart := []int{0, 1, 3, 8, 9, 10}
	wantEnd := []int{0, 1, 3, 4, 9, 10}
	for d := range wantStart {
		if got := m.Start(d); got != wantStart[d] {
			t.Errorf("Start(%d) = %d, want %d", d, got, wantStart[d])
		}
		if got := m.End(d); got != wantEnd[d] {
			t.Errorf("End(%d) = %d, want %d", d, got, wantEnd[d])
		}
	}
	for _, tc := range []struct {
		s, e int
		want string
	}{{0, 2, "a\\t"}, {1, 2, "\\t"}, {2, 4, "b\\\n  c"}, {3, 5, "cd"}, {2, 3, "b"}} {
		s, e := m.Range(tc.s, tc.e)
		if got := src[s:e]; got != tc.want {
			t.Errorf("Range(%d, %d) = %q, want %q", tc.s, tc.e, got, tc.want)
		}
	}
}

func TestIdentity(t *testing.T) {
	m := Identity(7, 3)
	if m.Start(0) != 7 || m.End(3) != 10 || m.Start(2) != 9 {
		t.Errorf("identity map wrong: %d %d %d", m.Start(0), m.End(3), m.Start(2))
	}
	if e := Identity(4, 0); e.Start(0) != 4 || e.End(0) != 4 {
		t.Error("empty identity map wrong")
	}
}

// TestExact checks which ranges of the TestMap value map exactly: those
// whose ends do not cut the escape \t (the dropped continuation is empty,
// so no boundary can cut it).
func TestExact(t *testing.T) {
	b := NewBuilder(0)
	b.Copy(0, []byte("a"))
	b.Replace(1, 3, "\tX") // a two-byte decoding, so that offset 2 cuts it
	b.Copy(3, []byte("b"))
	b.Replace(4, 8, "")
	b.Copy(8, []byte("cd"))
	_, m := b.Done()
	for _, tc := range []struct {
		s, e int
		want bool
	}{{0, 1, true}, {0, 3, true}, {1, 3, true}, {2, 3, false}, {0, 2, false}, {2, 2, false}, {3, 6, true}, {4, 5, true}, {6, 6, true}} {
		if got := m.Exact(tc.s, tc.e); got != tc.want {
			t.Errorf("Exact(%d, %d) = %v, want %v", tc.s, tc.e, got, tc.want)
		}
	}
}

// TestCompose maps a percent-escape inside a value that is itself
// inside double quotes with an escape before it: `"x\"a%41b"` at file
// offset 10 decodes to `x"a%41b`, whose part `a%41b` decodes to "aAb".
func TestCompose(t *testing.T) {
	src := `0123456789"x\"a%41b"`
	ob := NewBuilder(11)
	ob.Copy(11, []byte("x"))
	ob.Replace(12, 14, `"`)
	ob.Copy(14, []byte("a%41b"))
	outerVal, outer := ob.Done()
	if outerVal != `x"a%41b` {
		t.Fatalf("outer value %q", outerVal)
	}
	ib := NewBuilder(2) // the part starts at outer offset 2
	ib.Copy(2, []byte("a"))
	ib.Replace(3, 6, "A")
	ib.Copy(6, []byte("b"))
	_, inner := ib.Done()
	m := Compose(inner, outer)
	for _, tc := range []struct {
		s, e  int
		want  string
		exact bool
	}{{0, 3, "a%41b", true}, {1, 2, "%41", true}, {0, 1, "a", true}, {2, 3, "b", true}} {
		s, e := m.Range(tc.s, tc.e)
		if got := src[s:e]; got != tc.want || m.Exact(tc.s, tc.e) != tc.exact {
			t.Errorf("Range(%d, %d) = %q exact %v, want %q exact %v", tc.s, tc.e, got, m.Exact(tc.s, tc.e), tc.want, tc.exact)
		}
	}
	// A range of the outer value that cuts its escape is inexact through
	// the composition too: the part starting at the quote.
	qb := NewBuilder(1)
	qb.Copy(1, []byte(`"a`))
	_, q := qb.Done()
	if cq := Compose(q, outer); cq.Exact(0, 2) != true || cq.Start(0) != 12 {
		t.Errorf("part from the escaped quote: exact %v start %d", cq.Exact(0, 2), cq.Start(0))
	}
	// Chaining: a third level on top keeps every level.
	tb := NewBuilder(1)
	tb.Copy(1, []byte("A"))
	_, third := tb.Done()
	if c := Compose(third, m); c.Start(0) != 15 || c.End(1) != 18 {
		t.Errorf("three levels: %d..%d, want 15..18", c.Start(0), c.End(1))
	}
}
