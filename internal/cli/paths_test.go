package cli

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestPathsFromSubdirectory runs tlsvet in a/b of a repository: the root
// is the repository, yet text and JSON name the files the shortest way
// from the working directory, GitHub annotations from $GITHUB_WORKSPACE
// (else the repository), and SARIF from the repository.
func TestPathsFromSubdirectory(t *testing.T) {
	const bad = "[client]\nssl-mode=DISABLED\n"
	repo := writeFiles(t, map[string]string{
		".git/HEAD":  "ref: refs/heads/main\n",
		"a/b/my.cnf": bad,
		"a/c/x.cnf":  bad,
		"top.cnf":    bad,
	})
	wd := filepath.Join(repo, "a", "b")
	main := func(env map[string]string, args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		c := &Command{Stdout: &out, Stderr: &errb, Dir: wd, Getenv: func(k string) string { return env[k] }}
		if code := c.Main(append([]string{"--enable", "TV301"}, args...)); code != ExitFindings || errb.Len() > 0 {
			t.Fatalf("%v: exit %d, stderr %s", args, code, &errb)
		}
		return out.String()
	}
	// files returns the file names of a report's lines, in order.
	files := func(re, out string) []string {
		var got []string
		for _, m := range regexp.MustCompile(re).FindAllStringSubmatch(out, -1) {
			got = append(got, m[1])
		}
		return got
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"."}, []string{"my.cnf"}},
		{[]string{"my.cnf", "../c/x.cnf", "../../top.cnf"}, []string{"my.cnf", "../c/x.cnf", "../../top.cnf"}}, // in root-relative order,
	} {
		if got := files(`(?m)^(\S+):2:10: warning: `, main(nil, tc.args...)); !slices.Equal(got, tc.want) {
			t.Errorf("text %v: files %q, want %q", tc.args, got, tc.want)
		}
		var rep struct{ Findings []struct{ Path string } }
		if err := json.Unmarshal([]byte(main(nil, append([]string{"--format", "json"}, tc.args...)...)), &rep); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range rep.Findings {
			got = append(got, f.Path)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("json %v: paths %q, want %q", tc.args, got, tc.want)
		}
	}

	for _, tc := range []struct {
		workspace string
		want      string
	}{
		{"", "a/b/my.cnf"},                     // the repository
		{repo, "a/b/my.cnf"},                   // actions/checkout's default
		{filepath.Join(repo, "a"), "b/my.cnf"}, // checked out with path: a
	} {
		out := main(map[string]string{"GITHUB_WORKSPACE": tc.workspace}, "--format", "github", ".")
		if got := files(`(?m)^::warning file=([^,]+),line=2,`, out); !slices.Equal(got, []string{tc.want}) {
			t.Errorf("github with GITHUB_WORKSPACE=%q: files %q, want %q", tc.workspace, got, tc.want)
		}
	}

	var sarif struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(main(nil, "--format", "sarif", ".")), &sarif); err != nil {
		t.Fatal(err)
	}
	if r := sarif.Runs[0].Results; len(r) != 1 || r[0].Locations[0].PhysicalLocation.ArtifactLocation.URI != "a/b/my.cnf" {
		t.Errorf("sarif: results %+v, want one in a/b/my.cnf", r)
	}
}

// TestDiffPathsFromSubdirectory: --diff names files relative to the
// repository, which is how git apply reads them from any directory.
func TestDiffPathsFromSubdirectory(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".git/HEAD":   "ref: refs/heads/main\n",
		"a/b/my.cnf":  "[mysqld]\ntls_version=TLSv1,TLSv1.2\n",
		"a/other.cnf": "[mysqld]\ntls_version=TLSv1,TLSv1.2\n",
	})
	_, out, stderr := run(t, filepath.Join(dir, "a", "b"), "--diff", "../..")
	for _, want := range []string{"--- a/a/b/my.cnf\n+++ b/a/b/my.cnf\n", "--- a/a/other.cnf\n+++ b/a/other.cnf\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("diff lacks %q:\n%s\n%s", want, out, stderr)
		}
	}
}
