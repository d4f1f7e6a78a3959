//go:build unix

package rootfs

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// tree builds dir/repo with the given files ("name": content) and links
// ("name": "->target"), and dir/outside/secret.cnf.
func tree(t *testing.T, entries map[string]string) (*FS, string) {
	t.Helper()
	dir := t.TempDir()
	root := filepath.Join(dir, "repo")
	if err := os.MkdirAll(filepath.Join(dir, "outside"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "outside", "secret.cnf"), []byte("OUTSIDE\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, v := range entries {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		switch {
		case strings.HasPrefix(v, "->"):
			err = os.Symlink(strings.ReplaceAll(v[2:], "$DIR", dir), p)
		case v == "<dir>":
			err = os.Mkdir(p, 0o755)
		case v == "<fifo>":
			err = syscall.Mkfifo(p, 0o644)
		default:
			err = os.WriteFile(p, []byte(v), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	f, err := Open(root, 64)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, dir
}

func TestResolve(t *testing.T) {
	f, _ := tree(t, map[string]string{
		"my.cnf":          "[mysqld]\n",
		"conf.d/tls.cnf":  "[mysqld]\n",
		"link.cnf":        "->my.cnf",
		"chain.cnf":       "->link.cnf",
		"conf.d/up.cnf":   "->../my.cnf",
		"dirlink":         "->conf.d",
		"loop":            "->.",
		"self":            "->self",
		"rel-out.cnf":     "->../outside/secret.cnf",
		"abs-out.cnf":     "->$DIR/outside/secret.cnf",
		"abs-in.cnf":      "->$DIR/repo/my.cnf",
		"conf.d/deep.cnf": "->../../repo/my.cnf", // climbs out, then back in
		"dangling.cnf":    "->nowhere.cnf",
		"env.cnf":         "->/proc/self/environ",
	})
	for _, tc := range []struct {
		name, want string
		escapes    bool
		dir        bool
	}{
		{name: "my.cnf", want: "my.cnf"},
		{name: "link.cnf", want: "my.cnf"},
		{name: "chain.cnf", want: "my.cnf"},
		{name: "conf.d/up.cnf", want: "my.cnf"},
		{name: "dirlink/tls.cnf", want: "conf.d/tls.cnf"},
		{name: "dirlink", want: "conf.d", dir: true},
		{name: "loop", want: ".", dir: true},
		{name: "loop/loop/my.cnf", want: "my.cnf"},
		{name: "rel-out.cnf", escapes: true},
		{name: "abs-out.cnf", escapes: true},
		{name: "abs-in.cnf", escapes: true}, // absolute links are never followed
		{name: "conf.d/deep.cnf", escapes: true},
		{name: "env.cnf", escapes: true},
	} {
		got, info, err := f.Resolve(tc.name)
		if tc.escapes {
			var esc *EscapeError
			if !errors.As(err, &esc) || !errors.Is(err, ErrEscapes) {
				t.Errorf("Resolve(%q) = %q, %v; want an EscapeError", tc.name, got, err)
			}
			continue
		}
		if err != nil || got != tc.want || info.IsDir() != tc.dir {
			t.Errorf("Resolve(%q) = %q, dir %v, %v; want %q, dir %v", tc.name, got, info != nil && info.IsDir(), err, tc.want, tc.dir)
		}
	}
	if _, _, err := f.Resolve("self"); err == nil || errors.Is(err, ErrEscapes) {
		t.Errorf("a link to itself: %v, want a loop error", err)
	}
	if _, _, err := f.Resolve("dangling.cnf"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a dangling link: %v, want not exist", err)
	}
	if _, _, err := f.Resolve("../outside/secret.cnf"); err == nil {
		t.Error("a name climbing out of the root resolved")
	}
}

func TestReadFileRefusesWhatIsNotARegularFile(t *testing.T) {
	f, _ := tree(t, map[string]string{
		"fifo.cnf":  "<fifo>",
		"zero.cnf":  "->/dev/zero",
		"big.cnf":   strings.Repeat("#\n", 40), // 80 bytes, limit 64
		"ok.cnf":    "[mysqld]\n",
		"conf.d":    "<dir>",
		"fifo2.cnf": "->fifo.cnf",
	})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, name := range []string{"fifo.cnf", "fifo2.cnf"} {
			if _, err := f.ReadFile(name); !errors.Is(err, ErrNotRegular) {
				t.Errorf("ReadFile(%s) = %v, want ErrNotRegular", name, err)
			}
			if _, err := f.Open(name); !errors.Is(err, ErrNotRegular) {
				t.Errorf("Open(%s) = %v, want ErrNotRegular", name, err)
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("reading a FIFO hangs")
	}
	if _, err := f.ReadFile("zero.cnf"); !errors.Is(err, ErrEscapes) {
		t.Errorf("a link to /dev/zero: %v, want ErrEscapes", err)
	}
	var tl *TooLargeError
	if _, err := f.ReadFile("big.cnf"); !errors.As(err, &tl) || tl.Size != 80 || tl.Limit != 64 {
		t.Errorf("a file over the limit: %v", err)
	} else if got := err.Error(); !strings.Contains(got, "too large (80 bytes; the limit is 64 bytes)") {
		t.Errorf("message %q", got)
	}
	if b, err := f.ReadFile("ok.cnf"); err != nil || string(b) != "[mysqld]\n" {
		t.Errorf("a regular file: %q, %v", b, err)
	}
	ents, err := f.ReadDir(".")
	if err != nil || len(ents) != 6 || ents[0].Name() != "big.cnf" {
		t.Fatalf("ReadDir: %v, %v", ents, err)
	}
	// The walk decides by these types (on Linux they come from getdents64).
	types := map[string]fs.FileMode{"big.cnf": 0, "conf.d": fs.ModeDir, "fifo.cnf": fs.ModeNamedPipe,
		"fifo2.cnf": fs.ModeSymlink, "ok.cnf": 0, "zero.cnf": fs.ModeSymlink}
	for _, e := range ents {
		if e.Type() != types[e.Name()] || e.IsDir() != (types[e.Name()] == fs.ModeDir) {
			t.Errorf("%s: type %v, want %v", e.Name(), e.Type(), types[e.Name()])
		}
		if info, err := e.Info(); err != nil || info.Mode().Type() != types[e.Name()] || info.Name() != e.Name() {
			t.Errorf("%s: Info %v, %v", e.Name(), info, err)
		}
	}
}

func TestReadOS(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadOS(fifo, 10); !errors.Is(err, ErrNotRegular) {
		t.Errorf("FIFO: %v", err)
	}
	if _, err := ReadOS("/dev/zero", 10); !errors.Is(err, ErrNotRegular) {
		t.Errorf("/dev/zero: %v", err)
	}
	if _, err := ReadOS(dir, 10); err == nil {
		t.Error("a directory was read")
	}
	big := filepath.Join(dir, "big")
	os.WriteFile(big, make([]byte, 11), 0o644)
	var tl *TooLargeError
	if _, err := ReadOS(big, 10); !errors.As(err, &tl) {
		t.Errorf("over the limit: %v", err)
	}
	if b, err := ReadOS(big, 11); err != nil || len(b) != 11 {
		t.Errorf("at the limit: %d bytes, %v", len(b), err)
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{4 << 20: "4 MiB", 5<<20 + 1<<19: "5.5 MiB", 2048: "2 KiB", 10: "10 bytes"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestReadFilesIn: the same refusals as ReadFile, one directory at a time.
func TestReadFilesIn(t *testing.T) {
	f, _ := tree(t, map[string]string{
		"d/ok.cnf":     "[mysqld]\n",
		"d/fifo.cnf":   "<fifo>",
		"d/big.cnf":    strings.Repeat("#\n", 40),
		"d/out.cnf":    "->../../outside/secret.cnf",
		"d/inside.cnf": "->ok.cnf",
		"d/sub":        "<dir>",
		"d/limit.cnf":  strings.Repeat("#\n", 32), // exactly the limit
		"d/empty.cnf":  "",
	})
	done := make(chan [][]byte)
	go func() {
		done <- f.ReadFilesIn("d", []string{"ok.cnf", "fifo.cnf", "big.cnf", "out.cnf", "inside.cnf", "sub", "../d/ok.cnf", "missing.cnf", "limit.cnf", "empty.cnf"})
	}()
	var got [][]byte
	select {
	case got = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("reading a FIFO hangs")
	}
	want := []string{"[mysqld]\n", "", "", "", "[mysqld]\n", "", "", "", strings.Repeat("#\n", 32), "\x00"}
	for i, w := range want {
		if w == "\x00" { // read, and empty
			if got[i] == nil || len(got[i]) != 0 {
				t.Errorf("entry %d: %q, want an empty file", i, got[i])
			}
			continue
		}
		if string(got[i]) != w || (w == "") != (got[i] == nil) {
			t.Errorf("entry %d: %q, want %q", i, got[i], w)
		}
	}
	// Listing and reading at once: the regular files wanted, read as
	// ReadFilesIn reads them; links and what is not wanted, not read.
	ents, data, err := readDirFilesOf(t, f, "d", func(name string) bool { return name != "ok.cnf" })
	if err != nil || len(ents) != 8 {
		t.Fatalf("readDirFiles: %v, %v", ents, err)
	}
	wantRead := map[string]string{"limit.cnf": strings.Repeat("#\n", 32), "empty.cnf": ""}
	for i, e := range ents {
		w, read := wantRead[e.Name()]
		if (data[i] != nil) != read || string(data[i]) != w {
			t.Errorf("readDirFiles: %s: %q, want %q (read %v)", e.Name(), data[i], w, read)
		}
	}
	if got := f.ReadFilesIn("../outside", []string{"secret.cnf"}); got[0] != nil {
		t.Errorf("a directory outside the root was read: %q", got[0])
	}
}

// TestWalkDirs: every directory below the root that descend accepts is
// listed once, links to directories (inside or out) are not entered, the
// wanted regular files are read as ReadFilesIn reads them, an unreadable
// directory gives its error, and no descriptor stays open.
func TestWalkDirs(t *testing.T) {
	for _, batch := range []bool{true, false} {
		t.Run(fmt.Sprintf("batch reader %v", batch), func(t *testing.T) {
			defer func(was bool) { useBatchReader = was }(useBatchReader)
			useBatchReader = batch
			testWalkDirs(t)
		})
	}
}

func testWalkDirs(t *testing.T) {
	f, _ := tree(t, map[string]string{
		"my.cnf":          "[mysqld]\n",
		"a/b/c/deep.cnf":  "[client]\n",
		"a/b/fifo.cnf":    "<fifo>",
		"a/big.cnf":       strings.Repeat("#\n", 40),
		"a/skip/x.cnf":    "[mysqld]\n",
		"a/in":            "->b",
		"a/out":           "->../../outside",
		"a/link.cnf":      "->../my.cnf",
		"e/f/g/h/i/j.cnf": "",
		"locked/x.cnf":    "[mysqld]\n",
	})
	if err := os.Chmod(filepath.Join(f.Dir(), "locked"), 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(filepath.Join(f.Dir(), "locked"), 0o755) })
	fds := func() int { ents, _ := os.ReadDir("/proc/self/fd"); return len(ents) }
	before := fds()
	var mu sync.Mutex
	listed := map[string][]string{}
	read := map[string]string{}
	errs := map[string]bool{}
	f.WalkDirs(".", 3, func(dir string, e fs.DirEntry) bool { return e.Name() != "skip" },
		func(dir, name string) bool { return strings.HasSuffix(name, ".cnf") },
		func(dir string, ents []fs.DirEntry, data [][]byte, err error) {
			mu.Lock()
			defer mu.Unlock()
			if _, again := listed[dir]; again {
				t.Errorf("%s listed twice", dir)
			}
			listed[dir] = nil
			errs[dir] = err != nil
			for i, e := range ents {
				listed[dir] = append(listed[dir], e.Name())
				if data != nil && data[i] != nil {
					read[filepath.Join(dir, e.Name())] = string(data[i])
				}
			}
		})
	want := map[string]string{".": "a e locked my.cnf", "a": "b big.cnf in link.cnf out skip", "a/b": "c fifo.cnf",
		"a/b/c": "deep.cnf", "e": "f", "e/f": "g", "e/f/g": "h", "e/f/g/h": "i", "e/f/g/h/i": "j.cnf", "locked": ""}
	if os.Geteuid() == 0 {
		want["locked"] = "x.cnf" // root lists it anyway
	}
	if len(listed) != len(want) {
		t.Errorf("listed %v, want the directories of %v", listed, want)
	}
	for dir, names := range want {
		if got := strings.Join(listed[dir], " "); got != names {
			t.Errorf("%s: %q, want %q", dir, got, names)
		}
	}
	if os.Geteuid() != 0 && !errs["locked"] {
		t.Error("an unreadable directory gave no error")
	}
	wantRead := map[string]string{"my.cnf": "[mysqld]\n", "a/b/c/deep.cnf": "[client]\n", "e/f/g/h/i/j.cnf": ""}
	if os.Geteuid() == 0 {
		wantRead["locked/x.cnf"] = "[mysqld]\n" // root reads it anyway
	}
	if len(read) != len(wantRead) {
		t.Errorf("read %q, want %q", read, wantRead)
	}
	for name, text := range wantRead {
		if got, ok := read[name]; !ok || got != text {
			t.Errorf("%s: %q (read %v), want %q", name, got, ok, text)
		}
	}
	if after := fds(); after != before {
		t.Errorf("%d descriptors open before the walk, %d after", before, after)
	}
}

// TestReadDirFilesLarge (readDirFiles, which WalkDirs uses): a file larger than the first read's buffer is
// read whole, and one exactly the buffer's size too.
func TestReadDirFilesLarge(t *testing.T) {
	dir := t.TempDir()
	big := strings.Repeat("[mysqld]\ntls_version=TLSv1.2\n", 2000) // 60 KB
	exact := strings.Repeat("x", 16<<10)
	for name, text := range map[string]string{"big.cnf": big, "exact.cnf": exact, "small.cnf": "[client]\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := Open(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ents, data, err := readDirFilesOf(t, f, ".", func(string) bool { return true })
	if err != nil || len(ents) != 3 {
		t.Fatalf("readDirFiles: %v, %v", ents, err)
	}
	want := map[string]string{"big.cnf": big, "exact.cnf": exact, "small.cnf": "[client]\n"}
	for i, e := range ents {
		if string(data[i]) != want[e.Name()] {
			t.Errorf("%s: %d bytes, want %d", e.Name(), len(data[i]), len(want[e.Name()]))
		}
	}
	// Over the buffer and at or over the limit.
	lim, err := Open(dir, 20000)
	if err != nil {
		t.Fatal(err)
	}
	defer lim.Close()
	for name, size := range map[string]int{"at-limit.cnf": 20000, "over-limit.cnf": 20001} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.Repeat("y", size)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ents, data, _ = readDirFilesOf(t, lim, ".", func(n string) bool { return strings.Contains(n, "limit") })
	for i, e := range ents {
		switch e.Name() {
		case "at-limit.cnf":
			if len(data[i]) != 20000 {
				t.Errorf("a file at the limit: %d bytes read", len(data[i]))
			}
		case "over-limit.cnf":
			if data[i] != nil {
				t.Errorf("a file over the limit was read (%d bytes)", len(data[i]))
			}
		}
	}
}

// readDirFilesOf opens directory dir of f and lists and reads it as
// WalkDirs does, with plain system calls and, where the system has it,
// with a batch reader (io_uring) that also opens the subdirectories, and
// fails the test when the two differ.
func readDirFilesOf(t *testing.T, f *FS, dir string, want func(string) bool) ([]fs.DirEntry, [][]byte, error) {
	t.Helper()
	read := func(br *batchReader) ([]fs.DirEntry, [][]byte, []subdir, error) {
		file, err := f.Open(dir)
		if err != nil {
			return nil, nil, nil, err
		}
		defer file.Close()
		osf := file.(*os.File)
		return f.readDirFiles(openDir{fd: fdOf(osf), file: osf}, dir, want, func(e fs.DirEntry) bool { return true }, 1000, br)
	}
	ents, data, subs, err := read(nil)
	br := newBatchReader()
	if br == nil {
		t.Log("no batch reader here (not Linux, or io_uring unavailable): plain system calls only")
		return ents, data, err
	}
	defer br.close()
	bents, bdata, bsubs, berr := read(br)
	if fmt.Sprint(bents) != fmt.Sprint(ents) || fmt.Sprint(berr) != fmt.Sprint(err) {
		t.Errorf("batch reader listed %v (%v), plain %v (%v)", bents, berr, ents, err)
	}
	for i := range min(len(data), len(bdata)) {
		if !bytes.Equal(data[i], bdata[i]) || (data[i] == nil) != (bdata[i] == nil) {
			t.Errorf("%s: batch reader read %d bytes (nil %v), plain %d (nil %v)", ents[i].Name(), len(bdata[i]), bdata[i] == nil, len(data[i]), data[i] == nil)
		}
	}
	if len(data) != len(bdata) {
		t.Errorf("batch reader: %d data, plain %d", len(bdata), len(data))
	}
	if len(subs) != len(bsubs) {
		t.Errorf("batch reader: subdirectories %v, plain %v", bsubs, subs)
	}
	for k := range min(len(subs), len(bsubs)) {
		if subs[k].name != bsubs[k].name || subs[k].fd != -1 || bsubs[k].fd < 0 {
			t.Errorf("subdirectory %d: batch reader %v, plain %v", k, bsubs[k], subs[k])
		}
		if bsubs[k].fd >= 0 {
			closeFd(bsubs[k].fd)
		}
	}
	return ents, data, err
}

// TestWalkDirsWide: a directory with more subdirectories than a batch
// reader opens ahead (heldDirs), so that some are opened by the batch of
// their parent and the others beside it, is walked whole, with every file
// read once and no descriptor left open, with and without a batch reader.
func TestWalkDirsWide(t *testing.T) {
	entries := map[string]string{}
	const n = heldDirs + 44
	for i := range n {
		entries[fmt.Sprintf("s%03d/x.cnf", i)] = fmt.Sprint(i)
		entries[fmt.Sprintf("s%03d/d/y.cnf", i)] = fmt.Sprint(-i)
	}
	f, _ := tree(t, entries)
	for _, batch := range []bool{true, false} {
		t.Run(fmt.Sprintf("batch reader %v", batch), func(t *testing.T) {
			defer func(was bool) { useBatchReader = was }(useBatchReader)
			useBatchReader = batch
			fds := func() int { ents, _ := os.ReadDir("/proc/self/fd"); return len(ents) }
			before := fds()
			var mu sync.Mutex
			dirs := 0
			read := map[string]string{}
			f.WalkDirs(".", 2, func(string, fs.DirEntry) bool { return true }, func(string, string) bool { return true },
				func(dir string, ents []fs.DirEntry, data [][]byte, err error) {
					mu.Lock()
					defer mu.Unlock()
					if err != nil {
						t.Errorf("%s: %v", dir, err)
					}
					dirs++
					for i, e := range ents {
						if data != nil && data[i] != nil {
							read[path.Join(dir, e.Name())] = string(data[i])
						}
					}
				})
			if dirs != 1+2*n {
				t.Errorf("%d directories listed, want %d", dirs, 1+2*n)
			}
			if len(read) != len(entries) {
				t.Errorf("%d files read, want %d", len(read), len(entries))
			}
			for name, text := range entries {
				if read[name] != text {
					t.Errorf("%s: %q, want %q", name, read[name], text)
				}
			}
			if after := fds(); after != before {
				t.Errorf("%d descriptors open before the walk, %d after", before, after)
			}
		})
	}
}
