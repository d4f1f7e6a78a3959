package rootfs

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadBatches: a directory of more files than one batch reads, of
// every size around the first read's buffer and the size limit, with
// links and an unreadable file, reads the same with the batch reader as
// with plain system calls (readDirFilesOf compares them), and leaves no
// descriptor open.
func TestReadBatches(t *testing.T) {
	entries := map[string]string{
		"in.cnf":     "->f000.cnf",
		"out.cnf":    "->$DIR/outside/secret.cnf",
		"locked.cnf": "[mysqld]\n",
		"fifo.cnf":   "<fifo>",
		"sub/x.cnf":  "[client]\n",
		"sub2":       "<dir>",
	}
	sizes := []int{0, 1, 100, smallFile - 1, smallFile, smallFile + 1, 3 * smallFile, 70000, 70001}
	for i := range 3*batchFiles + 5 {
		entries[fmt.Sprintf("f%03d.cnf", i)] = strings.Repeat(string(rune('a'+i%26)), sizes[i%len(sizes)])
	}
	f, _ := tree(t, entries)
	f.maxSize = 70000
	if err := os.Chmod(filepath.Join(f.Dir(), "locked.cnf"), 0); err != nil {
		t.Fatal(err)
	}
	fds := func() int { ents, _ := os.ReadDir("/proc/self/fd"); return len(ents) }
	before := fds()
	ents, data, err := readDirFilesOf(t, f, ".", func(string) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	if after := fds(); after != before {
		t.Errorf("%d descriptors open before, %d after", before, after)
	}
	for i, e := range ents {
		want, ok := entries[e.Name()]
		switch {
		case e.IsDir():
			if data[i] != nil {
				t.Errorf("directory %s was read", e.Name())
			}
		case !e.Type().IsRegular():
			if data[i] != nil {
				t.Errorf("%s (%v) was read", e.Name(), e.Type())
			}
		case e.Name() == "locked.cnf":
			if os.Geteuid() != 0 && data[i] != nil {
				t.Errorf("an unreadable file was read")
			}
		case !ok:
			t.Errorf("%s listed", e.Name())
		case len(want) > 70000:
			if data[i] != nil {
				t.Errorf("%s: %d bytes, over the limit, were read", e.Name(), len(want))
			}
		case string(data[i]) != want:
			t.Errorf("%s: %d bytes read, want %d", e.Name(), len(data[i]), len(want))
		}
	}
}
