// Package report writes findings as text for people, JSON for scripts,
// SARIF 2.1.0 for GitHub code scanning and editors, and GitHub Actions
// workflow commands for pull-request annotations.
//
// Reports turn byte-offset spans into lines and columns only here, at the
// very end: text and GitHub columns count code points, JSON gives both code
// point columns and byte offsets, SARIF counts UTF-16 code units.
package report

import (
	"path/filepath"
	"strings"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
)

// Report is everything one run produced.
type Report struct {
	Diagnostics   []lint.Diagnostic // sorted by the engine
	Omitted       int               // findings left out by Cap
	Rules         []*lint.Rule      // the rules that ran
	Files         []*source.File    // the files that were read
	Notifications []Notification    // problems that are not findings, such as unreadable files
	// Clients are the connections found in the files reported on
	// (connection strings, applications' database settings); JSON lists
	// them with their origins.
	Clients []*model.Connection
	// Links say which client connects to which server (JSON).
	Links    []model.Link
	Version  string // tlsvet's semantic version, such as "0.1.0"
	Category string // SARIF runs[0].automationDetails.id; optional
	// Root is the scanned root, the directory file paths are relative to.
	// Text and JSON show a file by the shortest relative path from Dir
	// (the working directory: my.cnf, not ../../a/b/my.cnf, when run in
	// a/b of the repository), GitHub output from GitHubDir (the runner
	// resolves file= against $GITHUB_WORKSPACE). Without Root, paths are
	// shown root-relative. SARIF URIs stay repository-relative (URIPrefix).
	Root, Dir, GitHubDir string
	// URIPrefix is put before file paths in SARIF URIs, so that they are
	// relative to the repository (%SRCROOT%, the checkout GitHub resolves
	// them against) when the scanned root is a subdirectory of it
	// ("services/db/"). Fingerprints are unaffected.
	URIPrefix string
}

// path is how text and JSON output name a file.
func (r *Report) path(p string) string { return RelPath(r.Dir, r.Root, p) }

// RelPath returns the root-relative slash path p as the shortest
// relative path from dir, in slash form. An empty or absolute p (a file
// outside the root), or an empty root or dir, is returned as it is.
func RelPath(dir, root, p string) string {
	if p == "" || strings.HasPrefix(p, "/") || root == "" || dir == "" {
		return p
	}
	rel, err := filepath.Rel(dir, filepath.Join(root, filepath.FromSlash(p)))
	if err != nil {
		return p
	}
	return filepath.ToSlash(rel)
}

// Notification is a problem of the run itself rather than of the
// configuration: a file that could not be read, a path that was skipped.
type Notification struct {
	Path    string `json:"path"` // slash-separated; empty when the problem has no file
	Message string `json:"message"`
	// Level is "warning" (something was not checked) or "note"
	// (information, such as files of other formats).
	Level string `json:"level"`
}

// level is n's level, "warning" when unset.
func (n Notification) level() string {
	if n.Level == "" {
		return "warning"
	}
	return n.Level
}

// ruleSet finds the rules that ran by ID. It knows no catalogue: the
// engine reports findings only of the rules it was given.
type ruleSet struct {
	list []*lint.Rule // unique by ID, in the order given
	byID map[string]int
}

func newRuleSet(rs []*lint.Rule) *ruleSet {
	s := &ruleSet{byID: map[string]int{}}
	for _, r := range rs {
		s.add(r)
	}
	return s
}

func (s *ruleSet) add(r *lint.Rule) int {
	if i, ok := s.byID[r.ID]; ok {
		return i
	}
	s.byID[r.ID] = len(s.list)
	s.list = append(s.list, r)
	return len(s.list) - 1
}

// lookup returns the rule with the given ID, or nil.
func (s *ruleSet) lookup(id string) *lint.Rule {
	if i, ok := s.byID[id]; ok {
		return s.list[i]
	}
	return nil
}

// index returns the position of the rule in list, adding a rule that did
// not run (a bookkeeping slip upstream) so that SARIF's ruleIndex stays valid.
func (s *ruleSet) index(id string) int {
	if i, ok := s.byID[id]; ok {
		return i
	}
	return s.add(&lint.Rule{ID: id})
}

// title is "TV101 tls-version-hole", or just the ID for an unknown rule.
func (s *ruleSet) title(id string) string {
	if r := s.lookup(id); r != nil && r.Name != "" {
		return id + " " + r.Name
	}
	return id
}

// severity resolves the zero severity to the rule's default, and that to
// warning.
func (s *ruleSet) severity(d lint.Diagnostic) lint.Severity {
	if d.Severity != lint.SeverityDefault {
		return d.Severity
	}
	if r := s.lookup(d.RuleID); r != nil && r.Severity != lint.SeverityDefault {
		return r.Severity
	}
	return lint.Warning
}

// displayRange returns where a span starts and ends for a reader; see
// displayEnd.
func displayRange(s source.Span) (start, end source.Position) {
	return s.File.Position(s.Start), s.File.Position(displayEnd(s))
}

// displayEnd returns the span's end offset as shown to a reader. A span
// that ends just after a line break (one covering whole lines) is shown as
// ending at the end of its last line rather than at column 1 of the next.
// Fixes use the exact offsets instead.
func displayEnd(s source.Span) int {
	c := s.File.Content
	end := min(s.End, len(c))
	if end > s.Start && c[end-1] == '\n' {
		end--
		if end > s.Start && c[end-1] == '\r' {
			end--
		}
	}
	return max(end, s.Start)
}

// secretMasker masks in messages the secret values marked in the files
// of the report and of its findings (see source.SecretMasker).
func (r *Report) secretMasker() func(string) string {
	files := append([]*source.File(nil), r.Files...)
	for _, d := range r.Diagnostics {
		files = append(files, d.Span.File)
		for _, rel := range d.Related {
			files = append(files, rel.Span.File)
		}
	}
	return source.SecretMasker(files)
}

// showsSecret reports whether printing the fix would show a secret (see
// source.Edit.ShowsSecret). JSON and SARIF leave such a fix out, since
// code scanning uploads SARIF; --fix may still apply it.
func showsSecret(f *lint.Fix) bool {
	for _, e := range f.Edits {
		if e.ShowsSecret() {
			return true
		}
	}
	return false
}
