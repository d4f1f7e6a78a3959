package facts

// firstGA is the first General Availability (stable) release of each
// release series. Releases before it are alphas, betas, release candidates
// and milestones: nobody runs them in production, so a boundary that falls
// only among them ("require_secure_transport before MariaDB 10.5.2") is not
// worth a finding on its own. A series missing here is judged on every
// version.
var firstGA = []struct {
	flavor Flavor
	v      Version
	source string // the vendor's release notes saying "General Availability" / "Stable (GA)"
}{
	// "Changes in MySQL 5.5.8 (03 December 2010 General Availability)"; 5.5.6 was the RC.
	{MySQL, V(5, 5, 8), "https://dev.mysql.com/doc/relnotes/mysql/5.5/en/news-5-5-8.html"},
	// 5.6.9 (2012-12-11) was the Release Candidate; 5.6.10 (2013-02-05) the first GA.
	{MySQL, V(5, 6, 10), "https://dev.mysql.com/doc/relnotes/mysql/5.6/en/news-5-6-10.html"},
	// "upgrade from a MySQL 5.7 GA release (5.7.9 or higher)": https://dev.mysql.com/doc/refman/8.0/en/upgrade-paths.html
	{MySQL, V(5, 7, 9), "https://dev.mysql.com/doc/relnotes/mysql/5.7/en/news-5-7-9.html"},
	// "MySQL 8.0.11 is the first GA status release within the MySQL 8.0
	// release series": https://dev.mysql.com/doc/refman/8.0/en/upgrade-paths.html
	{MySQL, V(8, 0, 11), "https://dev.mysql.com/doc/relnotes/mysql/8.0/en/news-8-0-11.html"},
	{MariaDB, V(10, 3, 7), "https://mariadb.com/kb/en/mariadb-1037-release-notes/"},
	// 10.4.5 "is a Release Candidate (RC) release": https://mariadb.com/kb/en/mariadb-1045-release-notes/
	{MariaDB, V(10, 4, 6), "https://mariadb.com/kb/en/mariadb-1046-release-notes/"},
	{MariaDB, V(10, 5, 4), "https://mariadb.com/kb/en/mariadb-1054-release-notes/"},
	// "The first GA version is 10.6.3, released on 6th July 2021": https://vettabase.com/mariadb-10-6-review
	{MariaDB, V(10, 6, 3), "https://mariadb.com/kb/en/mariadb-1063-release-notes/"},
	// "the first stable release was in February 2023":
	// https://mariadb.com/docs/platform/post-download/mariadb-server-10.11.18
	{MariaDB, V(10, 11, 2), "https://mariadb.com/kb/en/mariadb-10112-release-notes/"},
	// 11.4.1 was a development release (https://mariadb.com/kb/en/6665/ lists it so).
	{MariaDB, V(11, 4, 2), "https://mariadb.com/kb/en/mariadb-11-4-2-release-notes/"},
	// 11.8 "releaseDate 2025-06-04": https://endoflife.date/api/mariadb.json
	{MariaDB, V(11, 8, 2), "https://mariadb.com/docs/release-notes/community-server/11.8/11.8.2"},
}

// FirstGA returns the first stable release of v's series for flavour f
// (Percona numbers its releases like MySQL), or false when the table does
// not know the series.
func FirstGA(f Flavor, v Version) (Version, bool) {
	if f == Percona {
		f = MySQL
	}
	if f == FlavorUnknown {
		f = NumberingFlavor(v)
	}
	for _, r := range firstGA {
		if r.flavor == f && r.v.sameSeries(v) {
			return r.v, true
		}
	}
	return Version{}, false
}

// Released narrows a range that starts before its series' first GA release
// and reaches it to start at that release: a range read from a versioned
// group ([mariadb-10.5]) or a series target (mariadb-10.5) means the
// releases people run. A single version, or a range of pre-GA versions
// only, is kept as it is: whoever names a pre-GA build means it.
func Released(t Target) Target {
	if t.Exact() {
		return t
	}
	ga, ok := FirstGA(t.Flavor, t.Min)
	if ok && t.Min.Less(ga) && !t.Max.Less(ga) {
		t.Min = ga
	}
	return t
}
