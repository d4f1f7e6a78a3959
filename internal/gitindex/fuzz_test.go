package gitindex

import (
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"testing"
)

// FuzzParse: any input is an index or an ErrFormat, never a panic, and a
// parsed index holds no more paths than its header counts, each one a
// bounded, non-empty name. The seeds in testdata/fuzz/FuzzParse are small
// indexes written by git 2.39 (v2, v3 with an intent-to-add entry, v4,
// SHA-256).
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParsed(t, data, Parse)
		// The checksum stops most mutations; parse the entries without it.
		if len(data) >= 12+sha1.Size {
			checkParsed(t, data, func(b []byte) (*Index, error) { return parse(b, sha1.Size) })
		}
	})
}

func checkParsed(t *testing.T, data []byte, parse func([]byte) (*Index, error)) {
	ix, err := parse(data)
	if err != nil {
		if !errors.Is(err, ErrFormat) {
			t.Fatalf("error %v does not wrap ErrFormat", err)
		}
		return
	}
	if n := binary.BigEndian.Uint32(data[8:]); uint64(ix.Len()) > uint64(n) {
		t.Fatalf("%d paths from %d entries", ix.Len(), n)
	}
	for p := range ix.paths {
		if p == "" || len(p) > maxNameLen {
			t.Fatalf("path of %d bytes", len(p))
		}
	}
}
