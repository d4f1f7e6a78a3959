package mycnf

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

func mapFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, content := range files {
		m[name] = &fstest.MapFile{Data: []byte(content)}
	}
	return m
}

func dumpIncludes(r *Result) []string {
	var out []string
	for _, inc := range r.Includes {
		s := fmt.Sprintf("%s@%s %q", inc.Span.File.Path, sp(inc.TargetSpan), inc.Target)
		if inc.Problem != None {
			s += " problem=" + inc.Problem.String()
		}
		if len(inc.Files) > 0 {
			s += " files=" + strings.Join(inc.Files, ",")
		}
		if len(inc.Skipped) > 0 {
			s += " skipped=" + strings.Join(inc.Skipped, ",")
		}
		out = append(out, s)
	}
	return out
}

func filePaths(r *Result) []string {
	var out []string
	for _, f := range r.Files {
		out = append(out, f.Path)
	}
	return out
}

func TestReadIncludes(t *testing.T) {
	fsys := mapFS(map[string]string{
		"etc/mysql/my.cnf": "[client]\nssl-mode=REQUIRED\n!include extra.cnf\nafter-include=1\n" +
			"!includedir conf.d/\n[mysqld]\n!include missing.cnf\n!include conf.d\nlast=1\n",
		"etc/mysql/extra.cnf":      "# extra\n[mysqld]\n  ssl_ca = /from/extra.pem\n",
		"etc/mysql/conf.d/z.cnf":   "[mysqld]\ntls_version=TLSv1.3\n",
		"etc/mysql/conf.d/a.cnf":   "[mysqld]\nssl-cipher=FROM-A\n!include ../extra.cnf\n",
		"etc/mysql/conf.d/b.conf":  "[mysqld]\nignored=1\n",
		"etc/mysql/conf.d/c.ini":   "[mysqld]\nignored=1\n",
		"etc/mysql/conf.d/.cnf":    "[client]\nhidden=1\n",
		"etc/mysql/conf.d/d.cnf/x": "",
	})
	r := Read("etc/mysql/my.cnf", Options{FS: fsys})
	eq(t, "errors", dumpErrors(r), nil)
	eq(t, "entries", dumpEntries(r), []string{
		`etc/mysql/my.cnf [client] "ssl-mode"@2:1-2:9 = "REQUIRED"@2:10-2:18`,
		`etc/mysql/extra.cnf [mysqld] "ssl_ca"@3:3-3:9 = "/from/extra.pem"@3:12-3:27`,
		`etc/mysql/my.cnf [client] "after-include"@4:1-4:14 = "1"@4:15-4:16`, // the including file's group continues
		`etc/mysql/conf.d/.cnf [client] "hidden"@2:1-2:7 = "1"@2:8-2:9`,
		`etc/mysql/conf.d/a.cnf [mysqld] "ssl-cipher"@2:1-2:11 = "FROM-A"@2:12-2:18`,
		`etc/mysql/extra.cnf [mysqld] "ssl_ca"@3:3-3:9 = "/from/extra.pem"@3:12-3:27`,
		`etc/mysql/conf.d/z.cnf [mysqld] "tls_version"@2:1-2:12 = "TLSv1.3"@2:13-2:20`,
		`etc/mysql/my.cnf [mysqld] "last"@9:1-9:5 = "1"@9:6-9:7`,
	})
	eq(t, "includes", dumpIncludes(r), []string{
		`etc/mysql/my.cnf@3:10-3:19 "extra.cnf" files=etc/mysql/extra.cnf`,
		`etc/mysql/my.cnf@5:13-5:20 "conf.d/" files=etc/mysql/conf.d/.cnf,etc/mysql/conf.d/a.cnf,etc/mysql/conf.d/z.cnf skipped=etc/mysql/conf.d/b.conf,etc/mysql/conf.d/c.ini`,
		`etc/mysql/conf.d/a.cnf@3:10-3:22 "../extra.cnf" files=etc/mysql/extra.cnf`,
		`etc/mysql/my.cnf@7:10-7:21 "missing.cnf" problem=missing`,
		`etc/mysql/my.cnf@8:10-8:16 "conf.d" problem=not a file`,
	})
	// Each file once, in first-read order; extra.cnf was read twice.
	eq(t, "files", filePaths(r), []string{"etc/mysql/my.cnf", "etc/mysql/extra.cnf", "etc/mysql/conf.d/.cnf", "etc/mysql/conf.d/a.cnf", "etc/mysql/conf.d/z.cnf"})
	if r.Entries[1].KeySpan.File != r.Entries[5].KeySpan.File {
		t.Error("a file read twice should be one *source.File")
	}
	var groups []string
	for _, g := range r.Groups {
		groups = append(groups, g.Span.File.Path+":"+g.Name)
	}
	eq(t, "groups", groups, []string{
		"etc/mysql/my.cnf:client", "etc/mysql/extra.cnf:mysqld", "etc/mysql/conf.d/.cnf:client",
		"etc/mysql/conf.d/a.cnf:mysqld", "etc/mysql/extra.cnf:mysqld", "etc/mysql/conf.d/z.cnf:mysqld", "etc/mysql/my.cnf:mysqld",
	})
	for i := range r.Entries {
		if e := &r.Entries[i]; e.Group.Span.File != e.KeySpan.File {
			t.Errorf("entry %s: group from another file", dumpEntry(e))
		}
	}
}

func TestReadErrors(t *testing.T) {
	fsys := mapFS(map[string]string{
		"top.cnf":      "[client]\n!include nogroup.cnf\n!include badgroup.cnf\n!include baddir.cnf\nafter=1\n!includedir nodir\nnever=1\n",
		"nogroup.cnf":  "orphan=1\n[client]\nnot-read=1\n",
		"badgroup.cnf": "[client]\nread=1\n[client\nnot-read=1\n",
		"baddir.cnf":   "[client]\n!includedir nodir\nnot-read=1\n",
	})
	r := Read("top.cnf", Options{FS: fsys})
	eq(t, "entries", dumpEntries(r), []string{
		`badgroup.cnf [client] "read"@2:1-2:5 = "1"@2:6-2:7`,
		`top.cnf [client] "after"@5:1-5:6 = "1"@5:7-5:8`,
	})
	eq(t, "errors", dumpErrors(r), []string{
		`nogroup.cnf@1:1-1:9 fatal=false: option without preceding group (MySQL: "Found option without preceding group in config file")`,
		`badgroup.cnf@3:1-3:8 fatal=false: wrong group definition: '[' without ']' (MySQL: "Wrong group definition in config file")`,
		`baddir.cnf@2:1-2:18 fatal=false: cannot read the included directory nodir: file does not exist`,
		`top.cnf@6:1-6:18 fatal=true: cannot read the included directory nodir: file does not exist`,
	})
	eq(t, "includes", dumpIncludes(r), []string{
		`top.cnf@2:10-2:21 "nogroup.cnf" files=nogroup.cnf`,
		`top.cnf@3:10-3:22 "badgroup.cnf" files=badgroup.cnf`,
		`top.cnf@4:10-4:20 "baddir.cnf" files=baddir.cnf`,
		`baddir.cnf@2:13-2:18 "nodir" problem=directory missing`,
		`top.cnf@6:13-6:18 "nodir" problem=directory missing`,
	})
	if !r.Fatal() {
		t.Error("Fatal() = false")
	}

	r = Read("nope.cnf", Options{FS: fsys})
	eq(t, "missing top file", dumpErrors(r), []string{`nope.cnf@- fatal=true io: cannot read: file does not exist`})
	r = Read("x.cnf", Options{})
	eq(t, "no FS", dumpErrors(r), []string{`x.cnf@- fatal=true io: cannot read: no file system given (Options.FS and Options.RootDir are empty)`})
}

func TestReadCycleAndDepth(t *testing.T) {
	files := map[string]string{
		"self.cnf": "[client]\na=1\n!include self.cnf\nb=2\n",
		"p.cnf":    "[client]\n!includedir d\n",
		"d/q.cnf":  "[client]\nq=1\n!include ../p.cnf\n",
	}
	// A chain l0 -> l1 -> ... -> l12: files up to level 10 are read; the
	// directive in l10 is skipped, as MySQL's max_recursion_level does.
	for i := 0; i <= 12; i++ {
		files[fmt.Sprintf("l%d.cnf", i)] = fmt.Sprintf("[client]\nlevel=%d\n!include l%d.cnf\n", i, i+1)
	}
	fsys := mapFS(files)

	r := Read("self.cnf", Options{FS: fsys})
	eq(t, "self entries", dumpEntries(r), []string{
		`self.cnf [client] "a"@2:1-2:2 = "1"@2:3-2:4`,
		`self.cnf [client] "b"@4:1-4:2 = "2"@4:3-4:4`,
	})
	eq(t, "self includes", dumpIncludes(r), []string{`self.cnf@3:10-3:18 "self.cnf" problem=include cycle`})

	r = Read("p.cnf", Options{FS: fsys})
	eq(t, "dir cycle includes", dumpIncludes(r), []string{
		`p.cnf@2:13-2:14 "d" files=d/q.cnf`,
		`d/q.cnf@3:10-3:18 "../p.cnf" problem=include cycle`,
	})

	r = Read("l0.cnf", Options{FS: fsys})
	var levels []string
	for _, e := range r.Entries {
		levels = append(levels, e.Value)
	}
	eq(t, "levels", levels, strings.Fields("0 1 2 3 4 5 6 7 8 9 10"))
	last := r.Includes[len(r.Includes)-1]
	if len(r.Includes) != 11 || last.Problem != Depth || last.Span.File.Path != "l10.cnf" {
		t.Errorf("includes = %v", dumpIncludes(r))
	}
	eq(t, "errors", dumpErrors(r), nil)
}

func TestReadOutside(t *testing.T) {
	outside := t.TempDir()
	root := t.TempDir()
	write := func(dir, name, content string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(outside, "ext.cnf", "[client]\next=1\n!include rel.cnf\n!include "+filepath.Join(root, "in.cnf")+"\n")
	write(outside, "rel.cnf", "[client]\nrel=1\n")
	write(outside, "d/o.cnf", "[client]\nodir=1\n")
	write(root, "in.cnf", "[client]\nin=1\n")
	rel, err := filepath.Rel(filepath.Join(root, "sub"), filepath.Join(outside, "ext.cnf"))
	if err != nil {
		t.Fatal(err)
	}
	top := "[client]\n!include " + filepath.Join(outside, "ext.cnf") + "\n!include " + filepath.ToSlash(rel) +
		"\n!include ~/.my.cnf\n!includedir " + filepath.Join(outside, "d") + "\n!include " + filepath.Join(root, "in.cnf") + "\n"
	write(root, "sub/top.cnf", top)

	// Without AllowOutside nothing outside the root is read, and no error is
	// reported for the directory (MySQL might or might not find it).
	r := Read("sub/top.cnf", Options{FS: os.DirFS(root), RootDir: root})
	eq(t, "errors", dumpErrors(r), nil)
	eq(t, "entries", dumpEntries(r), []string{`in.cnf [client] "in"@2:1-2:3 = "1"@2:4-2:5`})
	var problems []string
	for _, inc := range r.Includes {
		problems = append(problems, inc.Problem.String()+" "+strings.Join(inc.Files, ","))
	}
	eq(t, "problems", problems, []string{"outside root ", "outside root ", "outside root ", "outside root ", "none in.cnf"})

	// With AllowOutside the absolute and ../ targets are read from the OS;
	// relative includes inside them resolve against their directory, and an
	// absolute path back into the root maps to a root-relative path.
	cache := &Cache{}
	r = Read("sub/top.cnf", Options{FS: os.DirFS(root), RootDir: root, AllowOutside: true, Cache: cache})
	eq(t, "errors", dumpErrors(r), nil)
	ext, in := filepath.Join(outside, "ext.cnf"), "in.cnf"
	var got []string
	for _, e := range r.Entries {
		got = append(got, e.KeySpan.File.Path+" "+e.Key)
	}
	eq(t, "entries", got, []string{
		ext + " ext", filepath.Join(outside, "rel.cnf") + " rel", in + " in",
		ext + " ext", filepath.Join(outside, "rel.cnf") + " rel", in + " in",
		filepath.Join(outside, "d", "o.cnf") + " odir", in + " in",
	})
	if inc := r.Includes[6]; inc.Problem != Outside || inc.Target != "~/.my.cnf" {
		t.Errorf("~ include: %+v", inc)
	}
	// A second root reaching the same outside file gets the same File.
	write(outside, "root2/top.cnf", "[client]\n!include ../ext.cnf\n")
	r2 := Read("top.cnf", Options{RootDir: filepath.Join(outside, "root2"), AllowOutside: true, Cache: cache})
	if len(r2.Files) < 2 || r2.Files[1] != r.Files[1] {
		t.Errorf("cache did not share %s between roots", ext)
	}
}

func TestCacheConcurrent(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "my.cnf"), []byte("[client]\nssl\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cache := &Cache{}
	results := make([]*Result, 8)
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = Read("my.cnf", Options{RootDir: root, Cache: cache})
		}()
	}
	wg.Wait()
	for _, r := range results {
		if len(r.Files) != 1 || r.Files[0] != results[0].Files[0] {
			t.Fatal("concurrent Reads with one Cache should share the File")
		}
	}
}

func TestReadUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can read files without permission bits")
	}
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "my.cnf"), []byte("[client]\n!include secret.cnf\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "secret.cnf"), []byte("[client]\n"), 0o000); err != nil {
		t.Fatal(err)
	}
	r := Read("my.cnf", Options{RootDir: root})
	if len(r.Includes) != 1 || r.Includes[0].Problem != Unreadable || len(r.Errors) != 1 || r.Errors[0].Fatal {
		t.Errorf("includes %v errors %v", dumpIncludes(r), dumpErrors(r))
	}
}

// errFS fails every Open of a file named bad.cnf.
type errFS struct{ fstest.MapFS }

func (e errFS) Open(name string) (fs.File, error) {
	if strings.HasSuffix(name, "bad.cnf") {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return e.MapFS.Open(name)
}

func (e errFS) ReadFile(name string) ([]byte, error) { return fs.ReadFile(struct{ fs.FS }{e}, name) }

func TestReadUnreadableFS(t *testing.T) {
	fsys := errFS{mapFS(map[string]string{
		"my.cnf":    "[client]\n!include bad.cnf\n!includedir d\nok=1\n",
		"bad.cnf":   "[client]\n",
		"d/bad.cnf": "[client]\n",
		"d/ok.cnf":  "[client]\nfromdir=1\n",
	})}
	r := Read("my.cnf", Options{FS: fsys})
	eq(t, "includes", dumpIncludes(r), []string{
		`my.cnf@2:10-2:17 "bad.cnf" problem=unreadable`,
		`my.cnf@3:13-3:14 "d" problem=unreadable files=d/ok.cnf`,
	})
	eq(t, "errors", dumpErrors(r), []string{
		`my.cnf@2:10-2:17 fatal=false io: cannot read included file bad.cnf: permission denied`,
		`my.cnf@3:13-3:14 fatal=false io: cannot read included file d/bad.cnf: permission denied`,
	})
	if len(r.Entries) != 2 {
		t.Errorf("entries = %v", dumpEntries(r))
	}
}

func TestReadInRootAbsolute(t *testing.T) {
	// An absolute target inside RootDir is read through FS with a
	// root-relative path, even without AllowOutside.
	fsys := mapFS(map[string]string{
		"etc/mysql/my.cnf":          "[mysqld]\n!includedir /srv/repo/etc/mysql/conf.d\n",
		"etc/mysql/conf.d/tls.cnf":  "[mysqld]\nrequire_secure_transport=ON\n",
		"etc/mysql/conf.d/old.cnf~": "",
	})
	r := Read("etc/mysql/my.cnf", Options{FS: fsys, RootDir: "/srv/repo"})
	eq(t, "includes", dumpIncludes(r), []string{
		`etc/mysql/my.cnf@2:13-2:39 "/srv/repo/etc/mysql/conf.d" files=etc/mysql/conf.d/tls.cnf skipped=etc/mysql/conf.d/old.cnf~`,
	})
	r = Read("etc/mysql/my.cnf", Options{FS: fsys})
	eq(t, "without RootDir", dumpIncludes(r), []string{`etc/mysql/my.cnf@2:13-2:39 "/srv/repo/etc/mysql/conf.d" problem=outside root`})
}

// TestReadIncludeBudget: 11 files of under 100 bytes, each including the
// next four times, would expand to 4^10 reads; the budget stops the
// expansion, says so once per directive, and the work stays bounded.
func TestReadIncludeBudget(t *testing.T) {
	files := map[string]string{}
	for i := 0; i <= 10; i++ {
		inc := fmt.Sprintf("!include f%d.cnf\n", i+1)
		files[fmt.Sprintf("f%d.cnf", i)] = "[client]\nx=1\n" + strings.Repeat(inc, 4)
	}
	fsys := mapFS(files)
	for _, budget := range []int{0, 100} {
		r := Read("f0.cnf", Options{FS: fsys, MaxExpansions: budget})
		want := budget
		if want == 0 {
			want = DefaultMaxExpansions
		}
		// Each read file adds one entry; the top file too.
		if got := len(r.Entries); got != want+1 {
			t.Errorf("budget %d: %d entries read, want %d", budget, got, want+1)
		}
		tooMany := 0
		for _, in := range r.Includes {
			if in.Problem == TooMany {
				tooMany++
			}
		}
		if tooMany != 1 {
			t.Errorf("budget %d: %d includes say the expansion is too large, want 1", budget, tooMany)
		}
	}
}
