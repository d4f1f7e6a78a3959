package gitindex

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestIgnoredLikeGit compares Excludes with git's own answer for the
// untracked files of a repository: `git ls-files --others --ignored
// --exclude-standard` lists the ignored ones, without --ignored the rest.
func TestIgnoredLikeGit(t *testing.T) {
	r := newRepo(t)
	files := map[string]string{
		".gitignore": `# comment
*.log
!keep.log
/build
secret/
docs/**/*.tmp
**/cache
a/**
!a/b.txt
dir/
!dir/x.key
\#hash
\!bang
trailing\ 
foo[!x].key
*.pem
!/certs/*.pem
spaces.key   
`,
		"sub/.gitignore":    "!*.log\n/local.key\nnested/*.key\n",
		".git/info/exclude": "excluded.key\n!sub/excluded.key\n",
		"sub/excluded.key":  "", "excluded.key": "",
		"a.log": "", "keep.log": "", "sub/a.log": "", "sub/deep/b.log": "", "x/c.log": "",
		"build/x": "", "src/build/x": "",
		"secret/s.key": "", "x/secret/s.key": "", "y/secret": "",
		"docs/x.tmp": "", "docs/a/b/x.tmp": "", "other/docs/x.tmp": "",
		"cache/c": "", "z/cache/c": "",
		"a/b.txt": "", "a/c.txt": "", "a/d/e.txt": "",
		"dir/x.key": "", "dir/y": "",
		"#hash": "", "!bang": "", "trailing ": "", "spaces.key": "",
		"fooa.key": "", "foox.key": "",
		"certs/c.pem": "", "certs/sub/d.pem": "", "top.pem": "",
		"sub/local.key": "", "local.key": "", "sub/x/local.key": "",
		"sub/nested/n.key": "", "sub/x/nested/n.key": "", "plain.cnf": "",
	}
	for name, content := range files {
		p := filepath.Join(r.dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	split := func(s string) []string { return strings.FieldsFunc(s, func(c rune) bool { return c == 0 }) }
	ignored := split(r.git("-c", "core.quotePath=false", "ls-files", "-z", "--others", "--ignored", "--exclude-standard"))
	kept := split(r.git("-c", "core.quotePath=false", "ls-files", "-z", "--others", "--exclude-standard"))
	if len(ignored) < 15 || len(kept) < 10 {
		t.Fatalf("fixture too weak: ignored %q, kept %q", ignored, kept)
	}
	ex := NewExcludes(os.DirFS(r.dir), ".")
	for _, want := range []bool{true, false} {
		list := kept
		if want {
			list = ignored
		}
		for _, p := range list {
			got, err := ex.Ignored(p, false)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("Ignored(%q) = %v, git says %v", p, got, want)
			}
		}
	}
	for p := range files {
		if !slices.Contains(ignored, p) && !slices.Contains(kept, p) && !strings.HasPrefix(p, ".git/") {
			t.Errorf("git lists %q neither as ignored nor as kept", p)
		}
	}
	if got, err := Ignored(os.DirFS(r.dir), "build"); err != nil || !got {
		t.Errorf("Ignored(build) = %v, %v; want true", got, err)
	}
	if got, err := Ignored(os.DirFS(r.dir), "a"); err != nil || got {
		t.Errorf("Ignored(a) = %v, %v; a/** ignores what is inside a, not a", got, err)
	}
}
