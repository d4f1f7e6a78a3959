package report

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// LineHashes computes, for every line of content, the value that
// github/codeql-action's upload-sarif stores as
// partialFingerprints.primaryLocationLineHash for a result whose primary
// location starts on that line; element i belongs to line i+1.
//
// It is a port of hash() in src/fingerprints.ts at commit
// f3f1edbedfb4a1d188d344570834df2996d45d39
// (https://github.com/github/codeql-action/blob/f3f1edbedfb4a1d188d344570834df2996d45d39/src/fingerprints.ts),
// checked against that JavaScript by the tests in fingerprint_test.go.
// The hash of a line is a polynomial rolling hash (base 37, wrapping at 64
// bits) over the 100 characters from the line's first one on, counting
// only characters that are not spaces or tabs, with "\r\n" and a lone "\r"
// read as "\n", a 0xFFFF end-of-file mark and 0s after it. The n-th line
// of a file with a given hash gets the suffix ":n".
//
// The action reads files as UTF-8 into JavaScript strings, so characters
// are UTF-16 code units, a byte order mark is a character, and every
// maximal ill-formed byte sequence is one U+FFFD (the WHATWG decoder
// that Node uses). Lines are numbered the action's way: a lone "\r" ends a
// line there, though not for tlsvet, and the end of the file always starts
// one more line, so "a\n" has two.
func LineHashes(content []byte) []string {
	const (
		blockSize = 100
		eof       = 0xFFFF
	)
	var (
		window    [blockSize]uint64
		lineAt    [blockSize]int // the line that starts at this window slot, or 0
		hash      uint64
		index     int
		line      int
		lineStart = true
		prevCR    bool
		counts    = map[uint64]int{}
		hashes    []string
	)
	firstMod := uint64(1) // 37^blockSize, the weight of the character leaving the window
	for range blockSize {
		firstMod *= 37
	}
	output := func() {
		counts[hash]++
		hashes = append(hashes, strconv.FormatUint(hash, 16)+":"+strconv.Itoa(counts[hash]))
		lineAt[index] = 0
	}
	update := func(c uint64) {
		hash = 37*hash + c - firstMod*window[index]
		window[index] = c
		index = (index + 1) % blockSize
	}
	process := func(c uint64) {
		if c == ' ' || c == '\t' || prevCR && c == '\n' {
			prevCR = false
			return
		}
		prevCR = c == '\r'
		if prevCR {
			c = '\n'
		}
		if lineAt[index] != 0 {
			output()
		}
		if lineStart {
			lineStart = false
			line++
			lineAt[index] = line
		}
		lineStart = c == '\n'
		update(c)
	}
	for p := content; len(p) > 0; {
		r, size := decodeRune(p)
		p = p[size:]
		if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
			process(uint64(r1))
			process(uint64(r2))
		} else {
			process(uint64(r))
		}
	}
	process(eof)
	for range blockSize {
		if lineAt[index] != 0 {
			output()
		}
		update(0)
	}
	return hashes
}

// decodeRune is utf8.DecodeRune except that an ill-formed sequence is one
// U+FFFD as long as it is a prefix of a well-formed one (the "maximal
// subpart" of Unicode §3.9 that the WHATWG Encoding Standard and V8 use),
// where utf8.DecodeRune takes one byte at a time: "\xE2\x82A" is
// "\uFFFDA", not "\uFFFD\uFFFDA".
func decodeRune(p []byte) (rune, int) {
	r, n := utf8.DecodeRune(p)
	if r != utf8.RuneError || n != 1 {
		return r, n
	}
	need, lo, hi := 0, byte(0x80), byte(0xBF) // continuation bytes and the range of the first
	switch b := p[0]; {
	case 0xC2 <= b && b <= 0xDF:
		need = 1
	case b == 0xE0:
		need, lo = 2, 0xA0
	case b == 0xED:
		need, hi = 2, 0x9F
	case 0xE1 <= b && b <= 0xEF:
		need = 2
	case b == 0xF0:
		need, lo = 3, 0x90
	case 0xF1 <= b && b <= 0xF3:
		need = 3
	case b == 0xF4:
		need, hi = 3, 0x8F
	}
	n = 1
	for n <= need && n < len(p) && lo <= p[n] && p[n] <= hi {
		n++
		lo, hi = 0x80, 0xBF
	}
	return utf8.RuneError, n
}
