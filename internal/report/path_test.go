package report

import (
	"path/filepath"
	"testing"
)

func TestRelPath(t *testing.T) {
	root := filepath.FromSlash("/repo")
	for _, tc := range []struct{ dir, root, p, want string }{
		{"/repo/a/b", root, "a/b/my.cnf", "my.cnf"},
		{"/repo/a/b", root, "a/c/x.cnf", "../c/x.cnf"},
		{"/repo", root, "a/b/my.cnf", "a/b/my.cnf"},
		{"/", root, "my.cnf", "repo/my.cnf"},
		{"/other", root, "my.cnf", "../repo/my.cnf"},
		// A file outside the root keeps its absolute path; no root, the
		// root-relative one.
		{"/repo/a", root, "/etc/mysql/my.cnf", "/etc/mysql/my.cnf"},
		{"/repo/a", "", "a/my.cnf", "a/my.cnf"},
		{"/repo/a", root, "", ""},
	} {
		if got := RelPath(filepath.FromSlash(tc.dir), tc.root, tc.p); got != tc.want {
			t.Errorf("RelPath(%s, %s, %s) = %q, want %q", tc.dir, tc.root, tc.p, got, tc.want)
		}
	}
}
