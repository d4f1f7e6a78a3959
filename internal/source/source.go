// Package source holds the bytes of every file tlsvet reads and converts
// byte offsets into the line and column numbers that reports print.
//
// Parsers record byte-offset Spans; only reports turn them into positions,
// the way go/token keeps token.Pos until the very end.
package source

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// File is one file as read from disk: its slash-separated path relative to
// the scanned root and its content. The line table is built on the first
// call that needs it, so that a file nothing reports on costs no memory
// per line, and holds 4-byte offsets (files are far below 2 GiB: the
// loader caps their size).
type File struct {
	Path string
	// Content is never modified once the File is made: Text shares it.
	Content []byte
	once    sync.Once
	lines   []int32 // byte offset of the start of each line, built on first use

	// secrets are the byte ranges parsers marked as secret values, sorted
	// and disjoint. Parsers of several top files may share a File and
	// mark it concurrently.
	mu      sync.Mutex
	secrets [][2]int
}

// NewFile makes a File.
func NewFile(path string, content []byte) *File {
	return &File{Path: path, Content: content}
}

// Text returns Content as a string without copying it, so that parsers
// can keep keys and values as substrings of the one buffer the file was
// read into.
func (f *File) Text() string {
	return unsafe.String(unsafe.SliceData(f.Content), len(f.Content))
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

// String names the span by path and offsets, never by its text: a span
// printed by mistake (fmt's %v of a struct holding one) must not show a
// file's content, which may be a key or a password.
func (s Span) String() string {
	if s.File == nil {
		return "<no span>"
	}
	return fmt.Sprintf("%s[%d:%d]", s.File.Path, s.Start, s.End)
}

// Text returns the bytes the span covers.
func (s Span) Text() string {
	if s.File == nil {
		return ""
	}
	return s.File.Text()[s.Start:s.End]
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
	return f.Text()[start:end]
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

// Mask replaces each secret range in redacted text. Its length does not
// depend on the secret's, so neither does a hash of redacted text.
const Mask = "***"

// MarkSecret records that bytes [start, end) hold a secret. Parsers call
// it; every report hides these bytes.
func (f *File) MarkSecret(start, end int) {
	start, end = max(0, start), min(end, len(f.Content))
	if start >= end {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	i := sort.Search(len(f.secrets), func(i int) bool { return f.secrets[i][1] >= start })
	j := i
	for j < len(f.secrets) && f.secrets[j][0] <= end {
		start, end = min(start, f.secrets[j][0]), max(end, f.secrets[j][1])
		j++
	}
	if j == i { // no overlap: insert
		f.secrets = append(f.secrets, [2]int{})
		copy(f.secrets[i+1:], f.secrets[i:])
		j = i + 1
	}
	f.secrets[i] = [2]int{start, end}
	if j > i+1 { // merged several: drop the rest (a range marked again moves nothing)
		f.secrets = append(f.secrets[:i+1], f.secrets[j:]...)
	}
}

// MarkSecretLines marks the bytes [start, end) secret line by line, line
// breaks left out: redacted text keeps its lines, so line numbers and the
// line hashes of SARIF fingerprints stay those of the file (a key file, a
// multi-line YAML value).
func (f *File) MarkSecretLines(start, end int) {
	end = min(end, len(f.Content))
	for start < end {
		e := end
		if i := bytes.IndexAny(f.Content[start:end], "\r\n"); i >= 0 {
			e = start + i
		}
		f.MarkSecret(start, e)
		start = e + 1
	}
}

// SecretRanges returns the marked ranges that overlap [start, end), or
// that hold start when the range is empty (an insertion into a secret).
func (f *File) SecretRanges(start, end int) [][2]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	i := sort.Search(len(f.secrets), func(i int) bool { return f.secrets[i][1] > start })
	j := i
	for j < len(f.secrets) && (f.secrets[j][0] < end || f.secrets[j][0] <= start && start < f.secrets[j][1]) {
		j++
	}
	return f.secrets[i:j:j]
}

// HasSecret reports whether [start, end) touches a secret.
func (f *File) HasSecret(start, end int) bool { return len(f.SecretRanges(start, end)) > 0 }

// SecretLine reports whether 1-based line n holds a secret.
func (f *File) SecretLine(n int) bool {
	return f.HasSecret(f.LineStart(n), f.LineStart(n+1))
}

// Redact returns the bytes [start, end) with every secret in them
// replaced by Mask. Without secrets it is the text itself.
func (f *File) Redact(start, end int) string {
	start, end = max(0, start), min(end, len(f.Content))
	if start >= end {
		return ""
	}
	var b strings.Builder
	for _, r := range f.SecretRanges(start, end) {
		if r[0] > start {
			b.Write(f.Content[start:r[0]])
		}
		b.WriteString(Mask)
		start = r[1]
	}
	if start < end {
		b.Write(f.Content[start:end])
	}
	return b.String()
}

// Secrets returns the texts of the marked secrets, each also without
// surrounding quotes and up to a '#' (what a message quoting the value
// would show), for masking text that quotes them. Texts shorter than
// four bytes are left out: masking them would mangle ordinary words.
func (f *File) Secrets() []string {
	f.mu.Lock()
	rs := f.secrets
	f.mu.Unlock()
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if len(s) >= 4 && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, r := range rs {
		s := string(f.Content[r[0]:r[1]])
		add(s)
		if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
			add(s[1 : len(s)-1])
		}
		if i := strings.IndexByte(s, '#'); i > 0 {
			add(s[:i])
		}
	}
	// Longest first, so that a text is masked whole before a prefix of it.
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// ShowsSecret reports whether the edit's new text would show a secret:
// it replaces or inserts into marked bytes, or it repeats a marked value.
// Such an edit may be applied to the user's file but never printed.
func (e Edit) ShowsSecret() bool {
	f := e.Span.File
	if f == nil || e.New == "" {
		return false
	}
	if f.HasSecret(e.Span.Start, e.Span.End) {
		return true
	}
	for _, s := range f.Secrets() {
		if strings.Contains(e.New, s) {
			return true
		}
	}
	return false
}

// SecretMasker returns a function that replaces, in text such as a
// message, every secret of files (see Secrets) with Mask. It masks what
// a rule quoted by mistake; rules should not quote secrets at all.
func SecretMasker(files []*File) func(string) string {
	seen := map[*File]bool{}
	var all []string
	for _, f := range files {
		if f != nil && !seen[f] {
			seen[f] = true
			all = append(all, f.Secrets()...)
		}
	}
	if len(all) == 0 {
		return func(s string) string { return s }
	}
	// A Replacer tries the old strings in argument order at each position:
	// longest first masks a secret whole before a prefix of it.
	sort.SliceStable(all, func(i, j int) bool { return len(all[i]) > len(all[j]) })
	// A Replacer of one string builds a Boyer-Moore table in time up to
	// the square of its length: a secret of megabytes (a value a parser
	// could not read, hidden whole) would take seconds. Long secrets are
	// searched for one by one instead, and only in texts that can hold
	// them.
	long := 0
	for long < len(all) && len(all[long]) > maxReplacerSecret {
		long++
	}
	pairs := make([]string, 0, 2*(len(all)-long))
	for _, s := range all[long:] {
		pairs = append(pairs, s, Mask)
	}
	short := strings.NewReplacer(pairs...).Replace
	return func(text string) string {
		for _, s := range all[:long] {
			if len(s) <= len(text) {
				text = strings.ReplaceAll(text, s, Mask)
			}
		}
		return short(text)
	}
}

// maxReplacerSecret is the longest secret SecretMasker gives its Replacer.
const maxReplacerSecret = 1 << 10
