// Package source holds the bytes of every file tlsvet reads and converts
// byte offsets into the line and column numbers that reports print.
//
// Parsers record byte-offset Spans; only reports turn them into positions,
// the way go/token keeps token.Pos until the very end.
package source

import (
	"bytes"
	"sort"
	"sync"
	"unicode/utf8"
)

// File is one file as read from disk: its slash-separated path relative to
// the scanned root and its content. The line table is built on the first
// call that needs it, so that a file nothing reports on costs no memory
// per line, and holds 4-byte offsets (files are far below 2 GiB: the
// loader caps their size).
type File struct {
	Path    string
	Content []byte
	once    sync.Once
	lines   []int32 // byte offset of the start of each line
}

// NewFile makes a File.
func NewFile(path string, content []byte) *File {
	return &File{Path: path, Content: content}
}

// table returns the line table, building it once; rules ask for positions
// from several goroutines.
func (f *File) table() []int32 {
	f.once.Do(func() {
		n := 1 + bytes.Count(f.Content, []byte{'\n'})
		f.lines = make([]int32, 1, n)
		for i, b := range f.Content {
			if b == '\n' {
				f.lines = append(f.lines, int32(i+1))
			}
		}
	})
	return f.lines
}

// Span is a half-open byte range [Start, End) in File.
type Span struct {
	File       *File
	Start, End int
}

// Span returns the span [start, end) of f.
func (f *File) Span(start, end int) Span { return Span{File: f, Start: start, End: end} }

// IsValid reports whether s points into a file.
func (s Span) IsValid() bool { return s.File != nil }

// Text returns the bytes the span covers.
func (s Span) Text() string {
	if s.File == nil {
		return ""
	}
	return string(s.File.Content[s.Start:s.End])
}

// Sub returns the sub-span [start, end) relative to s.Start.
func (s Span) Sub(start, end int) Span {
	return Span{File: s.File, Start: s.Start + start, End: s.Start + end}
}

// Position is a 1-based line and column. Col counts Unicode code points,
// which is what people and most editors count; UTF16Col counts UTF-16 code
// units, which SARIF uses by default (columnKind "utf16CodeUnits").
type Position struct {
	Line, Col, UTF16Col int
}

// LineCount returns the number of lines; a final newline does not start a
// new line.
func (f *File) LineCount() int {
	lines := f.table()
	n := len(lines)
	if n > 1 && int(lines[n-1]) == len(f.Content) {
		n--
	}
	return n
}

// lineOf returns the 0-based line index holding offset off.
func (f *File) lineOf(off int) int {
	lines := f.table()
	return sort.Search(len(lines), func(i int) bool { return int(lines[i]) > off }) - 1
}

// Position converts a byte offset into a Position. Offsets past the end of
// the file are clamped to the end.
func (f *File) Position(off int) Position {
	if off > len(f.Content) {
		off = len(f.Content)
	}
	if off < 0 {
		off = 0
	}
	li := f.lineOf(off)
	start := int(f.lines[li])
	col, u16 := 1, 1
	// Decoded in place: converting the line's prefix to a string copied it
	// on every call, quadratic over the tokens of a long line.
	for b := f.Content[start:off]; len(b) > 0; {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		col++
		if r >= 0x10000 {
			u16 += 2
		} else {
			u16++
		}
	}
	return Position{Line: li + 1, Col: col, UTF16Col: u16}
}

// LineStart returns the byte offset where 1-based line n starts.
func (f *File) LineStart(n int) int {
	lines := f.table()
	if n < 1 {
		return 0
	}
	if n > len(lines) {
		return len(f.Content)
	}
	return int(lines[n-1])
}

// Line returns the text of 1-based line n without its line terminator
// (LF or CRLF).
func (f *File) Line(n int) string {
	lines := f.table()
	if n < 1 || n > len(lines) {
		return ""
	}
	start := int(lines[n-1])
	end := len(f.Content)
	if n < len(lines) {
		end = int(lines[n]) - 1
	}
	if end > start && f.Content[end-1] == '\r' {
		end--
	}
	return string(f.Content[start:end])
}

// OffsetOf converts a 1-based line and a 1-based column counted in code
// points (as YAML libraries report them) back to a byte offset.
func (f *File) OffsetOf(line, col int) int {
	off := f.LineStart(line)
	for i := 1; i < col && off < len(f.Content); i++ {
		if f.Content[off] == '\n' {
			break
		}
		_, size := utf8.DecodeRune(f.Content[off:])
		off += size
	}
	return off
}

// StartPos returns the position of the span's first byte.
func (s Span) StartPos() Position { return s.File.Position(s.Start) }

// StartLine returns the 1-based line of the span's first byte, without
// counting columns.
func (s Span) StartLine() int { return s.File.lineOf(min(max(s.Start, 0), len(s.File.Content))) + 1 }

// EndPos returns the position just after the span's last byte.
func (s Span) EndPos() Position { return s.File.Position(s.End) }

// Edit replaces the bytes of Span with New. An insertion is an empty span.
type Edit struct {
	Span Span
	New  string
}
