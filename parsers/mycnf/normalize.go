package mycnf

import "strings"

// Name is an option name split the way my_getopt's handle_options() splits
// it (https://github.com/mysql/mysql-server/blob/8.0/mysys/my_getopt.cc).
type Name struct {
	// Canonical is the option name without prefixes, with every '-'
	// turned into '_' (getopt_compare_strings() treats them as equal).
	Canonical string
	// Loose: a "loose" prefix was removed; an unknown option is then a
	// warning, not an error.
	Loose bool
	// Skip, Enable and Maximum say what the innermost removed prefix does:
	// skip/disable (off; "=0" turns it on again), enable (on), maximum
	// (sets the maximum of a session variable). Only the prefix right
	// before the option name acts: for "skip-loose-ssl" handle_options()
	// drops "skip" and finds "ssl" after removing "loose", so Skip is false.
	Skip, Enable, Maximum bool
	// Autoset: MariaDB's "autoset" prefix was removed.
	Autoset bool
}

// Getopt describes how one program's my_getopt matches option names.
type Getopt struct {
	// FoldCase matches names and prefixes case-insensitively and lower-cases
	// Canonical. MySQL compares option names byte by byte, so "--SSL" is
	// an unknown option (getopt_compare_strings(), my_getopt.cc). MariaDB
	// made the comparison case-insensitive in MDEV-27126
	// (https://github.com/MariaDB/server/pull/3841, 2025); the 10.11.19
	// client accepts "--SSL-CA" and "--LOOSE-foo" (checked by hand).
	FoldCase bool
	// Autoset recognises MariaDB's "autoset" prefix.
	Autoset bool
	// Known reports whether the program has an option with this canonical
	// name. handle_options() removes a prefix only when the name as given
	// is not an option ("skip-name-resolve" is itself an option), and
	// starts over after each removal. A nil Known removes every prefix.
	Known func(canonical string) bool
}

// prefixes are special_opt_prefix[] of my_getopt, in its order.
var prefixes = [...]string{"skip", "disable", "enable", "maximum", "loose", "autoset"}

// Normalize splits an option name with MySQL's rules (case-sensitive) and
// also recognises MariaDB's "autoset" prefix: "loose-skip-SSL" gives
// Canonical "SSL", Loose and Skip. Use Getopt for MariaDB's case folding
// or an option table.
func Normalize(key string) Name { return Getopt{Autoset: true}.Normalize(key) }

// Normalize splits key (as written in the option file) with g's rules.
func (g Getopt) Normalize(key string) Name {
	s := strings.ReplaceAll(key, "-", "_")
	if g.FoldCase {
		s = strings.ToLower(s)
	}
	var n Name
	for g.Known == nil || !g.Known(s) {
		i := g.prefix(s)
		if i < 0 {
			break
		}
		s = s[len(prefixes[i])+1:]
		switch prefixes[i] {
		case "loose":
			n.Loose = true
		case "autoset":
			n.Autoset = true
		}
		n.Skip = i <= 1
		n.Enable = prefixes[i] == "enable"
		n.Maximum = prefixes[i] == "maximum"
	}
	n.Canonical = s
	return n
}

// prefix returns the index of the special prefix (followed by '_') that s
// starts with, or -1.
func (g Getopt) prefix(s string) int {
	for i, p := range prefixes {
		if p == "autoset" && !g.Autoset {
			continue
		}
		if len(s) > len(p) && s[len(p)] == '_' && s[:len(p)] == p {
			return i
		}
	}
	return -1
}
