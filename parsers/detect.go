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
)

// Detect picks a file's kind by its name only: tlsvet never guesses from
// the content of arbitrary text files. name is a slash path.
func Detect(name string) Kind {
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
