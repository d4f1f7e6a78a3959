package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/source"
)

// SARIF constants. The schema URI is the one the OASIS schema names itself
// by; the tests validate against a copy of that schema.
const (
	sarifSchema    = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion   = "2.1.0"
	informationURI = "https://github.com/tlsvet/tlsvet"
	ruleDocURI     = "https://github.com/tlsvet/tlsvet/blob/main/docs/rules/"
	srcRoot        = "%SRCROOT%"
	// GitHub code scanning cuts rule descriptions at 1024 characters.
	// https://github.com/github/docs/blob/main/content/code-security/reference/code-scanning/sarif-files/sarif-support.md
	maxDescription = 1024
)

// SARIF writes a SARIF 2.1.0 log with one run, in the shape GitHub code
// scanning accepts (GitHub's SARIF support page, cited above):
//
//   - tool.driver.rules lists each rule that ran once (plus any rule a
//     finding names that was not in the list), with short and full
//     descriptions, help text and Markdown generated from its Doc, a
//     helpUri to docs/rules/<ID>.md, its default level and the
//     properties tags, precision and, for security rules, security-severity.
//   - results is present even when empty. Each result has one location: a
//     repo-relative URI under uriBaseId %SRCROOT% and a region whose
//     columns count UTF-16 code units (runs[0].columnKind) with endColumn
//     just after the last character. Related places are relatedLocations
//     with ids; an exact fix is a fixes entry whose deletedRegion and
//     insertedContent reproduce the edits byte for byte.
//   - Notifications become invocations[0].toolExecutionNotifications.
//
// Each result with a file carries partialFingerprints.primaryLocationLineHash,
// which GitHub uses to follow an alert across commits. The value is the one
// github/codeql-action's upload-sarif would compute from the checked-out
// file for the result's start line (see LineHashes), taken from the same
// bytes tlsvet read, so upload-sarif finds it consistent and keeps it, and
// uploads that bypass upload-sarif (the REST API, other tools) still get
// stable alerts instead of duplicates. upload-sarif reads the file at the
// URI under its checkout_path; URIs are repository-relative (URIPrefix), so
// it reads the same file. Where the contents differ anyway it warns and
// keeps tlsvet's value.
//
// A file with secret values is hashed with each secret replaced by
// source.Mask: the hash window runs over 100 characters from the start of
// the line, so a password on a nearby line could otherwise be recovered
// from an uploaded hash by trying candidates. Hashes of windows without a
// secret are unchanged; those with one differ from upload-sarif's, which
// then warns and keeps tlsvet's. Results carry no fix whose text would
// show a secret.
func SARIF(w io.Writer, r *Report) error {
	rs := newRuleSet(r.Rules)
	run := sarifRun{
		ColumnKind: "utf16CodeUnits",
		Results:    []sarifResult{},
	}
	mask := r.secretMasker()
	hashes := map[*source.File][]string{}
	for _, d := range r.Diagnostics {
		res := sarifResultOf(d, rs, r.URIPrefix, mask)
		if d.Span.IsValid() {
			f := d.Span.File
			if hashes[f] == nil {
				hashes[f] = LineHashes(redacted(f))
			}
			// upload-sarif hashes the line named by region.startLine.
			if line := res.Locations[0].PhysicalLocation.Region.StartLine; line <= len(hashes[f]) {
				res.PartialFingerprints = map[string]string{"primaryLocationLineHash": hashes[f][line-1]}
			}
		}
		run.Results = append(run.Results, res)
	}
	// Rules are listed after the results so that a rule a finding named but
	// that was not among those that ran is in the list too.
	run.Tool.Driver = sarifDriver{
		Name:            "tlsvet",
		SemanticVersion: r.Version,
		InformationURI:  informationURI,
		Rules:           []sarifRule{},
	}
	for _, rule := range rs.list {
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleOf(rule))
	}
	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, n := range r.Notifications {
		sn := sarifNotification{Level: n.level(), Message: sarifText{Text: mask(n.Message)}}
		if n.Path != "" {
			sn.Locations = []sarifLocation{{PhysicalLocation: &sarifPhysical{ArtifactLocation: artifactOf(r.URIPrefix, n.Path)}}}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sn)
	}
	run.Invocations = []sarifInvocation{inv}
	if r.Category != "" {
		run.AutomationDetails = &sarifAutomation{ID: r.Category}
	}
	return encodeJSON(w, sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

func sarifResultOf(d lint.Diagnostic, rs *ruleSet, prefix string, mask func(string) string) sarifResult {
	res := sarifResult{
		RuleID:    d.RuleID,
		RuleIndex: rs.index(d.RuleID),
		Level:     rs.severity(d).String(),
		Message:   sarifText{Text: mask(d.Message)},
	}
	if d.Span.IsValid() {
		res.Locations = []sarifLocation{{PhysicalLocation: physicalOf(prefix, d.Span)}}
	}
	for i, rel := range d.Related {
		loc := sarifLocation{ID: i + 1, Message: &sarifText{Text: mask(rel.Message)}}
		if rel.Span.IsValid() {
			loc.PhysicalLocation = physicalOf(prefix, rel.Span)
		}
		res.RelatedLocations = append(res.RelatedLocations, loc)
	}
	if d.Fix != nil && !showsSecret(d.Fix) {
		if fix, ok := fixOf(prefix, d.Fix, mask); ok {
			res.Fixes = []sarifFix{fix}
		}
	}
	return res
}

// physicalOf is a span as a reader sees it (see displayEnd).
func physicalOf(prefix string, s source.Span) *sarifPhysical {
	start, end := displayRange(s)
	return &sarifPhysical{ArtifactLocation: artifactOf(prefix, s.File.Path), Region: regionOf(start, end)}
}

func regionOf(start, end source.Position) *sarifRegion {
	return &sarifRegion{StartLine: start.Line, StartColumn: start.UTF16Col, EndLine: end.Line, EndColumn: end.UTF16Col}
}

// fixOf converts the edits, grouped by file in order of appearance, using
// exact offsets. A fix with an edit outside any file is dropped.
func fixOf(prefix string, f *lint.Fix, mask func(string) string) (sarifFix, bool) {
	fix := sarifFix{}
	if f.Message != "" {
		text := mask(f.Message)
		if f.Suggestion {
			text += " (a suggestion: tlsvet --fix does not apply it)"
		}
		fix.Description = &sarifText{Text: text}
	}
	byPath := map[string]int{}
	for _, e := range f.Edits {
		if !e.Span.IsValid() {
			return sarifFix{}, false
		}
		p := e.Span.File.Path
		i, ok := byPath[p]
		if !ok {
			i = len(fix.ArtifactChanges)
			byPath[p] = i
			fix.ArtifactChanges = append(fix.ArtifactChanges, sarifChange{ArtifactLocation: artifactOf(prefix, p)})
		}
		rep := sarifReplacement{DeletedRegion: *regionOf(e.Span.StartPos(), e.Span.EndPos())}
		if e.New != "" {
			rep.InsertedContent = &sarifText{Text: e.New}
		}
		fix.ArtifactChanges[i].Replacements = append(fix.ArtifactChanges[i].Replacements, rep)
	}
	return fix, len(fix.ArtifactChanges) > 0
}

// artifactOf turns a slash-separated path into an artifact location:
// relative paths, with prefix before them, are relative to %SRCROOT% (the
// repository root); absolute ones (read with --allow-outside-root) become
// file URIs.
func artifactOf(prefix, path string) sarifArtifact {
	switch {
	case strings.HasPrefix(path, "/"):
		return sarifArtifact{URI: "file://" + escapePath(path)}
	case len(path) >= 3 && path[1] == ':' && path[2] == '/' && isLetter(path[0]): // C:/…
		return sarifArtifact{URI: "file:///" + path[:2] + escapePath(path[2:])}
	}
	return sarifArtifact{URI: escapePath(prefix + path), URIBaseID: srcRoot}
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// escapePath percent-encodes everything but unreserved characters and
// slashes, so that a file named "a b#1:c.cnf" stays one relative path and
// is never read as a scheme, query or fragment (RFC 3986 §2.3).
func escapePath(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if isLetter(c) || '0' <= c && c <= '9' || strings.IndexByte("-._~/", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func sarifRuleOf(r *lint.Rule) sarifRule {
	title := r.Doc.Title
	if title == "" {
		title = r.ID
	}
	full := firstParagraph(r.Doc.Why)
	if full == "" {
		full = title
	}
	level := r.Severity
	if level == lint.SeverityDefault {
		level = lint.Warning
	}
	props := sarifRuleProps{Precision: "high", SecuritySeverity: r.SecuritySeverity}
	props.Tags = append(props.Tags, r.Tags...)
	if r.SecuritySeverity != "" && !contains(props.Tags, "security") {
		props.Tags = append(props.Tags, "security")
	}
	text, markdown := helpOf(r)
	return sarifRule{
		ID:                   r.ID,
		Name:                 pascal(r.Name),
		ShortDescription:     sarifText{Text: clip(title, maxDescription)},
		FullDescription:      sarifText{Text: clip(full, maxDescription)},
		Help:                 sarifHelp{Text: text, Markdown: markdown},
		HelpURI:              ruleDocURI + r.ID + ".md",
		DefaultConfiguration: sarifConfig{Level: level.String()},
		Properties:           props,
	}
}

// helpOf renders a rule's Doc as plain text and as Markdown: title, why,
// the bad and good examples, the fix and the sources.
func helpOf(r *lint.Rule) (text, markdown string) {
	d := r.Doc
	var t, m strings.Builder
	title := d.Title
	if title == "" {
		title = r.ID
	}
	t.WriteString(title + "\n")
	fmt.Fprintf(&m, "**%s**\n", title)
	if d.Why != "" {
		t.WriteString("\n" + strings.TrimSpace(d.Why) + "\n")
		m.WriteString("\n" + strings.TrimSpace(d.Why) + "\n")
	}
	example := func(label, code string) {
		if code == "" {
			return
		}
		t.WriteString("\n" + label + ":\n\n")
		for _, line := range strings.Split(strings.TrimRight(code, "\n"), "\n") {
			t.WriteString(strings.TrimRight("    "+line, " ") + "\n")
		}
		fence := codeFence(code)
		fmt.Fprintf(&m, "\n%s:\n\n%s%s\n%s\n%s\n", label, fence, codeLanguage(code), strings.TrimRight(code, "\n"), fence)
	}
	example("Bad", d.Bad)
	example("Good", d.Good)
	if d.Fix != "" {
		t.WriteString("\nFix: " + d.Fix + "\n")
		m.WriteString("\n**Fix:** " + d.Fix + "\n")
	}
	if len(d.Sources) > 0 {
		t.WriteString("\nSources:\n")
		m.WriteString("\n**Sources:**\n\n")
		for _, s := range d.Sources {
			t.WriteString("- " + s + "\n")
			fmt.Fprintf(&m, "- <%s>\n", s)
		}
	}
	return t.String(), m.String()
}

// codeFence returns a backtick fence longer than any run of backticks in
// code, so that the example cannot end the block early.
func codeFence(code string) string {
	longest, run := 0, 0
	for _, c := range code {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// codeLanguage tags option files (their first setting line is a [group])
// as ini for syntax highlighting; anything else gets no tag rather than a
// wrong one.
func codeLanguage(code string) string {
	for _, line := range strings.Split(code, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			return "ini"
		}
		break
	}
	return ""
}

func firstParagraph(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "\n\n"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// clip shortens s to at most n characters, ending with an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// pascal turns "tls-version-hole" into "TlsVersionHole", the form SARIF
// consumers expect for reportingDescriptor.name.
func pascal(kebab string) string {
	var b strings.Builder
	for _, part := range strings.Split(kebab, "-") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// The structs below hold the subset of SARIF 2.1.0 tlsvet writes.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool              sarifTool         `json:"tool"`
	Invocations       []sarifInvocation `json:"invocations"`
	AutomationDetails *sarifAutomation  `json:"automationDetails,omitempty"`
	ColumnKind        string            `json:"columnKind"`
	Results           []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name,omitempty"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifHelp      `json:"help"`
	HelpURI              string         `json:"helpUri"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           sarifRuleProps `json:"properties"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags             []string `json:"tags,omitempty"`
	SecuritySeverity string   `json:"security-severity,omitempty"`
	Precision        string   `json:"precision"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifText       `json:"message"`
	Locations        []sarifLocation `json:"locations,omitempty"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	Fixes            []sarifFix      `json:"fixes,omitempty"`
	// PartialFingerprints maps primaryLocationLineHash to its value.
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
}

type sarifLocation struct {
	ID               int            `json:"id,omitempty"` // 1-based in relatedLocations
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	Message          *sarifText     `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

type sarifFix struct {
	Description     *sarifText    `json:"description,omitempty"`
	ArtifactChanges []sarifChange `json:"artifactChanges"`
}

type sarifChange struct {
	ArtifactLocation sarifArtifact      `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent *sarifText  `json:"insertedContent,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

// redacted is f's content with its secrets masked, or the content itself
// when it has none.
func redacted(f *source.File) []byte {
	if !f.HasSecret(0, len(f.Content)) {
		return f.Content
	}
	return []byte(f.Redact(0, len(f.Content)))
}
