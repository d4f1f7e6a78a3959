// Package txtar reads the txtar archive format used by tlsvet's rule
// fixtures: a comment, then files, each introduced by a "-- name --" line.
// (The format is the Go project's; this is a small reader of our own so the
// module does not depend on golang.org/x/tools.)
package txtar

import (
	"bytes"
	"strings"
)

// Archive is a parsed txtar file.
type Archive struct {
	Comment string
	Files   []File
}

// File is one member of an archive.
type File struct {
	Name string
	Data []byte
}

// Parse reads an archive. Every line that looks like "-- name --" starts a
// new file; the rest of the text belongs to the file before it.
func Parse(data []byte) *Archive {
	a := &Archive{}
	var cur *File
	var buf bytes.Buffer
	flush := func() {
		if cur == nil {
			a.Comment = buf.String()
		} else {
			cur.Data = append([]byte(nil), buf.Bytes()...)
			a.Files = append(a.Files, *cur)
		}
		buf.Reset()
	}
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i+1], data[i+1:]
		} else {
			data = nil
		}
		if name, ok := marker(line); ok {
			flush()
			cur = &File{Name: name}
			continue
		}
		buf.Write(line)
	}
	flush()
	return a
}

func marker(line []byte) (string, bool) {
	s := strings.TrimRight(string(line), "\r\n")
	if !strings.HasPrefix(s, "-- ") || !strings.HasSuffix(s, " --") || len(s) < 7 {
		return "", false
	}
	return strings.TrimSpace(s[3 : len(s)-3]), true
}
