package rules_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/fix"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/linttest"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/rules"
)

// propertyTargets are the versions every fixture is checked against: each
// release series people run, and single releases whose defaults or
// options are odd (5.5.62 and 5.6.30 speak TLSv1 only with yaSSL, 5.7.7
// and 5.7.9 have no tls_version). nil keeps the fixture's own target.
var propertyTargets = []string{
	"", "mysql-5.5", "mysql-5.6", "mysql-5.7", "mysql-8.0", "mysql-8.4", "mysql-9", "mysql-26",
	"mariadb-10.3", "mariadb-10.4", "mariadb-10.5", "mariadb-10.6", "mariadb-10.11", "mariadb-11.4",
	"mariadb-11.8", "mariadb-12", "percona-8.0",
	"mysql-5.5.62", "mysql-5.6.30", "mysql-5.7.7", "mysql-5.7.9", "mariadb-10.4.5", "mariadb-11.8.3",
}

// eachFixtureTarget calls f for every rule fixture and target.
func eachFixtureTarget(t *testing.T, f func(t *testing.T, name string, data []byte, targets []facts.Target)) {
	files, err := filepath.Glob(filepath.Join("testdata", "*", "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, spec := range propertyTargets {
		var targets []facts.Target
		name := "configured"
		if spec != "" {
			tg, err := facts.ParseTarget(spec)
			if err != nil {
				t.Fatal(err)
			}
			targets, name = []facts.Target{tg}, spec
		}
		t.Run(name, func(t *testing.T) {
			for _, file := range files {
				data, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				t.Run(strings.TrimPrefix(file, "testdata"+string(filepath.Separator)), func(t *testing.T) {
					f(t, name+" "+file, data, targets)
				})
			}
		})
	}
}

// fixRuns caches linttest.RunFixes per target and fixture: both property
// tests read the same runs.
var fixRuns sync.Map

func fixRun(t *testing.T, key string, data []byte, targets []facts.Target) linttest.FixRun {
	if r, ok := fixRuns.Load(key); ok {
		return r.(linttest.FixRun)
	}
	r := linttest.RunFixes(t, data, rules.All, targets)
	fixRuns.Store(key, r)
	return r
}

// knownGaps are fixes that still make a finding appear, by the rule whose
// fix does it and the rule of the new finding, with why. Each is a debt
// of a rule file owned elsewhere; the test fails when one no longer occurs,
// so the list only shrinks.
var knownGaps = []struct {
	fixer, appears string
	why            string
}{
	{"TV002", "TV602", "a corrected option name (ssl-cert) takes effect, and TV602 then judges it; TV002's fix message does not say so"},
	{"TV002", "TV604", "a corrected ssl-cert takes effect without its key; TV002's fix message does not say so"},
	{"TV002", "TV303", "a corrected client option (ssl-cipher) takes effect, so TV303 judges the client's mode; TV002's fix message does not say so"},
	{"TV002", "TV205", "MySQL 5.5/5.6 and MariaDB already apply a unique prefix (ssl-ciph) as the option; the model does not read it so, and TV205 judges the cipher list only once the fix spells it out"},
	{"TV002", "TV605", "as for TV205: MariaDB already applies the prefixed or wrong-case ssl_cipher, which turns TLS on without a certificate; TV605 sees it once the fix spells it out"},
	{"TV002", "TV108", "a corrected ssl-cert sets TLS up, so the server's default protocols start to matter"},
	{"TV008", "TV104", "turning ';' into '#' leaves the protocol list as meant, which TV104 then judges on old targets"},
}

// TestFixesIntroduceNothing applies every fix of every rule to every
// fixture on every target and runs the rules again: no finding may appear
// that was not there before (the same rule on the line its start moved
// to), unless the message of an applied fix names its rule; and no new
// finding may be an error. A fix that trades one warning for an error the
// target gives (tls_version on MySQL 5.6) fails here.
func TestFixesIntroduceNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("every fixture on every target")
	}
	used := make([]bool, len(knownGaps))
	eachFixtureTarget(t, func(t *testing.T, name string, data []byte, targets []facts.Target) {
		r := fixRun(t, name, data, targets)
		if len(r.Applied) == 0 {
			return
		}
		before := map[string]int{}
		for _, d := range r.Before {
			before[movedKey(d, r.Passes)]++
		}
		for _, d := range r.After {
			if d.RuleID == lint.UnusedSuppression.ID {
				continue // a fix that removes a suppressed finding leaves its directive unused: TV000 says so, by design
			}
			k := findingKey(d.RuleID, d.Span.File, d.Span.Start)
			if before[k] > 0 {
				before[k]--
				continue
			}
			announced, gap := false, -1
			for _, a := range r.Applied {
				announced = announced || strings.Contains(a.Fix.Message, d.RuleID)
				for i, g := range knownGaps {
					if g.fixer == a.RuleID && g.appears == d.RuleID {
						gap = i
					}
				}
			}
			if gap >= 0 {
				used[gap] = true
				continue
			}
			if d.Severity == lint.Error || !announced {
				pos := d.Span.StartPos()
				t.Errorf("after the fixes %s, a new %s %s at %s:%d:%d: %s",
					fixMessages(r.Applied), d.Severity, d.RuleID, d.Span.File.Path, pos.Line, pos.Col, d.Message)
			}
		}
	})
	for i, g := range knownGaps {
		if !used[i] {
			t.Errorf("known gap %s → %s no longer occurs: remove it from knownGaps", g.fixer, g.appears)
		}
	}
}

// findingKey identifies a finding by rule, file and line.
func findingKey(rule string, f *source.File, off int) string {
	if f == nil {
		return rule
	}
	return fmt.Sprintf("%s %s:%d", rule, f.Path, f.Position(off).Line)
}

// movedKey is findingKey of a finding of the first run, at the line its
// start moved to once every pass's edits were written: text inserted or
// removed before it shifts it, and an edit over it moves it to the edit's
// start.
func movedKey(d lint.Diagnostic, passes [][]fix.Change) string {
	f, off := d.Span.File, d.Span.Start
	if f == nil {
		return d.RuleID
	}
	for _, changes := range passes {
		for _, c := range changes {
			if c.File.Path != f.Path {
				continue
			}
			shift := 0
			for _, e := range c.Edits {
				switch {
				case e.Span.End < off || e.Span.End == off && (e.Span.Start < off || e.Span.Start == e.Span.End):
					shift += len(e.New) - (e.Span.End - e.Span.Start)
				case e.Span.Start <= off && off < e.Span.End:
					shift += e.Span.Start - off
				}
			}
			off += shift
			f = source.NewFile(f.Path, c.New)
		}
	}
	return findingKey(d.RuleID, f, off)
}

func fixMessages(ds []lint.Diagnostic) string {
	var out []string
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%s %q", d.RuleID, d.Fix.Message))
	}
	return strings.Join(out, ", ")
}

// Empty suggestions: advice that names an option and then nothing to set
// it to. An empty value in single quotes is advice (tls_version set to it
// turns TLS off) and is not matched.
var (
	// "set tls_version=" at the end, or before a separator: the value was left out.
	emptyAssignment = regexp.MustCompile(`[A-Za-z0-9_-]=($|[\s,;)\]])`)
	// `ssl_cipher=""`: an empty value in double quotes, which no rule advises.
	emptyQuoted = regexp.MustCompile(`[A-Za-z0-9_-]=""`)
	// "…: set" with nothing after the verb.
	bareVerb = regexp.MustCompile(`[:;]\s*(set|add|use|write|remove|replace with|move them to|did you mean)\s*[?.]?$`)
	// "move them to []", "did you mean ?".
	emptyName = regexp.MustCompile(`\[\]|did you mean\s*[?)]`)
	// An inserted or replacing line that assigns nothing: "ssl_cipher=".
	emptyLine = regexp.MustCompile(`(?m)^[ \t]*[A-Za-z0-9_.-]+[ \t]*=[ \t]*\r?$`)
)

// emptySuggestion reports the first pattern of an empty suggestion that
// text holds, or "".
func emptySuggestion(text string) string {
	for _, re := range []*regexp.Regexp{emptyAssignment, emptyQuoted, bareVerb, emptyName} {
		if m := re.FindString(text); m != "" {
			return m
		}
	}
	return ""
}

// TestNoEmptySuggestion runs every rule over every fixture on every target
// and requires that no message, related message or fix names an option
// and leaves out what to set it to.
func TestNoEmptySuggestion(t *testing.T) {
	if testing.Short() {
		t.Skip("every fixture on every target")
	}
	eachFixtureTarget(t, func(t *testing.T, name string, data []byte, targets []facts.Target) {
		r := fixRun(t, name, data, targets)
		for _, d := range append(r.Before, r.After...) {
			texts := []string{d.Message}
			for _, rel := range d.Related {
				texts = append(texts, rel.Message)
			}
			if d.Fix != nil {
				texts = append(texts, d.Fix.Message)
			}
			for _, text := range texts {
				if m := emptySuggestion(text); m != "" {
					t.Errorf("%s: empty suggestion %q in %q", d.RuleID, m, text)
				}
			}
			if d.Fix == nil {
				continue
			}
			for _, e := range d.Fix.Edits {
				if m := emptyLine.FindString(e.New); m != "" {
					t.Errorf("%s: the fix %q writes the line %q, which sets nothing", d.RuleID, d.Fix.Message, m)
				}
			}
		}
	})
}

// TestEmptySuggestionPatterns keeps the detector honest: it catches the
// messages TV108 printed on 5.5.62 and leaves real advice alone.
func TestEmptySuggestionPatterns(t *testing.T) {
	for _, bad := range []string{
		"no tls_version is set and the default of MySQL 5.5.62 allows TLSv1: set tls_version=",
		"set ssl_cipher= (or remove it)",
		`set ssl_cipher=""`,
		"the value is wrong: set",
		"TLS settings in [x] have no effect: move them to []",
		"unknown option (did you mean ?)",
	} {
		if emptySuggestion(bad) == "" {
			t.Errorf("not caught: %q", bad)
		}
	}
	for _, good := range []string{
		"write tls_version='' to turn TLS off",
		"set tls_version=TLSv1.2,TLSv1.3",
		"no tls_version is set and the default allows TLSv1",
		"ssl_cert is set; the key is not",
	} {
		if m := emptySuggestion(good); m != "" {
			t.Errorf("%q: flagged %q", good, m)
		}
	}
	if emptyLine.FindString("tls_version=TLSv1.2\n") != "" || emptyLine.FindString("tls_version=\n") == "" {
		t.Error("emptyLine judges inserted lines wrongly")
	}
}
