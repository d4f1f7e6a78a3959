//go:build !linux

package hostile

import "testing"

func TestHostileTrees(t *testing.T) {
	t.Skip("the hostile-repository tests need Linux (inotify, RLIMIT_AS, mkfifo, mknod); CI runs them on Linux")
}
