package facts

import "strings"

// How my_getopt matches option names, per flavour.

// Sources for option-name matching.
const (
	// SrcWL6978: MySQL deprecated unique option prefixes in 5.5.33 and
	// 5.6.13 (a warning) and removed them in 5.7: only full names work.
	SrcWL6978 = "https://dev.mysql.com/worklog/task/?id=6978"
	// SrcMDEV27126: MariaDB's my_getopt compared option names case
	// sensitively; the fix (commit f3687ccaaf, 2025-02-21, on 10.5) is in
	// the 10.5.29 changelog, which 10.6.22, 10.11.12 and 11.4.6 include
	// ("Includes all fixes from …" in their changelogs), and in the
	// 11.8.2 release notes.
	SrcMDEV27126 = "https://jira.mariadb.org/browse/MDEV-27126"
	// SrcMDB101112Changelog: 10.11.12 (6 May 2025) "includes all fixes
	// from MariaDB 10.6.22", whose changelog includes 10.5.29's, which
	// lists the MDEV-27126 commit.
	SrcMDB101112Changelog = "https://mariadb.com/docs/release-notes/community-server/changelogs/10.11/10.11.12"
)

// caseFoldedFrom is the first release of each MariaDB series whose
// my_getopt matches option names in any case (MDEV-27126, see
// SrcMDEV27126). 11.8.2 is the first GA release of 11.8; later series are
// taken to have the fix from their first release, since their first GA
// releases (12.0 in the second half of 2025 onward) came after it. Series not listed had their last release before
// the fix (10.4.34 in 2024, 11.2, 11.3, 11.5, 11.6) or are not known here.
var caseFoldedFrom = []Version{V(10, 5, 29), V(10, 6, 22), V(10, 11, 12), V(11, 4, 6), V(11, 8, 2)}

// CaseFoldedFrom is the first release of v's MariaDB series that accepts an
// option name in any case; ok is false when tlsvet does not know one.
// Series after 11.8 have it from their first release.
func CaseFoldedFrom(v Version) (first Version, ok bool) {
	for _, f := range caseFoldedFrom {
		if f.sameSeries(v) {
			return f, true
		}
	}
	if last := caseFoldedFrom[len(caseFoldedFrom)-1]; last.Less(v) {
		return V(v.Major, v.Minor, 0), true
	}
	return Version{}, false
}

// CaseFoldedRange reports whether every MariaDB release from lo to hi
// accepts an option name in any case: lo is at or past its series' fixed
// release, and hi is in the same series or lo is past the last series
// that needed a backport.
func CaseFoldedRange(lo, hi Version) bool {
	first, ok := CaseFoldedFrom(lo)
	if !ok || lo.Less(first) {
		return false
	}
	return lo.sameSeries(hi) || !lo.Less(caseFoldedFrom[len(caseFoldedFrom)-1])
}

// CaseFoldedReleases names the first fixed release of every series, for
// messages: "10.5.29, 10.6.22, 10.11.12, 11.4.6 and 11.8.2".
func CaseFoldedReleases() string {
	s := make([]string, len(caseFoldedFrom))
	for i, v := range caseFoldedFrom {
		s[i] = v.String()
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
