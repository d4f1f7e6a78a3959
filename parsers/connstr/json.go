package connstr

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/tlsvet/tlsvet/internal/secret"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/internal/textmap"
)

// json reads a JSON file (RFC 8259) with its own scanner: encoding/json
// gives no offsets inside strings, and the YAML reader refuses large
// flow collections, which is all a JSON file is. Keys are JSON pointers
// (RFC 6901). After a syntax error reading stops: the structure after
// it cannot be known.
func (s *scanner) json() {
	j := &jsonReader{s: s, b: s.f.Content}
	i := 0
	if strings.HasPrefix(string(j.b[:min(3, len(j.b))]), "\xef\xbb\xbf") {
		i = 3
	}
	i = j.ws(i)
	if i < len(j.b) {
		i = j.value(i, "", 0)
		if i >= 0 {
			if i = j.ws(i); i < len(j.b) {
				j.fail(i, "text after the JSON value")
			}
		}
	}
}

// pointerEscape spells a key in a JSON pointer (RFC 6901 section 3).
var pointerEscape = strings.NewReplacer("~", "~0", "/", "~1")

type jsonReader struct {
	s *scanner
	b []byte
}

// maxJSONDepth bounds nesting: the reader recurses per level.
const maxJSONDepth = 1000

func (j *jsonReader) fail(i int, msg string) int {
	i = min(i, len(j.b))
	j.s.res.Problems = append(j.s.res.Problems, Problem{Span: j.s.f.Span(i, min(i+1, len(j.b))), Msg: "JSON: " + msg + "; the rest of the file is not read"})
	return -1
}

func (j *jsonReader) ws(i int) int {
	for i < len(j.b) && (j.b[i] == ' ' || j.b[i] == '\t' || j.b[i] == '\n' || j.b[i] == '\r') {
		i++
	}
	return i
}

// value reads the value at i (not blank), whose pointer is at, and
// returns the offset after it, -1 after a syntax error.
func (j *jsonReader) value(i int, at string, depth int) int {
	if i >= len(j.b) {
		return j.fail(i, "unexpected end of file")
	}
	if depth > maxJSONDepth {
		return j.fail(i, "nesting deeper than "+strconv.Itoa(maxJSONDepth))
	}
	switch c := j.b[i]; {
	case c == '{':
		i = j.ws(i + 1)
		if i < len(j.b) && j.b[i] == '}' {
			return i + 1
		}
		for {
			if i >= len(j.b) || j.b[i] != '"' {
				return j.fail(i, "expected a string key")
			}
			ks := i
			key, _, e := j.str(i)
			if e < 0 {
				return e
			}
			kspan := j.s.f.Span(ks, e)
			i = j.ws(e)
			if i >= len(j.b) || j.b[i] != ':' {
				return j.fail(i, "expected ':'")
			}
			i = j.ws(i + 1)
			p := at + "/" + pointerEscape.Replace(key)
			if i < len(j.b) && j.b[i] == '"' {
				i = j.stringValue(i, p, kspan)
			} else {
				i = j.value(i, p, depth+1)
			}
			if i < 0 {
				return i
			}
			i = j.ws(i)
			if i < len(j.b) && j.b[i] == '}' {
				return i + 1
			}
			if i >= len(j.b) || j.b[i] != ',' {
				return j.fail(i, "expected ',' or '}'")
			}
			i = j.ws(i + 1)
		}
	case c == '[':
		i = j.ws(i + 1)
		if i < len(j.b) && j.b[i] == ']' {
			return i + 1
		}
		for n := 0; ; n++ {
			p := at + "/" + strconv.Itoa(n)
			if i < len(j.b) && j.b[i] == '"' {
				i = j.stringValue(i, p, source.Span{})
			} else {
				i = j.value(i, p, depth+1)
			}
			if i < 0 {
				return i
			}
			i = j.ws(i)
			if i < len(j.b) && j.b[i] == ']' {
				return i + 1
			}
			if i >= len(j.b) || j.b[i] != ',' {
				return j.fail(i, "expected ',' or ']'")
			}
			i = j.ws(i + 1)
		}
	case c == '"':
		return j.stringValue(i, at, source.Span{})
	default: // a number, true, false or null
		e := i
		for e < len(j.b) && (j.b[e] == '-' || j.b[e] == '+' || j.b[e] == '.' || 'a' <= j.b[e]|0x20 && j.b[e]|0x20 <= 'z' || '0' <= j.b[e] && j.b[e] <= '9') {
			e++
		}
		switch w := string(j.b[i:e]); {
		case w == "true" || w == "false" || w == "null":
		case e > i && (w[0] == '-' || '0' <= w[0] && w[0] <= '9'):
			if _, err := strconv.ParseFloat(w, 64); err != nil && !strings.Contains(err.Error(), "range") {
				return j.fail(i, "malformed number")
			}
		default:
			return j.fail(i, "unexpected character")
		}
		return e
	}
}

// stringValue reads the string value at i and considers it.
func (j *jsonReader) stringValue(i int, at string, kspan source.Span) int {
	// Most values cannot be connection strings: skip them undecoded
	// (unless a secret key's, which is marked). Every dialect's string
	// holds one of these (see goString).
	for k := i + 1; k < len(j.b) && j.b[k] >= 0x20 && !secret.Name(lastKey(at)); k++ {
		if c := j.b[k]; c == ':' || c == '@' || c == '=' || c == '\\' {
			break
		} else if c == '"' {
			return k + 1
		}
	}
	text, m, e := j.str(i)
	if e < 0 {
		return e
	}
	j.s.consider(value{key: at, keySpan: kspan, text: text, span: j.s.f.Span(i, e), c: JSONString, m: m})
	return e
}

// str decodes the string at b[i] ('"') and returns it, its map, and the
// offset after its closing quote (-1 after a syntax error).
func (j *jsonReader) str(i int) (string, textmap.Map, int) {
	b := textmap.NewBuilder(i + 1)
	run := i + 1
	for k := i + 1; k < len(j.b); {
		c := j.b[k]
		switch {
		case c == '"':
			b.Copy(run, j.b[run:k])
			s, m := b.Done()
			return s, m, k + 1
		case c < 0x20:
			return "", textmap.Map{}, j.fail(k, "control character in a string")
		case c == '\\':
			b.Copy(run, j.b[run:k])
			n, dec, ok := jsonEscape(j.b, k)
			if !ok {
				return "", textmap.Map{}, j.fail(k, "invalid escape")
			}
			b.Replace(k, k+n, dec)
			k += n
			run = k
		default:
			k++
		}
	}
	return "", textmap.Map{}, j.fail(i, "unterminated string")
}

// jsonEscape decodes the escape at b[k] ('\\'), a surrogate pair
// included; an unpaired surrogate reads as U+FFFD, as encoding/json does.
func jsonEscape(b []byte, k int) (int, string, bool) {
	if k+1 >= len(b) {
		return 0, "", false
	}
	switch c := b[k+1]; c {
	case '"', '\\', '/':
		return 2, string(c), true
	case 'b':
		return 2, "\b", true
	case 'f':
		return 2, "\f", true
	case 'n':
		return 2, "\n", true
	case 'r':
		return 2, "\r", true
	case 't':
		return 2, "\t", true
	case 'u':
		r, ok := hex4(b, k+2)
		if !ok {
			return 0, "", false
		}
		if utf16.IsSurrogate(r) {
			if k+7 < len(b) && b[k+6] == '\\' && b[k+7] == 'u' {
				if r2, ok := hex4(b, k+8); ok {
					if p := utf16.DecodeRune(r, r2); p != utf8.RuneError {
						return 12, string(p), true
					}
				}
			}
			r = utf8.RuneError
		}
		return 6, string(r), true
	}
	return 0, "", false
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(b[i:i+4]), 16, 32)
	return rune(v), err == nil
}
