package facts

import (
	"sort"
	"strings"
)

// Program is a set of programs (a bit set) that read option files.
type Program uint16

// Programs. Percona Server's programs are MySQL's.
const (
	MySQLServer       Program = 1 << iota // mysqld (MySQL, Percona)
	MariaDBServer                         // mariadbd / MariaDB's mysqld
	MySQLClient                           // mysql, mysqldump, mysqladmin… and libmysqlclient
	MariaDBClient                         // mariadb, mariadb-dump… and Connector/C
	MySQLDSafe                            // mysqld_safe (MySQL)
	MariaDBDSafe                          // mariadbd-safe / MariaDB's mysqld_safe
	MySQLServerScript                     // mysql.server
	MySQLDMulti                           // mysqld_multi

	// Servers is every server; Clients every client program.
	Servers = MySQLServer | MariaDBServer
	Clients = MySQLClient | MariaDBClient
	// MySQLPrograms and MariaDBPrograms group by vendor.
	MySQLPrograms   = MySQLServer | MySQLClient | MySQLDSafe | MySQLServerScript | MySQLDMulti
	MariaDBPrograms = MariaDBServer | MariaDBClient | MariaDBDSafe
)

var programNames = []struct {
	p    Program
	name string
}{
	{MySQLServer, "MySQL server"},
	{MariaDBServer, "MariaDB server"},
	{MySQLClient, "MySQL clients"},
	{MariaDBClient, "MariaDB clients"},
	{MySQLDSafe, "mysqld_safe"},
	{MariaDBDSafe, "mariadbd-safe"},
	{MySQLServerScript, "mysql.server"},
	{MySQLDMulti, "mysqld_multi"},
}

// String lists the programs: "MySQL server, MariaDB server".
func (p Program) String() string {
	if p == 0 {
		return "no program"
	}
	var parts []string
	for _, n := range programNames {
		if p&n.p != 0 {
			parts = append(parts, n.name)
		}
	}
	return strings.Join(parts, ", ")
}

// Has reports whether p shares any program with q.
func (p Program) Has(q Program) bool { return p&q != 0 }

// Flavor is the flavour whose lifecycles apply to a single program bit.
func (p Program) Flavor() Flavor {
	switch {
	case p&MariaDBPrograms != 0 && p&MySQLPrograms == 0:
		return MariaDB
	case p&MySQLPrograms != 0 && p&MariaDBPrograms == 0:
		return MySQL
	}
	return FlavorUnknown
}

// ValueKind is what an option's value is.
type ValueKind uint8

// Value kinds.
const (
	KindBool         ValueKind = iota // ON/OFF/1/0/TRUE/FALSE; bare = ON
	KindString                        // free text
	KindPath                          // file or directory path
	KindProtocolList                  // comma-separated TLS protocols
	KindCipherList                    // OpenSSL cipher string (colon-separated)
	KindSuiteList                     // TLSv1.3 suites (colon-separated)
	KindEnum                          // one of Enum, case-insensitive
	KindInt                           // integer
)

func (k ValueKind) String() string {
	return [...]string{"boolean", "string", "path", "protocol list", "cipher list", "TLSv1.3 suite list", "enumeration", "integer"}[k]
}

// OptionSpec describes one TLS-related option or system variable.
type OptionSpec struct {
	Name       string // canonical: lower case, '_' separators ("tls_version", "ssl_mode")
	Kind       ValueKind
	Enum       []string // allowed values for KindEnum (upper case as documented)
	Programs   Program  // programs that know it (at some version)
	NeedsValue bool     // a bare option is an error ("ssl_ca" alone aborts the server, MY80-ODE)
	// Lifecycles says per flavour when it was added, deprecated, removed
	// (Percona = MySQL). A flavour missing from the map never had it.
	Lifecycles map[Flavor]Lifecycle
	// ClientLifecycles, when set, apply to client programs instead of
	// Lifecycles (the server and client "ssl" options have different histories).
	ClientLifecycles map[Flavor]Lifecycle
	Replacement      string // what to use instead, e.g. "ssl-mode=REQUIRED"
	// Negatable: skip-/disable-/enable- prefixes apply (booleans).
	Negatable bool
	// ReadOnly: a read-only system variable, not settable in option files.
	ReadOnly bool
	Source   string
}

// Lifecycle returns the lifecycle for program p (one program bit); ok is
// false when p's flavour never had the option.
func (o OptionSpec) Lifecycle(p Program) (Lifecycle, bool) {
	f := p.Flavor()
	m := o.Lifecycles
	if p&Clients != 0 && p&Servers == 0 && o.ClientLifecycles != nil {
		m = o.ClientLifecycles
	}
	l, ok := m[f]
	if !ok || l.Absent {
		return Lifecycle{Absent: true}, false
	}
	return l, true
}

// Status is an option's state on one version.
type Status uint8

// Option statuses, in increasing order of trouble for a config file.
const (
	StatusKnown      Status = iota // available, not deprecated
	StatusDeprecated               // available, deprecated
	StatusNotYet                   // not yet added in this version
	StatusRemoved                  // removed in this version
	StatusAbsent                   // the flavour never had it
)

func (s Status) String() string {
	return [...]string{"known", "deprecated", "not yet available", "removed", "not supported"}[s]
}

// State is an option's state over a version range: the most troublesome
// Status found in the range, and whether it holds on every version (Yes) or
// only some (Maybe).
type State struct {
	Status Status
	Holds  Tri // Yes: on every version of the range; Maybe: on some
}

// OptionState says how option o stands on target t as read by program p's
// flavour, using the server lifecycles unless p is only clients. boundary is
// the version where that status begins (removed in / added in / deprecated
// in), zero for StatusKnown and StatusAbsent.
func OptionState(o OptionSpec, t Target) (s State, boundary Version) {
	return OptionStateFor(o, t, 0)
}

// OptionStateFor is OptionState for the programs p (0 = servers).
func OptionStateFor(o OptionSpec, t Target, p Program) (s State, boundary Version) {
	lifeFor := func(f Flavor) (Lifecycle, bool) {
		prog := p & flavorPrograms(f)
		if prog == 0 {
			prog = Servers & flavorPrograms(f)
			if p&Servers == 0 && p != 0 {
				prog = Clients & flavorPrograms(f)
			}
		}
		return o.Lifecycle(prog)
	}
	var points []Version
	for _, f := range []Flavor{MySQL, MariaDB} {
		if l, ok := lifeFor(f); ok {
			points = append(points, l.Points()...)
		}
	}
	statusAt := func(f Flavor, v Version) Status {
		l, ok := lifeFor(f)
		switch {
		case !ok:
			return StatusAbsent
		case l.RemovedAt(v):
			return StatusRemoved
		case !l.AddedAt(v):
			return StatusNotYet
		case l.DeprecatedAt(v):
			return StatusDeprecated
		}
		return StatusKnown
	}
	worst := StatusKnown
	triOf(t, points, func(f Flavor, v Version) bool {
		if st := statusAt(f, v); st > worst {
			worst = st
		}
		return true
	})
	holds := triOf(t, points, func(f Flavor, v Version) bool { return statusAt(f, v) == worst })
	s = State{Status: worst, Holds: holds}
	lf := t.Flavor
	switch lf {
	case Percona:
		lf = MySQL
	case FlavorUnknown:
		lf = NumberingFlavor(t.Min)
	}
	if l, ok := lifeFor(lf); ok {
		switch worst {
		case StatusRemoved:
			boundary = l.Removed
		case StatusNotYet:
			boundary = l.Added
		case StatusDeprecated:
			boundary = l.Deprecated
		}
		// A backport in t's own series is the more precise boundary.
		for _, b := range l.Backports {
			if b.Version.sameSeries(t.Min) && eventStatus(b.Event) == worst {
				boundary = b.Version
			}
		}
	}
	return s, boundary
}

func eventStatus(e Event) Status {
	switch e {
	case Added:
		return StatusNotYet
	case Deprecation:
		return StatusDeprecated
	}
	return StatusRemoved
}

func flavorPrograms(f Flavor) Program {
	if f == MariaDB {
		return MariaDBPrograms
	}
	return MySQLPrograms
}

// Canonical turns an option name as written into its canonical form: lower
// case, '-' → '_', without leading "--" and without the loose-/skip-/
// disable-/enable-/maximum- prefixes (which it returns separately). Dashes
// and underscores are interchangeable in option names (MY80-CLO
// https://dev.mysql.com/doc/refman/8.0/en/command-line-options.html);
// prefixes: MY80-OM https://dev.mysql.com/doc/refman/8.0/en/option-modifiers.html.
func Canonical(name string) (canonical string, prefixes []string) {
	n := strings.ReplaceAll(strings.ToLower(strings.TrimLeft(strings.TrimSpace(name), "-")), "-", "_")
	for {
		stripped := false
		for _, p := range []string{"loose_", "skip_", "disable_", "enable_", "maximum_"} {
			if strings.HasPrefix(n, p) && len(n) > len(p) {
				prefixes = append(prefixes, strings.TrimSuffix(p, "_"))
				n = n[len(p):]
				stripped = true
			}
		}
		if !stripped {
			return n, prefixes
		}
	}
}

// LookupOption finds a TLS option by canonical name.
func LookupOption(canonical string) (OptionSpec, bool) {
	o, ok := options[canonical]
	return o, ok
}

// Options returns the catalogue sorted by name.
func Options() []OptionSpec {
	out := make([]OptionSpec, 0, len(options))
	for _, n := range optionNames {
		out = append(out, options[n])
	}
	return out
}

// TLSLooking reports whether a canonical option name looks TLS-related
// (ssl*, *_ssl*, tls*, *secure_transport*, x509, cipher, *_cert(s), fips,
// *_pqc…), so rules can report unknown TLS-looking options without judging
// innodb_* and friends. It is the regular expression
//
//	(^|_)(ssl|tls|x509|pqc)|secure_transport|ciphersuites|cipher($|_)|^have_openssl$|_certs?($|_)|fips
//
// written out (TestTLSLookingIsTheExpression checks that), because every
// option of every file is asked and a backtracking match cost a sixth of
// a whole check.
func TLSLooking(s string) bool {
	if s == "have_openssl" || strings.Contains(s, "secure_transport") || strings.Contains(s, "ciphersuites") ||
		strings.Contains(s, "fips") {
		return true
	}
	for i := 0; i < len(s); i++ {
		if i > 0 && s[i-1] != '_' {
			continue
		}
		if r := s[i:]; strings.HasPrefix(r, "ssl") || strings.HasPrefix(r, "tls") || strings.HasPrefix(r, "x509") ||
			strings.HasPrefix(r, "pqc") {
			return true
		}
	}
	// ends reports whether s ends at j or continues with '_' there.
	ends := func(j int) bool { return j == len(s) || s[j] == '_' }
	for i := 0; ; {
		k := strings.Index(s[i:], "cipher")
		if k < 0 {
			break
		}
		if ends(i + k + len("cipher")) {
			return true
		}
		i += k + 1
	}
	for i := 0; ; {
		k := strings.Index(s[i:], "_cert")
		if k < 0 {
			break
		}
		j := i + k + len("_cert")
		if ends(j) || j < len(s) && s[j] == 's' && ends(j+1) {
			return true
		}
		i += k + 1
	}
	return false
}

// knownTypos maps names people write to the option they meant.
var knownTypos = map[string]string{
	"ssl_ciphers":          "ssl_cipher",
	"ssl_cipher_list":      "ssl_cipher",
	"tls_cipher":           "ssl_cipher",
	"tls_ciphers":          "ssl_cipher",
	"tls_versions":         "tls_version",
	"ssl_version":          "tls_version",
	"ssl_versions":         "tls_version",
	"ssl_protocol":         "tls_version",
	"ssl_protocols":        "tls_version",
	"tls_protocol":         "tls_version",
	"tls_protocols":        "tls_version",
	"ssl_min_version":      "tls_version",
	"ssl_max_version":      "tls_version",
	"tls_min_version":      "tls_version",
	"tls_max_version":      "tls_version",
	"min_tls_version":      "tls_version",
	"tls_ciphersuite":      "tls_ciphersuites",
	"tls_cipher_suites":    "tls_ciphersuites",
	"ssl_ciphersuites":     "tls_ciphersuites",
	"ssl_certificate":      "ssl_cert",
	"ssl_cert_file":        "ssl_cert",
	"ssl_certfile":         "ssl_cert",
	"ssl_key_file":         "ssl_key",
	"ssl_keyfile":          "ssl_key",
	"ssl_private_key":      "ssl_key",
	"ssl_ca_file":          "ssl_ca",
	"ssl_cafile":           "ssl_ca",
	"ssl_ca_cert":          "ssl_ca",
	"ssl_ca_path":          "ssl_capath",
	"ssl_crl_path":         "ssl_crlpath",
	"ssl_verify":           "ssl_verify_server_cert",
	"ssl_verify_cert":      "ssl_verify_server_cert",
	"ssl_verify_server":    "ssl_verify_server_cert",
	"ssl_verify_identity":  "ssl_mode",
	"sslmode":              "ssl_mode",
	"require_ssl":          "require_secure_transport",
	"require_tls":          "require_secure_transport",
	"require_secure":       "require_secure_transport",
	"secure_transport":     "require_secure_transport",
	"enforce_ssl":          "require_secure_transport",
	"ssl_require":          "require_secure_transport",
	"ssl_required":         "require_secure_transport",
	"ssl_enforce":          "require_secure_transport",
	"ssl_enable":           "ssl",
	"ssl_enabled":          "ssl",
	"use_ssl":              "ssl",
	"tls":                  "ssl",
	"ssl_fips":             "ssl_fips_mode",
	"ssl_passphrase_file":  "ssl_passphrase",
	"admin_ssl_ciphers":    "admin_ssl_cipher",
	"admin_tls_versions":   "admin_tls_version",
	"ssl_session_cache":    "ssl_session_cache_mode",
	"tls_session_cache":    "ssl_session_cache_mode",
	"ssl_session_timeout":  "ssl_session_cache_timeout",
	"require_x509":         "ssl_mode",
	"ssl_mode_required":    "ssl_mode",
	"ssl_verify_ca":        "ssl_mode",
	"ssl_server_cert":      "ssl_cert",
	"ssl_server_key":       "ssl_key",
	"tls_cert":             "ssl_cert",
	"tls_key":              "ssl_key",
	"tls_ca":               "ssl_ca",
	"tls_capath":           "ssl_capath",
	"tls_crl":              "ssl_crl",
	"tls_mode":             "ssl_mode",
	"auto_generate_cert":   "auto_generate_certs",
	"autogenerate_certs":   "auto_generate_certs",
	"require_secure_trans": "require_secure_transport",
}

// SuggestOption returns the option a misspelled canonical name probably
// means, restricted to options some program in `in` knows (0 = any): known
// typos first ("ssl_ciphers" → "ssl_cipher", "tls_versions" → "tls_version",
// "ssl_min_version" → "tls_version"), then the closest name by edit distance.
// It returns "" when nothing is close.
func SuggestOption(canonical string, in Program) string {
	ok := func(n string) bool {
		o, found := options[n]
		return found && (in == 0 || o.Programs&in != 0)
	}
	if t, found := knownTypos[canonical]; found && ok(t) {
		return t
	}
	var cands []string
	for _, n := range optionNames {
		if ok(n) && n != canonical {
			cands = append(cands, n)
		}
	}
	return closest(canonical, cands, func(s string) string { return s }, max(1, len(canonical)/4))
}

var (
	options     = map[string]OptionSpec{}
	optionNames []string
)

func init() {
	for _, o := range optionCatalog {
		if _, dup := options[o.Name]; dup {
			panic("facts: duplicate option " + o.Name)
		}
		options[o.Name] = o
		optionNames = append(optionNames, o.Name)
	}
	sort.Strings(optionNames)
}
