// Package gitindex tells which paths of a repository git tracks, by
// reading the repository's index file directly: no git command is run,
// nothing is executed and nothing leaves the machine. The index is the
// staged state, so a file added with `git add` but not yet committed is
// tracked, which is what a pre-commit hook needs to see.
//
// The format is git's "index-format" document
// (https://git-scm.com/docs/index-format), versions 2, 3 and 4.
//
// tlsvet runs on untrusted repositories: an index may be hostile. Every
// count and length is checked against the bytes that remain before it is
// used, so a malformed file is an error, never a panic or a large
// allocation, and parsing is linear in the file's size.
package gitindex

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
)

// MaxIndexSize is the largest index read (256 MiB). An index holds about
// 70 bytes per tracked file plus its name, so this is several million
// files, beyond any repository tlsvet is expected to scan.
const MaxIndexSize = 256 << 20

// maxNameLen bounds one path name: PATH_MAX on Linux. Git itself sets no
// limit, but a longer path cannot be checked out through one open(2).
const maxNameLen = 4096

// ErrFormat is wrapped by every error about a malformed index.
var ErrFormat = errors.New("malformed git index")

// Index is the set of paths listed in a git index, in every stage (a path
// with a merge conflict is still tracked) and including intent-to-add
// (`git add -N`) and skip-worktree entries, as `git ls-files` lists them.
type Index struct {
	Version int
	paths   map[string]struct{}
}

// Has reports whether the slash-separated path, relative to the top of the
// repository, is in the index.
func (ix *Index) Has(path string) bool {
	_, ok := ix.paths[path]
	return ok
}

// Len is the number of distinct paths.
func (ix *Index) Len() int { return len(ix.paths) }

func formatErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
}

// Parse reads the contents of an index file.
//
// The trailing checksum tells the hash function: SHA-1 for most
// repositories, SHA-256 for those created with --object-format=sha256,
// whose entries also carry 32-byte object names. A checksum of zeros is
// written under index.skipHash (git 2.40); then the hash size is the one
// whose entries end exactly where the extensions and checksum begin.
func Parse(data []byte) (*Index, error) {
	if len(data) > MaxIndexSize {
		return nil, formatErr("%d bytes, more than the %d read", len(data), MaxIndexSize)
	}
	if len(data) < 12+sha1.Size || string(data[:4]) != "DIRC" {
		return nil, formatErr("no DIRC header")
	}
	switch hashLen := checksum(data); hashLen {
	case 0:
		return nil, formatErr("checksum does not match the contents (neither SHA-1 nor SHA-256)")
	case -1:
		ix, err := parse(data, sha1.Size)
		if err != nil {
			if ix256, err256 := parse(data, sha256.Size); err256 == nil {
				return ix256, nil
			}
		}
		return ix, err
	default:
		return parse(data, hashLen)
	}
}

// checksum returns the size of the hash that matches the trailing
// checksum, -1 if the checksum is all zeros (index.skipHash), or 0.
func checksum(data []byte) int {
	n := len(data) - sha1.Size
	if sum := sha1.Sum(data[:n]); bytes.Equal(sum[:], data[n:]) {
		return sha1.Size
	}
	if n = len(data) - sha256.Size; n >= 12 {
		if sum := sha256.Sum256(data[:n]); bytes.Equal(sum[:], data[n:]) {
			return sha256.Size
		}
	}
	for _, b := range data[len(data)-sha1.Size:] {
		if b != 0 {
			return 0
		}
	}
	return -1
}

// parse reads the header and entries with object names of hashLen bytes
// and walks the extensions up to the checksum.
func parse(data []byte, hashLen int) (*Index, error) {
	version := binary.BigEndian.Uint32(data[4:8])
	if version < 2 || version > 4 {
		return nil, formatErr("version %d (2, 3 and 4 are read)", version)
	}
	count := binary.BigEndian.Uint32(data[8:12])
	end := len(data) - hashLen
	if end < 12 {
		return nil, formatErr("shorter than its header and checksum")
	}
	// Fixed part of an entry: ten 32-bit stat fields, the object name and
	// 16 bits of flags.
	fixed := 40 + hashLen + 2
	// The smallest entry is fixed plus a one-byte name and its NUL, so the
	// count is bounded by the bytes present before anything is allocated.
	if uint64(count) > uint64(end-12)/uint64(fixed+2) {
		return nil, formatErr("%d entries cannot fit in %d bytes", count, end-12)
	}
	ix := &Index{Version: int(version), paths: make(map[string]struct{}, count)}
	// v4 names are built from the previous one, so their total size is not
	// bounded by the file's; this budget keeps it linear.
	budget := 8*len(data) + 1<<20
	var prev []byte
	off := 12
	for i := range count {
		start := off
		if end-off < fixed {
			return nil, formatErr("entry %d runs past the end", i)
		}
		flags := binary.BigEndian.Uint16(data[off+fixed-2:])
		off += fixed
		if flags&0x4000 != 0 { // extended: a second 16-bit flags field
			if version < 3 {
				return nil, formatErr("entry %d has extended flags in a version %d index", i, version)
			}
			if end-off < 2 {
				return nil, formatErr("entry %d runs past the end", i)
			}
			off += 2
		}
		var name []byte
		if version == 4 {
			// A varint N strips N bytes from the end of the previous name,
			// then a NUL-terminated suffix follows; there is no padding.
			strip, n := varint(data[off:end])
			if n <= 0 {
				return nil, formatErr("entry %d: bad name prefix length", i)
			}
			off += n
			if strip > uint64(len(prev)) {
				return nil, formatErr("entry %d strips %d bytes from a %d-byte previous name", i, strip, len(prev))
			}
			nul := bytes.IndexByte(data[off:end], 0)
			if nul < 0 {
				return nil, formatErr("entry %d: name runs past the end", i)
			}
			keep := len(prev) - int(strip)
			if keep+nul > maxNameLen {
				return nil, formatErr("entry %d: name longer than %d bytes", i, maxNameLen)
			}
			name = append(prev[:keep:keep], data[off:off+nul]...)
			off += nul + 1
		} else {
			nul := bytes.IndexByte(data[off:end], 0)
			if nul < 0 {
				return nil, formatErr("entry %d: name runs past the end", i)
			}
			if nul > maxNameLen {
				return nil, formatErr("entry %d: name longer than %d bytes", i, maxNameLen)
			}
			name = data[off : off+nul]
			// 1 to 8 NULs pad the entry to a multiple of 8 bytes.
			off = start + (off+nul-start+8)&^7
			if off > end {
				return nil, formatErr("entry %d: padding runs past the end", i)
			}
		}
		// The low 12 bits hold the name length, or 0xFFF when it is longer.
		if l := int(flags & 0xFFF); l != len(name) && (l != 0xFFF || len(name) < 0xFFF) {
			return nil, formatErr("entry %d: name is %d bytes, flags say %d", i, len(name), l)
		}
		if len(name) == 0 {
			return nil, formatErr("entry %d has an empty name", i)
		}
		if budget -= len(name); budget < 0 {
			return nil, formatErr("names far longer than the file")
		}
		ix.paths[string(name)] = struct{}{}
		prev = name
	}
	// Extensions: a 4-byte signature and a 32-bit size each; none changes
	// which paths are listed. (A sparse index lists a directory outside the
	// sparse cone as one "dir/" entry; its files are not checked out, so
	// tlsvet never asks about them.)
	for off < end {
		if end-off < 8 {
			return nil, formatErr("extension header runs past the end")
		}
		size := binary.BigEndian.Uint32(data[off+4:])
		if uint64(size) > uint64(end-off-8) {
			return nil, formatErr("extension %q runs past the end", data[off:off+4])
		}
		off += 8 + int(size)
	}
	return ix, nil
}

// varint decodes git's offset encoding (varint.c: each continuation byte
// adds one before shifting, unlike encoding/binary's). n is -1 on a
// truncated or overflowing value.
func varint(b []byte) (v uint64, n int) {
	for i, c := range b {
		if i == 0 {
			v = uint64(c & 0x7f)
		} else {
			v = (v+1)<<7 | uint64(c&0x7f)
		}
		if c&0x80 == 0 {
			return v, i + 1
		}
		if v >= 1<<56 {
			break
		}
	}
	return 0, -1
}
