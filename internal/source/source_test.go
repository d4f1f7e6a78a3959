package source

import (
	"strings"
	"testing"
)

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

func TestSecrets(t *testing.T) {
	f := NewFile("my.cnf", []byte("[client]\npassword=\"hunter2\"\nssl-ca=ca.pem\nx=hunter2#y\n"))
	pw := strings.Index(string(f.Content), `"hunter2"`)
	f.MarkSecret(pw, pw+len(`"hunter2"`))
	f.MarkSecret(pw+1, pw+3) // inside: no new range
	x := strings.Index(string(f.Content), "hunter2#y")
	f.MarkSecret(x, x+len("hunter2#y"))

	if got := f.Redact(0, len(f.Content)); got != "[client]\npassword=***\nssl-ca=ca.pem\nx=***\n" {
		t.Errorf("Redact = %q", got)
	}
	if got := f.Redact(pw+2, pw+4); got != Mask {
		t.Errorf("Redact inside a secret = %q, want the mask", got)
	}
	for n, want := range map[int]bool{1: false, 2: true, 3: false, 4: true} {
		if f.SecretLine(n) != want {
			t.Errorf("SecretLine(%d) = %v", n, !want)
		}
	}
	if got := strings.Join(f.Secrets(), ","); got != `"hunter2",hunter2#y,hunter2` {
		t.Errorf("Secrets = %q", got)
	}
	for _, c := range []struct {
		e    Edit
		want bool
	}{
		{Edit{Span: f.Span(pw, pw+9), New: `"x"`}, true},     // replaces the secret
		{Edit{Span: f.Span(pw+3, pw+3), New: "a"}, true},     // inserts into it
		{Edit{Span: f.Span(0, 8), New: "[x] hunter2"}, true}, // repeats it elsewhere
		{Edit{Span: f.Span(pw, pw+9), New: ""}, false},       // deletion shows nothing
		{Edit{Span: f.Span(0, 8), New: "[mysql]"}, false},    // no secret
		{Edit{Span: f.Span(pw-1, pw-1), New: "x"}, false},    // insertion before
	} {
		if got := c.e.ShowsSecret(); got != c.want {
			t.Errorf("%+v: ShowsSecret = %v, want %v", c.e, got, c.want)
		}
	}
}

func TestMarkSecretMerges(t *testing.T) {
	f := NewFile("x", []byte("0123456789abcdef"))
	f.MarkSecret(10, 12)
	f.MarkSecret(2, 4)
	f.MarkSecret(6, 7)
	if got := f.Redact(0, 16); got != "01***45***789***cdef" {
		t.Errorf("three ranges: %q", got)
	}
	f.MarkSecret(4, 10) // touches all three
	if got := f.Redact(0, 16); got != "01***cdef" {
		t.Errorf("merged: %q", got)
	}
	if got := f.SecretRanges(0, 16); len(got) != 1 || got[0] != [2]int{2, 12} {
		t.Errorf("ranges %v, want [[2 12]]", got)
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

// TestMarkSecretLines: a secret over several lines hides every byte of
// them but the line breaks, so redacted text keeps the file's lines.
func TestMarkSecretLines(t *testing.T) {
	text := "key: |\n  -----BEGIN PRIVATE KEY-----\r\n  c2VjcmV0\n  -----END PRIVATE KEY-----\nnext: 1\n"
	f := NewFile("s.yaml", []byte(text))
	start := strings.Index(text, "|")
	end := strings.Index(text, "next:")
	f.MarkSecretLines(start, end)
	red := f.Redact(0, len(text))
	if got, want := strings.Count(red, "\n"), strings.Count(text, "\n"); got != want {
		t.Errorf("redacted text has %d lines, want %d: %q", got, want, red)
	}
	for _, s := range []string{"BEGIN", "c2VjcmV0", "END"} {
		if strings.Contains(red, s) {
			t.Errorf("redacted text shows %q: %q", s, red)
		}
	}
	if !strings.Contains(red, "next: 1") || !strings.HasPrefix(red, "key: ") {
		t.Errorf("redacted text hides what is not secret: %q", red)
	}
}
