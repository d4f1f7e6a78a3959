package source

import "testing"

func TestPositions(t *testing.T) {
	// "é" is 2 bytes and 1 code point; "😀" is 4 bytes, 1 code point, 2 UTF-16 units.
	f := NewFile("my.cnf", []byte("[mysqld]\r\nssl_key=é😀x\nlast"))
	for _, tc := range []struct {
		off             int
		line, col, u16  int
		lineText        string
		lineStartOffset int
	}{
		{0, 1, 1, 1, "[mysqld]", 0},
		{10, 2, 1, 1, "ssl_key=é😀x", 10},
		{18, 2, 9, 9, "ssl_key=é😀x", 10},   // é
		{20, 2, 10, 10, "ssl_key=é😀x", 10}, // 😀
		{24, 2, 11, 12, "ssl_key=é😀x", 10}, // x
		{26, 3, 1, 1, "last", 26},
		{99, 3, 5, 5, "last", 26}, // clamped to the end
	} {
		p := f.Position(tc.off)
		if p.Line != tc.line || p.Col != tc.col || p.UTF16Col != tc.u16 {
			t.Errorf("Position(%d) = %+v, want line %d col %d utf16 %d", tc.off, p, tc.line, tc.col, tc.u16)
		}
		if got := f.Line(p.Line); got != tc.lineText {
			t.Errorf("Line(%d) = %q, want %q (no CR)", p.Line, got, tc.lineText)
		}
		if got := f.LineStart(p.Line); got != tc.lineStartOffset {
			t.Errorf("LineStart(%d) = %d", p.Line, got)
		}
	}
	if got := f.OffsetOf(2, 10); got != 20 {
		t.Errorf("OffsetOf(2, 10) = %d, want 20", got)
	}
	if f.LineCount() != 3 || NewFile("x", []byte("a\n")).LineCount() != 1 {
		t.Errorf("LineCount = %d", f.LineCount())
	}
	s := f.Span(10, 17)
	if s.Text() != "ssl_key" || s.Sub(4, 7).Text() != "key" || s.EndPos().Col != 8 {
		t.Errorf("span text %q sub %q end %+v", s.Text(), s.Sub(4, 7).Text(), s.EndPos())
	}
}

// TestLazyLineTable: the table is built on first use, once, also when
// several goroutines ask for positions at the same time (rules run
// concurrently), and StartLine agrees with StartPos.
func TestLazyLineTable(t *testing.T) {
	f := NewFile("a.cnf", []byte("[mysqld]\nssl_cipher=é:x\r\n\nlast"))
	if f.lines != nil {
		t.Fatal("NewFile built the line table")
	}
	done := make(chan Position)
	for range 4 {
		go func() { done <- f.Position(22) }() // the colon after é
	}
	for range 4 {
		if p := <-done; p != (Position{Line: 2, Col: 13, UTF16Col: 13}) {
			t.Errorf("Position(22) = %+v", p)
		}
	}
	for off := range len(f.Content) + 1 {
		s := f.Span(off, off)
		if got, want := s.StartLine(), s.StartPos().Line; got != want {
			t.Errorf("StartLine at %d = %d, StartPos line %d", off, got, want)
		}
	}
}
