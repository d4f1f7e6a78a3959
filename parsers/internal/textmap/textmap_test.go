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
