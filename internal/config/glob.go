package config

import (
	"path"
	"slices"
	"strings"
)

// Match reports whether a slash path matches a glob in which "**" matches
// any number of path elements (including none) and the other patterns are
// those of path.Match. A pattern matching a directory matches everything
// below it.
func Match(pattern, name string) (bool, error) {
	if _, err := path.Match(strings.ReplaceAll(pattern, "**", "*"), ""); err != nil {
		return false, err
	}
	return matchParts(strings.Split(pattern, "/"), strings.Split(name, "/")), nil
}

// segmentMatch matches one path element; a variable so that a test can
// count the calls.
var segmentMatch = path.Match

// matchParts matches pattern elements against path elements. Each pair of
// positions is decided once (memo), so "**" costs O(len(pat)·len(name))
// calls of path.Match instead of trying every split of the path at every
// "**", which was exponential in their number.
func matchParts(pat, name []string) bool {
	pat = slices.CompactFunc(pat, func(a, b string) bool { return a == "**" && b == "**" })
	const (
		unknown = iota
		no
		yes
	)
	w := len(name) + 1
	memo := make([]uint8, (len(pat)+1)*w)
	var match func(i, j int) bool
	match = func(i, j int) bool {
		if i == len(pat) {
			// The pattern named a directory: everything below it matches too.
			return true
		}
		if m := memo[i*w+j]; m != unknown {
			return m == yes
		}
		var ok bool
		if pat[i] == "**" {
			ok = match(i+1, j) || j < len(name) && match(i, j+1)
		} else if j < len(name) {
			m, _ := segmentMatch(pat[i], name[j])
			ok = m && match(i+1, j+1)
		}
		memo[i*w+j] = no
		if ok {
			memo[i*w+j] = yes
		}
		return ok
	}
	return match(0, 0)
}
