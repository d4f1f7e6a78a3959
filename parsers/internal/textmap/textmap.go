// Package textmap maps offsets in a decoded value (quotes removed,
// escapes and line continuations resolved) back to byte offsets in the
// file it came from, so that a part of the value, such as a DSN
// parameter inside a quoted .env value, gets an exact span.
//
// It is the one decoded-to-source map of the parsers: envfile,
// properties and yamlconf build one per value, and Compose chains the
// map of a part decoded again (a percent-encoded DSN parameter) onto the
// map of the value holding it.
//
// A range maps exactly when neither end cuts a piece that is not
// verbatim (an escape, a fold, a doubled quote): the source range then
// produces exactly the decoded range, so replacing it with the new text
// spelled in the container's syntax is a correct edit. Otherwise the
// span is widened to whole pieces and is only approximate: callers
// offer no fix.
package textmap

import (
	"fmt"
	"sort"
)

// piece is a run of decoded bytes [dec, dec+decN) made from the source
// bytes [src, src+srcN). A verbatim piece maps byte for byte; any other
// (an escape, a dropped continuation) is atomic: a part of it maps to the
// whole of its source.
//
// Fields are 32-bit, as in source.File's line table (the loader caps file
// sizes far below 2 GiB): a hostile value of escapes has one piece per
// two bytes.
type piece struct {
	dec, decN, src, srcN int32
	verbatim             bool
}

// Map is the mapping of one value. The zero Map maps every offset to 0.
type Map struct {
	base   int // source offset of decoded offset 0 when there are no pieces
	pieces []piece
	// outer, when set, maps this map's source offsets, which are then
	// offsets in a decoded value, on to the file (see Compose).
	outer *Map
}

// Compose returns the map of a value decoded from another decoded value:
// inner maps offsets in the inner value to offsets in the outer value,
// and outer maps those to the file.
func Compose(inner, outer Map) Map {
	if inner.outer != nil {
		outer = Compose(*inner.outer, outer)
	}
	inner.outer = &outer
	return inner
}

// Builder decodes a value piece by piece, in source order.
type Builder struct {
	buf []byte
	n   int // decoded bytes recorded, kept or not
	m   Map
}

// NewBuilder starts a value whose first source byte is at base.
func NewBuilder(base int) *Builder { return &Builder{m: Map{base: base}} }

// Copy appends the source bytes text, found at source offset src,
// unchanged.
func (b *Builder) Copy(src int, text []byte) {
	b.Verbatim(src, len(text))
	b.buf = append(b.buf, text...)
}

// Replace appends decoded, which stands for the source bytes
// [src, srcEnd): an escape sequence, or nothing for dropped bytes.
func (b *Builder) Replace(src, srcEnd int, decoded string) {
	b.Replaced(src, srcEnd, len(decoded))
	b.buf = append(b.buf, decoded...)
}

// Verbatim records, without keeping the bytes, that the next n decoded
// bytes are the source bytes at src: for a reader that has the decoded
// value already (yamlconf has the library's).
func (b *Builder) Verbatim(src, n int) {
	if n == 0 {
		return
	}
	if k := len(b.m.pieces); k > 0 {
		if p := &b.m.pieces[k-1]; p.verbatim && int(p.src+p.srcN) == src {
			p.decN += int32(n)
			p.srcN += int32(n)
			b.n += n
			return
		}
	}
	b.m.pieces = append(b.m.pieces, piece{dec: int32(b.n), decN: int32(n), src: int32(src), srcN: int32(n), verbatim: true})
	b.n += n
}

// Replaced records, without keeping the bytes, that the next decN
// decoded bytes stand for the source bytes [src, srcEnd).
func (b *Builder) Replaced(src, srcEnd, decN int) {
	b.m.pieces = append(b.m.pieces, piece{dec: int32(b.n), decN: int32(decN), src: int32(src), srcN: int32(srcEnd - src)})
	b.n += decN
}

// Len returns the number of decoded bytes so far.
func (b *Builder) Len() int { return b.n }

// Done returns the decoded value and its Map.
func (b *Builder) Done() (string, Map) { return string(b.buf), b.m }

// Identity returns the Map of a value that is its source bytes
// [src, src+n) unchanged.
func Identity(src, n int) Map {
	if n == 0 {
		return Map{base: src}
	}
	return Map{base: src, pieces: []piece{{decN: int32(n), src: int32(src), srcN: int32(n), verbatim: true}}}
}

// Start maps decoded offset d, as the start of a range, to a source
// offset: a range starting inside an escape starts at the escape, and
// one starting after dropped bytes starts after them.
func (m Map) Start(d int) int {
	s := m.start(d)
	if m.outer != nil {
		return m.outer.Start(s)
	}
	return s
}

func (m Map) start(d int) int {
	ps, d32 := m.pieces, int32(d)
	i := sort.Search(len(ps), func(i int) bool { return ps[i].dec+ps[i].decN > d32 })
	if i < len(ps) && ps[i].dec <= d32 {
		if ps[i].verbatim {
			return int(ps[i].src + d32 - ps[i].dec)
		}
		return int(ps[i].src)
	}
	return m.after(i, d)
}

// End maps decoded offset d, as the end of a range, to a source offset:
// a range ending inside an escape takes the whole escape, and one ending
// before dropped bytes ends before them.
func (m Map) End(d int) int {
	e := m.end(d)
	if m.outer != nil {
		return m.outer.End(e)
	}
	return e
}

func (m Map) end(d int) int {
	ps, d32 := m.pieces, int32(d)
	i := sort.Search(len(ps), func(i int) bool { return ps[i].dec+ps[i].decN >= d32 })
	if i < len(ps) && ps[i].dec < d32 {
		if ps[i].verbatim {
			return int(ps[i].src + d32 - ps[i].dec)
		}
		return int(ps[i].src + ps[i].srcN)
	}
	if i < len(ps) && ps[i].dec == d32 {
		return int(ps[i].src)
	}
	return m.after(i, d)
}

// after maps d linearly from the end of piece i-1, which ends at or
// before d.
func (m Map) after(i, d int) int {
	if i == 0 {
		return m.base + d
	}
	p := m.pieces[i-1]
	return int(p.src+p.srcN-p.dec-p.decN) + d
}

// Range maps the decoded range [start, end) to a source range.
func (m Map) Range(start, end int) (int, int) {
	if start >= end {
		s := m.Start(start)
		return s, s
	}
	return m.Start(start), m.End(end)
}

// Exact reports whether the decoded range [start, end) maps exactly:
// neither end falls strictly inside a piece that is not verbatim, here
// or, for a composed map, in the outer map.
func (m Map) Exact(start, end int) bool {
	if !m.cuts(start) || start < end && !m.cuts(end) {
		return false
	}
	if m.outer == nil {
		return true
	}
	if start >= end {
		s := m.start(start)
		return m.outer.Exact(s, s)
	}
	return m.outer.Exact(m.start(start), m.end(end))
}

// cuts reports whether a range boundary at decoded offset d is clean: it
// falls inside a verbatim piece or between pieces.
func (m Map) cuts(d int) bool {
	ps, d32 := m.pieces, int32(d)
	i := sort.Search(len(ps), func(i int) bool { return ps[i].dec+ps[i].decN > d32 })
	return i == len(ps) || ps[i].dec >= d32 || ps[i].verbatim
}

// Check reports how m fails to be the map of decoded from the file
// bytes src, within the file range [lo, hi): pieces out of order or
// outside the range, a verbatim piece whose bytes differ, or pieces that
// do not cover decoded. Tests and fuzz targets of every reader use it.
func (m Map) Check(decoded string, src []byte, lo, hi int) error {
	dec, at := 0, lo
	for _, p := range m.pieces {
		d, de, s, se := int(p.dec), int(p.dec+p.decN), int(p.src), int(p.src+p.srcN)
		if d != dec || s < at || se < s || se > hi {
			return fmt.Errorf("piece %+v out of order or range after decoded %d, source %d (range %d-%d)", p, dec, at, lo, hi)
		}
		if p.verbatim && string(src[s:se]) != decoded[d:de] {
			return fmt.Errorf("verbatim piece %+v reads %q, decoded %q", p, src[s:se], decoded[d:de])
		}
		dec, at = de, se
	}
	if len(m.pieces) > 0 && dec != len(decoded) || len(m.pieces) == 0 && decoded != "" && string(src[m.base:m.base+len(decoded)]) != decoded {
		return fmt.Errorf("pieces cover %d of %d decoded bytes", dec, len(decoded))
	}
	return nil
}
