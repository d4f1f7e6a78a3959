package cli

import (
	"path"
	"strings"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/parsers"
)

// focus is the part of the scanned root the user named. pre-commit passes
// only the changed files, yet an included conf.d/tls.cnf means nothing
// without the my.cnf that includes it, and a client's mismatch is caused
// by the server it talks to. So the whole root is always read, and the
// focus only decides which findings are reported: those in a named file
// or directory or a file it includes (widen), or caused by one (a related
// place lies in it).
type focus struct {
	all   bool            // "." was named: report everything
	paths map[string]bool // root-relative slash paths of named files and directories
}

func newFocus(rel []string) focus {
	f := focus{paths: map[string]bool{}}
	for _, p := range rel {
		p = path.Clean(p)
		if p == "." {
			f.all = true
		}
		f.paths[p] = true
	}
	return f
}

// has reports whether a root-relative path is a named file or lies under a
// named directory.
func (f focus) has(name string) bool {
	if f.all {
		return true
	}
	for p := name; ; {
		if f.paths[p] {
			return true
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			return false
		}
		p = p[:i]
	}
}

// diagnostics keeps the findings in or caused by the focus. A finding
// without a place belongs to the whole run and is kept.
func (f focus) diagnostics(ds []lint.Diagnostic) []lint.Diagnostic {
	if f.all {
		return ds
	}
	var out []lint.Diagnostic
	for _, d := range ds {
		if f.touches(d) {
			out = append(out, d)
		}
	}
	return out
}

func (f focus) touches(d lint.Diagnostic) bool {
	if !d.Span.IsValid() || f.has(d.Span.File.Path) {
		return true
	}
	for _, r := range d.Related {
		if r.Span.IsValid() && f.has(r.Span.File.Path) {
			return true
		}
	}
	return false
}

// Report scopes (--report): what naming a file brings into the report.
const (
	// reportNamed: the named files and every file read because of them
	// (their includes, transitively). Naming my.cnf that !includedirs
	// conf.d/ must not hide a broken conf.d/x.cnf.
	reportNamed = "named"
	// reportChanged: the named files alone, for pre-commit, which names
	// every changed file itself, so an unchanged include is not reported
	// again on each commit. Included files that are not option files by
	// name (!include ssl.conf) are still added: pre-commit never passes
	// those.
	reportChanged = "changed"
)

// widen adds to the focus the files its files include, transitively:
// all of them (reportNamed) or those pre-commit never passes
// (reportChanged). Each include directive lists the files it read.
func (f focus) widen(p *model.Project, scope string) {
	if f.all {
		return
	}
	for grew := true; grew; {
		grew = false
		for _, of := range p.OptionFiles {
			for _, in := range of.Includes {
				if !in.Span.IsValid() || !f.has(in.Span.File.Path) {
					continue
				}
				for _, name := range in.Files {
					if f.has(name) || (scope == reportChanged && parsers.Detect(name) == parsers.OptionFile) {
						continue
					}
					f.paths[name] = true
					grew = true
				}
			}
		}
	}
}

// problems keeps the run problems of files in the focus.
func (f focus) problems(ps []model.Problem) []model.Problem {
	if f.all {
		return ps
	}
	var out []model.Problem
	for _, p := range ps {
		if p.Span.File == nil || f.has(p.Span.File.Path) {
			out = append(out, p)
		}
	}
	return out
}
