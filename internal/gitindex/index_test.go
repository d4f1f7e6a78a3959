package gitindex

import (
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// repo is a scratch git repository isolated from the user's and the
// system's configuration. git is required: missing, the test skips, or
// fails in CI.
type repo struct {
	t   *testing.T
	dir string
}

func newRepo(t *testing.T, initArgs ...string) *repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("git is required in CI: %v", err)
		}
		t.Skipf("git not found (%v); install git to compare the index reader with git ls-files", err)
	}
	for k, v := range map[string]string{
		"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
		"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
		"GIT_CEILING_DIRECTORIES": filepath.Dir(t.TempDir()),
	} {
		t.Setenv(k, v)
	}
	r := &repo{t: t, dir: filepath.Join(t.TempDir(), "repo")}
	r.git(append([]string{"init", "-q", "-b", "main", r.dir}, initArgs...)...)
	return r
}

func (r *repo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = filepath.Dir(r.dir)
	if _, err := os.Stat(r.dir); err == nil {
		cmd.Dir = r.dir
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (r *repo) write(names ...string) {
	r.t.Helper()
	for _, name := range names {
		p := filepath.Join(r.dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(name+"\n"), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
}

// lsFiles is git's own list of the index's paths.
func (r *repo) lsFiles() []string {
	r.t.Helper()
	out := r.git("-c", "core.quotePath=false", "ls-files", "-z")
	return strings.FieldsFunc(out, func(c rune) bool { return c == 0 })
}

// check compares Has with git ls-files for every path listed and for the
// given untracked ones, and returns the index.
func check(t *testing.T, r *repo, version int, untracked ...string) *Index {
	t.Helper()
	ix, err := Tracked(os.DirFS(r.dir), ".", nil)
	if err != nil {
		t.Fatal(err)
	}
	if ix.Version != version {
		t.Errorf("version %d, want %d", ix.Version, version)
	}
	want := r.lsFiles()
	if ix.Len() != len(slices.Compact(slices.Clone(want))) {
		t.Errorf("Len() = %d, git ls-files lists %d: %q", ix.Len(), len(want), want)
	}
	for _, p := range want {
		if !ix.Has(p) {
			t.Errorf("Has(%q) = false; git ls-files lists it", p)
		}
	}
	for _, p := range untracked {
		if ix.Has(p) {
			t.Errorf("Has(%q) = true; git ls-files does not list it", p)
		}
	}
	return ix
}

// populate makes a history with committed, staged-only, removed and
// untracked files, with long shared prefixes for v4's compression.
func populate(r *repo) (untracked []string) {
	r.write("a.cnf", "conf.d/ssl.cnf", "conf.d/deep/er/path/server-key.pem",
		"conf.d/deep/er/path/server-cert.pem", "gone.key", "naïve é.pem", "x")
	r.git("add", ".")
	r.git("commit", "-qm", "one")
	r.write("staged.key", "conf.d/deep/er/staged.pem", "untracked.key", "conf.d/untracked.pem")
	r.git("add", "staged.key", "conf.d/deep/er/staged.pem")
	r.git("rm", "-q", "--cached", "gone.key")
	return []string{"untracked.key", "conf.d/untracked.pem", "gone.key", "conf.d", "conf.d/deep", ""}
}

func TestVersions(t *testing.T) {
	for _, v := range []int{2, 3, 4} {
		t.Run(string(rune('0'+v)), func(t *testing.T) {
			r := newRepo(t)
			untracked := populate(r)
			if v != 2 {
				r.git("update-index", "--index-version", string(rune('0'+v)))
			}
			if v >= 3 {
				// Intent-to-add sets the extended flags (index-format: "intent-to-add").
				r.write("intent.key")
				r.git("add", "-N", "intent.key")
			}
			ix := check(t, r, v, untracked...)
			for _, p := range []string{"staged.key", "conf.d/deep/er/staged.pem", "naïve é.pem"} {
				if !ix.Has(p) {
					t.Errorf("Has(%q) = false for a staged file", p)
				}
			}
			if v >= 3 && !ix.Has("intent.key") {
				t.Error("intent-to-add entry missing")
			}
		})
	}
}

func TestSHA256(t *testing.T) {
	r := newRepo(t, "--object-format=sha256")
	untracked := populate(r)
	check(t, r, 2, untracked...)
	r.git("update-index", "--index-version", "4")
	check(t, r, 4, untracked...)
}

func TestSkipHash(t *testing.T) {
	r := newRepo(t)
	untracked := populate(r)
	data, err := os.ReadFile(filepath.Join(r.dir, ".git", "index"))
	if err != nil {
		t.Fatal(err)
	}
	clear(data[len(data)-sha1.Size:])
	if err := os.WriteFile(filepath.Join(r.dir, ".git", "index"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	check(t, r, 2, untracked...)
}

func TestConflict(t *testing.T) {
	r := newRepo(t)
	r.write("c.cnf")
	r.git("add", ".")
	r.git("commit", "-qm", "base")
	r.git("checkout", "-qb", "other")
	os.WriteFile(filepath.Join(r.dir, "c.cnf"), []byte("other\n"), 0o644)
	r.git("commit", "-qam", "other")
	r.git("checkout", "-q", "main")
	os.WriteFile(filepath.Join(r.dir, "c.cnf"), []byte("main\n"), 0o644)
	r.git("commit", "-qam", "main")
	cmd := exec.Command("git", "merge", "-q", "other")
	cmd.Dir = r.dir
	if cmd.Run() == nil {
		t.Fatal("merge did not conflict")
	}
	if got := r.git("ls-files", "-s"); strings.Count(got, "c.cnf") != 3 {
		t.Fatalf("want three stages, got %s", got)
	}
	check(t, r, 2)
}

func TestWorktree(t *testing.T) {
	r := newRepo(t)
	untracked := populate(r)
	r.git("commit", "-qm", "two")
	wt := filepath.Join(filepath.Dir(r.dir), "wt")
	r.git("worktree", "add", "-q", wt)
	if st, err := os.Lstat(filepath.Join(wt, ".git")); err != nil || !st.Mode().IsRegular() {
		t.Fatalf(".git in a worktree should be a file: %v %v", st, err)
	}
	os.WriteFile(filepath.Join(wt, "wt-only.key"), []byte("k"), 0o644)
	cmd := exec.Command("git", "add", "wt-only.key")
	cmd.Dir = wt
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}

	// Outside the root: refused by default.
	_, err := Tracked(os.DirFS(wt), ".", nil)
	if oe := (*OutsideError)(nil); !errors.As(err, &oe) || !errors.Is(err, ErrOutside) {
		t.Fatalf("Tracked without an opener = %v, want an OutsideError", err)
	}
	ix, err := Tracked(os.DirFS(wt), ".", WorktreeOpener(wt))
	if err != nil {
		t.Fatal(err)
	}
	if !ix.Has("wt-only.key") || !ix.Has("staged.key") || ix.Has("untracked.key") {
		t.Errorf("worktree index: wt-only.key %v staged.key %v untracked.key %v",
			ix.Has("wt-only.key"), ix.Has("staged.key"), ix.Has(untracked[0]))
	}
	// The main checkout's index is not the worktree's.
	if main := check(t, r, 2); main.Has("wt-only.key") {
		t.Error("main index has the worktree's staged file")
	}

	// The same gitdir named from another tree lacks the back-link.
	other := t.TempDir()
	gitdir := strings.TrimSpace(strings.TrimPrefix(readFile(t, filepath.Join(wt, ".git")), "gitdir: "))
	os.WriteFile(filepath.Join(other, ".git"), []byte("gitdir: "+gitdir+"\n"), 0o644)
	if _, err := Tracked(os.DirFS(other), ".", WorktreeOpener(other)); !errors.Is(err, ErrOutside) {
		t.Errorf("a stranger's .git naming the worktree's gitdir: %v, want ErrOutside", err)
	}
	// A gitdir that is no worktree layout at all.
	os.WriteFile(filepath.Join(other, ".git"), []byte("gitdir: "+filepath.Join(r.dir, ".git")+"\n"), 0o644)
	if _, err := Tracked(os.DirFS(other), ".", WorktreeOpener(other)); !errors.Is(err, ErrOutside) {
		t.Errorf("a .git naming another repository: %v, want ErrOutside", err)
	}
	// A submodule's layout, but of a repository that does not contain other.
	os.MkdirAll(filepath.Join(r.dir, ".git", "modules", "m"), 0o755)
	os.WriteFile(filepath.Join(other, ".git"), []byte("gitdir: "+filepath.Join(r.dir, ".git", "modules", "m")+"\n"), 0o644)
	if _, err := Tracked(os.DirFS(other), ".", WorktreeOpener(other)); !errors.Is(err, ErrOutside) {
		t.Errorf("a .git naming another repository's module: %v, want ErrOutside", err)
	}
}

func TestSubmodule(t *testing.T) {
	sub := newRepo(t)
	sub.write("inner.key")
	sub.git("add", ".")
	sub.git("commit", "-qm", "sub")
	r := newRepo(t)
	r.write("top.cnf")
	r.git("add", ".")
	r.git("commit", "-qm", "top")
	r.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", sub.dir, "mod")
	// .git of the submodule is "gitdir: ../.git/modules/mod": inside the
	// superproject's root, read through fsys without an opener.
	if got := readFile(t, filepath.Join(r.dir, "mod", ".git")); !strings.Contains(got, "../.git/modules/mod") {
		t.Fatalf("mod/.git = %q", got)
	}
	ix, err := Tracked(os.DirFS(r.dir), "mod", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !ix.Has("inner.key") || ix.Has("top.cnf") {
		t.Errorf("submodule index: inner.key %v top.cnf %v", ix.Has("inner.key"), ix.Has("top.cnf"))
	}
	// Scanned from the submodule's own directory, the gitdir is outside.
	if _, err := Tracked(os.DirFS(filepath.Join(r.dir, "mod")), ".", nil); !errors.Is(err, ErrOutside) {
		t.Errorf("submodule as root without an opener: %v", err)
	}
	mod := filepath.Join(r.dir, "mod")
	if ix, err := Tracked(os.DirFS(mod), ".", WorktreeOpener(mod)); err != nil || !ix.Has("inner.key") {
		t.Errorf("submodule as root with WorktreeOpener: %v", err)
	}
}

func TestNoRepository(t *testing.T) {
	if _, err := Tracked(os.DirFS(t.TempDir()), ".", nil); !errors.Is(err, ErrNoRepository) {
		t.Errorf("err = %v, want ErrNoRepository", err)
	}
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, ".git"), 0o755)
	if ix, err := Tracked(os.DirFS(dir), ".", nil); err != nil || ix.Len() != 0 {
		t.Errorf("a .git without an index: %v, %v", ix, err)
	}
	os.WriteFile(filepath.Join(dir, "sub.git"), nil, 0o644)
	os.MkdirAll(filepath.Join(dir, "f"), 0o755)
	os.WriteFile(filepath.Join(dir, "f", ".git"), []byte("not a gitdir line\n"), 0o644)
	if _, err := Tracked(os.DirFS(dir), "f", nil); err == nil {
		t.Error("a .git file without a gitdir line was accepted")
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// build writes an index by hand: version, entry count, raw entry bytes and
// a valid SHA-1 checksum.
func build(version, count uint32, body []byte) []byte {
	b := []byte("DIRC")
	b = binary.BigEndian.AppendUint32(b, version)
	b = binary.BigEndian.AppendUint32(b, count)
	b = append(b, body...)
	sum := sha1.Sum(b)
	return append(b, sum[:]...)
}

// entry is one v4 entry (no padding) with the given prefix strip and suffix.
func entry(strip byte, suffix string, nameLen int) []byte {
	e := make([]byte, 40+sha1.Size)
	e = binary.BigEndian.AppendUint16(e, uint16(nameLen))
	e = append(e, strip)
	return append(append(e, suffix...), 0)
}

func TestHostile(t *testing.T) {
	r := newRepo(t)
	populate(r)
	good, err := os.ReadFile(filepath.Join(r.dir, ".git", "index"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(good); err != nil {
		t.Fatal(err)
	}
	withCount := func(n uint32) []byte {
		b := slices.Clone(good[:len(good)-sha1.Size])
		binary.BigEndian.PutUint32(b[8:], n)
		return build(2, n, b[12:])
	}
	for name, data := range map[string][]byte{
		"empty":               nil,
		"truncated":           good[:len(good)/2],
		"bad checksum":        append(slices.Clone(good[:len(good)-1]), good[len(good)-1]^1),
		"huge count":          withCount(0xFFFFFFFF),
		"one more entry":      withCount(binary.BigEndian.Uint32(good[8:]) + 1),
		"version 5":           build(5, 0, nil),
		"v4 strip > previous": build(4, 2, append(entry(0, "ab", 2), entry(3, "c", 1)...)),
		"v4 varint overflow":  build(4, 1, append(entry(0xFF, "", 0)[:62], 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0)),
		"name length lies":    build(4, 1, entry(0, "abc", 7)),
		"no NUL":              build(4, 1, entry(0, "abc", 3)[:62+4]),
		"extension too long":  build(4, 1, append(entry(0, "a", 1), "TREE\xff\xff\xff\xff"...)),
		"v2 extended flag":    build(2, 1, append(entry(0, "", 0)[:60], 0x40, 1, 'a', 0, 0, 0, 0, 0, 0, 0)),
	} {
		_, err := Parse(data)
		t.Logf("%s: %v", name, err)
		if !errors.Is(err, ErrFormat) {
			t.Errorf("%s: err = %v, want ErrFormat", name, err)
		}
	}
	// v4 names repeat the previous one for free: 20000 entries of 64
	// bytes would build 80 MB of names from a 1.3 MB file.
	long := entry(0, strings.Repeat("a", 4000), 4000)
	for range 20000 {
		long = append(long, entry(0, "", 4000)...)
	}
	if _, err := Parse(build(4, 20001, long)); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "longer than the file") {
		t.Errorf("v4 names far longer than the file: %v", err)
	}
	if ix, err := Parse(build(4, 2, append(entry(0, "ab", 2), entry(1, "c", 2)...))); err != nil || !ix.Has("ab") || !ix.Has("ac") {
		t.Errorf("a valid hand-made v4 index: %v", err)
	}
}
