package parsers

import (
	"bytes"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
)

// sniffLen is how much of a file Sniff looks at: the markers of every
// format it knows sit in the first lines, and a fixed cost per file keeps
// the walk of a large repository cheap.
const sniffLen = 8 << 10

// Sniff decides from its first bytes whether a file named like an option
// file (Detect) is one. Other programs' configurations end in .cnf too;
// read as option files they would make nothing but false alarms. Sniff
// answers OptionFile unless the content clearly has another format, so an
// option file with a typo before its first group is still one (TV001).
func Sniff(content []byte) Kind {
	head := bytes.TrimPrefix(content, []byte{0xEF, 0xBB, 0xBF})
	if len(head) > sniffLen {
		head = head[:sniffLen]
		if i := bytes.LastIndexByte(head, '\n'); i >= 0 {
			head = head[:i] // a cut line says nothing
		}
	}
	var s sniffer
	// One conversion for the whole head: a string per line was the
	// detector's main cost on a large tree.
	for text := string(head); len(text) > 0; {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if k := s.line(strings.TrimSpace(line)); k != Unknown {
			return k
		}
	}
	switch {
	case s.maxscale:
		return MaxScale
	case s.openssl && !s.mysqlGroup:
		return OpenSSLConfig
	case s.exporter:
		return MysqldExporter
	}
	return OptionFile
}

// sniffer is the state of Sniff over the lines of a head.
type sniffer struct {
	seen       bool   // a line that is not blank, a comment or template syntax
	group      string // the current [group], lower case; "" before the first
	headers    bool   // a [group] header was seen
	mysqlGroup bool   // a group that only MySQL programs read ([mysqld], [mariadb]…)
	openssl    bool   // an OpenSSL section or key
	maxscale   bool   // a [maxscale] section or a MaxScale object type
	exporter   bool   // a go-sql-driver key in a client section
}

// line reads one trimmed line and returns a kind as soon as one is certain.
func (s *sniffer) line(l string) Kind {
	if l == "" || l[0] == '#' || l[0] == ';' || templateStart(l) {
		return Unknown
	}
	first := !s.seen
	s.seen = true
	if l[0] == '[' {
		end := strings.IndexByte(l, ']')
		if end < 0 {
			return Unknown
		}
		s.headers = true
		s.group = strings.ToLower(strings.TrimSpace(l[1:end]))
		switch {
		case s.group == "maxscale":
			s.maxscale = true
		case opensslSections[s.group] || strings.HasPrefix(s.group, "v3_") || strings.HasPrefix(s.group, "policy_"):
			s.openssl = true
		case s.group != "client" && s.group != "server" && facts.GroupReaders(s.group) != 0:
			// OpenSSL configs often name extension sections [client] and
			// [server]; no OpenSSL config has [mysqld] or [mariadb].
			s.mysqlGroup = true
		}
		return Unknown
	}
	if first && l[0] == '{' && (len(l) == 1 || strings.ContainsRune(" \t\"}", rune(l[1]))) {
		// The keyring components' JSON (component_keyring_file.cnf):
		// https://dev.mysql.com/doc/refman/8.0/en/keyring-file-component.html
		return JSON
	}
	key, val, hasEq := strings.Cut(l, "=")
	key, val = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(val)
	if !s.headers && (l == "{" || l == "(" || hasEq && (val == "{" || val == "(" || strings.HasPrefix(val, "( {") || strings.HasPrefix(val, "({"))) {
		// libconfig groups and lists ("admin_variables = {", "mysql_servers
		// = (") before any header: ProxySQL's proxysql.cnf,
		// https://proxysql.com/documentation/configuration-file
		return LibConfig
	}
	switch {
	case opensslKeys[key]:
		s.openssl = true
	case key == "type" && maxscaleTypes[strings.ToLower(val)]:
		// MaxScale's objects (a [maxscale] section holds its globals):
		// https://mariadb.com/docs/maxscale/maxscale-archive/archive/mariadb-maxscale-22.08/mariadb-maxscale-2208-getting-started/mariadb-maxscale-2208-mariadb-maxscale-configuration-guide/
		s.maxscale = true
	case exporterKeys[key] && clientSection(s.group) && (key != "tls" || driverTLS[strings.ToLower(val)] || templateStart(val)):
		// A bare "tls" is also a unique prefix of tls_version, which
		// MariaDB accepts: only go-sql-driver's words (or a template's
		// expression) mark the exporter.
		s.exporter = true
	}
	return Unknown
}

// templateStart reports a line that opens with Jinja, Go template or ERB
// syntax: it says nothing of the format around it.
func templateStart(l string) bool {
	return strings.HasPrefix(l, "{{") || strings.HasPrefix(l, "{%") || strings.HasPrefix(l, "{#") || strings.HasPrefix(l, "<%")
}

// clientSection reports the sections mysqld_exporter reads: [client] and
// [client.NAME] or [client_NAME] picked with auth_module.
func clientSection(g string) bool {
	return g == "client" || strings.HasPrefix(g, "client.") || strings.HasPrefix(g, "client_")
}

var (
	// opensslSections are section names of openssl req/ca configurations
	// (https://docs.openssl.org/3.0/man5/config/, man1/openssl-req,
	// man1/openssl-ca); v3_* and policy_* are matched by prefix.
	opensslSections = map[string]bool{
		"req": true, "req_distinguished_name": true, "req_attributes": true, "ca": true, "ca_default": true,
		"alt_names": true, "usr_cert": true, "server_cert": true, "client_cert": true, "crl_ext": true,
		"openssl_init": true, "default_sect": true, "dn": true,
	}
	// opensslKeys are keys no MySQL program has.
	opensslKeys = map[string]bool{
		"randfile": true, "openssl_conf": true, "distinguished_name": true, "x509_extensions": true,
		"req_extensions": true, "basicconstraints": true, "keyusage": true, "extendedkeyusage": true,
		"subjectaltname": true, "subjectkeyidentifier": true, "authoritykeyidentifier": true,
		"default_md": true, "default_bits": true, "default_keyfile": true, "string_mask": true,
		"commonname": true, "countryname": true,
	}
	// maxscaleTypes are the object types of a MaxScale configuration.
	maxscaleTypes = map[string]bool{"server": true, "service": true, "listener": true, "monitor": true, "filter": true}
	// exporterKeys are mysqld_exporter's keys that MySQL programs do not
	// have: its go-sql-driver TLS setting and versions, and its own
	// misspelt skip flag (MySqlConfig in
	// https://github.com/prometheus/mysqld_exporter/blob/main/config/config.go).
	exporterKeys = map[string]bool{"tls": true, "tls-min-version": true, "tls-max-version": true, "ssl-skip-verfication": true}
	// driverTLS are go-sql-driver's tls= values other than the name of a
	// registered configuration (https://github.com/go-sql-driver/mysql#tls).
	driverTLS = map[string]bool{"true": true, "false": true, "skip-verify": true, "preferred": true, "custom": true}
)
