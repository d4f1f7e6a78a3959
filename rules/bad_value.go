package rules

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// BadValue is TV006.
var BadValue = &lint.Rule{
	ID:               "TV006",
	Name:             "bad-value",
	Severity:         lint.Error,
	SecuritySeverity: "7.5",
	Tags:             []string{"tls", "correctness", "security"},
	Doc: lint.Doc{
		Title: "TLS option with a value it does not accept",
		Why: "A boolean accepts only ON, OFF, TRUE, FALSE, 1 and 0. Anything else " +
			"(`require_secure_transport=enabled`, `=yes`) makes MySQL and MariaDB print a warning and " +
			"set the option OFF, so TLS is not required and plaintext logins keep working. An " +
			"`ssl-mode` that is not DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY, or an " +
			"abbreviation that fits two of them (`VERIFY`), makes client programs exit " +
			"(`Unknown option to ssl-mode: VERIFY`). An option that needs a value and has none " +
			"(`ssl_ca` alone) makes the server abort (`option '--ssl_ca' requires an argument`). " +
			"Protocol and cipher lists are checked by TV1xx and TV2xx. " +
			"Applications refuse settings too: MySQL Router does not start with `client_ssl_mode=REQUIRED` and no `client_ssl_cert`, or `server_ssl_verify=VERIFY_CA` without `server_ssl_ca`; Grafana stops on `ssl_mode=true` without `server_cert_name`; a driver rejects a connection string whose TLS value it does not know (mysql2 `ssl=true`, Diesel `ssl_mode=REQUIRE`).",
		Fix:  "Write a value the option accepts: ON or OFF for booleans, one of the listed words for enumerations, a path for `ssl_*` files.",
		Bad:  "[mysqld]\nrequire_secure_transport=enabled\n",
		Good: "[mysqld]\nrequire_secure_transport=ON\n",
		Sources: []string{srcModifiers, srcMyGetopt, srcDefaultsEqual, srcConnOpts80, srcSSLOptCase57,
			srcServerVars},
	},
	Run: runBadValue,
}

func runBadValue(pass *lint.Pass) {
	eachFileOption(pass.Project, func(o *model.Setting) {
		if o.Unknown || semicolonComment(o) >= 0 {
			return // a template's value is unknown; TV008 explains a ';'
		}
		spec, ok := facts.LookupOption(optName(o))
		readers := o.Group.Readers & spec.Programs
		if !ok || spec.ReadOnly || o.Name != spec.Name || readers == 0 {
			return // TV002's
		}
		if d, ok := badValue(o, spec, readers); ok {
			pass.Report(d)
		}
	})
	// Applications' settings: what the reader of each program found it
	// refuses, and connection-string values a driver rejects or misreads.
	for _, r := range pass.Project.Refusals {
		pass.Reportf(r.Span, "%s", r.Message)
	}
	for _, c := range pass.Project.Connections {
		for _, t := range c.Traps {
			if t.Kind == model.BadValue {
				pass.Report(badConnValue(c, t))
			}
		}
	}
}

// badConnValue is TV006 for a connection-string value its driver does
// not accept: rejected (the application cannot connect) or misread.
func badConnValue(c *model.Connection, t model.Trap) lint.Diagnostic {
	s := t.Setting
	msg := fmt.Sprintf("%s does not accept %s", c.Driver, said(s))
	d := lint.Diagnostic{Span: s.ValueOrKey()}
	switch t.Effect {
	case model.Rejected:
		msg += ": it rejects the connection string and the application cannot connect"
	default:
		d.Severity = lint.Warning
		msg += ": it reads the value as something else"
		if c.Mode != model.ModeUnknown {
			msg += " (" + c.Mode.String() + ")"
		}
	}
	if t.Want != "" {
		msg += "; write " + s.Key + "=" + t.Want
	}
	d.Message = msg
	return d
}

// offEffect says what an option turned OFF by an unreadable boolean means.
var offEffect = map[string]string{
	"require_secure_transport":           "TLS is not required and plaintext logins are accepted",
	"ssl":                                "TLS is turned off",
	"ssl_verify_server_cert":             "the server certificate is not verified",
	"admin_ssl":                          "the admin interface has no TLS",
	"group_replication_recovery_use_ssl": "recovery connections are not encrypted",
	"group_replication_recovery_ssl_verify_server_cert": "recovery does not verify the donor's certificate",
	"tls_certificates_enforced_validation":              "an invalid certificate does not stop startup",
	"auto_generate_certs":                               "no certificates are generated",
}

// refusesWhenOn are the booleans that, turned on, refuse connections the
// program accepts today while it reads OFF (no TLS, no CA): the message
// says what was meant, but no fix switches them on unseen.
var refusesWhenOn = map[string]bool{
	"require_secure_transport": true, "ssl_verify_server_cert": true,
	"group_replication_recovery_ssl_verify_server_cert": true,
}

// offRule is the rule that judges a boolean once it reads OFF.
var offRule = map[string]string{"ssl_verify_server_cert": "TV302", "ssl": "TV601"}

// boolWords maps the spellings people use for booleans to what they mean.
var boolWords = map[string]string{
	"yes": "ON", "y": "ON", "enable": "ON", "enabled": "ON", "required": "ON", "require": "ON",
	"no": "OFF", "n": "OFF", "disable": "OFF", "disabled": "OFF", "none": "OFF",
}

// sessionCacheTimeoutMax ends ssl_session_cache_timeout's range; MySQL clamps
// values outside it (MY80-SV).
const sessionCacheTimeoutMax = 86400

var intValue = regexp.MustCompile(`^([+-]?[0-9]+)([kKmMgGtTpPeE]?)$`)

func badValue(o *model.Setting, spec facts.OptionSpec, readers facts.Program) (lint.Diagnostic, bool) {
	c := classOf(readers)
	exit := c.fails(readers, false)
	val := settingText(o)
	switch {
	case !o.HasValue && spec.NeedsValue:
		// my_getopt: "option '--ssl-ca' requires an argument"; an option-file
		// line never takes the next line as its value (MY80-ODE, SRC-GETOPT).
		return lint.Diagnostic{Span: o.KeySpan, Message: fmt.Sprintf("%s needs a value: %s with \"option '--%s' requires an argument\"",
			o.Key, exit, o.Key)}, true
	case !o.HasValue:
		return lint.Diagnostic{}, false
	case spec.Kind == facts.KindBool:
		if o.Skip || o.Enable {
			return lint.Diagnostic{}, false // skip-x=V is OFF and enable-x=V ON for any V but 0
		}
		if _, ok := boolValue(o); ok {
			return lint.Diagnostic{}, false
		}
		// get_bool_argument(): EE_INCORRECT_BOOLEAN_VALUE_FOR_OPTION, a
		// warning, and the option is set OFF (SRC-GETOPT; MariaDB's
		// my_getopt.c does the same).
		msg := fmt.Sprintf("%s is not a boolean (ON, OFF, TRUE, FALSE, 1, 0): MySQL and MariaDB warn and set it OFF", val)
		if e := offEffect[spec.Name]; e != "" {
			msg += ", so " + e
		}
		d := lint.Diagnostic{Span: o.ValueOrKey()}
		if w, ok := boolWords[strings.ToLower(o.Value)]; ok {
			msg += "; write " + w
			if w == "OFF" || !refusesWhenOn[spec.Name] {
				fm := "write " + o.Key + "=" + w
				if id := offRule[spec.Name]; w == "OFF" && id != "" {
					fm += " (the OFF it has today, which " + id + " then reports)"
				}
				d.Fix = setValueFix(o, w, fm)
			}
			if w == "OFF" {
				d.Severity = lint.Warning // OFF is what was meant, and what happens
			}
		}
		d.Message = msg
		return d, true
	case spec.Kind == facts.KindEnum:
		match, amb := enumMatch(o.Value, spec.Enum, c == serverClass && spec.Name != "ssl_mode")
		if match != "" {
			return lint.Diagnostic{}, false
		}
		what := "not one of " + strings.Join(spec.Enum, ", ")
		if len(amb) > 0 {
			what = "ambiguous (" + strings.Join(amb, " or ") + ")"
		}
		msg := fmt.Sprintf("%s is %s: %s", val, what, exit)
		if c == clientClass {
			// find_type_or_exit() prints this and exits (SRC-SSLOPT57).
			msg += fmt.Sprintf(" with \"Unknown option to %s: %s\"", o.Key, shownValue(o))
		}
		d := lint.Diagnostic{Span: o.ValueOrKey(), Message: msg}
		if fixed, _ := enumMatch(strings.ReplaceAll(o.Value, "-", "_"), spec.Enum, false); fixed != "" && len(amb) == 0 {
			d.Message += "; write " + fixed
			d.Fix = setValueFix(o, fixed, "write "+o.Key+"="+fixed)
		}
		return d, true
	case spec.Kind == facts.KindInt:
		m := intValue.FindStringSubmatch(o.Value)
		if m == nil {
			// strtoll() stops at the first non-digit, and eval_num_suffix()
			// rejects it as an unknown suffix: an error (SRC-GETOPT).
			return lint.Diagnostic{Span: o.ValueOrKey(), Message: fmt.Sprintf("%s is not a number: %s", val, exit)}, true
		}
		if spec.Name != "ssl_session_cache_timeout" {
			return lint.Diagnostic{}, false
		}
		n, err := strconv.ParseInt(m[1], 10, 64)
		if m[2] != "" {
			// eval_num_suffix(): K, M, G, T, P, E multiply by powers of 1024.
			shift := 10 * (strings.IndexByte("kmgtpe", strings.ToLower(m[2])[0]) + 1)
			if n > sessionCacheTimeoutMax>>shift {
				n = sessionCacheTimeoutMax + 1
			} else {
				n <<= shift
			}
		}
		if err != nil || n < 0 || n > sessionCacheTimeoutMax {
			return lint.Diagnostic{Span: o.ValueOrKey(), Severity: lint.Warning,
				Message: fmt.Sprintf("%s is outside 0–%d seconds: MySQL clamps it to the nearest limit with a warning", val, sessionCacheTimeoutMax)}, true
		}
	}
	return lint.Diagnostic{}, false
}

// enumMatch finds the value as find_type() does (mysys/typelib.cc, used by
// my_getopt for enumerations and by find_type_or_exit() for ssl-mode):
// case-insensitive, and a unique prefix is accepted. numeric also accepts
// an index, as my_getopt does for GET_ENUM server options. ambiguous lists
// the values a prefix fits when there are several.
func enumMatch(v string, enum []string, numeric bool) (match string, ambiguous []string) {
	if v == "" {
		return "", nil
	}
	for _, e := range enum {
		if strings.EqualFold(v, e) {
			return e, nil
		}
	}
	for _, e := range enum {
		if len(v) < len(e) && strings.EqualFold(v, e[:len(v)]) {
			ambiguous = append(ambiguous, e)
		}
	}
	if len(ambiguous) == 1 {
		return ambiguous[0], nil
	}
	if n, err := strconv.Atoi(v); numeric && err == nil && n >= 0 && n < len(enum) {
		return enum[n], nil
	}
	return "", ambiguous
}
