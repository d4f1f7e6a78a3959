package appini

import (
	"gopkg.in/ini.v1"

	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/internal/textmap"
)

// loadOptions are the gopkg.in/ini.v1 options closest to each program
// (docs/app-configs.md). ini.v1's defaults split on ':' as well as '=',
// join a line ending in '\' with the next and cut values at '#' or ';':
// Grafana and Gitea keep all of that (Grafana calls ini.Load; Gitea's
// configProviderLoadOptions sets IgnoreContinuation only), while Router
// and the ODBC driver keep values to the end of the line.
func loadOptions(k Kind) ini.LoadOptions {
	switch k {
	case ODBC:
		return ini.LoadOptions{KeyValueDelimiters: "=", IgnoreContinuation: true, IgnoreInlineComment: true,
			PreserveSurroundedQuote: true, InsensitiveKeys: true}
	case Router:
		return ini.LoadOptions{KeyValueDelimiters: ":=", IgnoreContinuation: true, IgnoreInlineComment: true,
			PreserveSurroundedQuote: true, InsensitiveKeys: true}
	case Gitea:
		return ini.LoadOptions{IgnoreContinuation: true}
	}
	return ini.LoadOptions{}
}

// crossCheck loads the file with ini.v1 and compares the value of every
// key the program reads with the raw-line pass's. A program that loads
// its file with ini.v1 reads ini.v1's value, so that one is kept.
func crossCheck(f *File) {
	d := dialects[f.Kind]
	if f.capped {
		return // ini.v1 would read the whole file
	}
	if f.joinCost > maxJoinCost {
		f.problem(f.longValue, false, "a value over %d lines: not compared with gopkg.in/ini.v1, whose cost grows with the square of it", f.longLines)
		return
	}
	file, err := ini.LoadSources(loadOptions(f.Kind), f.Src.Content)
	if err != nil {
		// ini.v1's message quotes the line, which may hold a password.
		if d.iniv1 && !f.hasFatal() {
			f.problem(f.Src.Span(0, 0), true, "%s cannot load the file (gopkg.in/ini.v1 rejects it)", d.program)
		}
		return
	}
	for _, i := range f.last {
		e := &f.Entries[i]
		name := ini.DefaultSection
		if e.Section >= 0 {
			name = f.Sections[e.Section].raw
		}
		var val string
		sec, err := file.GetSection(name)
		if err == nil {
			var k *ini.Key
			if k, err = sec.GetKey(e.Key); err == nil {
				val = k.Value()
			}
		}
		if err == nil && val == e.Value {
			continue
		}
		e.Drift = true
		if d.iniv1 && err == nil {
			e.Value, e.vm = val, textmap.Identity(e.ValueSpan.Start, min(len(val), e.ValueSpan.End-e.ValueSpan.Start))
		}
	}
}

func (f *File) hasFatal() bool {
	for _, p := range f.Problems {
		if p.Fatal {
			return true
		}
	}
	return false
}

// maxJoinCost bounds the work of ini.v1 on values that span lines: it
// appends each line to the value so far (parser.go readMultilines and
// readContinuationLines), so a value of n lines and b bytes costs about
// n*b. Real configs stay far below it.
const maxJoinCost = 64 << 20

// multiline records a value of n lines at sp for the ini.v1 cost bound.
func (f *File) multiline(sp source.Span, n int) {
	f.joinCost += n * (sp.End - sp.Start)
	if n > f.longLines {
		f.longValue, f.longLines = sp, n
	}
}
