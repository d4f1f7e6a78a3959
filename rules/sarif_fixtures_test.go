package rules_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/linttest"
	"github.com/tlsvet/tlsvet/internal/report"
	"github.com/tlsvet/tlsvet/internal/report/sariftest"
	"github.com/tlsvet/tlsvet/rules"
)

// sarifLog is the part of the SARIF log the fixture test reads back.
type sarifLog struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID, HelpURI string
					Help        struct{ Text, Markdown string }
				}
			}
		}
		Results []struct {
			RuleID              string
			RuleIndex           int
			Locations           []sarifLocation
			RelatedLocations    []sarifLocation
			PartialFingerprints map[string]string
			Fixes               []struct {
				ArtifactChanges []struct {
					ArtifactLocation struct{ URI string }
					Replacements     []struct{ DeletedRegion *struct{ StartLine int } }
				}
			}
		}
	}
}

type sarifLocation struct {
	ID               int
	PhysicalLocation *struct {
		ArtifactLocation struct {
			URI       string
			URIBaseID string `json:"uriBaseId"`
		}
		Region *struct{ StartLine int }
	}
}

// TestSARIFFixtures runs every rule over every fixture and checks that the
// SARIF log is one GitHub code scanning accepts, with the parts tlsvet
// promises: each rule once with help, and every result placed,
// fingerprinted and, when fixable, fixed.
func TestSARIFFixtures(t *testing.T) {
	var fixtures []string
	err := filepath.WalkDir("testdata", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".txtar") {
			fixtures = append(fixtures, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(fixtures) == 0 {
		t.Fatal("no fixtures under rules/testdata")
	}
	var results, fixes int
	for _, path := range fixtures {
		t.Run(filepath.ToSlash(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res := linttest.Check(t, data, rules.All)
			var buf bytes.Buffer
			err = report.SARIF(&buf, &report.Report{Diagnostics: res.Diagnostics, Rules: rules.All, Files: res.Files, Version: "0.1.0"})
			if err != nil {
				t.Fatal(err)
			}
			sariftest.Validate(t, buf.Bytes())
			var log sarifLog
			if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
				t.Fatal(err)
			}
			run := log.Runs[0]
			listed := map[string]int{}
			for _, r := range run.Tool.Driver.Rules {
				listed[r.ID]++
				if r.Help.Text == "" || r.Help.Markdown == "" {
					t.Errorf("%s: help.text or help.markdown is empty", r.ID)
				}
				if !strings.HasSuffix(r.HelpURI, "docs/rules/"+r.ID+".md") {
					t.Errorf("%s: helpUri %q does not end in docs/rules/%s.md", r.ID, r.HelpURI, r.ID)
				}
			}
			for _, r := range rules.All {
				if listed[r.ID] != 1 {
					t.Errorf("%s is listed %d times in tool.driver.rules", r.ID, listed[r.ID])
				}
			}
			if len(run.Tool.Driver.Rules) != len(rules.All) {
				t.Errorf("tool.driver.rules has %d rules, want the %d that ran", len(run.Tool.Driver.Rules), len(rules.All))
			}
			if len(run.Results) != len(res.Diagnostics) {
				t.Fatalf("%d results for %d findings", len(run.Results), len(res.Diagnostics))
			}
			for i, r := range run.Results {
				d := res.Diagnostics[i]
				results++
				if r.RuleID != d.RuleID || r.RuleIndex < 0 || r.RuleIndex >= len(run.Tool.Driver.Rules) ||
					run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
					t.Errorf("result %d: ruleId %s, ruleIndex %d does not point at it (finding %s)", i, r.RuleID, r.RuleIndex, d.RuleID)
				}
				if len(r.Locations) != 1 {
					t.Fatalf("result %d (%s): %d locations, want 1", i, r.RuleID, len(r.Locations))
				}
				line := checkLocation(t, r.RuleID+" location", r.Locations[0])
				// Secrets are masked before hashing (see report.SARIF).
				hashes := report.LineHashes([]byte(d.Span.File.Redact(0, len(d.Span.File.Content))))
				if line > len(hashes) {
					t.Fatalf("%s: line %d is past the end of %s", r.RuleID, line, d.Span.File.Path)
				}
				if got, want := r.PartialFingerprints["primaryLocationLineHash"], hashes[line-1]; got != want {
					t.Errorf("%s: primaryLocationLineHash %q, want %q (line %d)", r.RuleID, got, want, line)
				}
				for j, rel := range r.RelatedLocations {
					if rel.ID != j+1 {
						t.Errorf("%s: related location %d has id %d", r.RuleID, j, rel.ID)
					}
					if rel.PhysicalLocation != nil {
						checkLocation(t, r.RuleID+" related location", rel)
					}
				}
				if d.Fix == nil {
					if len(r.Fixes) != 0 {
						t.Errorf("%s: fixes for a finding without a fix", r.RuleID)
					}
					continue
				}
				fixes++
				if len(r.Fixes) != 1 || len(r.Fixes[0].ArtifactChanges) == 0 {
					t.Errorf("%s: fixable finding has fixes %+v, want one with artifactChanges", r.RuleID, r.Fixes)
					continue
				}
				for _, ch := range r.Fixes[0].ArtifactChanges {
					if ch.ArtifactLocation.URI == "" || len(ch.Replacements) == 0 {
						t.Errorf("%s: artifact change %+v lacks a URI or replacements", r.RuleID, ch)
					}
					for _, rep := range ch.Replacements {
						if rep.DeletedRegion == nil || rep.DeletedRegion.StartLine < 1 {
							t.Errorf("%s: replacement without a deletedRegion startLine", r.RuleID)
						}
					}
				}
			}
		})
	}
	// The checks above must have had something to check.
	if results == 0 || fixes == 0 {
		t.Errorf("%d fixtures gave %d results and %d fixes; want some of each", len(fixtures), results, fixes)
	}
	t.Logf("%d fixtures, %d results, %d with fixes", len(fixtures), results, fixes)
}

// checkLocation checks a root-relative physical location with a region
// and returns its start line.
func checkLocation(t *testing.T, what string, loc sarifLocation) int {
	t.Helper()
	pl := loc.PhysicalLocation
	if pl == nil || pl.Region == nil {
		t.Fatalf("%s has no physicalLocation region", what)
	}
	if pl.ArtifactLocation.URIBaseID != "%SRCROOT%" || pl.ArtifactLocation.URI == "" {
		t.Errorf("%s: artifactLocation %+v, want a URI under %%SRCROOT%%", what, pl.ArtifactLocation)
	}
	if pl.Region.StartLine < 1 {
		t.Errorf("%s: startLine %d", what, pl.Region.StartLine)
	}
	return pl.Region.StartLine
}
