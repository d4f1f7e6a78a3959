// Package facts is the only place in tlsvet that knows MySQL, Percona Server,
// MariaDB and TiDB truths: which versions exist and what each supports, the
// protocol names and their spellings per flavour, the cipher catalogue, the
// TLS option catalogue, which program reads which option-file group, and
// error numbers. Every fact carries a comment with its source URL; the keys
// such as MY80-PC refer to the table in docs/sources.md.
package facts

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Flavor is a server/client family.
type Flavor uint8

// Flavours. Percona Server behaves like the MySQL release it is built on
// unless a fact says otherwise (https://docs.percona.com/percona-server/8.0/ssl-improvement.html).
const (
	FlavorUnknown Flavor = iota
	MySQL
	MariaDB
	Percona
	TiDB
)

var flavorNames = [...]struct{ id, title string }{
	FlavorUnknown: {"unknown", "MySQL/MariaDB"},
	MySQL:         {"mysql", "MySQL"},
	MariaDB:       {"mariadb", "MariaDB"},
	Percona:       {"percona", "Percona Server"},
	TiDB:          {"tidb", "TiDB"},
}

// String is the lower-case identifier used in targets: "mysql", "mariadb"…
func (f Flavor) String() string {
	if int(f) < len(flavorNames) {
		return flavorNames[f].id
	}
	return "flavor(" + strconv.Itoa(int(f)) + ")"
}

// Title is the product name for messages: "MySQL", "MariaDB"…
func (f Flavor) Title() string {
	if int(f) < len(flavorNames) {
		return flavorNames[f].title
	}
	return f.String()
}

// ParseFlavor reads a flavour identifier (case-insensitive); "mysqld",
// "mariadbd", "percona-server", "ps" are accepted too.
func ParseFlavor(s string) (Flavor, bool) {
	switch strings.ToLower(s) {
	case "mysql", "mysqld", "mysql-server", "oracle-mysql":
		return MySQL, true
	case "mariadb", "mariadbd", "mariadb-server":
		return MariaDB, true
	case "percona", "percona-server", "ps", "percona-server-mysql":
		return Percona, true
	case "tidb":
		return TiDB, true
	}
	return FlavorUnknown, false
}

// Version is a release number. A component equal to Any is a wildcard
// upper bound ("8.0" as a range ends at 8.0.Any).
type Version struct{ Major, Minor, Patch int }

// Any is the largest value of a version component; ranges use it for "x".
const Any = 1<<31 - 1

// V builds a Version.
func V(major, minor, patch int) Version { return Version{major, minor, patch} }

// maxVersion is the upper end of an unbounded range.
var maxVersion = Version{Any, Any, Any}

// IsZero reports whether v is the zero Version ("never" in lifecycles).
func (v Version) IsZero() bool { return v == Version{} }

// Compare returns -1, 0 or +1.
func (v Version) Compare(o Version) int {
	for _, d := range [3][2]int{{v.Major, o.Major}, {v.Minor, o.Minor}, {v.Patch, o.Patch}} {
		if d[0] != d[1] {
			if d[0] < d[1] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// Less reports v < o.
func (v Version) Less(o Version) bool { return v.Compare(o) < 0 }

// String prints "8.0.28"; wildcard components print as "x".
func (v Version) String() string {
	part := func(n int) string {
		if n == Any {
			return "x"
		}
		return strconv.Itoa(n)
	}
	return part(v.Major) + "." + part(v.Minor) + "." + part(v.Patch)
}

// Series is the release series "8.0" of v.
func (v Version) Series() string { return strconv.Itoa(v.Major) + "." + strconv.Itoa(v.Minor) }

// sameSeries reports whether v and o share Major.Minor.
func (v Version) sameSeries(o Version) bool { return v.Major == o.Major && v.Minor == o.Minor }

// Prev is the version just before v ("8.1.0" → "8.0.x").
func (v Version) Prev() Version {
	switch {
	case v.Patch > 0:
		return Version{v.Major, v.Minor, v.Patch - 1}
	case v.Minor > 0:
		return Version{v.Major, v.Minor - 1, Any}
	case v.Major > 0:
		return Version{v.Major - 1, Any, Any}
	}
	return v
}

// Target is what server or client versions a setting can be running on: a
// flavour and an inclusive version range. "8.0" means 8.0.0–8.0.x, "8" or
// "8.x" means 8.0.0–8.x.x, and an unknown version is the flavour's full range.
type Target struct {
	Flavor   Flavor
	Min, Max Version
	Spec     string // as written, for messages
}

// FullRange is every version of flavour f.
func FullRange(f Flavor) Target { return Target{Flavor: f, Max: maxVersion, Spec: f.String()} }

// Exact is the single version v of flavour f.
func Exact(f Flavor, v Version) Target {
	return Target{Flavor: f, Min: v, Max: v, Spec: f.String() + "-" + v.String()}
}

// ParseTarget reads "mysql-8.0.36", "mariadb-11.4", "mysql-8", "mysql-8.x",
// "percona-8.0", "tidb-v8.1.0" or a bare flavour "mysql"; "mysql:8.0" and a
// build suffix ("mysql-8.0.36-debian") are accepted. A bare version
// ("8.0.36") is read as by ParseVersion.
func ParseTarget(s string) (Target, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return Target{}, fmt.Errorf("empty target")
	}
	name, ver, hasVer := in, "", false
	if i := strings.IndexAny(in, "-:"); i >= 0 { // mysql-8.0, docker-style mysql:8.0
		name, ver, hasVer = in[:i], in[i+1:], true
	}
	f, ok := ParseFlavor(name)
	if !ok {
		if t, err := ParseVersion(in); err == nil {
			t.Spec = in
			return t, nil
		}
		return Target{}, fmt.Errorf("unknown target %q: want <flavour>[-<version>] with flavour mysql, mariadb, percona or tidb", s)
	}
	if !hasVer || ver == "" {
		t := FullRange(f)
		t.Spec = in
		return t, nil
	}
	t, err := parseRange(versionCore(strings.ToLower(ver)))
	if err != nil {
		return Target{}, fmt.Errorf("target %q: %v", s, err)
	}
	t.Flavor, t.Spec = f, in
	return t, nil
}

// versionCore drops a leading "v" and any build suffix ("-log", "-28",
// "-debian", "+maria~ubu2204") from a version string.
func versionCore(s string) string {
	s = strings.TrimPrefix(s, "v")
	if i := strings.IndexAny(s, "-+_ ~"); i >= 0 {
		s = s[:i]
	}
	return s
}

// perconaSuffix matches Percona Server's build number after the MySQL
// version ("8.0.36-28", PXC "8.0.35-27.1"); MySQL itself prints "-log",
// "-debug" or a distribution suffix, never a bare number.
var perconaSuffix = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+-[0-9]+(\.[0-9]+)*$`)

// ParseVersion reads a version as servers and image tags print it: "8.0.36",
// "8.0", "8", "8.x", "5.7.44-log", "8.0.36-28" (Percona's build number: flavour Percona),
// "10.11.9-MariaDB" (flavour MariaDB), "5.5.5-10.11.9-MariaDB" (the prefix
// MariaDB sends in its handshake), "5.7.25-TiDB-v7.5.0" (flavour TiDB, v7.5.0).
// The flavour is FlavorUnknown unless the string shows it.
func ParseVersion(s string) (Target, error) {
	in := strings.TrimSpace(s)
	low := strings.ToLower(in)
	f := FlavorUnknown
	core := low
	switch {
	case strings.Contains(low, "-tidb-"):
		f = TiDB
		core = low[strings.Index(low, "-tidb-")+len("-tidb-"):]
	case strings.Contains(low, "mariadb"):
		f = MariaDB
		core = strings.TrimPrefix(low, "5.5.5-")
	}
	if f == FlavorUnknown && perconaSuffix.MatchString(low) {
		f = Percona
	}
	t, err := parseRange(versionCore(core))
	if err != nil {
		return Target{}, fmt.Errorf("version %q: %v", s, err)
	}
	t.Flavor, t.Spec = f, in
	return t, nil
}

// parseRange reads "8.0.36" (exact), "8.0"/"8.0.x" (series) or "8"/"8.x"/"8.x.x" (major).
func parseRange(s string) (Target, error) {
	s = strings.TrimPrefix(strings.ToLower(s), "v")
	parts := strings.Split(s, ".")
	if len(parts) == 0 || len(parts) > 3 || s == "" {
		return Target{}, fmt.Errorf("not a version")
	}
	var lo, hi [3]int
	wild := false
	for i := 0; i < 3; i++ {
		if i >= len(parts) || wild {
			lo[i], hi[i] = 0, Any
			continue
		}
		p := parts[i]
		if p == "x" || p == "*" {
			if i == 0 {
				return Target{}, fmt.Errorf("major version required")
			}
			wild = true
			lo[i], hi[i] = 0, Any
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n >= Any {
			return Target{}, fmt.Errorf("bad version component %q", p)
		}
		lo[i], hi[i] = n, n
	}
	return Target{Min: V(lo[0], lo[1], lo[2]), Max: V(hi[0], hi[1], hi[2])}, nil
}

// GroupTarget gives the target implied by a versioned option-file group
// (lower-cased): "mysqld-8.0" → MySQL 8.0.x; "mariadb-10.11", "mariadbd-10.11"
// → MariaDB 10.11.x. MariaDB reads "mysqld-X.Y" groups for its own version
// too, so "mysqld-10.11" is MariaDB (MySQL has no 10.x–25.x); "mysqld-5.5" is
// left to MySQL (NumberingFlavor). Groups read by MySQL: MY80-OF
// https://dev.mysql.com/doc/refman/8.0/en/option-files.html; by MariaDB:
// MDB-OF https://mariadb.com/docs/server/server-management/install-and-upgrade-mariadb/configuring-mariadb/configuring-mariadb-with-option-files
func GroupTarget(group string) (Target, bool) {
	prefix, ver, ok := strings.Cut(strings.ToLower(strings.TrimSpace(group)), "-")
	if !ok {
		return Target{}, false
	}
	var f Flavor
	switch prefix {
	case "mysqld":
		f = MySQL
	case "mariadb", "mariadbd":
		f = MariaDB
	default:
		return Target{}, false
	}
	parts := strings.Split(ver, ".")
	if len(parts) != 2 {
		return Target{}, false
	}
	t, err := parseRange(ver)
	if err != nil {
		return Target{}, false
	}
	if f == MySQL {
		f = NumberingFlavor(t.Min)
	}
	t.Flavor, t.Spec = f, group
	return t, true
}

// Known reports whether t narrows anything: a flavour or a version range
// smaller than "any version".
func (t Target) Known() bool { return t.Flavor != FlavorUnknown || t.VersionKnown() }

// VersionKnown reports whether the version range is narrower than every version.
func (t Target) VersionKnown() bool { return t.Min != (Version{}) || t.Max != maxVersion }

// Exact reports whether t is a single version.
func (t Target) Exact() bool { return t.Min == t.Max }

// MySQLFamily reports whether t is MySQL or Percona Server (Percona = MySQL
// unless a fact says otherwise).
func (t Target) MySQLFamily() bool { return t.Flavor == MySQL || t.Flavor == Percona }

// Contains reports whether v lies in t's range.
func (t Target) Contains(v Version) bool { return !v.Less(t.Min) && !t.Max.Less(v) }

// AllAtLeast reports whether every version in t is ≥ v.
func (t Target) AllAtLeast(v Version) bool { return !t.Min.Less(v) }

// AnyAtLeast reports whether some version in t is ≥ v.
func (t Target) AnyAtLeast(v Version) bool { return !t.Max.Less(v) }

// AllBelow reports whether every version in t is < v.
func (t Target) AllBelow(v Version) bool { return t.Max.Less(v) }

// AnyBelow reports whether some version in t is < v.
func (t Target) AnyBelow(v Version) bool { return t.Min.Less(v) }

// String describes t for messages: "MySQL 8.0.36", "MySQL 8.0.x",
// "MySQL 8.x", "MariaDB 10.6.0–10.6.15", "MySQL (any version)".
func (t Target) String() string {
	title := t.Flavor.Title()
	if !t.VersionKnown() {
		return title + " (any version)"
	}
	return title + " " + t.rangeString()
}

func (t Target) rangeString() string {
	lo, hi := t.Min, t.Max
	if ga, ok := FirstGA(t.Flavor, lo); ok && lo == ga && hi.Patch == Any && hi != maxVersion {
		lo.Patch = 0 // Released: "10.5.x" means its GA releases
	}
	switch {
	case lo == hi:
		return lo.String()
	case lo.Minor == 0 && lo.Patch == 0 && hi.Minor == Any && lo.Major == hi.Major:
		return strconv.Itoa(lo.Major) + ".x"
	case lo.Patch == 0 && hi.Patch == Any && lo.sameSeries(hi):
		return lo.Series() + ".x"
	case hi == maxVersion:
		return lo.String() + " or later"
	case lo == Version{}:
		return "up to " + hi.String()
	}
	return lo.String() + "–" + hi.String()
}

// Tri is a three-valued answer for a version range.
type Tri uint8

// No: false on every version in the range; Yes: true on every version;
// Maybe: true on some versions only.
const (
	No Tri = iota
	Yes
	Maybe
)

func (x Tri) String() string {
	switch x {
	case No:
		return "no"
	case Yes:
		return "yes"
	}
	return "maybe"
}

// NumberingFlavor says whose release numbering a bare version belongs to:
// MariaDB numbers its releases 10.x and later (https://mariadb.com/docs/release-notes),
// MySQL used 3.x–9.x and moved to year-based numbers with 26.x (MySQL 26.7:
// https://dev.mysql.com/doc/refman/26.7/en/added-deprecated-removed.html).
// Versions 10.0–25.x are MariaDB's, everything else MySQL's; MariaDB 5.x,
// which shared MySQL's numbers, had no TLS setting worth telling apart.
func NumberingFlavor(v Version) Flavor {
	if v.Major >= 10 && v.Major <= 25 {
		return MariaDB
	}
	return MySQL
}

// numberingPieces splits [lo, hi] into the ranges NumberingFlavor assigns.
var numberingPieces = []struct {
	fl     Flavor
	lo, hi Version
}{
	{MySQL, Version{}, V(9, Any, Any)},
	{MariaDB, V(10, 0, 0), V(25, Any, Any)},
	{MySQL, V(26, 0, 0), maxVersion},
}

// triOf turns a per-version predicate into a Tri over t. points are the
// versions where the predicate may change value (it is constant from each
// point up to the next). A FlavorUnknown target is split by NumberingFlavor.
func triOf(t Target, points []Version, f func(Flavor, Version) bool) Tri {
	type piece struct {
		fl     Flavor
		lo, hi Version
	}
	var pieces []piece
	switch t.Flavor {
	case FlavorUnknown:
		for _, n := range numberingPieces {
			lo, hi := t.Min, t.Max
			if lo.Less(n.lo) {
				lo = n.lo
			}
			if n.hi.Less(hi) {
				hi = n.hi
			}
			if !hi.Less(lo) {
				pieces = append(pieces, piece{n.fl, lo, hi})
			}
		}
	case Percona:
		pieces = []piece{{MySQL, t.Min, t.Max}}
	default:
		pieces = []piece{{t.Flavor, t.Min, t.Max}}
	}
	seenTrue, seenFalse := false, false
	for _, pc := range pieces {
		check := func(v Version) {
			if f(pc.fl, v) {
				seenTrue = true
			} else {
				seenFalse = true
			}
		}
		check(pc.lo)
		for _, p := range points {
			if pc.lo.Less(p) && !pc.hi.Less(p) {
				check(p)
			}
		}
	}
	switch {
	case seenTrue && !seenFalse:
		return Yes
	case seenFalse && !seenTrue:
		return No
	}
	return Maybe
}
