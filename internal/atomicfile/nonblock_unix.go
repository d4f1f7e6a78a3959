//go:build unix

package atomicfile

import "syscall"

// nonBlock: opening a FIFO for writing without a reader fails with ENXIO
// instead of blocking (open(2)).
const nonBlock = syscall.O_NONBLOCK
