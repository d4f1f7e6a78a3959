// Package appini reads the INI files of applications that connect to
// MySQL and are not MySQL option files: ODBC data sources (odbc.ini),
// MySQL Router (mysqlrouter.conf), Grafana (grafana.ini) and Gitea or
// Forgejo (app.ini). docs/app-configs.md lists each program's TLS keys and
// INI dialect, with sources.
//
// Two passes read a file. gopkg.in/ini.v1, loaded with the options closest
// to the program, gives the values; Grafana and Gitea load their files
// with ini.v1 themselves, so for them its values are the program's. ini.v1
// keeps no positions, so a raw-line pass modelled on the same rules finds
// the line, column and byte span of every key and value, and reports what
// the program would refuse. Where the two passes read a value differently
// the entry is marked Drift.
//
// Password values are never kept as text: their entries hold a span, and
// the bytes are marked secret on the source.File.
package appini

import (
	"fmt"
	"path"
	"strings"

	"github.com/tlsvet/tlsvet/internal/secret"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/internal/textmap"
)

// Kind is the program whose file it is.
type Kind int

// The kinds.
const (
	Unknown Kind = iota
	ODBC         // unixODBC odbc.ini / odbcinst.ini read by MySQL Connector/ODBC
	Router       // MySQL Router mysqlrouter.conf
	Grafana      // grafana.ini, [database]
	Gitea        // Gitea and Forgejo app.ini, [database]
)

var kindNames = [...]string{"unknown", "odbc", "mysqlrouter", "grafana", "gitea"}

func (k Kind) String() string { return kindNames[k] }

// KindOf returns the kind of a file judged from its base name, or Unknown.
func KindOf(name string) Kind {
	switch strings.ToLower(path.Base(name)) {
	case "odbc.ini", ".odbc.ini", "odbcinst.ini":
		return ODBC
	case "mysqlrouter.conf":
		return Router
	case "grafana.ini":
		return Grafana
	case "app.ini":
		return Gitea
	}
	return Unknown
}

// Section is a section header. Entries before the first header belong to
// no Section (ini.v1 files them under DEFAULT; Router refuses them).
type Section struct {
	Name   string      // as the program stores it (Router: lower case)
	Key    string      // Router's [name:key] key; empty otherwise
	Header source.Span // the header line's text, brackets included
	canon  int         // index of the first section of this name and key
	raw    string      // the name between the brackets as written: ini.v1's name
}

// Entry is one key and its value.
type Entry struct {
	Section   int // index into File.Sections, -1 before the first header
	Key       string
	KeySpan   source.Span
	Value     string      // as the program reads it; empty when Secret
	ValueSpan source.Span // the value's bytes, quotes excluded; at the end of the line when empty
	Secret    bool        // a password: only the span is kept
	// Drift: ini.v1 and the raw-line pass read different values. For
	// Grafana and Gitea Value is ini.v1's and spans inside it are
	// approximate; for ODBC and Router Value is the raw-line pass's.
	Drift bool
	vm    textmap.Map
}

// Span returns the span in the file of the bytes Value[start:end]: exact
// through continuation lines (unless Drift).
func (e *Entry) Span(start, end int) source.Span {
	s, t := e.vm.Range(start, end)
	return e.ValueSpan.File.Span(max(s, e.ValueSpan.Start), min(max(t, s), e.ValueSpan.End))
}

// Problem is text the program reads differently from how it looks, or
// refuses. Fatal problems stop the program (or its connection).
type Problem struct {
	Span  source.Span
	Msg   string // never quotes the file's text beyond TLS option names and values
	Fatal bool
}

func (p Problem) Error() string {
	pos := p.Span.StartPos()
	return fmt.Sprintf("%s:%d:%d: %s", p.Span.File.Path, pos.Line, pos.Col, p.Msg)
}

// File is one parsed file.
type File struct {
	Kind     Kind
	Src      *source.File
	Sections []Section
	Entries  []Entry
	Problems []Problem

	// The reading of the file as its program sees it, by Kind.
	DataSources []DataSource // ODBC
	Routes      []Route      // Router
	Database    *Database    // Grafana, Gitea; nil without a [database] section

	// last maps a section index and folded key to the index of the
	// key's last entry, the one the program reads.
	last map[sectionKey]int
	// joinCost, longValue and longLines measure the values that span
	// lines (see maxJoinCost).
	joinCost  int
	longValue source.Span
	longLines int
	capped    bool // MaxItems was reached: the rest of the file is not read
}

type sectionKey struct {
	section int
	key     string
}

// Parse reads f as a file of kind k and marks the values of
// password-named keys secret on f.
func Parse(f *source.File, k Kind) *File {
	d := dialects[k]
	pf := &File{Kind: k, Src: f, last: map[sectionKey]int{}}
	s := scanner{d: d, f: pf, b: f.Content, section: -1}
	s.scan()
	for i := range pf.Entries {
		e := &pf.Entries[i]
		pf.last[sectionKey{pf.canonSection(e.Section), d.fold(e.Key)}] = i
	}
	crossCheck(pf)
	for i := range pf.Entries {
		if e := &pf.Entries[i]; secret.Name(e.Key) {
			e.Secret, e.Value = true, ""
			f.MarkSecret(e.ValueSpan.Start, e.ValueSpan.End)
		}
	}
	switch k {
	case ODBC:
		pf.DataSources = pf.dataSources()
	case Router:
		pf.Routes = pf.routes()
	case Grafana, Gitea:
		pf.Database = pf.database()
	}
	return pf
}

// canonSection maps a section index to the first section with the same
// name (and Router key): programs merge repeated sections.
func (f *File) canonSection(i int) int {
	if i < 0 {
		return -1
	}
	return f.Sections[i].canon
}

// get returns the entry the program reads for key in section i (an
// index into Sections, -1 for the keys before any header), or nil.
func (f *File) get(i int, key string) *Entry {
	if j, ok := f.last[sectionKey{f.canonSection(i), dialects[f.Kind].fold(key)}]; ok {
		return &f.Entries[j]
	}
	return nil
}

// sectionsNamed returns the indexes of the first section of each distinct
// name+key whose name the program matches to name.
func (f *File) sectionsNamed(name string) []int {
	var out []int
	for i, s := range f.Sections {
		if f.canonSection(i) == i && dialects[f.Kind].foldSection(s.Name) == dialects[f.Kind].foldSection(name) {
			out = append(out, i)
		}
	}
	return out
}

func (f *File) problem(sp source.Span, fatal bool, format string, args ...any) {
	f.Problems = append(f.Problems, Problem{Span: sp, Msg: fmt.Sprintf(format, args...), Fatal: fatal})
}

// present reports whether e is set to a non-empty value (secret values
// count as set).
func present(e *Entry) bool {
	return e != nil && (e.Value != "" || e.Secret && e.ValueSpan.End > e.ValueSpan.Start)
}
