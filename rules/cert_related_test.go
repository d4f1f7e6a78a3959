package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/linttest"
	"github.com/tlsvet/tlsvet/rules"
)

// TestCertFindingsPointAtTheFile checks that a certificate rule's finding
// points at the setting that names a file and, as a related location, at
// the file itself (or the certificate inside it, or the YAML value that
// holds it), in every fixture.
func TestCertFindingsPointAtTheFile(t *testing.T) {
	// TV506 is about a file the repository lacks; TV507 points at the key
	// file itself.
	ids := map[string]bool{"TV204": true, "TV405": true, "TV406": true, "TV501": true, "TV504": true, "TV505": true, "TV508": true,
		"TV509": true, "TV510": true, "TV511": true, "TV512": true, "TV513": true}
	checked := 0
	eachFixtureFinding(t, ids, func(p string, d lint.Diagnostic) {
		// TV204 is about a file only when it judged a real one.
		if d.RuleID == "TV204" && !strings.Contains(d.Message, "holds an RSA") {
			return
		}
		checked++
		inFile := false
		for _, rel := range d.Related {
			// A certificate written in YAML (a Secret's value) may
			// sit in the file of the setting: elsewhere in it.
			inFile = inFile || rel.Span.File != d.Span.File || rel.Span.StartLine() != d.Span.StartLine()
			// A value inside a YAML file is pointed at, not the
			// file's first line.
			if rel.Span.Start == 0 && strings.HasSuffix(rel.Span.File.Path, ".yaml") {
				t.Errorf("%s: %s at %s points at the start of %s, not at the value: %s", p, d.RuleID, d.Span, rel.Span.File.Path, d.Message)
			}
		}
		if !inFile {
			t.Errorf("%s: %s at %s has no related location in the file it is about: %s", p, d.RuleID, d.Span, d.Message)
		}
	})
	if checked < 10 {
		t.Errorf("only %d certificate findings checked", checked)
	}
}

// eachFixtureFinding runs every fixture of the rules ids names and calls
// fn with each finding of those rules (p is the fixture's path).
func eachFixtureFinding(t *testing.T, ids map[string]bool, fn func(p string, d lint.Diagnostic)) {
	t.Helper()
	for _, r := range rules.All {
		if !ids[r.ID] {
			continue
		}
		paths, _ := filepath.Glob(filepath.Join("testdata", r.Name, "*.txtar"))
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range linttest.Check(t, data, rules.All).Diagnostics {
				if ids[d.RuleID] {
					fn(p, d)
				}
			}
		}
	}
}
