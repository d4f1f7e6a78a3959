package facts

import (
	"path"
	"strconv"
	"strings"
)

// ImageProduct is a MySQL-family container image whose tags, option-file
// paths and variables tlsvet knows (images_data.go, docs/images.md).
type ImageProduct uint8

// Image products. Bitnami's moved repositories hold the same images as
// bitnami/*: bitnamilegacy/* the catalog as of 2025-08-28, bitnamisecure/*
// a hardened "latest" (https://github.com/bitnami/containers/issues/83267).
const (
	ImageUnknown           ImageProduct = iota
	ImageMySQL                          // Docker Official Image "mysql" (docker-library/mysql)
	ImageMariaDB                        // Docker Official Image "mariadb" (MariaDB/mariadb-docker)
	ImagePerconaServer                  // percona/percona-server (percona/percona-docker)
	ImagePXC                            // percona/percona-xtradb-cluster (percona/percona-docker)
	ImageBitnamiMySQL                   // bitnami/mysql (bitnami/containers)
	ImageBitnamiMariaDB                 // bitnami/mariadb (bitnami/containers)
	ImageOracleMySQLServer              // mysql/mysql-server on Docker Hub (mysql/mysql-docker)
	ImageOracleCommunity                // container-registry.oracle.com/mysql/community-server (mysql/mysql-docker)
)

var imageProductNames = [...]string{
	ImageUnknown:           "unknown",
	ImageMySQL:             "mysql",
	ImageMariaDB:           "mariadb",
	ImagePerconaServer:     "percona/percona-server",
	ImagePXC:               "percona/percona-xtradb-cluster",
	ImageBitnamiMySQL:      "bitnami/mysql",
	ImageBitnamiMariaDB:    "bitnami/mariadb",
	ImageOracleMySQLServer: "mysql/mysql-server",
	ImageOracleCommunity:   "container-registry.oracle.com/mysql/community-server",
}

// String is the image's usual name ("mysql", "bitnami/mariadb").
func (p ImageProduct) String() string {
	if int(p) < len(imageProductNames) {
		return imageProductNames[p]
	}
	return "image(" + strconv.Itoa(int(p)) + ")"
}

// Flavor is the server the image runs. Percona XtraDB Cluster is Percona
// Server with Galera replication, so it is Percona too.
func (p ImageProduct) Flavor() Flavor {
	switch p {
	case ImageMySQL, ImageBitnamiMySQL, ImageOracleMySQLServer, ImageOracleCommunity:
		return MySQL
	case ImageMariaDB, ImageBitnamiMariaDB:
		return MariaDB
	case ImagePerconaServer, ImagePXC:
		return Percona
	}
	return FlavorUnknown
}

// Image is a parsed image reference of a MySQL-family product.
type Image struct {
	Ref        string // as written
	Registry   string // "docker.io" when none is written
	Repository string // path inside the registry: "library/mysql", "bitnami/mysql"
	Tag        string // as written; "" when none (the engine then pulls "latest")
	Digest     string // "sha256:…" or ""
	Product    ImageProduct
}

// hubRegistries are the names of Docker Hub; mirrors of it keep its paths.
var hubRegistries = map[string]bool{
	"docker.io": true, "index.docker.io": true, "registry-1.docker.io": true,
	"registry.hub.docker.com": true, "mirror.gcr.io": true,
}

// hubProducts maps Docker Hub repositories to products.
var hubProducts = map[string]ImageProduct{
	"library/mysql":                  ImageMySQL,
	"library/mariadb":                ImageMariaDB,
	"percona/percona-server":         ImagePerconaServer,
	"percona/percona-xtradb-cluster": ImagePXC,
	"bitnami/mysql":                  ImageBitnamiMySQL,
	"bitnamilegacy/mysql":            ImageBitnamiMySQL,
	"bitnamisecure/mysql":            ImageBitnamiMySQL,
	"bitnami/mariadb":                ImageBitnamiMariaDB,
	"bitnamilegacy/mariadb":          ImageBitnamiMariaDB,
	"bitnamisecure/mariadb":          ImageBitnamiMariaDB,
	"mysql/mysql-server":             ImageOracleMySQLServer,
}

// ParseImage reads an image reference "[registry/]repository[:tag][@digest]"
// (https://github.com/distribution/reference/blob/main/reference.go) and
// reports whether it names a MySQL-family image tlsvet knows. Compose
// variables ("${REGISTRY}/mysql:${TAG:-8.0}") are kept as written: a
// variable registry is matched by the path after it, a variable tag makes
// the version unknown (see ResolveImage).
func ParseImage(ref string) (Image, bool) {
	in := strings.TrimSpace(ref)
	img := Image{Ref: ref}
	if in == "" {
		return img, false
	}
	mask := maskVars(in)
	name, mname := in, mask
	if i := strings.IndexByte(mask, '@'); i >= 0 {
		img.Digest, name, mname = in[i+1:], in[:i], mask[:i]
	}
	if i := strings.LastIndexByte(mname, ':'); i > strings.LastIndexByte(mname, '/') {
		img.Tag, name, mname = name[i+1:], name[:i], mname[:i]
	}
	img.Registry, img.Repository = "docker.io", strings.ToLower(name)
	if i := strings.IndexByte(mname, '/'); i >= 0 {
		if first := name[:i]; strings.ContainsAny(first, ".:$") || first == "localhost" {
			img.Registry, img.Repository = strings.ToLower(name[:i]), strings.ToLower(name[i+1:])
		}
	}
	reg, repo := img.Registry, img.Repository
	if reg == "public.ecr.aws" && strings.HasPrefix(repo, "docker/") { // AWS's mirror of the official images
		reg, repo = "docker.io", strings.TrimPrefix(repo, "docker/")
	}
	switch {
	case reg == "container-registry.oracle.com":
		if repo == "mysql/community-server" {
			img.Product = ImageOracleCommunity
		}
	case hubRegistries[reg] || strings.Contains(reg, "$"):
		if !strings.Contains(repo, "/") {
			repo = "library/" + repo
		}
		img.Product = hubProducts[repo]
	}
	return img, img.Product != ImageUnknown
}

// maskVars returns s with every byte inside "${…}" replaced by 'x', so
// separators inside variable defaults ("${TAG:-8.0}") are not split on.
func maskVars(s string) string {
	b := []byte(s)
	depth := 0
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == '$' && i+1 < len(b) && b[i+1] == '{':
			depth++
			b[i], b[i+1] = 'x', 'x'
			i++
		case depth > 0 && b[i] == '}':
			depth--
			b[i] = 'x'
		case depth > 0:
			b[i] = 'x'
		}
	}
	return string(b)
}

// Name is the reference without its registry when that is Docker Hub, for
// messages: "mysql:8", "bitnami/mariadb:11.4.3".
func (img Image) Name() string {
	repo := img.Repository
	if hubRegistries[img.Registry] {
		repo = strings.TrimPrefix(repo, "library/")
	} else {
		repo = img.Registry + "/" + repo
	}
	switch {
	case img.Digest != "":
		return repo + "@" + img.Digest
	case img.Tag != "":
		return repo + ":" + img.Tag
	}
	return repo
}

// Variable reports whether the tag or digest holds a compose variable.
func (img Image) Variable() bool {
	return strings.Contains(img.Tag, "$") || strings.Contains(img.Digest, "$")
}

// TagBasis says how ResolveImage found a version.
type TagBasis uint8

const (
	TagUnknown TagBasis = iota // digest, variable, or a floating tag missing from the table
	TagExact                   // the tag spells a release: "8.0.36", "11.4.3-noble"
	TagTable                   // a floating tag found in the dated table
	TagSeries                  // a series tag ("8.0") missing from the table: the whole series
)

// ImageVersion is the server version an image reference runs.
type ImageVersion struct {
	Target Target
	Basis  TagBasis
	Phrase string // for messages: "mysql:8 → MySQL 8.4.x as of 2026-06-16 (8.4.10 then)"
	AsOf   string // the table row's date (TagTable only)
	Source string // the table row's source (TagTable only)
}

// splitTag splits a tag into its version or name part and the suffix after
// it: "8.0.36-debian" → "8.0.36", "debian"; "lts-oraclelinux9" → "lts",
// "oraclelinux9"; "8.0.36-28" (Percona's build number) → "8.0.36", "28".
func splitTag(tag string) (head, suffix string) {
	head, suffix, _ = strings.Cut(strings.ToLower(tag), "-")
	return head, suffix
}

// numericTag parses "8", "8.0", "8.0.36" and reports how many components
// it has.
func numericTag(s string) (Version, int, bool) {
	parts := strings.Split(s, ".")
	if len(parts) > 3 {
		return Version{}, 0, false
	}
	var c [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n >= Any || p == "" {
			return Version{}, 0, false
		}
		c[i] = n
	}
	return V(c[0], c[1], c[2]), len(parts), true
}

// ResolveImage gives the server version an image runs: exact for a tag
// that spells a release, the dated table's answer for a floating tag
// ("mysql:8" → 8.4.10 or a later 8.4.x as of the table's date; a tag that
// is no longer rebuilt stays at its last release), and every version of
// the flavour for a digest, a variable or a tag the table lacks.
func ResolveImage(img Image) ImageVersion {
	f := img.Product.Flavor()
	unknown := func(why string) ImageVersion {
		t := FullRange(f)
		t.Spec = img.Name()
		return ImageVersion{Target: t, Phrase: img.Name() + " → " + t.String() + ": " + why}
	}
	switch {
	case img.Variable():
		return unknown("the tag is a variable")
	case img.Digest != "":
		return unknown("a digest does not name a version")
	}
	tag := img.Tag
	if tag == "" {
		tag = "latest"
	}
	head, _ := splitTag(tag)
	if v, n, ok := numericTag(head); ok && n == 3 {
		t := Exact(f, v)
		t.Spec = img.Name()
		return ImageVersion{Target: t, Basis: TagExact, Phrase: img.Name() + " → " + t.String()}
	}
	if row, ok := lookupTag(img.Product, head); ok {
		t := Target{Flavor: f, Min: row.newest, Max: row.newest, Spec: img.Name()}
		phrase := img.Name() + " → " + t.String() + " (no longer rebuilt; as of " + row.asOf + ")"
		if !row.frozen {
			t.Max = V(row.newest.Major, row.newest.Minor, Any)
			phrase = img.Name() + " → " + f.Title() + " " + row.newest.Series() + ".x as of " + row.asOf + " (" + row.newest.String() + " then)"
		}
		return ImageVersion{Target: t, Basis: TagTable, Phrase: phrase, AsOf: row.asOf, Source: row.source}
	}
	if t, err := parseRange(head); err == nil {
		t.Flavor, t.Spec = f, img.Name()
		t = Released(t)
		return ImageVersion{Target: t, Basis: TagSeries, Phrase: img.Name() + " → " + t.String() + " (series tag not in tlsvet's table)"}
	}
	return unknown("tag " + strconv.Quote(tag) + " is not in tlsvet's table")
}

// lookupTag finds a floating tag's row.
func lookupTag(p ImageProduct, tag string) (tagRow, bool) {
	for _, r := range tagTable {
		if r.product == p && r.tag == tag {
			return r, true
		}
	}
	return tagRow{}, false
}

// optionPath is a file or directory an image's server reads options from.
type optionPath struct {
	path string // absolute; a directory ends in "/"
	note string // why it is read
}

func (o optionPath) dir() bool { return strings.HasSuffix(o.path, "/") }

// ReadsOptionFile reports whether the server in img, running a version in
// t, reads a file or directory mounted or copied at containerPath, at what
// place in its reading order (1 = first; later files win), and why. A
// directory is read when it is an included directory (its *.cnf files) or
// holds one of the read paths. When the path is not read the reason says
// so: the server ignores it silently.
func ReadsOptionFile(img Image, t Target, containerPath string, isDir bool) (reads bool, order int, why string) {
	p := path.Clean("/" + strings.TrimSpace(containerPath))
	linked := ""
	for link, target := range imageLinks(img, t) {
		if rest, ok := strings.CutPrefix(p, link); ok && (rest == "" || rest[0] == '/') {
			p, linked = target+rest, " ("+link+" is a link to "+target+" in this image)"
		}
	}
	reads, order, why = readsOptionPath(img, t, p, isDir)
	return reads, order, why + linked
}

func readsOptionPath(img Image, t Target, p string, isDir bool) (reads bool, order int, why string) {
	paths := optionPaths(img, t)
	for i, o := range paths {
		op := strings.TrimSuffix(o.path, "/")
		switch {
		case !isDir && !o.dir() && p == op:
			return true, i + 1, o.note
		case !isDir && o.dir() && path.Dir(p) == op:
			if !strings.HasSuffix(p, ".cnf") {
				return false, 0, p + ": the server reads only files ending in .cnf from " + o.path + " (" + o.note + "); this file is ignored silently"
			}
			return true, i + 1, o.note
		case isDir && o.dir() && p == op:
			return true, i + 1, o.note + "; its *.cnf files are read in sorted order"
		case isDir && (p == "/" || strings.HasPrefix(op, p+"/")):
			return true, i + 1, "the mount replaces " + p + ", which holds " + o.path + " (" + o.note + ")"
		}
	}
	var list []string
	for _, o := range paths {
		list = append(list, o.path)
	}
	who := img.Name()
	if !t.Exact() || t.Spec != who {
		who += " (" + t.String() + ")"
	}
	return false, 0, who + " does not read option files at " + p +
		"; the server ignores it silently. It reads " + strings.Join(list, ", ")
}

// RouterImage reports whether ref names a MySQL Router image: Oracle's
// mysql/mysql-router on Docker Hub (https://hub.docker.com/r/mysql/mysql-router)
// or container-registry.oracle.com/mysql/community-router
// (https://dev.mysql.com/doc/mysql-router/8.4/en/mysql-router-installation-docker.html).
// It runs mysqlrouter, not a server: applications connect to its routes.
func RouterImage(ref string) bool {
	img, _ := ParseImage(ref)
	reg, repo := img.Registry, img.Repository
	switch {
	case reg == "container-registry.oracle.com":
		return repo == "mysql/community-router"
	case hubRegistries[reg] || strings.Contains(reg, "$"):
		return repo == "mysql/mysql-router"
	}
	return false
}
