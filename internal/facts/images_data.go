package facts

// Image facts as data: the floating-tag table, the option files each image
// reads, and the images' environment variables. docs/images.md explains
// them with the same sources.

// Sources, pinned to the commits read.
const (
	// docker-library/mysql at 2026-06-16: versions.json lists the series
	// built, generate-stackbrew-library.sh turns them into tags
	// ([8.4]='8', [9.7]='9 lts', "latest" = first key, "innovation").
	srcImgMySQL     = "https://github.com/docker-library/mysql/blob/7f30fdb0738041fc5125e8218e393e0a891243e9/generate-stackbrew-library.sh"
	srcImgMySQL80   = "https://github.com/docker-library/mysql/commit/b6c1f3997a86ad4de7ceb6b8c9b0d9f6ee15ac84"                // "Remove 8.0 (EOL)", 2026-04-22, last build 8.0.46 (7cf11d5)
	srcImgMySQL57   = "https://github.com/docker-library/mysql/commit/3e959c224b965b0dd92a59a1dedeb7c34a24f550"                // "Remove 5.7 entirely (EOL)", 2023-12-18, last build 5.7.44 (9678ed1)
	srcImgMySQLHist = "https://github.com/docker-library/mysql/commits/7f30fdb0738041fc5125e8218e393e0a891243e9/versions.json" // innovation releases, one per series
	// MariaDB/mariadb-docker at 2026-05-29: the highest Stable release gets
	// MAJOR and "latest", the highest Stable LTS gets "lts".
	srcImgMariaDB     = "https://github.com/MariaDB/mariadb-docker/blob/1b6429ba3544e134715c15f8c56cc6f665f827c9/generate-stackbrew-library.sh"
	srcImgMariaDBHist = "https://github.com/MariaDB/mariadb-docker/commits/1b6429ba3544e134715c15f8c56cc6f665f827c9/versions.json"
	// percona/percona-docker at 2026-08-20: PS_VERSION / PXC_VERSION in each Dockerfile.
	srcImgPercona = "https://github.com/percona/percona-docker/tree/5c654083c86b7563d1fbf67615e6dafc938427d1"
	// mysql/mysql-docker at 2026-06-11: mysql-server/VERSION (LATEST="9.7") and tag.sh.
	srcImgOracle = "https://github.com/mysql/mysql-docker/blob/405ba27ee52c8cc865116d29c38643dcce1215b6/mysql-server/VERSION"
	// Option-file search order on Unix: /etc/my.cnf, /etc/mysql/my.cnf, …
	srcMY84OF  = "https://dev.mysql.com/doc/refman/8.4/en/option-files.html"
	srcBitnami = "https://github.com/bitnami/containers/blob/main/bitnami/mysql/8.0/debian-11/rootfs/opt/bitnami/scripts/mysql/run.sh"
)

// tagRow is what a floating tag pointed to on the row's date.
type tagRow struct {
	product ImageProduct
	tag     string  // without a variant suffix ("8.0", not "8.0-oracle")
	newest  Version // the newest release it pointed to on asOf
	frozen  bool    // no longer rebuilt: it stays at newest
	asOf    string
	source  string
}

// tagTable holds the floating tags. A tag spelling a full release
// ("8.0.36", "11.4.3-noble", "8.4.3-debian-12-r4") needs no row.
var tagTable = []tagRow{
	// mysql: LTS 9.7 carries "9", "lts" and "latest"; 8.4 carries "8".
	{ImageMySQL, "latest", V(9, 7, 1), false, "2026-06-16", srcImgMySQL},
	{ImageMySQL, "lts", V(9, 7, 1), false, "2026-06-16", srcImgMySQL},
	{ImageMySQL, "9", V(9, 7, 1), false, "2026-06-16", srcImgMySQL},
	{ImageMySQL, "9.7", V(9, 7, 1), false, "2026-06-16", srcImgMySQL},
	{ImageMySQL, "innovation", V(9, 6, 0), false, "2026-06-16", srcImgMySQL},
	{ImageMySQL, "9.6", V(9, 6, 0), false, "2026-06-16", srcImgMySQL},
	{ImageMySQL, "8", V(8, 4, 10), false, "2026-06-16", srcImgMySQL},
	{ImageMySQL, "8.4", V(8, 4, 10), false, "2026-06-16", srcImgMySQL},
	{ImageMySQL, "8.0", V(8, 0, 46), true, "2026-04-22", srcImgMySQL80},
	{ImageMySQL, "5.7", V(5, 7, 44), true, "2023-12-18", srcImgMySQL57},
	{ImageMySQL, "5", V(5, 7, 44), true, "2023-12-18", srcImgMySQL57},
	// Innovation series: one release each, tagged X.Y until the next one.
	{ImageMySQL, "9.5", V(9, 5, 0), true, "2026-01-21", srcImgMySQLHist},
	{ImageMySQL, "9.4", V(9, 4, 0), true, "2025-10-21", srcImgMySQLHist},
	{ImageMySQL, "9.3", V(9, 3, 0), true, "2025-07-22", srcImgMySQLHist},
	{ImageMySQL, "9.2", V(9, 2, 0), true, "2025-04-14", srcImgMySQLHist},
	{ImageMySQL, "9.1", V(9, 1, 0), true, "2025-01-21", srcImgMySQLHist},
	{ImageMySQL, "9.0", V(9, 0, 1), true, "2024-10-14", srcImgMySQLHist},
	{ImageMySQL, "8.3", V(8, 3, 0), true, "2024-04-30", srcImgMySQLHist},
	{ImageMySQL, "8.2", V(8, 2, 0), true, "2024-01-18", srcImgMySQLHist},
	{ImageMySQL, "8.1", V(8, 1, 0), true, "2023-10-24", srcImgMySQLHist},

	// mariadb: 12.2 is the highest Stable ("latest", "12"), 11.8 the
	// highest Stable LTS ("lts", "11"); 12.3 is an RC ("12.3-rc").
	{ImageMariaDB, "latest", V(12, 2, 2), false, "2026-05-29", srcImgMariaDB},
	{ImageMariaDB, "12", V(12, 2, 2), false, "2026-05-29", srcImgMariaDB},
	{ImageMariaDB, "12.2", V(12, 2, 2), false, "2026-05-29", srcImgMariaDB},
	{ImageMariaDB, "12.3", V(12, 3, 1), false, "2026-05-29", srcImgMariaDB},
	{ImageMariaDB, "lts", V(11, 8, 8), false, "2026-05-29", srcImgMariaDB},
	{ImageMariaDB, "11", V(11, 8, 8), false, "2026-05-29", srcImgMariaDB},
	{ImageMariaDB, "11.8", V(11, 8, 8), false, "2026-05-29", srcImgMariaDB},
	{ImageMariaDB, "11.4", V(11, 4, 12), false, "2026-05-29", srcImgMariaDB},
	{ImageMariaDB, "10", V(10, 11, 18), false, "2026-05-29", srcImgMariaDB},
	{ImageMariaDB, "10.11", V(10, 11, 18), false, "2026-05-29", srcImgMariaDB},
	{ImageMariaDB, "10.6", V(10, 6, 27), false, "2026-05-29", srcImgMariaDB},
	// Series no longer built: their last release.
	{ImageMariaDB, "12.1", V(12, 1, 2), true, "2026-02-09", srcImgMariaDBHist},
	{ImageMariaDB, "12.0", V(12, 0, 2), true, "2025-11-17", srcImgMariaDBHist},
	{ImageMariaDB, "11.7", V(11, 7, 2), true, "2025-06-10", srcImgMariaDBHist},
	{ImageMariaDB, "11.6", V(11, 6, 2), true, "2025-02-14", srcImgMariaDBHist},
	{ImageMariaDB, "11.5", V(11, 5, 2), true, "2024-11-15", srcImgMariaDBHist},
	{ImageMariaDB, "11.3", V(11, 3, 2), true, "2024-05-17", srcImgMariaDBHist},
	{ImageMariaDB, "11.2", V(11, 2, 6), true, "2025-02-05", srcImgMariaDBHist},
	{ImageMariaDB, "11.1", V(11, 1, 6), true, "2024-08-15", srcImgMariaDBHist},
	{ImageMariaDB, "11.0", V(11, 0, 6), true, "2024-06-06", srcImgMariaDBHist},
	{ImageMariaDB, "10.10", V(10, 10, 7), true, "2023-11-22", srcImgMariaDBHist},
	{ImageMariaDB, "10.9", V(10, 9, 8), true, "2023-09-14", srcImgMariaDBHist},
	{ImageMariaDB, "10.5", V(10, 5, 29), true, "2025-06-11", srcImgMariaDBHist},
	{ImageMariaDB, "10.4", V(10, 4, 34), true, "2024-06-11", srcImgMariaDBHist},

	// Percona: the series directories' PS_VERSION / PXC_VERSION.
	{ImagePerconaServer, "8.4", V(8, 4, 10), false, "2026-08-20", srcImgPercona},
	{ImagePerconaServer, "8.0", V(8, 0, 46), false, "2026-08-20", srcImgPercona},
	{ImagePerconaServer, "5.7", V(5, 7, 44), false, "2026-08-20", srcImgPercona},
	{ImagePXC, "8.4", V(8, 4, 10), false, "2026-08-20", srcImgPercona},
	{ImagePXC, "8.0", V(8, 0, 43), false, "2026-08-20", srcImgPercona},
	{ImagePXC, "5.7", V(5, 7, 44), false, "2026-08-20", srcImgPercona},

	// Oracle's registry: tag.sh gives X.Y, X.Y.Z, X.Y.Z-<image version>
	// and "latest" for LATEST.
	{ImageOracleCommunity, "latest", V(9, 7, 1), false, "2026-06-11", srcImgOracle},
	{ImageOracleCommunity, "9.7", V(9, 7, 1), false, "2026-06-11", srcImgOracle},
	{ImageOracleCommunity, "8.4", V(8, 4, 10), false, "2026-06-11", srcImgOracle},
	{ImageOracleCommunity, "8.0", V(8, 0, 46), false, "2026-06-11", srcImgOracle},
}

// Option-file notes, each with its source.
const (
	noteEtcMyCnf      = "/etc/my.cnf is the first file in the server's default search order (" + srcMY84OF + ")"
	noteEtcMysqlMyCnf = "/etc/mysql/my.cnf is the second file in the server's default search order (" + srcMY84OF + ")"
	noteMySQLOracle   = "the image's /etc/my.cnf ends with !includedir /etc/mysql/conf.d/ (https://github.com/docker-library/mysql/blob/7f30fdb0738041fc5125e8218e393e0a891243e9/Dockerfile.oracle); mounting over /etc/my.cnf drops that include"
	noteMySQLDebian   = "the Debian image's /etc/mysql/my.cnf ends with !includedir /etc/mysql/conf.d/ (https://github.com/docker-library/mysql/blob/7cf11d5360282effadb347353d5f82339506b106/8.0/config/my.cnf); mounting over it drops that include"
	noteMySQLConfD    = "/etc/mysql/conf.d/ is included at the end of the image's my.cnf, so its files win over it"
	noteMySQL57ConfD  = "only 5.7 images include /etc/mysql/mysql.conf.d/, after conf.d (https://github.com/docker-library/mysql/commit/19f5517b96ee5ee2aafb93dd7932a5e6bd3f0bc8; Oracle-variant builds before 2022-07-12 lacked it); 8.0 and later never read it"
	noteOracleRPM     = "Oracle's image reads the RPM's /etc/my.cnf, which includes no directory (https://dev.mysql.com/doc/refman/8.4/en/docker-mysql-more-topics.html mounts it there)"
	noteMariaDBCnf    = "the image's /etc/mysql/my.cnf (mariadb.cnf) includes /etc/mysql/mariadb.conf.d/ then /etc/mysql/conf.d/ (https://github.com/MariaDB/mariadb-docker/blob/1b6429ba3544e134715c15f8c56cc6f665f827c9/11.4/Dockerfile, issue #327); mounting over it drops those includes"
	noteMariaDBConfD  = "/etc/mysql/mariadb.conf.d/ is read before /etc/mysql/conf.d/ from 10.5 on (the image reorders the includes, issue #327); before 10.5 conf.d came first"
	noteMariaDBUBI    = "the UBI image's /etc/my.cnf includes /etc/my.cnf.d/, whose docker.cnf includes /etc/mysql/mariadb.conf.d then /etc/mysql/conf.d (https://github.com/MariaDB/mariadb-docker/blob/1b6429ba3544e134715c15f8c56cc6f665f827c9/docker.cnf)"
	notePercona       = "the image's /etc/my.cnf ends with !includedir /etc/my.cnf.d (" + srcImgPercona + "/percona-server-8.4/Dockerfile)"
	notePXC           = "the image's /etc/my.cnf includes /etc/mysql/node.cnf, /etc/my.cnf.d/ (a link to /etc/mysql/conf.d/) and /etc/percona-xtradb-cluster.conf.d/ in that order (" + srcImgPercona + "/percona-xtradb-cluster-8.4/Dockerfile)"
	noteBitnamiMyCnf  = "Bitnami starts the server with --defaults-file=<conf>/my.cnf, so it reads that file only (" + srcBitnami + "); a mounted my.cnf replaces the one the image writes from its variables"
	noteBitnamiCustom = "Bitnami copies my_custom.cnf into conf/bitnami/my_custom.cnf, which its my.cnf includes at the end (libmysql.sh, https://github.com/bitnami/containers/tree/main/bitnami/mysql)"
)

// optionPaths lists what the server in img reads, in reading order.
// Unknown versions get every path some version reads.
func optionPaths(img Image, t Target) []optionPath {
	etc := optionPath{"/etc/my.cnf", noteEtcMyCnf}
	etcMysql := optionPath{"/etc/mysql/my.cnf", noteEtcMysqlMyCnf}
	switch img.Product {
	case ImageMySQL:
		confD := optionPath{"/etc/mysql/conf.d/", noteMySQLConfD}
		ps := []optionPath{{"/etc/my.cnf", noteMySQLOracle}, confD}
		_, variant := splitTag(img.Tag)
		debian := variant == "debian" || debianSuites[variant] || (variant == "" && mysqlDebianByDefault(t))
		if debian {
			ps = []optionPath{etc, {"/etc/mysql/my.cnf", noteMySQLDebian}, confD}
		}
		// Oracle-variant 5.7 images gained mysql.conf.d after 5.7.38.
		if t.AnyBelow(V(8, 0, 0)) && (debian || t.AnyAtLeast(V(5, 7, 39))) {
			ps = append(ps, optionPath{"/etc/mysql/mysql.conf.d/", noteMySQL57ConfD})
		}
		if ps[1] == confD { // Oracle variant: /etc/mysql/my.cnf comes after /etc/my.cnf and its includes
			ps = append(ps, etcMysql)
		}
		return ps
	case ImageOracleMySQLServer, ImageOracleCommunity:
		return []optionPath{{"/etc/my.cnf", noteOracleRPM}, etcMysql}
	case ImageMariaDB:
		mdbD := optionPath{"/etc/mysql/mariadb.conf.d/", noteMariaDBConfD}
		confD := optionPath{"/etc/mysql/conf.d/", noteMariaDBConfD}
		if _, variant := splitTag(img.Tag); len(variant) >= 3 && variant[:3] == "ubi" {
			return []optionPath{etc, {"/etc/my.cnf.d/", noteMariaDBUBI}, mdbD, confD, etcMysql}
		}
		if t.AllBelow(V(10, 5, 0)) {
			return []optionPath{etc, {"/etc/mysql/my.cnf", noteMariaDBCnf}, confD, mdbD}
		}
		return []optionPath{etc, {"/etc/mysql/my.cnf", noteMariaDBCnf}, mdbD, confD}
	case ImagePerconaServer:
		return []optionPath{{"/etc/my.cnf", notePercona}, {"/etc/my.cnf.d/", notePercona}, etcMysql}
	case ImagePXC:
		return []optionPath{{"/etc/my.cnf", notePXC}, {"/etc/mysql/node.cnf", notePXC},
			{"/etc/mysql/conf.d/", notePXC}, {"/etc/percona-xtradb-cluster.conf.d/", notePXC}, etcMysql}
	case ImageBitnamiMySQL, ImageBitnamiMariaDB:
		conf := "/opt/bitnami/mysql/conf/"
		if img.Product == ImageBitnamiMariaDB {
			conf = "/opt/bitnami/mariadb/conf/"
		}
		return []optionPath{{conf + "my.cnf", noteBitnamiMyCnf}, {conf + "my_custom.cnf", noteBitnamiCustom}}
	}
	return nil
}

// imageLinks are directories that are symbolic links in img's file
// system, to their targets: a path under one is read as under the target.
func imageLinks(img Image, t Target) map[string]string {
	switch {
	case img.Product == ImagePXC: // percona-xtradb-cluster-*/Dockerfile: ln -s /etc/mysql/conf.d /etc/my.cnf.d
		return map[string]string{"/etc/my.cnf.d": "/etc/mysql/conf.d"}
	case img.Product == ImagePerconaServer && t.AnyBelow(V(8, 0, 0)): // percona-server-5.7/Dockerfile: ln -s /etc/my.cnf.d /etc/mysql
		return map[string]string{"/etc/mysql": "/etc/my.cnf.d"}
	}
	return nil
}

// mysqlDebianByDefault reports whether the mysql image's untagged variant
// was Debian for every version in t: Oracle Linux became the default on
// 2022-06-13 (https://github.com/docker-library/mysql/commit/9ed73fdd2f2fd77591d0020e13c37602a0600eb8),
// after 5.7.38 and 8.0.29 had been built.
func mysqlDebianByDefault(t Target) bool {
	if t.Max.Major < 8 {
		return t.AllBelow(V(5, 7, 39))
	}
	return t.AllBelow(V(8, 0, 30))
}

// debianSuites are the variant suffixes of the mysql image's Debian builds.
var debianSuites = map[string]bool{"bookworm": true, "bullseye": true, "buster": true, "stretch": true, "jessie": true}

// EnvKind is what an image's environment variable does.
type EnvKind uint8

const (
	EnvOther       EnvKind = iota
	EnvServerFlags         // whitespace-split and appended to the server's command line
	EnvSecret              // a password: never print its value
)

// ImageEnv is a documented environment variable of an image.
type ImageEnv struct {
	Name   string
	Kind   EnvKind
	Source string
}

const (
	srcEnvMySQL   = "https://github.com/docker-library/mysql/blob/7f30fdb0738041fc5125e8218e393e0a891243e9/docker-entrypoint.sh"
	srcEnvMariaDB = "https://github.com/MariaDB/mariadb-docker/blob/1b6429ba3544e134715c15f8c56cc6f665f827c9/docker-entrypoint.sh"
	srcEnvPercona = "https://github.com/percona/percona-docker/blob/5c654083c86b7563d1fbf67615e6dafc938427d1/percona-server-8.0/ps-entry.sh"
	srcEnvBitnami = "https://github.com/bitnami/containers/blob/main/bitnami/mysql/8.0/debian-12/rootfs/opt/bitnami/scripts/mysql-env.sh"
)

// imageEnv lists, per product, the variables that matter to tlsvet: server
// flags and secrets. None of the official images has a TLS variable.
var imageEnv = map[ImageProduct][]ImageEnv{
	ImageMySQL: {
		{"MYSQL_ROOT_PASSWORD", EnvSecret, srcEnvMySQL},
		{"MYSQL_PASSWORD", EnvSecret, srcEnvMySQL},
	},
	ImageMariaDB: {
		{"MARIADB_ROOT_PASSWORD", EnvSecret, srcEnvMariaDB},
		{"MARIADB_ROOT_PASSWORD_HASH", EnvSecret, srcEnvMariaDB},
		{"MARIADB_PASSWORD", EnvSecret, srcEnvMariaDB},
		{"MARIADB_PASSWORD_HASH", EnvSecret, srcEnvMariaDB},
		{"MARIADB_REPLICATION_PASSWORD", EnvSecret, srcEnvMariaDB},
		{"MARIADB_REPLICATION_PASSWORD_HASH", EnvSecret, srcEnvMariaDB},
		// The legacy MYSQL_* names are mapped to MARIADB_* (_mariadb_file_env).
		{"MYSQL_ROOT_PASSWORD", EnvSecret, srcEnvMariaDB},
		{"MYSQL_PASSWORD", EnvSecret, srcEnvMariaDB},
	},
	ImagePerconaServer: {
		{"MYSQL_ROOT_PASSWORD", EnvSecret, srcEnvPercona},
		{"MYSQL_PASSWORD", EnvSecret, srcEnvPercona},
	},
	ImageBitnamiMySQL: {
		{"MYSQL_EXTRA_FLAGS", EnvServerFlags, srcBitnami},
		{"MYSQL_ROOT_PASSWORD", EnvSecret, srcEnvBitnami},
		{"MYSQL_PASSWORD", EnvSecret, srcEnvBitnami},
		{"MYSQL_REPLICATION_PASSWORD", EnvSecret, srcEnvBitnami},
		{"MYSQL_MASTER_ROOT_PASSWORD", EnvSecret, srcEnvBitnami},
	},
	ImageBitnamiMariaDB: {
		{"MARIADB_EXTRA_FLAGS", EnvServerFlags, srcBitnami},
		{"MARIADB_ROOT_PASSWORD", EnvSecret, srcEnvBitnami},
		{"MARIADB_PASSWORD", EnvSecret, srcEnvBitnami},
		{"MARIADB_REPLICATION_PASSWORD", EnvSecret, srcEnvBitnami},
		{"MARIADB_MASTER_ROOT_PASSWORD", EnvSecret, srcEnvBitnami},
	},
	ImageOracleMySQLServer: {
		{"MYSQL_ROOT_PASSWORD", EnvSecret, "https://github.com/mysql/mysql-docker/blob/405ba27ee52c8cc865116d29c38643dcce1215b6/mysql-server/8.4/docker-entrypoint.sh"},
		{"MYSQL_PASSWORD", EnvSecret, "https://github.com/mysql/mysql-docker/blob/405ba27ee52c8cc865116d29c38643dcce1215b6/mysql-server/8.4/docker-entrypoint.sh"},
	},
}

func init() {
	imageEnv[ImagePXC] = imageEnv[ImagePerconaServer]
	imageEnv[ImageOracleCommunity] = imageEnv[ImageOracleMySQLServer]
}

// ImageEnvVar describes the variable name in img's environment, if it is
// one tlsvet knows. The images also read NAME_FILE for a secret NAME.
func ImageEnvVar(img Image, name string) (ImageEnv, bool) {
	base := name
	if len(base) > 5 && base[len(base)-5:] == "_FILE" {
		base = base[:len(base)-5]
	}
	for _, e := range imageEnv[img.Product] {
		if e.Name == name || (e.Kind == EnvSecret && e.Name == base) {
			return e, true
		}
	}
	return ImageEnv{}, false
}
