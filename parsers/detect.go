// Package parsers decides which parser reads a file. The parsers live in
// its sub-packages (mycnf, later dsn, yamlconf, envfile…).
package parsers

import (
	"path"
	"strings"
)

// Kind is the syntax a file is read as.
type Kind uint8

const (
	Unknown    Kind = iota
	OptionFile      // MySQL/MariaDB option file (my.cnf)
	// Formats that share the option files' names (Sniff tells them apart);
	// tlsvet does not read them.
	LibConfig      // ProxySQL's proxysql.cnf
	OpenSSLConfig  // openssl req/ca configuration
	JSON           // keyring component configuration
	MaxScale       // MariaDB MaxScale
	MysqldExporter // Prometheus mysqld_exporter's .my.cnf
)

var kindNames = [...]string{"unknown", "option file", "libconfig", "OpenSSL", "JSON", "MaxScale", "mysqld_exporter"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// templateExts are the extensions of configuration templates: Jinja
// (Ansible, Salt), Go templates (Helm, consul-template), ERB (Chef,
// Puppet), EPP (Puppet) and generic ones.
var templateExts = []string{".j2", ".tpl", ".tmpl", ".erb", ".epp", ".template"}

// Template returns the name a template renders to (my.cnf for my.cnf.j2)
// and true when name ends in a template extension.
func Template(name string) (string, bool) {
	lower := strings.ToLower(name)
	for _, ext := range templateExts {
		if strings.HasSuffix(lower, ext) && len(name) > len(ext) {
			return name[:len(name)-len(ext)], true
		}
	}
	return name, false
}

// Detect picks a file's kind by its name only; Sniff then checks the
// content of an option file's name. A template of an option file
// (my.cnf.j2, mysqld.cnf.erb, 50-server.cnf.template) is an option file
// whose template syntax mycnf skips. name is a slash path.
func Detect(name string) Kind {
	name, _ = Template(name)
	base := strings.ToLower(path.Base(name))
	dir := strings.ToLower(path.Base(path.Dir(name)))
	switch {
	case base == ".mylogin.cnf":
		// Obfuscated binary login-path file written by mysql_config_editor.
		return Unknown
	case strings.HasSuffix(base, ".cnf"):
		return OptionFile
	case base == "my.ini" || base == "mysql.ini" || base == "mariadb.ini":
		return OptionFile
	case strings.HasSuffix(dir, ".cnf.d") && strings.HasSuffix(base, ".ini"):
		// /etc/my.cnf.d/*.ini on Windows-style layouts (MySQL reads .ini
		// from !includedir on Windows: https://dev.mysql.com/doc/refman/8.0/en/option-files.html).
		return OptionFile
	}
	return Unknown
}
