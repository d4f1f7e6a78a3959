package facts

import "sync"

import "strings"

// Protocol is a TLS protocol version; the constants are ordered.
type Protocol uint8

// Protocols. The zero Protocol is "none".
const (
	TLSv10 Protocol = iota + 1
	TLSv11
	TLSv12
	TLSv13
)

// Protocols lists every protocol, lowest first.
var Protocols = []Protocol{TLSv10, TLSv11, TLSv12, TLSv13}

// String is the neutral spelling "TLSv1.0".
func (p Protocol) String() string {
	switch p {
	case TLSv10:
		return "TLSv1.0"
	case TLSv11:
		return "TLSv1.1"
	case TLSv12:
		return "TLSv1.2"
	case TLSv13:
		return "TLSv1.3"
	}
	return "none"
}

// Spell is the token flavour f uses for p in tls_version lists. MySQL and
// Percona spell TLS 1.0 "TLSv1" and have no "TLSv1.0" token (the name list
// in vio/viosslfactories.cc is {TLSv1, TLSv1.1, TLSv1.2, TLSv1.3}: SRC-VIO
// https://github.com/mysql/mysql-server/blob/trunk/vio/viosslfactories.cc,
// MY80-PC https://dev.mysql.com/doc/refman/8.0/en/encrypted-connection-protocols-ciphers.html).
// MariaDB's SET type has TLSv1.0…TLSv1.3 and no "TLSv1" (MDB-SYSV
// https://mariadb.com/docs/server/security/encryption/data-in-transit-encryption/ssltls-system-variables;
// a real 10.11 refuses to start on "TLSv1", docs/mariadb-observations.md §4a). TiDB's
// tls-version uses "TLSv1.0"… (TI-CFG https://docs.pingcap.com/tidb/stable/tidb-configuration-file).
// FlavorUnknown gets the neutral "TLSv1.0" spelling.
func (p Protocol) Spell(f Flavor) string {
	if p == TLSv10 && (f == MySQL || f == Percona) {
		return "TLSv1"
	}
	return p.String()
}

// ParseProtocol reads a protocol token in flavour f's spelling,
// case-insensitively: MySQL/Percona "TLSv1","TLSv1.1"…; MariaDB and TiDB
// "TLSv1.0","TLSv1.1"…; FlavorUnknown accepts both. MySQL compares the
// tokens case-insensitively (SRC-VIO process_tls_version) and so does
// MariaDB's SET type (a real 10.11 accepted "tlsv1.3", docs/mariadb-observations.md §4a).
// TiDB compares the exact string (pingcap/tidb util/misc.go):
// callers that care check the spelling against Spell(TiDB).
func ParseProtocol(f Flavor, tok string) (Protocol, bool) {
	switch strings.ToLower(tok) {
	case "tlsv1":
		if f == MariaDB || f == TiDB {
			return 0, false
		}
		return TLSv10, true
	case "tlsv1.0":
		if f == MySQL || f == Percona {
			return 0, false
		}
		return TLSv10, true
	case "tlsv1.1":
		return TLSv11, true
	case "tlsv1.2":
		return TLSv12, true
	case "tlsv1.3":
		return TLSv13, true
	}
	return 0, false
}

// AnyProtocol reads a protocol token in either spelling.
func AnyProtocol(tok string) (Protocol, bool) { return ParseProtocol(FlavorUnknown, tok) }

// Source URLs for protocol facts.
const (
	srcMY84PC  = "https://dev.mysql.com/doc/refman/8.4/en/encrypted-connection-protocols-ciphers.html"
	srcMY95PC  = "https://docs.oracle.com/cd/E17952_01/mysql-9.5-en/encrypted-connection-protocols-ciphers.html"
	srcMDBOVW  = "https://mariadb.com/docs/server/security/encryption/data-in-transit-encryption/secure-connections-overview"
	srcMDB2688 = "https://github.com/MariaDB/server/pull/2688"
	srcTICFG   = "https://docs.pingcap.com/tidb/stable/tidb-configuration-file"
	srcTITLS   = "https://docs.pingcap.com/tidb/stable/enable-tls-between-clients-and-servers"
)

// mariadbLegacyWarn: MDEV-31369 dropped TLSv1.1 from MariaDB's default
// tls_version (now TLSv1.2,TLSv1.3) and made the server warn "TLSv1.0 and
// TLSv1.1 are insecure" (https://github.com/MariaDB/server/pull/2688; the
// default before was TLSv1.1,TLSv1.2,TLSv1.3, https://github.com/MariaDB/server/pull/2695).
// MDB-SYSV gives the first releases as 10.6.16, 10.11.6 and 11.0.4. The
// same-day releases of the other series then maintained (10.10.7, 11.1.3,
// 11.2.2) are assumed to carry it too (UNCONFIRMED); 10.4 and 10.5 are not
// listed by the docs and are left out.
var mariadbLegacyWarn = Lifecycle{
	Deprecated: V(11, 2, 2),
	Backports: []Backport{
		{Deprecation, V(10, 6, 16)}, {Deprecation, V(10, 10, 7)}, {Deprecation, V(10, 11, 6)},
		{Deprecation, V(11, 0, 4)}, {Deprecation, V(11, 1, 3)},
	},
}

var protocolLifecycles = map[Flavor][4]Lifecycle{
	MySQL: {
		// TLSv1: always there; deprecated 5.7.35 and 8.0.26; removed 8.0.28 (MY57-PC, MY80-PC, MY84-PC).
		{
			Deprecated: V(8, 0, 26), Removed: V(8, 0, 28),
			Backports: []Backport{{Deprecation, V(5, 7, 35)}},
			Source:    SrcMY80PC + " " + SrcMY57PC,
		},
		// TLSv1.1 and TLSv1.2 from 5.6.46 / 5.7.10 (MY80-PC "TLSv1 is the only
		// supported protocol prior to MySQL 5.6.46"; MY57-PC).
		{
			Added: V(5, 7, 10), Deprecated: V(8, 0, 26), Removed: V(8, 0, 28),
			Backports: []Backport{{Added, V(5, 6, 46)}, {Deprecation, V(5, 7, 35)}},
			Source:    SrcMY80PC + " " + SrcMY57PC,
		},
		{
			Added:     V(5, 7, 10),
			Backports: []Backport{{Added, V(5, 6, 46)}},
			Source:    SrcMY80PC + " " + SrcMY57PC,
			// MY57-PC: yaSSL builds support TLSv1 and TLSv1.1 only;
			// https://dev.mysql.com/doc/relnotes/mysql/5.7/en/news-5-7-28.html removed yaSSL.
			Note: "community builds before 5.7.28 used yaSSL, which has no TLSv1.2",
		},
		// TLSv1.3 from 8.0.16 with OpenSSL ≥ 1.1.1 (MY80-PC).
		{Added: V(8, 0, 16), Source: SrcMY80PC, Note: "needs OpenSSL 1.1.1 or later"},
	},
	MariaDB: {
		{Deprecated: mariadbLegacyWarn.Deprecated, Backports: mariadbLegacyWarn.Backports, Source: SrcMDBSysV + " " + srcMDB2688},
		{Deprecated: mariadbLegacyWarn.Deprecated, Backports: mariadbLegacyWarn.Backports, Source: SrcMDBSysV + " " + srcMDB2688},
		{Source: SrcMDBSysV, Note: "needs a TLS library with TLSv1.2"},
		// TLSv1.3 with OpenSSL 1.1.1 from 10.2.16 / 10.3.8 (MDB-TLS13; versions UNCONFIRMED,
		// they only matter before tls_version existed).
		{Added: V(10, 3, 8), Backports: []Backport{{Added, V(10, 2, 16)}}, Source: SrcMDBTLS13, Note: "needs OpenSSL 1.1.1 or later"},
	},
	TiDB: {
		// tls-version TLSv1.0/1.1 deprecated v7.6.0, removed v8.0.0 (TI-CFG, TI-TLS).
		{Deprecated: V(7, 6, 0), Removed: V(8, 0, 0), Source: srcTICFG + " " + srcTITLS},
		{Deprecated: V(7, 6, 0), Removed: V(8, 0, 0), Source: srcTICFG + " " + srcTITLS},
		{Source: srcTITLS},
		{Source: srcTITLS},
	},
}

// ProtocolLifecycle says for flavour f when protocol p became supported,
// deprecated and removed. Percona follows MySQL; FlavorUnknown gets MySQL's.
func ProtocolLifecycle(f Flavor, p Protocol) Lifecycle {
	if p < TLSv10 || p > TLSv13 {
		return Lifecycle{Absent: true}
	}
	switch f {
	case MariaDB, TiDB:
	default:
		f = MySQL
	}
	return protocolLifecycles[f][p-1]
}

// protocolPoints is computed once: Supports and Deprecated run for every
// token of every protocol list.
var protocolPoints = sync.OnceValue(func() []Version {
	var ps []Version
	for _, ls := range protocolLifecycles {
		for _, l := range ls {
			ps = append(ps, l.Points()...)
		}
	}
	return ps
})

// Supports reports whether every (Yes), no (No) or some (Maybe) version in t
// supports p.
func Supports(t Target, p Protocol) Tri {
	return triOf(t, protocolPoints(), func(f Flavor, v Version) bool {
		return ProtocolLifecycle(f, p).AvailableAt(v)
	})
}

// Deprecated reports whether p is deprecated (supported, with a warning) on
// the versions in t. MariaDB counts as deprecating TLSv1.0/1.1 from the
// releases that log "TLSv1.0 and TLSv1.1 are insecure".
func Deprecated(t Target, p Protocol) Tri {
	return triOf(t, protocolPoints(), func(f Flavor, v Version) bool {
		return ProtocolLifecycle(f, p).DeprecatedAt(v)
	})
}

var (
	protos10to12 = []Protocol{TLSv10, TLSv11, TLSv12}
	protos10to13 = []Protocol{TLSv10, TLSv11, TLSv12, TLSv13}
	protos11to13 = []Protocol{TLSv11, TLSv12, TLSv13}
	protos12to13 = []Protocol{TLSv12, TLSv13}
)

// defaultProtocols is the default tls_version of flavour f at version v.
func defaultProtocols(f Flavor, v Version) []Protocol {
	switch f {
	case MariaDB:
		switch {
		case mariadbLegacyWarn.at(Deprecation, v):
			// MDEV-31369 (MDB-SYSV, PR 2688): default TLSv1.2,TLSv1.3.
			return protos12to13
		case !v.Less(V(10, 4, 6)):
			// tls_version added in 10.4.6 with default TLSv1.1,TLSv1.2,TLSv1.3 (MDB-SYSV,
			// https://mariadb.com/docs/server/ref/mdb/cli/mariadbd/tls-version); MDEV-14101
			// (https://github.com/MariaDB/server/commit/d13080133f): "The default
			// configuration doesn't support TLSv1.0 anymore".
			return protos11to13
		case ProtocolLifecycle(MariaDB, TLSv13).AvailableAt(v):
			// Before tls_version the library's defaults applied: every protocol it has
			// (UNCONFIRMED: inferred from MDB-OVW, which documents no restriction).
			return protos10to13
		}
		return protos10to12
	case TiDB:
		// tls-version "" means TLSv1.1 and later before v7.6.0, TLSv1.2 from v7.6.0 (TI-CFG).
		if v.Less(V(7, 6, 0)) {
			return protos11to13
		}
		return protos12to13
	}
	// MySQL (MY57-PC, MY80-PC tables, MY84-PC, MY80-SV tls_version).
	switch {
	case !v.Less(V(8, 0, 28)):
		return protos12to13
	case !v.Less(V(8, 0, 16)):
		return protos10to13
	case !v.Less(V(5, 7, 10)), v.sameSeries(V(5, 6, 46)) && !v.Less(V(5, 6, 46)):
		return protos10to12
	}
	return []Protocol{TLSv10}
}

var defaultPoints = []Version{
	V(5, 6, 46), V(5, 7, 0), V(5, 7, 10), V(8, 0, 16), V(8, 0, 28),
	V(10, 2, 16), V(10, 3, 0), V(10, 3, 8), V(10, 4, 6), V(7, 6, 0),
}

// DefaultProtocols is the default tls_version of t. When it differs across
// t's range, exact is false and the most permissive default (the union) is
// returned. Percona follows MySQL.
func DefaultProtocols(t Target) (protos []Protocol, exact bool) {
	var seen [TLSv13 + 1]bool
	var first []Protocol
	exact = true
	triOf(t, append(defaultPoints, mariadbLegacyWarn.Points()...), func(f Flavor, v Version) bool {
		d := defaultProtocols(f, v)
		if first == nil {
			first = d
		} else if !sameProtocols(first, d) {
			exact = false
		}
		for _, p := range d {
			seen[p] = true
		}
		return true
	})
	for _, p := range Protocols {
		if seen[p] {
			protos = append(protos, p)
		}
	}
	return protos, exact
}

func sameProtocols(a, b []Protocol) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// DefaultHasLegacy reports whether the default tls_version of t still allows
// TLSv1 or TLSv1.1 (rule TV108).
func DefaultHasLegacy(t Target) Tri {
	return triOf(t, append(defaultPoints, mariadbLegacyWarn.Points()...), func(f Flavor, v Version) bool {
		d := defaultProtocols(f, v)
		return len(d) > 0 && d[0] < TLSv12
	})
}
