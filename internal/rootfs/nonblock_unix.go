//go:build unix

package rootfs

import "syscall"

// nonBlock makes opening a FIFO return at once instead of waiting for a
// writer (open(2), O_NONBLOCK); it changes nothing for regular files.
const nonBlock = syscall.O_NONBLOCK
