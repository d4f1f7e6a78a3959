// Package properties reads Java .properties files, Spring's
// application*.properties above all (spring.datasource.url), with exact
// byte spans for every key and value.
//
// It follows java.util.Properties.load (Properties.java, LineReader and
// loadConvert; https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/util/Properties.html#load(java.io.Reader)):
//
//   - A natural line ends at LF, CR or CRLF. One ending in an odd number
//     of backslashes continues on the next line, whose leading blanks
//     (space, tab, form feed) are dropped, along with the backslash.
//   - Leading blanks and blank lines are skipped; a line whose first
//     other character is '#' or '!' is a comment (and never continues).
//   - The key ends at the first unescaped '=', ':' or blank; blanks
//     around the separator, and one '=' or ':' after blanks, are dropped.
//     Trailing blanks of the value are kept.
//   - \t \n \r \f and \uXXXX are escapes; a backslash before any other
//     character stands for that character ("\=" "\:" "\ " "\#" "\\").
//
// Java reads an InputStream as ISO-8859-1 and a Reader as its charset;
// Spring Boot's OriginTrackedPropertiesLoader reads UTF-8. Bytes are kept
// as they are (UTF-8 passes through) and \uXXXX is written as UTF-8.
// Spring's "#---" document separators are comments here. A malformed
// \uXXXX makes Java reject the whole file; it is a Problem here and
// reading goes on.
package properties

import (
	"fmt"
	"sort"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/tlsvet/tlsvet/internal/secret"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/internal/textmap"
)

// Result is what one file holds.
type Result struct {
	Entries  []Entry
	Comments []source.Span // whole comment lines, marker included
	Problems []Problem
}

// Entry is one key and its value.
type Entry struct {
	Key       string      // decoded
	KeySpan   source.Span // as written
	Value     string      // decoded
	ValueSpan source.Span // as written, continuations included; empty at the end of the line when the value is empty
	km, vm    textmap.Map
}

// Span returns the span in the file of the decoded bytes Value[start:end]:
// exact through escapes and continuations (a range that cuts an escape
// takes all of it).
func (e *Entry) Span(start, end int) source.Span {
	s, t := e.vm.Range(start, end)
	return e.ValueSpan.File.Span(s, t)
}

// ValueMap returns Value's decoded-to-file map, for composing with the
// map of a part decoded again (a DSN parameter).
func (e *Entry) ValueMap() textmap.Map { return e.vm }

// KeyPart returns the span in the file of the decoded bytes Key[start:end].
func (e *Entry) KeyPart(start, end int) source.Span {
	s, t := e.km.Range(start, end)
	return e.KeySpan.File.Span(s, t)
}

// Problem is text Java would reject. Reading goes on after it.
type Problem struct {
	Span source.Span
	Msg  string
}

func (p Problem) Error() string {
	pos := p.Span.StartPos()
	return fmt.Sprintf("%s:%d:%d: %s", p.Span.File.Path, pos.Line, pos.Col, p.Msg)
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\f' }

// run is a piece of a logical line: buffer bytes from buf onwards come
// from the file from src onwards.
type run struct{ buf, src int }

type parser struct {
	f    *source.File
	b    []byte
	res  *Result
	line []byte // the logical line, continuations removed
	runs []run
}

// MaxEntries bounds the entries read from one file: real files hold
// hundreds (message bundles thousands), and each costs about 1 KB to
// read and judge, so that a 4 MiB file of "a" lines (2 M entries) would
// cost gigabytes.
const MaxEntries = 50000

// Parse reads f and marks the values of secret-named keys
// (spring.datasource.password) as secret on f.
func Parse(f *source.File) *Result {
	p := &parser{f: f, b: f.Content, res: &Result{}}
	for pos := 0; pos < len(p.b); {
		pos = p.logicalLine(pos)
	}
	for i := range p.res.Entries {
		if e := &p.res.Entries[i]; secret.Name(e.Key) {
			f.MarkSecret(e.ValueSpan.Start, e.ValueSpan.End)
		}
	}
	return p.res
}

// logicalLine reads the logical line at pos and returns where the next
// one starts.
func (p *parser) logicalLine(pos int) int {
	b := p.b
	for pos < len(b) && (isBlank(b[pos]) || b[pos] == '\r' || b[pos] == '\n') {
		pos++
	}
	if pos == len(b) {
		return pos
	}
	if len(p.res.Entries) == MaxEntries {
		p.problem(pos, pos, fmt.Sprintf("more than %d entries: the rest of the file is not read", MaxEntries))
		return len(b)
	}
	if b[pos] == '#' || b[pos] == '!' {
		end := pos
		for end < len(b) && b[end] != '\n' && b[end] != '\r' {
			end++
		}
		p.res.Comments = append(p.res.Comments, p.f.Span(pos, end))
		return end
	}
	p.line, p.runs = p.line[:0], append(p.runs[:0], run{0, pos})
	i, start, backslash := pos, pos, false
	for {
		if i == len(b) {
			end := i
			if backslash { // Java drops a backslash at the end of the file
				end--
			}
			p.line = append(p.line, b[start:end]...)
			break
		}
		c := b[i]
		if c != '\n' && c != '\r' {
			backslash = c == '\\' && !backslash
			i++
			continue
		}
		if !backslash {
			p.line = append(p.line, b[start:i]...)
			break
		}
		p.line = append(p.line, b[start:i-1]...)
		i++
		if c == '\r' && i < len(b) && b[i] == '\n' {
			i++
		}
		for i < len(b) && isBlank(b[i]) {
			i++
		}
		if len(p.line) == 0 { // only a backslash so far: a new logical line begins
			return i
		}
		start, backslash = i, false
		if last := &p.runs[len(p.runs)-1]; last.buf == len(p.line) {
			// The previous piece added nothing (a line of only blanks and
			// a backslash): replace it, so that endless such lines cost no
			// memory. at finds the last of equal runs anyway.
			last.src = i
			continue
		}
		p.runs = append(p.runs, run{len(p.line), i})
	}
	p.entry()
	return i
}

// at returns the index of the run holding logical-line index j.
func (p *parser) at(j int) int {
	return sort.Search(len(p.runs), func(i int) bool { return p.runs[i].buf > j }) - 1
}

// src maps index j of the logical line to its file offset.
func (p *parser) src(j int) int {
	r := p.runs[p.at(j)]
	return r.src + j - r.buf
}

// entry splits the logical line into key and value as Properties.load0.
func (p *parser) entry() {
	line := p.line
	keyLen, valueStart, hasSep, backslash := 0, len(line), false, false
	for ; keyLen < len(line); keyLen++ {
		c := line[keyLen]
		if (c == '=' || c == ':') && !backslash {
			valueStart, hasSep = keyLen+1, true
			break
		}
		if isBlank(c) && !backslash {
			valueStart = keyLen + 1
			break
		}
		backslash = c == '\\' && !backslash
	}
	for ; valueStart < len(line); valueStart++ {
		c := line[valueStart]
		if !isBlank(c) {
			if hasSep || c != '=' && c != ':' {
				break
			}
			hasSep = true
		}
	}
	e := Entry{}
	var ks, ke, vs, ve int
	e.Key, e.km, ks, ke = p.convert(0, keyLen)
	e.Value, e.vm, vs, ve = p.convert(valueStart, len(line))
	e.KeySpan, e.ValueSpan = p.f.Span(ks, ke), p.f.Span(vs, ve)
	p.res.Entries = append(p.res.Entries, e)
}

// convert decodes the logical line's bytes [from, to) as loadConvert,
// returning the text, its map and the file range it covers.
func (p *parser) convert(from, to int) (string, textmap.Map, int, int) {
	if from == to {
		off := p.endOf(to)
		return "", textmap.Identity(off, 0), off, off
	}
	start, end := p.src(from), p.endOf(to)
	bld := textmap.NewBuilder(start)
	line := p.line
	for j := from; j < to; {
		if line[j] != '\\' || j+1 == to {
			limit := to // copy up to the next backslash or continuation line
			if ri := p.at(j); ri+1 < len(p.runs) {
				limit = min(limit, p.runs[ri+1].buf)
			}
			k := j + 1
			for k < limit && line[k] != '\\' {
				k++
			}
			bld.Copy(p.src(j), line[j:k])
			j = k
			continue
		}
		// A backslash stands for the whole character after it (UTF-8).
		_, size := utf8.DecodeRune(line[j+1 : to])
		c, n := line[j+1], 1+size
		dec := string(line[j+1 : j+n])
		switch c {
		case 't':
			dec = "\t"
		case 'n':
			dec = "\n"
		case 'r':
			dec = "\r"
		case 'f':
			dec = "\f"
		case 'u':
			r, ok := hex4(line[j+2 : min(j+6, to)])
			if !ok {
				p.problem(p.src(j), p.endOf(min(j+6, to)), "malformed \\uxxxx encoding")
				dec = "u"
				break
			}
			n = 6
			if utf16.IsSurrogate(r) && j+12 <= to && line[j+6] == '\\' && line[j+7] == 'u' {
				if r2, ok := hex4(line[j+8 : j+12]); ok {
					if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
						r, n = pair, 12
					}
				}
			}
			dec = string(r)
		}
		bld.Replace(p.src(j), p.endOf(j+n), dec)
		j += n
	}
	s, m := bld.Done()
	return s, m, start, end
}

// endOf maps the end of logical-line index range [.., j) to a file offset.
func (p *parser) endOf(j int) int {
	if j == 0 {
		return p.src(0)
	}
	return p.src(j-1) + 1
}

func (p *parser) problem(s, e int, msg string) {
	p.res.Problems = append(p.res.Problems, Problem{Span: p.f.Span(s, e), Msg: msg})
}

// hex4 decodes four hex digits.
func hex4(h []byte) (rune, bool) {
	if len(h) != 4 {
		return 0, false
	}
	var r rune
	for _, c := range h {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c|0x20 && c|0x20 <= 'f':
			r = r<<4 | rune(c|0x20-'a'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
