package rules_test

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/linttest"
	"github.com/tlsvet/tlsvet/rules"
)

var (
	idRE   = regexp.MustCompile(`^TV\d{3}$`)
	nameRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

func TestRulesWellFormed(t *testing.T) {
	if !sort.SliceIsSorted(rules.All, func(i, j int) bool { return rules.All[i].ID < rules.All[j].ID }) {
		t.Error("rules.All is not sorted by ID")
	}
	seen := map[string]bool{}
	for _, r := range rules.All {
		switch {
		case !idRE.MatchString(r.ID):
			t.Errorf("%s: ID does not match %s", r.ID, idRE)
		case !nameRE.MatchString(r.Name):
			t.Errorf("%s: name %q is not kebab-case", r.ID, r.Name)
		case seen[r.ID] || seen[r.Name]:
			t.Errorf("%s: duplicate ID or name %q", r.ID, r.Name)
		case r.Severity == lint.SeverityDefault:
			t.Errorf("%s: no default severity", r.ID)
		case r.Doc.Title == "" || strings.HasSuffix(r.Doc.Title, "."):
			t.Errorf("%s: Doc.Title must be set and must not end with a period", r.ID)
		case r.Doc.Why == "" || r.Doc.Bad == "" || r.Doc.Good == "":
			t.Errorf("%s: Doc.Why, Bad and Good are required", r.ID)
		case !strings.HasSuffix(strings.TrimSpace(r.Doc.Fix), "."):
			t.Errorf("%s: Doc.Fix must be a sentence ending with a period", r.ID)
		case len(r.Doc.Sources) == 0:
			t.Errorf("%s: Doc.Sources must cite where the facts come from", r.ID)
		case r.Run == nil && r != lint.UnusedSuppression:
			t.Errorf("%s: no Run", r.ID)
		}
		seen[r.ID], seen[r.Name] = true, true
	}
}

// rulesUnder returns the rules a fixture of r runs: r alone, except for
// TV000, which needs findings to suppress: its fixtures use TV101 and TV103.
func rulesUnder(r *lint.Rule) []*lint.Rule {
	if r == lint.UnusedSuppression {
		return []*lint.Rule{r, rules.Lookup("TV101"), rules.Lookup("TV103")}
	}
	return []*lint.Rule{r}
}

// TestFixtures runs rules/testdata/<rule-name>/*.txtar. Every rule needs at
// least one archive where it fires and one where it stays silent.
func TestFixtures(t *testing.T) {
	for _, r := range rules.All {
		t.Run(r.ID+"_"+r.Name, func(t *testing.T) {
			files, _ := filepath.Glob(filepath.Join("testdata", r.Name, "*.txtar"))
			if len(files) == 0 {
				t.Fatalf("no fixtures in testdata/%s", r.Name)
			}
			fired, silent := false, false
			for _, f := range files {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				t.Run(filepath.Base(f), func(t *testing.T) {
					res := linttest.RunArchive(t, data, rulesUnder(r))
					n := 0
					for _, d := range res.Diagnostics {
						if d.RuleID == r.ID {
							n++
						}
					}
					if n > 0 {
						fired = true
					} else {
						silent = true
					}
				})
			}
			if !fired {
				t.Errorf("no fixture in testdata/%s makes %s fire", r.Name, r.ID)
			}
			if !silent {
				t.Errorf("no fixture in testdata/%s shows %s staying silent", r.Name, r.ID)
			}
		})
	}
}

// TestDocExamples runs each rule on its documented bad and good examples:
// the bad one must fire, the good one must not.
func TestDocExamples(t *testing.T) {
	for _, r := range rules.All {
		t.Run(r.ID, func(t *testing.T) {
			count := func(cnf string) int {
				res := linttest.Check(t, []byte(cnf), rulesUnder(r))
				n := 0
				for _, d := range res.Diagnostics {
					if d.RuleID == r.ID {
						n++
					}
				}
				return n
			}
			if count(r.Doc.Bad) == 0 {
				t.Errorf("Doc.Bad does not make %s fire:\n%s", r.ID, r.Doc.Bad)
			}
			if n := count(r.Doc.Good); n != 0 {
				t.Errorf("Doc.Good makes %s fire %d times:\n%s", r.ID, n, r.Doc.Good)
			}
		})
	}
}
