//go:build !unix

package rootfs

const nonBlock = 0
