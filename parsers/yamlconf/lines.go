package yamlconf

import "unicode/utf8"

// The library reports 1-based lines and columns. Its scanner
// (internal/libyaml/scanner.go, skip and skipLine) counts one column per
// character, a tab included, and ends a line at CR LF, CR, LF, NEL
// (U+0085), LS (U+2028) and PS (U+2029); a leading UTF-8 byte-order mark
// is not counted. source.File counts lines at LF only, so the reader keeps
// its own line table in the library's terms.

// breakLen returns the length of the line break at b[i], 0 if none.
func breakLen(b []byte, i int) int {
	if i >= len(b) {
		return 0
	}
	switch b[i] {
	case '\n':
		return 1
	case '\r':
		if i+1 < len(b) && b[i+1] == '\n' {
			return 2
		}
		return 1
	case 0xC2:
		if i+1 < len(b) && b[i+1] == 0x85 {
			return 2
		}
	case 0xE2:
		if i+2 < len(b) && b[i+1] == 0x80 && (b[i+2] == 0xA8 || b[i+2] == 0xA9) {
			return 3
		}
	}
	return 0
}

// breakText is what a line break reads as in a scalar (readLine): LF for
// CR, LF, CR LF and NEL; LS and PS stay themselves.
func breakText(b []byte, i, n int) string {
	if n == 3 {
		return string(b[i : i+3])
	}
	return "\n"
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// lineTable returns the byte offset where each line starts.
func lineTable(b []byte) []int {
	start := 0
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		start = 3
	}
	lines := []int{start}
	for i := start; i < len(b); {
		if n := breakLen(b, i); n > 0 {
			i += n
			lines = append(lines, i)
		} else {
			i++
		}
	}
	return lines
}

// cursor remembers the last converted position: nodes arrive in document
// order, so walking on from it keeps a long line linear rather than
// quadratic.
type cursor struct{ line, col, off int }

// offset converts a 1-based line and column (in characters) of the stream
// being read (see parser.base) to a byte offset, clamped to the line.
func (p *parser) offset(line, col int) int {
	line += p.base - 1
	if line < 1 {
		return 0
	}
	if line > len(p.lines) {
		return len(p.b)
	}
	c := cursor{line, 1, p.lines[line-1]}
	if p.cur.line == line && p.cur.col <= col {
		c = p.cur
	}
	for c.col < col && c.off < len(p.b) && breakLen(p.b, c.off) == 0 {
		_, w := utf8.DecodeRune(p.b[c.off:])
		c.off += w
		c.col++
	}
	p.cur = c
	return c.off
}
