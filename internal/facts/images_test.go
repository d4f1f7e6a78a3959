package facts

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestParseImage(t *testing.T) {
	for _, c := range []struct {
		ref                         string
		ok                          bool
		product                     ImageProduct
		registry, repo, tag, digest string
	}{
		{"mysql", true, ImageMySQL, "docker.io", "mysql", "", ""},
		{"mysql:8.0.36", true, ImageMySQL, "docker.io", "mysql", "8.0.36", ""},
		{"docker.io/library/mysql:8", true, ImageMySQL, "docker.io", "library/mysql", "8", ""},
		{"index.docker.io/library/mariadb:lts", true, ImageMariaDB, "index.docker.io", "library/mariadb", "lts", ""},
		{"MySQL:8.4", true, ImageMySQL, "docker.io", "mysql", "8.4", ""},
		{"mysql:8.0@sha256:abc123", true, ImageMySQL, "docker.io", "mysql", "8.0", "sha256:abc123"},
		{"mysql@sha256:abc123", true, ImageMySQL, "docker.io", "mysql", "", "sha256:abc123"},
		{"mariadb:11.4.3-noble", true, ImageMariaDB, "docker.io", "mariadb", "11.4.3-noble", ""},
		{"percona/percona-server:8.0.36-28", true, ImagePerconaServer, "docker.io", "percona/percona-server", "8.0.36-28", ""},
		{"percona/percona-xtradb-cluster:8.0", true, ImagePXC, "docker.io", "percona/percona-xtradb-cluster", "8.0", ""},
		{"bitnami/mysql:8.4.3-debian-12-r4", true, ImageBitnamiMySQL, "docker.io", "bitnami/mysql", "8.4.3-debian-12-r4", ""},
		{"docker.io/bitnamilegacy/mariadb:11.4.3", true, ImageBitnamiMariaDB, "docker.io", "bitnamilegacy/mariadb", "11.4.3", ""},
		{"bitnamisecure/mysql:latest", true, ImageBitnamiMySQL, "docker.io", "bitnamisecure/mysql", "latest", ""},
		{"mysql/mysql-server:8.0", true, ImageOracleMySQLServer, "docker.io", "mysql/mysql-server", "8.0", ""},
		{"container-registry.oracle.com/mysql/community-server:9.7", true, ImageOracleCommunity, "container-registry.oracle.com", "mysql/community-server", "9.7", ""},
		{"public.ecr.aws/docker/library/mysql:8.4", true, ImageMySQL, "public.ecr.aws", "docker/library/mysql", "8.4", ""},
		{"mysql:${MYSQL_VERSION:-8.0}", true, ImageMySQL, "docker.io", "mysql", "${MYSQL_VERSION:-8.0}", ""},
		{"${REGISTRY:-docker.io}/mysql:8.0", true, ImageMySQL, "${registry:-docker.io}", "mysql", "8.0", ""},
		// Not ours.
		{"postgres:16", false, ImageUnknown, "docker.io", "library/postgres", "16", ""},
		{"ghcr.io/example/mysql:8.0", false, ImageUnknown, "ghcr.io", "example/mysql", "8.0", ""},
		{"localhost:5000/mysql:8.0", false, ImageUnknown, "localhost:5000", "mysql", "8.0", ""},
		{"container-registry.oracle.com/mysql/enterprise-server:8.4", false, ImageUnknown, "container-registry.oracle.com", "mysql/enterprise-server", "8.4", ""},
		{"mysqlx:8", false, ImageUnknown, "docker.io", "mysqlx", "8", ""},
		{"", false, ImageUnknown, "", "", "", ""},
	} {
		img, ok := ParseImage(c.ref)
		if ok != c.ok || img.Product != c.product {
			t.Errorf("ParseImage(%q) = %v, %v; want %v, %v", c.ref, img.Product, ok, c.product, c.ok)
		}
		if c.ref == "" {
			continue
		}
		if img.Registry != c.registry || img.Tag != c.tag || img.Digest != c.digest ||
			strings.TrimPrefix(img.Repository, "library/") != strings.TrimPrefix(c.repo, "library/") {
			t.Errorf("ParseImage(%q) = registry %q repo %q tag %q digest %q; want %q %q %q %q",
				c.ref, img.Registry, img.Repository, img.Tag, img.Digest, c.registry, c.repo, c.tag, c.digest)
		}
	}
}

func TestResolveImage(t *testing.T) {
	for _, c := range []struct {
		ref      string
		basis    TagBasis
		flavor   Flavor
		min, max Version
		phrase   string // substring
	}{
		{"mysql:8.0.36", TagExact, MySQL, V(8, 0, 36), V(8, 0, 36), "mysql:8.0.36 → MySQL 8.0.36"},
		{"mysql:8.0.36-debian", TagExact, MySQL, V(8, 0, 36), V(8, 0, 36), ""},
		{"mysql:8.4.3-oraclelinux9", TagExact, MySQL, V(8, 4, 3), V(8, 4, 3), ""},
		{"mysql:8", TagTable, MySQL, V(8, 4, 10), V(8, 4, Any), "mysql:8 → MySQL 8.4.x as of 2026-06-16 (8.4.10 then)"},
		{"mysql:8-oracle", TagTable, MySQL, V(8, 4, 10), V(8, 4, Any), "as of 2026-06-16"},
		{"mysql", TagTable, MySQL, V(9, 7, 1), V(9, 7, Any), "mysql → MySQL 9.7.x as of"},
		{"mysql:latest", TagTable, MySQL, V(9, 7, 1), V(9, 7, Any), ""},
		{"mysql:lts-oraclelinux9", TagTable, MySQL, V(9, 7, 1), V(9, 7, Any), ""},
		{"mysql:innovation", TagTable, MySQL, V(9, 6, 0), V(9, 6, Any), ""},
		{"mysql:8.0", TagTable, MySQL, V(8, 0, 46), V(8, 0, 46), "no longer rebuilt"},
		{"mysql:8.0-debian", TagTable, MySQL, V(8, 0, 46), V(8, 0, 46), ""},
		{"mysql:5.7", TagTable, MySQL, V(5, 7, 44), V(5, 7, 44), ""},
		{"mysql:8.3", TagTable, MySQL, V(8, 3, 0), V(8, 3, 0), ""},
		{"mariadb:11.4", TagTable, MariaDB, V(11, 4, 12), V(11, 4, Any), "MariaDB 11.4.x as of 2026-05-29"},
		{"mariadb:11", TagTable, MariaDB, V(11, 8, 8), V(11, 8, Any), ""},
		{"mariadb:lts", TagTable, MariaDB, V(11, 8, 8), V(11, 8, Any), ""},
		{"mariadb:latest", TagTable, MariaDB, V(12, 2, 2), V(12, 2, Any), ""},
		{"mariadb:10", TagTable, MariaDB, V(10, 11, 18), V(10, 11, Any), ""},
		{"mariadb:11.4-ubi9", TagTable, MariaDB, V(11, 4, 12), V(11, 4, Any), ""},
		{"mariadb:10.5", TagTable, MariaDB, V(10, 5, 29), V(10, 5, 29), ""},
		{"mariadb:11.4.3-noble", TagExact, MariaDB, V(11, 4, 3), V(11, 4, 3), ""},
		{"percona/percona-server:8.0.36-28", TagExact, Percona, V(8, 0, 36), V(8, 0, 36), ""},
		{"percona/percona-server:8.4", TagTable, Percona, V(8, 4, 10), V(8, 4, Any), "Percona Server 8.4.x"},
		{"percona/percona-xtradb-cluster:8.0", TagTable, Percona, V(8, 0, 43), V(8, 0, Any), ""},
		{"bitnami/mysql:8.4.3-debian-12-r4", TagExact, MySQL, V(8, 4, 3), V(8, 4, 3), ""},
		{"bitnami/mariadb:11.4.3", TagExact, MariaDB, V(11, 4, 3), V(11, 4, 3), ""},
		{"container-registry.oracle.com/mysql/community-server:latest", TagTable, MySQL, V(9, 7, 1), V(9, 7, Any), ""},
		{"mysql/mysql-server:8.0.32-1.2.11-server", TagExact, MySQL, V(8, 0, 32), V(8, 0, 32), ""},
		// A series tag the table lacks: the series' released versions.
		{"bitnami/mysql:8.0", TagSeries, MySQL, V(8, 0, 11), V(8, 0, Any), "series tag not in tlsvet's table"},
		{"mysql/mysql-server:5.7", TagSeries, MySQL, V(5, 7, 9), V(5, 7, Any), ""},
		// Unknown versions.
		{"mysql@sha256:abc", TagUnknown, MySQL, Version{}, maxVersion, "a digest does not name a version"},
		{"mysql:8.0@sha256:abc", TagUnknown, MySQL, Version{}, maxVersion, ""},
		{"mysql:${MYSQL_VERSION:-8.0}", TagUnknown, MySQL, Version{}, maxVersion, "the tag is a variable"},
		{"bitnami/mysql:latest", TagUnknown, MySQL, Version{}, maxVersion, `tag "latest" is not in tlsvet's table`},
		{"mysql:oracle", TagUnknown, MySQL, Version{}, maxVersion, ""},
	} {
		img, ok := ParseImage(c.ref)
		if !ok {
			t.Errorf("ParseImage(%q) failed", c.ref)
			continue
		}
		got := ResolveImage(img)
		if got.Basis != c.basis || got.Target.Flavor != c.flavor || got.Target.Min != c.min || got.Target.Max != c.max {
			t.Errorf("ResolveImage(%q) = basis %d %v %v–%v; want %d %v %v–%v", c.ref, got.Basis,
				got.Target.Flavor, got.Target.Min, got.Target.Max, c.basis, c.flavor, c.min, c.max)
		}
		if !strings.Contains(got.Phrase, c.phrase) {
			t.Errorf("ResolveImage(%q).Phrase = %q; want it to contain %q", c.ref, got.Phrase, c.phrase)
		}
		if (got.Basis == TagTable) != (got.AsOf != "" && got.Source != "") {
			t.Errorf("ResolveImage(%q): AsOf %q Source %q with basis %d", c.ref, got.AsOf, got.Source, got.Basis)
		}
	}
}

// TestTagTable: every row is dated, sourced, unique, of a known product,
// and the release it names belongs to the tag's series.
func TestTagTable(t *testing.T) {
	date := regexp.MustCompile(`^20[0-9]{2}-[01][0-9]-[0-3][0-9]$`)
	seen := map[string]bool{}
	for _, r := range tagTable {
		key := r.product.String() + ":" + r.tag
		if seen[key] {
			t.Errorf("duplicate row %s", key)
		}
		seen[key] = true
		if !date.MatchString(r.asOf) || !strings.HasPrefix(r.source, "https://") || r.product == ImageUnknown {
			t.Errorf("row %s: date %q source %q", key, r.asOf, r.source)
		}
		if v, n, ok := numericTag(r.tag); ok {
			if v.Major != r.newest.Major || (n > 1 && v.Minor != r.newest.Minor) {
				t.Errorf("row %s points to %v, outside its series", key, r.newest)
			}
		}
		if strings.Contains(r.tag, "-") {
			t.Errorf("row %s: tags are stored without a variant suffix", key)
		}
	}
}

func TestReadsOptionFile(t *testing.T) {
	for _, c := range []struct {
		ref, path string
		dir       bool
		reads     bool
		order     int
		why       string // substring
	}{
		{"mysql:8.0.36", "/etc/mysql/conf.d/tls.cnf", false, true, 2, "conf.d"},
		{"mysql:8.0.36", "/etc/mysql/conf.d", true, true, 2, "*.cnf"},
		{"mysql:8.0.36", "/etc/mysql/conf.d/tls.conf", false, false, 0, "only files ending in .cnf"},
		{"mysql:8.0.36", "/etc/mysql/mysql.conf.d/tls.cnf", false, false, 0, "ignores it silently"},
		{"mysql:8.0.36", "/etc/mysql/mysql.conf.d", true, false, 0, "ignores it silently"},
		{"mysql:8.4", "/etc/my.cnf", false, true, 1, "drops that include"},
		{"mysql:8.4", "/etc/mysql/my.cnf", false, true, 3, "search order"},
		{"mysql:8.0.36-debian", "/etc/mysql/my.cnf", false, true, 2, "Debian"},
		{"mysql:8.0.36-bookworm", "/etc/my.cnf", false, true, 1, "search order"},
		{"mysql:5.7.44", "/etc/mysql/mysql.conf.d/tls.cnf", false, true, 3, "only 5.7"},
		{"mysql:5.7", "/etc/mysql/mysql.conf.d", true, true, 3, ""},
		{"mysql:5.7.36-oracle", "/etc/mysql/mysql.conf.d/tls.cnf", false, false, 0, "ignores it silently"},
		{"mysql:5.7.36", "/etc/mysql/mysql.conf.d/tls.cnf", false, true, 4, ""}, // Debian then: /etc/my.cnf, /etc/mysql/my.cnf, conf.d, mysql.conf.d
		{"mysql:8.0.28", "/etc/mysql/my.cnf", false, true, 2, "Debian"},
		{"mysql:8.0.36", "/etc/mysql/my.cnf", false, true, 3, "search order"},
		{"mysql@sha256:abc", "/etc/mysql/mysql.conf.d/x.cnf", false, true, 3, ""}, // some version reads it
		{"mysql:8.0.36", "/etc/mysql", true, true, 2, "replaces /etc/mysql"},
		{"mysql:8.0.36", "/etc/mysql/tls.cnf", false, false, 0, "ignores it silently"},
		{"mysql:8.0.36", "./etc/mysql/conf.d/../conf.d/a.cnf", false, true, 2, ""},
		{"mariadb:11.4", "/etc/mysql/mariadb.conf.d/tls.cnf", false, true, 3, "before"},
		{"mariadb:11.4", "/etc/mysql/conf.d/tls.cnf", false, true, 4, ""},
		{"mariadb:10.4.34", "/etc/mysql/conf.d/tls.cnf", false, true, 3, ""},
		{"mariadb:10.4.34", "/etc/mysql/mariadb.conf.d/tls.cnf", false, true, 4, ""},
		{"mariadb:11.4-ubi9", "/etc/my.cnf.d/tls.cnf", false, true, 2, "UBI"},
		{"mariadb:11.4", "/etc/my.cnf.d/tls.cnf", false, false, 0, "ignores it silently"},
		{"mariadb:11.4", "/etc/mysql/mysql.conf.d/tls.cnf", false, false, 0, ""},
		{"bitnami/mysql:8.4.3", "/opt/bitnami/mysql/conf/my_custom.cnf", false, true, 2, "my_custom.cnf"},
		{"bitnami/mysql:8.4.3", "/opt/bitnami/mysql/conf/my.cnf", false, true, 1, "--defaults-file"},
		{"bitnami/mysql:8.4.3", "/etc/mysql/conf.d/tls.cnf", false, false, 0, "ignores it silently"},
		{"bitnami/mysql:8.4.3", "/opt/bitnami/mariadb/conf/my_custom.cnf", false, false, 0, ""},
		{"bitnamilegacy/mariadb:11.4.3", "/opt/bitnami/mariadb/conf/my_custom.cnf", false, true, 2, ""},
		{"percona/percona-server:8.0", "/etc/my.cnf.d/tls.cnf", false, true, 2, "my.cnf.d"},
		{"percona/percona-server:8.0", "/etc/mysql/conf.d/tls.cnf", false, false, 0, "ignores it silently"},
		{"percona/percona-xtradb-cluster:8.0", "/etc/mysql/conf.d/tls.cnf", false, true, 3, "node.cnf"},
		{"percona/percona-xtradb-cluster:8.0", "/etc/my.cnf.d", true, true, 3, "/etc/my.cnf.d is a link to /etc/mysql/conf.d"},
		{"percona/percona-server:5.7", "/etc/mysql/tls.cnf", false, true, 2, "/etc/mysql is a link to /etc/my.cnf.d"},
		{"percona/percona-server:8.0", "/etc/mysql/tls.cnf", false, false, 0, ""},
		{"mysql/mysql-server:8.0", "/etc/my.cnf", false, true, 1, ""},
		{"container-registry.oracle.com/mysql/community-server:8.4", "/etc/mysql/conf.d/tls.cnf", false, false, 0, "ignores it silently"},
	} {
		img, ok := ParseImage(c.ref)
		if !ok {
			t.Fatalf("ParseImage(%q) failed", c.ref)
		}
		reads, order, why := ReadsOptionFile(img, ResolveImage(img).Target, c.path, c.dir)
		if reads != c.reads || order != c.order || !strings.Contains(why, c.why) {
			t.Errorf("ReadsOptionFile(%s, %q, dir=%v) = %v, %d, %q; want %v, %d, …%q…", c.ref, c.path, c.dir, reads, order, why, c.reads, c.order, c.why)
		}
	}
}

func TestImageEnvVar(t *testing.T) {
	for _, c := range []struct {
		ref, name string
		ok        bool
		kind      EnvKind
	}{
		{"bitnami/mysql:8.4.3", "MYSQL_EXTRA_FLAGS", true, EnvServerFlags},
		{"bitnami/mariadb:11.4.3", "MARIADB_EXTRA_FLAGS", true, EnvServerFlags},
		{"bitnami/mariadb:11.4.3", "MYSQL_EXTRA_FLAGS", false, EnvOther},
		{"mysql:8.4", "MYSQL_EXTRA_FLAGS", false, EnvOther}, // only Bitnami reads it
		{"mysql:8.4", "MYSQL_ROOT_PASSWORD", true, EnvSecret},
		{"mysql:8.4", "MYSQL_ROOT_PASSWORD_FILE", true, EnvSecret},
		{"mariadb:11.4", "MARIADB_PASSWORD_HASH", true, EnvSecret},
		{"percona/percona-xtradb-cluster:8.0", "MYSQL_ROOT_PASSWORD", true, EnvSecret},
		{"mysql:8.4", "MYSQL_DATABASE", false, EnvOther},
	} {
		img, _ := ParseImage(c.ref)
		e, ok := ImageEnvVar(img, c.name)
		if ok != c.ok || e.Kind != c.kind {
			t.Errorf("ImageEnvVar(%s, %s) = %v, %v; want %v, %v", c.ref, c.name, e.Kind, ok, c.kind, c.ok)
		}
	}
}

// fixtureImageLines finds image references in txtar fixtures: compose and
// manifest "image:" values, Dockerfile FROM lines, and Helm "tag:" keys
// (joined with the nearest "repository:" above them).
var (
	reImageKey = regexp.MustCompile(`^\s*(?:-\s*)?image:\s*["']?([^\s"'#]+)`)
	reFrom     = regexp.MustCompile(`(?i)^\s*FROM\s+(?:--\S+\s+)*([^\s#]+)`)
	reRepoKey  = regexp.MustCompile(`^\s*repository:\s*["']?([^\s"'#]+)`)
	reTagKey   = regexp.MustCompile(`^\s*tag:\s*["']?([^\s"'#]+)`)
)

// TestFixtureTagsInTable fails when a fixture under rules/testdata uses a
// tag of a known image that the table cannot resolve: add the tag's row
// (with its date and source) to tagTable.
func TestFixtureTagsInTable(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "rules", "testdata", "*", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no fixtures found under rules/testdata: has the directory moved?")
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		repo := ""
		for i, line := range strings.Split(string(data), "\n") {
			var ref string
			switch {
			case strings.HasPrefix(line, "-- ") && strings.HasSuffix(line, " --"): // next file of the archive
				repo = ""
				continue
			case reImageKey.MatchString(line):
				ref = reImageKey.FindStringSubmatch(line)[1]
			case reFrom.MatchString(line):
				ref = reFrom.FindStringSubmatch(line)[1]
			case reRepoKey.MatchString(line):
				repo = reRepoKey.FindStringSubmatch(line)[1]
				continue
			case reTagKey.MatchString(line):
				tag := reTagKey.FindStringSubmatch(line)[1]
				r := repo
				if r == "" {
					// Bitnami's chart values may set image.tag alone; other
					// "tag:" keys (git tags, labels) are not versions.
					if tag[0] < '0' || tag[0] > '9' {
						continue
					}
					r = "bitnami/mysql"
				}
				ref = r + ":" + tag
			default:
				continue
			}
			img, ok := ParseImage(ref)
			if !ok || img.Variable() || img.Digest != "" {
				continue
			}
			if b := ResolveImage(img).Basis; b != TagExact && b != TagTable {
				t.Errorf("%s:%d: %s: tag %q is missing from the image tag table (internal/facts/images_data.go)", file, i+1, ref, img.Tag)
			}
		}
	}
}

func TestFixtureImageLineScan(t *testing.T) {
	// The scanner itself: it must see the forms fixtures use.
	for line, want := range map[string]string{
		`    image: mysql:8.0.36`:                     "mysql:8.0.36",
		`  - image: "bitnami/mariadb:11.4.3" # db`:    "bitnami/mariadb:11.4.3",
		`FROM --platform=linux/amd64 mysql:5.7 AS db`: "mysql:5.7",
		`from mariadb:lts`:                            "mariadb:lts",
	} {
		var got string
		if m := reImageKey.FindStringSubmatch(line); m != nil {
			got = m[1]
		} else if m := reFrom.FindStringSubmatch(line); m != nil {
			got = m[1]
		}
		if got != want {
			t.Errorf("scan %q = %q; want %q", line, got, want)
		}
	}
	if m := reTagKey.FindStringSubmatch(`  tag: "11.4.3"`); m == nil || m[1] != "11.4.3" {
		t.Errorf("tag key scan = %v", m)
	}
}

func TestRouterImage(t *testing.T) {
	for ref, want := range map[string]bool{
		"mysql/mysql-router":                                       true,
		"mysql/mysql-router:8.0.32":                                true,
		"docker.io/mysql/mysql-router:8.0":                         true,
		"container-registry.oracle.com/mysql/community-router:8.4": true,
		"${REGISTRY}/mysql/mysql-router":                           true,
		"mysql:8.0":                                                false,
		"mysql/mysql-server:8.0":                                   false,
		"container-registry.oracle.com/mysql/community-server:8.4": false,
		"example.com/mysql/mysql-router":                           false,
		"":                                                         false,
	} {
		if got := RouterImage(ref); got != want {
			t.Errorf("RouterImage(%q) = %v, want %v", ref, got, want)
		}
	}
}
