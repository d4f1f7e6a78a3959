package config

import (
	"path"
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

func matchParts(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if matchParts(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	// The pattern named a directory: everything below it matches too.
	return true
}
