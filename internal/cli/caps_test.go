package cli

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/report/sariftest"
)

// manyTokens is an option file whose tls_version names n different
// unknown protocols: n TV106 findings that cannot collapse into one.
func manyTokens(n int) string {
	toks := make([]string, n)
	for i := range toks {
		toks[i] = fmt.Sprintf("x%d", i)
	}
	return "[mysqld]\nrequire_secure_transport=ON\ntls_version=" + strings.Join(toks, ",") + "\n"
}

var tv106Line = regexp.MustCompile(`(?m)^[ab]\.cnf:\d+:\d+: error: .*\[TV106 `)

// TestOutputCaps: at most 100 findings per rule and file and
// --max-findings per report, each cap with a notice; the exit status and
// baseline write count every finding.
func TestOutputCaps(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.cnf": manyTokens(300), "b.cnf": manyTokens(300)})

	code, out, _ := run(t, dir, "check", "--fail-on", "error", ".")
	if code != ExitFindings {
		t.Errorf("exit %d, want %d", code, ExitFindings)
	}
	if n := len(tv106Line.FindAllString(out, -1)); n != 200 {
		t.Errorf("text shows %d TV106 findings, want 100 per file", n)
	}
	for _, f := range []string{"a.cnf", "b.cnf"} {
		want := f + ": warning: 200 more TV106 findings in this file not shown (at most 100 per rule and file"
		if !strings.Contains(out, want) {
			t.Errorf("text lacks the notice %q", want)
		}
	}

	code, out, _ = run(t, dir, "check", "--max-findings", "150", "--format", "sarif", ".")
	if code != ExitFindings {
		t.Errorf("capped SARIF: exit %d, want %d", code, ExitFindings)
	}
	sariftest.Validate(t, []byte(out))
	var doc struct {
		Runs []struct {
			Results     []json.RawMessage
			Invocations []struct {
				ToolExecutionNotifications []struct{ Message struct{ Text string } }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if n := len(doc.Runs[0].Results); n != 150 {
		t.Errorf("SARIF has %d results, want 150", n)
	}
	notes := doc.Runs[0].Invocations[0].ToolExecutionNotifications
	if len(notes) == 0 || !regexp.MustCompile(`^\d+ more findings not shown \(at most 150 per report`).MatchString(notes[len(notes)-1].Message.Text) {
		t.Errorf("SARIF notifications %+v lack the run cap", notes)
	}

	_, out, _ = run(t, dir, "check", "--max-findings", "0", "--format", "json", ".")
	var js struct {
		Findings []json.RawMessage
		Omitted  *int `json:"omitted_findings"`
	}
	if err := json.Unmarshal([]byte(out), &js); err != nil {
		t.Fatal(err)
	}
	if len(js.Findings) < 600 || js.Omitted != nil {
		t.Errorf("--max-findings 0: %d findings, omitted_findings %v; want all 600+ and no field", len(js.Findings), js.Omitted)
	}
	_, out, _ = run(t, dir, "check", "--format", "json", ".")
	if err := json.Unmarshal([]byte(out), &js); err != nil {
		t.Fatal(err)
	}
	if js.Omitted == nil || *js.Omitted != 400 {
		t.Errorf("JSON omitted_findings = %v, want 400", js.Omitted)
	}

	code, _, stderr := run(t, dir, "baseline", "write", "base.json", ".")
	if code != ExitClean || !regexp.MustCompile(`recorded 6\d\d findings`).MatchString(stderr) {
		t.Errorf("baseline write: exit %d, %q; want every finding recorded", code, stderr)
	}

	if code, _, _ := run(t, dir, "check", "--max-findings", "-1", "."); code != ExitUsage {
		t.Errorf("--max-findings -1: exit %d, want %d", code, ExitUsage)
	}
}
