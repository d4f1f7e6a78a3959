package mysqltls_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/cmd/tlsvet-vet/mysqltls"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestAnalyzer checks the `// want` comments and package facts of
// testdata/src and applies every suggested fix against the .golden files.
func TestAnalyzer(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), mysqltls.Analyzer, "a", "format", "cfg", "vars", "reg", "mid", "names", "dyn", "dynuser")
}

// TestSpans checks that each finding covers exactly the parameter it is
// about inside the string literal or fmt format, through escapes and
// multi-byte characters, or the whole expression when the DSN is a
// concatenation; and that no message quotes the password.
func TestSpans(t *testing.T) {
	want := map[string][]string{
		"a": {
			"tls=skip-verify", // the constant, reported once for its two uses
			"tls=skip-verify",
			"tls=Skip-Verify",
			"tls=skip-verify", // after \x77 and \u00e9
			`"app:pw@tcp(db:3306)/app?"+"tls=skip-verify"`,
			"tls=false",
			"tls=preferred",
			"allowFallbackToPlaintext=true",
			"TLS=true",
			"TLS=true", "tls=false",
			"sslmode=require",
			"tls=skip-verify",
			"tls=0",
			"tls=preferred",
			"custom",
			"TLS=true",
		},
		"format": {"tls=skip-verify", "tls=skip-verify", "TLS=true", "tls=preferred", "tls=false"},
	}
	for pkg, want := range want {
		res := analysistest.Run(t, analysistest.TestData(), mysqltls.Analyzer, pkg)
		var got []string
		for _, r := range res {
			fset := r.Action.Package.Fset
			diags := slices.SortedFunc(slices.Values(r.Diagnostics), func(a, b analysis.Diagnostic) int { return int(a.Pos - b.Pos) })
			for _, d := range diags {
				if strings.Contains(d.Message, "pw") {
					t.Errorf("message quotes the password: %s", d.Message)
				}
				src, err := os.ReadFile(fset.File(d.Pos).Name())
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, string(src[fset.Position(d.Pos).Offset:fset.Position(d.End).Offset]))
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: spans:\n got %q\nwant %q", pkg, got, want)
		}
	}
}
