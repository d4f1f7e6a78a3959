package report_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/tlsvet/tlsvet/internal/fix"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/report"
	"github.com/tlsvet/tlsvet/internal/report/sariftest"
	"github.com/tlsvet/tlsvet/internal/source"
)

// The subset of SARIF the tests read back.
type sarifLog struct {
	Schema  string `json:"$schema"`
	Version string
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name, SemanticVersion, InformationURI string
				Rules                                 []struct {
					ID, Name, HelpURI                 string
					ShortDescription, FullDescription struct{ Text string }
					Help                              struct{ Text, Markdown string }
					DefaultConfiguration              struct{ Level string }
					Properties                        map[string]any
				}
			}
		}
		Invocations []struct {
			ExecutionSuccessful        bool
			ToolExecutionNotifications []struct {
				Level     string
				Message   struct{ Text string }
				Locations []sarifLocation
			}
		}
		AutomationDetails *struct{ ID string }
		ColumnKind        string
		Results           []struct {
			RuleID           string
			RuleIndex        int
			Level            string
			Message          struct{ Text string }
			Locations        []sarifLocation
			RelatedLocations []sarifLocation
			Fixes            []struct {
				Description     struct{ Text string }
				ArtifactChanges []struct {
					ArtifactLocation sarifArtifact
					Replacements     []struct {
						DeletedRegion   sarifRegion
						InsertedContent *struct{ Text string }
					}
				}
			}
			PartialFingerprints map[string]string
		}
	}
}

type sarifLocation struct {
	ID               int
	Message          *struct{ Text string }
	PhysicalLocation struct {
		ArtifactLocation sarifArtifact
		Region           *sarifRegion
	}
}

type sarifArtifact struct {
	URI       string
	URIBaseID string `json:"uriBaseId"`
}

type sarifRegion struct{ StartLine, StartColumn, EndLine, EndColumn int }

func writeSARIF(t *testing.T, r *report.Report) ([]byte, sarifLog) {
	t.Helper()
	var b bytes.Buffer
	if err := report.SARIF(&b, r); err != nil {
		t.Fatal(err)
	}
	sariftest.Validate(t, b.Bytes())
	var log sarifLog
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), log
}

func TestSARIFClean(t *testing.T) {
	data, log := writeSARIF(t, &report.Report{Rules: []*lint.Rule{holeRule}, Version: "0.1.0"})
	if !bytes.Contains(data, []byte(`"results": []`)) {
		t.Errorf("results missing or not an empty array:\n%s", data)
	}
	run := log.Runs[0]
	if len(run.Tool.Driver.Rules) != 1 || run.Tool.Driver.Rules[0].ID != "TV101" {
		t.Errorf("rules = %+v, want TV101 alone", run.Tool.Driver.Rules)
	}
	if run.AutomationDetails != nil {
		t.Errorf("automationDetails without a category: %+v", run.AutomationDetails)
	}
	if len(run.Invocations) != 1 || !run.Invocations[0].ExecutionSuccessful {
		t.Errorf("invocations = %+v", run.Invocations)
	}
}

func TestSARIFRules(t *testing.T) {
	f := source.NewFile("a.cnf", []byte("[mysqld]\nssl_ca=a\nssl_ca=b\n"))
	r := &report.Report{
		Diagnostics: []lint.Diagnostic{
			diag(dupRule, f.Span(9, 17), "first"),
			diag(dupRule, f.Span(18, 26), "second"),
		},
		Rules:   []*lint.Rule{holeRule, dupRule, cipherRule, holeRule},
		Version: "0.1.0",
	}
	_, log := writeSARIF(t, r)
	d := log.Runs[0].Tool.Driver
	if d.Name != "tlsvet" || d.SemanticVersion != "0.1.0" || d.InformationURI != "https://github.com/tlsvet/tlsvet" {
		t.Errorf("driver = %s %s %s", d.Name, d.SemanticVersion, d.InformationURI)
	}
	var ids []string
	for _, rule := range d.Rules {
		ids = append(ids, rule.ID)
	}
	if want := []string{"TV101", "TV009", "TV201"}; !reflect.DeepEqual(ids, want) {
		t.Fatalf("rule ids = %v, want %v (each once, in the order given)", ids, want)
	}
	hole, dup, cipher := d.Rules[0], d.Rules[1], d.Rules[2]
	if hole.Name != "TlsVersionHole" || dup.Name != "DuplicateSetting" {
		t.Errorf("names = %q %q", hole.Name, dup.Name)
	}
	if hole.ShortDescription.Text != holeRule.Doc.Title {
		t.Errorf("shortDescription = %q", hole.ShortDescription.Text)
	}
	if hole.FullDescription.Text != "Servers treat a list with a hole as the versions written." {
		t.Errorf("fullDescription = %q, want the first paragraph of Why", hole.FullDescription.Text)
	}
	if hole.HelpURI != "https://github.com/tlsvet/tlsvet/blob/main/docs/rules/TV101.md" {
		t.Errorf("helpUri = %q", hole.HelpURI)
	}
	for _, want := range []string{
		"Second paragraph with `code`.",
		"```ini\n[mysqld]\ntls_version=TLSv1,TLSv1.2\n```",
		"```ini\n[mysqld]\ntls_version=TLSv1.2\n```",
		"List every version between the lowest and the highest.",
		"- <https://dev.mysql.com/doc/refman/8.0/en/encrypted-connection-protocols-ciphers.html>",
	} {
		if !strings.Contains(hole.Help.Markdown, want) {
			t.Errorf("help.markdown lacks %q:\n%s", want, hole.Help.Markdown)
		}
	}
	for _, want := range []string{"    tls_version=TLSv1,TLSv1.2\n", "Fix: List every version", "- https://dev.mysql.com/"} {
		if !strings.Contains(hole.Help.Text, want) {
			t.Errorf("help.text lacks %q:\n%s", want, hole.Help.Text)
		}
	}
	levels := []string{hole.DefaultConfiguration.Level, dup.DefaultConfiguration.Level, cipher.DefaultConfiguration.Level}
	if want := []string{"warning", "note", "error"}; !reflect.DeepEqual(levels, want) {
		t.Errorf("default levels = %v, want %v", levels, want)
	}
	wantProps := []map[string]any{
		{"tags": []any{"protocol", "security"}, "security-severity": "5.3", "precision": "high"},
		{"tags": []any{"maintainability"}, "precision": "high"},
		{"tags": []any{"security"}, "security-severity": "7.5", "precision": "high"},
	}
	for i, want := range wantProps {
		if !reflect.DeepEqual(d.Rules[i].Properties, want) {
			t.Errorf("%s properties = %v, want %v", d.Rules[i].ID, d.Rules[i].Properties, want)
		}
	}
	for _, res := range log.Runs[0].Results {
		if res.RuleID != "TV009" || res.RuleIndex != 1 || res.Level != "note" {
			t.Errorf("result %s index %d level %s, want TV009 index 1 note", res.RuleID, res.RuleIndex, res.Level)
		}
	}
}

// A finding whose rule is not among those that ran still gets a valid
// ruleIndex: its rule is appended.
func TestSARIFRuleNotListed(t *testing.T) {
	f := source.NewFile("a.cnf", []byte("x\n"))
	_, log := writeSARIF(t, &report.Report{
		Diagnostics: []lint.Diagnostic{{RuleID: "TV999", Span: f.Span(0, 1), Message: "m"}},
		Rules:       []*lint.Rule{holeRule},
	})
	rs := log.Runs[0].Tool.Driver.Rules
	if len(rs) != 2 || rs[1].ID != "TV999" || log.Runs[0].Results[0].RuleIndex != 1 {
		t.Errorf("rules %+v, ruleIndex %d", rs, log.Runs[0].Results[0].RuleIndex)
	}
}

func TestSARIFResults(t *testing.T) {
	// 🔒 is outside the BMP: one code point, two UTF-16 code units.
	f := source.NewFile("conf/my.cnf", []byte("[mysqld]\n# 🔒 é\ntls_version=TLSv1,TLSv1.2 # 🔒 TLSv1\n"))
	other := source.NewFile("conf/other.cnf", []byte("[client]\nssl-mode=REQUIRED\n"))
	line3 := f.LineStart(3)
	d := diag(holeRule, f.Span(line3+12, line3+25), "tls_version has a hole")
	d.Severity = lint.Error
	d.Related = []lint.Related{
		{Span: other.Span(9, 26), Message: "client side"},
		{Span: spanOf(t, f, "TLSv1\n"), Message: "mentioned in the comment"},
	}
	d.Fix = &lint.Fix{Message: "drop TLSv1 and fix the client", Edits: []source.Edit{
		{Span: f.Span(line3+12, line3+18), New: ""},
		{Span: spanOf(t, f, "🔒 TLSv1"), New: "🔓 TLSv1.2"},
		{Span: other.Span(18, 26), New: "VERIFY_IDENTITY"},
		{Span: f.Span(0, 0), New: "# fixed\n"},
	}}
	// The second result's region would start after the emoji.
	e := diag(holeRule, spanOf(t, f, "é"), "after an emoji")
	r := &report.Report{
		Diagnostics:   []lint.Diagnostic{d, e},
		Rules:         []*lint.Rule{holeRule},
		Notifications: []report.Notification{{Path: "conf/x y.cnf", Message: "cannot read"}, {Message: "no path"}},
		Category:      "tlsvet/config/",
		Version:       "0.1.0",
	}
	_, log := writeSARIF(t, r)
	run := log.Runs[0]
	if run.ColumnKind != "utf16CodeUnits" {
		t.Errorf("columnKind = %q", run.ColumnKind)
	}
	if run.AutomationDetails == nil || run.AutomationDetails.ID != "tlsvet/config/" {
		t.Errorf("automationDetails = %+v", run.AutomationDetails)
	}
	res := run.Results[0]
	if res.Level != "error" || res.Message.Text != "tls_version has a hole" {
		t.Errorf("level %q message %q", res.Level, res.Message.Text)
	}
	loc := res.Locations[0].PhysicalLocation
	if loc.ArtifactLocation != (sarifArtifact{URI: "conf/my.cnf", URIBaseID: "%SRCROOT%"}) {
		t.Errorf("artifactLocation = %+v", loc.ArtifactLocation)
	}
	if *loc.Region != (sarifRegion{3, 13, 3, 26}) {
		t.Errorf("region = %+v, want 3:13-3:26", *loc.Region)
	}
	if got, want := res.PartialFingerprints["primaryLocationLineHash"], report.LineHashes(f.Content)[2]; got != want {
		t.Errorf("primaryLocationLineHash = %q, want %q (line 3)", got, want)
	}
	// é comes after "# 🔒 ": code point column 5, UTF-16 column 6.
	if got := *run.Results[1].Locations[0].PhysicalLocation.Region; got != (sarifRegion{2, 6, 2, 7}) {
		t.Errorf("region after emoji = %+v, want 2:6-2:7 in UTF-16 units", got)
	}
	if len(res.RelatedLocations) != 2 {
		t.Fatalf("relatedLocations = %+v", res.RelatedLocations)
	}
	rel := res.RelatedLocations[0]
	if rel.ID != 1 || rel.Message.Text != "client side" || rel.PhysicalLocation.ArtifactLocation.URI != "conf/other.cnf" ||
		*rel.PhysicalLocation.Region != (sarifRegion{2, 1, 2, 18}) {
		t.Errorf("related[0] = %+v %+v", rel, rel.PhysicalLocation.Region)
	}
	// Ends just after a newline: shown to the end of its line. TLSv1 starts
	// at code point column 31, UTF-16 column 32.
	if rel := res.RelatedLocations[1]; rel.ID != 2 || *rel.PhysicalLocation.Region != (sarifRegion{3, 32, 3, 37}) {
		t.Errorf("related[1] = id %d %+v, want id 2 3:32-3:37", rel.ID, rel.PhysicalLocation.Region)
	}
	if len(res.Fixes) != 1 || res.Fixes[0].Description.Text != "drop TLSv1 and fix the client" {
		t.Fatalf("fixes = %+v", res.Fixes)
	}
	// Applying the SARIF replacements gives what applying the edits gives.
	files := map[string]*source.File{f.Path: f, other.Path: other}
	changed := map[string]bool{}
	for _, ch := range res.Fixes[0].ArtifactChanges {
		if ch.ArtifactLocation.URIBaseID != "%SRCROOT%" {
			t.Errorf("fix artifact %+v lacks %%SRCROOT%%", ch.ArtifactLocation)
		}
		file := files[ch.ArtifactLocation.URI]
		if file == nil || changed[file.Path] {
			t.Fatalf("artifact change for %q: unknown or repeated", ch.ArtifactLocation.URI)
		}
		changed[file.Path] = true
		var fromSARIF, fromFix []source.Edit
		for _, rep := range ch.Replacements {
			dr := rep.DeletedRegion
			s := file.Span(offsetUTF16(t, file, dr.StartLine, dr.StartColumn), offsetUTF16(t, file, dr.EndLine, dr.EndColumn))
			text := ""
			if rep.InsertedContent != nil {
				text = rep.InsertedContent.Text
			}
			fromSARIF = append(fromSARIF, source.Edit{Span: s, New: text})
		}
		for _, e := range d.Fix.Edits {
			if e.Span.File == file {
				fromFix = append(fromFix, e)
			}
		}
		got, err1 := fix.Apply(file.Content, fromSARIF)
		want, err2 := fix.Apply(file.Content, fromFix)
		if err1 != nil || err2 != nil || string(got) != string(want) {
			t.Errorf("%s: SARIF fix gives %q (%v), edits give %q (%v)", file.Path, got, err1, want, err2)
		}
	}
	if len(changed) != 2 {
		t.Errorf("fix changes %d files, want 2", len(changed))
	}
	ns := run.Invocations[0].ToolExecutionNotifications
	if len(ns) != 2 || ns[0].Level != "warning" || ns[0].Message.Text != "cannot read" ||
		ns[0].Locations[0].PhysicalLocation.ArtifactLocation.URI != "conf/x%20y.cnf" || len(ns[1].Locations) != 0 {
		t.Errorf("notifications = %+v", ns)
	}
}

// offsetUTF16 is the inverse of a SARIF line and UTF-16 column.
func offsetUTF16(t *testing.T, f *source.File, line, col int) int {
	t.Helper()
	off := f.LineStart(line)
	for units := 1; units < col; {
		r, size := utf8.DecodeRune(f.Content[off:])
		units += len(utf16.Encode([]rune{r}))
		off += size
	}
	return off
}

func TestSARIFURIs(t *testing.T) {
	tests := []struct{ path, uri, base string }{
		{"conf/my.cnf", "conf/my.cnf", "%SRCROOT%"},
		{"dir/a b#1:c%.cnf", "dir/a%20b%231%3Ac%25.cnf", "%SRCROOT%"},
		{"c:my.cnf", "c%3Amy.cnf", "%SRCROOT%"},
		{"conf/é.cnf", "conf/%C3%A9.cnf", "%SRCROOT%"},
		{"../shared/my.cnf", "../shared/my.cnf", "%SRCROOT%"},
		{"/etc/mysql/my.cnf", "file:///etc/mysql/my.cnf", ""},
		{"C:/ProgramData/MySQL/my.ini", "file:///C:/ProgramData/MySQL/my.ini", ""},
	}
	for _, tt := range tests {
		f := source.NewFile(tt.path, []byte("ssl=0\n"))
		_, log := writeSARIF(t, &report.Report{Diagnostics: []lint.Diagnostic{diag(holeRule, f.Span(0, 5), "m")}, Rules: []*lint.Rule{holeRule}})
		got := log.Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation
		if got != (sarifArtifact{URI: tt.uri, URIBaseID: tt.base}) {
			t.Errorf("%q: got %+v, want %s %s", tt.path, got, tt.uri, tt.base)
		}
	}
}

// A description longer than GitHub's 1024 characters is shortened, and
// the log stays acceptable.
func TestSARIFLongDescription(t *testing.T) {
	long := &lint.Rule{ID: "TV998", Name: "long", Doc: lint.Doc{Title: "T", Why: strings.Repeat("é", 2000)}}
	_, log := writeSARIF(t, &report.Report{Rules: []*lint.Rule{long}})
	full := []rune(log.Runs[0].Tool.Driver.Rules[0].FullDescription.Text)
	if len(full) != 1024 || full[1023] != '…' {
		t.Errorf("fullDescription has %d characters, want 1024 ending in …", len(full))
	}
}

// Identical lines get the ":n" suffixes upload-sarif gives them, in the
// order of the lines and not of the results. The values are those of
// codeql-action's hash() for this file; a file tlsvet could not read is
// hashed as empty.
func TestSARIFFingerprints(t *testing.T) {
	f := source.NewFile("my.cnf", []byte("[mysqld]\n"+strings.Repeat("ssl_ca = /etc/mysql/ca.pem\n", 6)+"[client]\n"))
	unread := source.NewFile("missing.cnf", nil)
	line := func(n int) source.Span { return f.Span(f.LineStart(n), f.LineStart(n+1)) }
	_, log := writeSARIF(t, &report.Report{
		Diagnostics: []lint.Diagnostic{
			diag(dupRule, line(3), "second"),
			diag(dupRule, line(2), "first"),
			diag(dupRule, line(8), "client"),
			diag(dupRule, unread.Span(0, 0), "cannot read"),
		},
		Rules: []*lint.Rule{dupRule},
	})
	var got []string
	for _, res := range log.Runs[0].Results {
		got = append(got, res.PartialFingerprints["primaryLocationLineHash"])
	}
	want := []string{"d9668bf0f0ccf84:2", "d9668bf0f0ccf84:1", "ff0323acd96240f8:1", "c129715d7a2bc9a3:1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("fingerprints = %q, want %q", got, want)
	}
}
