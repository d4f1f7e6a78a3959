//go:build linux

package rootfs

import (
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// A batchReader reads the small files of one directory with io_uring
// (io_uring(7), https://man7.org/linux/man-pages/man7/io_uring.7.html):
// one io_uring_enter opens them all beside the directory, and one more
// reads and closes each, where plain system calls cost an openat, a read
// and a close per file. On the virtual machines CI and developers use,
// entering the kernel is most of the cost of reading a small file
// (docs/performance.md): this halved the time to read the 10k-file corpus.
// The opens are openat(2)'s, with the same flags (openFlags) and the same
// one name beside the directory's descriptor, so what is reached is what
// readFilesFd reaches.
//
// A worker of WalkDirs owns one, from a goroutine locked to its thread
// (completions the kernel finishes asynchronously are run as work of the
// submitting thread, which then waits for them), and leaves nothing in
// flight between calls. Where io_uring cannot be set up, newBatchReader
// gives nil and the files are read with plain system calls: kernels before
// 5.6 (IORING_FEAT_RW_CUR_POS, io_uring_setup(2),
// https://man7.org/linux/man-pages/man2/io_uring_setup.2.html), seccomp
// filters such as Docker's default since moby/moby#46762
// (https://github.com/moby/moby/pull/46762), and
// /proc/sys/kernel/io_uring_disabled.
type batchReader struct {
	fd           int
	ring, sqeMem []byte
	sqHead       *uint32
	sqTail       *uint32
	sqMask       uint32
	sqArray      []uint32
	sqes         []uringSQE
	cqHead       *uint32
	cqTail       *uint32
	cqMask       uint32
	cqes         []uringCQE
	bufs         []byte // a buffer of smallFile bytes for each file of a batch
	names        []byte // the batch's names, each NUL-terminated
	fds          []int32
	closing      []int32 // descriptors closeLater was given
	broken       bool    // see run
}

// abandoned keeps the readers whose ring failed with entries in flight.
var abandoned struct {
	sync.Mutex
	r []*batchReader
}

// struct io_uring_sqe and io_uring_cqe, as include/uapi/linux/io_uring.h
// declares them (https://github.com/torvalds/linux/blob/v6.6/include/uapi/linux/io_uring.h).
type uringSQE struct {
	opcode, flags uint8
	ioprio        uint16
	fd            int32
	off, addr     uint64
	len, opFlags  uint32
	userData      uint64
	bufIndex      uint16
	personality   uint16
	fileIndex     uint32
	addr3, pad    uint64
}

type uringCQE struct {
	userData uint64
	res      int32
	flags    uint32
}

// struct io_uring_params with its io_sqring_offsets and io_cqring_offsets.
type uringParams struct {
	sqEntries, cqEntries, flags, sqThreadCPU, sqThreadIdle, features, wqFd uint32
	resv                                                                   [3]uint32
	sqOff                                                                  struct {
		head, tail, ringMask, ringEntries, flags, dropped, array, resv1 uint32
		userAddr                                                        uint64
	}
	cqOff struct {
		head, tail, ringMask, ringEntries, overflow, cqes, flags, resv1 uint32
		userAddr                                                        uint64
	}
}

const (
	sysIOUringSetup = 425 // the same number on every architecture
	sysIOUringEnter = 426

	opOpenat = 18
	opClose  = 19
	opRead   = 22

	// sqeHardlink: the next entry runs after this one, whatever its
	// result. IOSQE_IO_LINK would cancel it after a short read, which is
	// how every small file ends (io_uring_enter(2),
	// https://man7.org/linux/man-pages/man2/io_uring_enter.2.html).
	sqeHardlink = 1 << 3

	featSingleMmap = 1 << 0
	featRWCurPos   = 1 << 3 // Linux 5.6, with OPENAT, CLOSE and READ

	offSQRing = 0
	offSQEs   = 0x10000000

	enterGetEvents = 1 << 0

	// batchFiles is how many files one batch reads: two entries each.
	batchFiles = 64
)

func newBatchReader() *batchReader {
	if !useBatchReader {
		return nil
	}
	var p uringParams
	fd, _, e := syscall.RawSyscall(sysIOUringSetup, 2*batchFiles, uintptr(unsafe.Pointer(&p)), 0)
	if e != 0 {
		return nil
	}
	r := &batchReader{fd: int(fd)}
	if p.features&featSingleMmap == 0 || p.features&featRWCurPos == 0 || p.sqEntries < 2*batchFiles {
		r.close()
		return nil
	}
	size := max(p.sqOff.array+p.sqEntries*4, p.cqOff.cqes+p.cqEntries*uint32(unsafe.Sizeof(uringCQE{})))
	var err error
	if r.ring, err = syscall.Mmap(r.fd, offSQRing, int(size), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED|syscall.MAP_POPULATE); err != nil {
		r.close()
		return nil
	}
	if r.sqeMem, err = syscall.Mmap(r.fd, offSQEs, int(p.sqEntries)*int(unsafe.Sizeof(uringSQE{})), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED|syscall.MAP_POPULATE); err != nil {
		r.close()
		return nil
	}
	base := unsafe.Pointer(&r.ring[0])
	r.sqHead = (*uint32)(unsafe.Add(base, p.sqOff.head))
	r.sqTail = (*uint32)(unsafe.Add(base, p.sqOff.tail))
	r.sqMask = *(*uint32)(unsafe.Add(base, p.sqOff.ringMask))
	r.sqArray = unsafe.Slice((*uint32)(unsafe.Add(base, p.sqOff.array)), p.sqEntries)
	r.cqHead = (*uint32)(unsafe.Add(base, p.cqOff.head))
	r.cqTail = (*uint32)(unsafe.Add(base, p.cqOff.tail))
	r.cqMask = *(*uint32)(unsafe.Add(base, p.cqOff.ringMask))
	r.cqes = unsafe.Slice((*uringCQE)(unsafe.Add(base, p.cqOff.cqes)), p.cqEntries)
	r.sqes = unsafe.Slice((*uringSQE)(unsafe.Pointer(&r.sqeMem[0])), p.sqEntries)
	r.fds = make([]int32, batchFiles)
	return r
}

func (r *batchReader) close() {
	if r == nil || r.broken {
		return
	}
	r.flush()
	if r.sqeMem != nil {
		syscall.Munmap(r.sqeMem)
	}
	if r.ring != nil {
		syscall.Munmap(r.ring)
	}
	syscall.Close(r.fd)
}

// push queues one entry; the caller never queues more than the ring holds.
func (r *batchReader) push(e uringSQE) {
	tail := atomic.LoadUint32(r.sqTail)
	i := tail & r.sqMask
	r.sqes[i] = e
	r.sqArray[i] = i
	atomic.StoreUint32(r.sqTail, tail+1)
}

// run submits the n queued entries and waits for their n completions,
// which it hands to done. ok is false when the ring failed: nothing was
// taken (the entries are unqueued), or entries were taken and the reader
// is broken, never used or freed again, since the kernel may still write
// into its buffers. Either way the caller leaves the files to the plain
// way.
func (r *batchReader) run(n int, done func(c uringCQE)) (ok bool) {
	submit, got := n, 0
	for got < n {
		k, _, e := syscall.Syscall6(sysIOUringEnter, uintptr(r.fd), uintptr(submit), uintptr(n-got), enterGetEvents, 0, 0)
		switch {
		case e == syscall.EINTR || e == syscall.EAGAIN || e == syscall.EBUSY:
		case e != 0:
			if submit == n {
				// Nothing taken: unqueue the entries.
				atomic.StoreUint32(r.sqTail, atomic.LoadUint32(r.sqTail)-uint32(n))
				return false
			}
			// Entries in flight may still write into the buffers: the
			// reader is never used or freed again.
			r.broken = true
			abandoned.Lock()
			abandoned.r = append(abandoned.r, r)
			abandoned.Unlock()
			return false
		default:
			submit -= min(submit, int(k))
		}
		head, tail := atomic.LoadUint32(r.cqHead), atomic.LoadUint32(r.cqTail)
		for ; head != tail; head++ {
			done(r.cqes[head&r.cqMask])
			got++
		}
		atomic.StoreUint32(r.cqHead, head)
	}
	return true
}

// readBatch reads the files names of directory dirfd that its listing
// gave as regular, as readListed does with plain system calls: each opened
// by its one name with O_NOFOLLOW, read once into a buffer of smallFile
// bytes from offset 0, a read shorter than asked being its end, and
// closed. done[i] stays false where that does not settle names[i] (a link,
// a file at least smallFile bytes long, a file that is not regular, an
// error, a failed ring): the caller reads it the plain way, which decides
// and reports. A name that is gone (ENOENT) is done with no data, as in
// readFilesFd. The subdirectories dirs are opened beside dirfd as
// openBeside opens them, in the same batches: dirFds[i] is the descriptor
// of dirs[i], or -1 where it failed (the caller then opens it the other
// way, which reports why). The descriptors closeLater was given are
// closed with the files.
func (f *FS) readBatch(r *batchReader, dirfd int, names []string, data [][]byte, done []bool, dirs []string, dirFds []int) {
	for i := range dirFds {
		dirFds[i] = -1
	}
	if r.broken {
		return
	}
	want := uint32(min(smallFile, f.maxSize+1))
	nextDir := 0
	for start := 0; start < len(names) || nextDir < len(dirs); start += batchFiles {
		batch := names[min(start, len(names)):min(len(names), start+batchFiles)]
		// The opens: this batch's files, and as many directories as the
		// ring has room for.
		ds := dirs[nextDir:min(len(dirs), nextDir+2*batchFiles-len(batch))]
		r.names = r.names[:0]
		at := make([]int, 0, len(batch)+len(ds))
		for _, n := range batch {
			at = append(at, len(r.names))
			r.names = append(append(r.names, n...), 0)
		}
		for _, n := range ds {
			at = append(at, len(r.names))
			r.names = append(append(r.names, n...), 0)
		}
		// Entry k opens batch[k], then ds[k-len(batch)]: a file without
		// blocking on a FIFO, a directory only if it is one.
		queued := 0
		for k := range at {
			n, flags := "", syscall.O_NONBLOCK
			if k < len(batch) {
				n, r.fds[k] = batch[k], -1
			} else {
				n, flags = ds[k-len(batch)], syscall.O_DIRECTORY
			}
			if oneName(n) {
				r.push(uringSQE{opcode: opOpenat, fd: int32(dirfd), addr: uint64(uintptr(unsafe.Pointer(&r.names[at[k]]))),
					opFlags: uint32(openFlags | flags), userData: uint64(k)})
				queued++
			}
		}
		ok := r.run(queued, func(c uringCQE) {
			k := int(c.userData)
			switch {
			case k >= len(batch):
				if c.res >= 0 {
					dirFds[nextDir+k-len(batch)] = int(c.res)
				}
			case c.res >= 0:
				r.fds[k] = c.res
			case syscall.Errno(-c.res) == syscall.ENOENT:
				done[start+k] = true
			}
		})
		nextDir += len(ds)
		if !ok {
			return
		}
		// The reads, each closing its file, and the closes waiting. The
		// buffers grow to the largest batch: most directories hold a few
		// files.
		if need := len(batch) * smallFile; len(r.bufs) < need {
			r.bufs = make([]byte, need)
		}
		queued = 0
		for k := range batch {
			if r.fds[k] < 0 {
				continue
			}
			r.push(uringSQE{opcode: opRead, flags: sqeHardlink, fd: r.fds[k],
				addr: uint64(uintptr(unsafe.Pointer(&r.bufs[k*smallFile]))), len: want, userData: uint64(k)})
			r.push(uringSQE{opcode: opClose, fd: r.fds[k], userData: closed})
			queued += 2
		}
		take := min(len(r.closing), 2*batchFiles-queued)
		taken := r.closing[len(r.closing)-take:]
		r.closing = r.closing[:len(r.closing)-take]
		for _, fd := range taken {
			r.push(uringSQE{opcode: opClose, fd: fd, userData: closed})
		}
		queued += take
		ok = r.run(queued, func(c uringCQE) {
			if c.userData == closed {
				return
			}
			k := int(c.userData)
			if n := c.res; n >= 0 && uint32(n) < want {
				data[start+k], done[start+k] = append(make([]byte, 0, n), r.bufs[k*smallFile:k*smallFile+int(n)]...), true
			}
		})
		if !ok {
			if !r.broken {
				// Nothing was taken, so every descriptor is still open.
				for k := range batch {
					if r.fds[k] >= 0 {
						syscall.Close(int(r.fds[k]))
					}
				}
				for _, fd := range taken {
					syscall.Close(int(fd))
				}
			}
			return
		}
	}
}

// closed marks the completion of a close.
const closed = ^uint64(0)

// closeLater closes fd with the next batch, or at once when many wait.
// It is false when r is nil: the caller closes fd.
func (r *batchReader) closeLater(fd int) bool {
	if r == nil || r.broken {
		return false
	}
	if len(r.closing) >= batchFiles {
		r.flush()
	}
	r.closing = append(r.closing, int32(fd))
	return true
}

// flush closes the descriptors waiting for a batch, in one batch of
// their own.
func (r *batchReader) flush() {
	for _, fd := range r.closing {
		r.push(uringSQE{opcode: opClose, fd: fd, userData: closed})
	}
	if !r.run(len(r.closing), func(uringCQE) {}) && !r.broken {
		for _, fd := range r.closing {
			syscall.Close(int(fd))
		}
	}
	r.closing = r.closing[:0]
}
