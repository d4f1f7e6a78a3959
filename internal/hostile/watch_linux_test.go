//go:build linux

package hostile

import (
	"bytes"
	"fmt"
	"syscall"
	"testing"
	"unsafe"
)

// watcher reports every open, read or change of the watched directories
// and of the files in them (inotify(7): a directory watch reports events
// on its entries; IN_OPEN and IN_ACCESS are raised by open and read, not
// by lstat or readlink, so checking a link without following it is
// silent). https://man7.org/linux/man-pages/man7/inotify.7.html
type watcher struct {
	fd    int
	dirs  map[int]string
	allow func(dir, name string) bool
}

const watchMask = syscall.IN_OPEN | syscall.IN_ACCESS | syscall.IN_CREATE | syscall.IN_MODIFY |
	syscall.IN_ATTRIB | syscall.IN_MOVED_FROM | syscall.IN_MOVED_TO | syscall.IN_DELETE

func watch(t *testing.T, allow func(dir, name string) bool, dirs ...string) *watcher {
	t.Helper()
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC | syscall.IN_NONBLOCK)
	if err != nil {
		t.Fatalf("inotify_init1: %v", err)
	}
	w := &watcher{fd: fd, dirs: map[int]string{}, allow: allow}
	for _, d := range dirs {
		wd, err := syscall.InotifyAddWatch(fd, d, watchMask)
		if err != nil {
			syscall.Close(fd)
			t.Fatalf("inotify_add_watch %s: %v", d, err)
		}
		w.dirs[wd] = d
	}
	return w
}

// stop returns the events seen since watch and closes the watcher.
func (w *watcher) stop() []string {
	defer syscall.Close(w.fd)
	var events []string
	buf := make([]byte, 64*(syscall.SizeofInotifyEvent+syscall.NAME_MAX+1))
	for {
		n, err := syscall.Read(w.fd, buf)
		if err != nil || n <= 0 {
			return events // EAGAIN: drained
		}
		for off := 0; off+syscall.SizeofInotifyEvent <= n; {
			ev := (*syscall.InotifyEvent)(unsafe.Pointer(&buf[off]))
			name := buf[off+syscall.SizeofInotifyEvent : off+syscall.SizeofInotifyEvent+int(ev.Len)]
			name = bytes.TrimRight(name, "\x00")
			off += syscall.SizeofInotifyEvent + int(ev.Len)
			dir := w.dirs[int(ev.Wd)]
			if w.allow != nil && w.allow(dir, string(name)) {
				continue
			}
			what := "write"
			switch {
			case ev.Mask&syscall.IN_OPEN != 0:
				what = "open"
			case ev.Mask&syscall.IN_ACCESS != 0:
				what = "read"
			}
			events = append(events, fmt.Sprintf("%s %s/%s", what, dir, name))
		}
	}
}
