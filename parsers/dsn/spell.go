package dsn

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
)

// spelling is how a dialect writes its TLS mode: the parameter, the value
// for each mode ("" where the driver has no way to say it from the string),
// the keys it also reads as that parameter (fold: ignoring case), the CA
// parameter, and the parameters that override the mode and must go when it
// is set.
type spelling struct {
	key       string
	modes     [VerifyIdentity + 1]string
	aliases   []string
	fold      bool
	ca        string
	overrides func(d *DSN, m Mode) []int
}

var upperModes = [VerifyIdentity + 1]string{"", "DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY"}
var lowerModes = [VerifyIdentity + 1]string{"", "disabled", "preferred", "required", "verify_ca", "verify_identity"}

var spellings = map[Dialect]spelling{
	// https://github.com/go-sql-driver/mysql#tls: no value verifies the
	// chain without the host name; allowFallbackToPlaintext=true would turn
	// any mode into PREFERRED.
	GoMySQL: {key: "tls", modes: [...]string{"", "false", "preferred", "skip-verify", "", "true"},
		overrides: func(d *DSN, m Mode) []int {
			if m >= Required {
				return d.all(false, "allowFallbackToPlaintext")
			}
			return nil
		}},
	// The legacy keys are read only without sslMode, but Connector/J 5.1
	// reads them always: they go when sslMode is written.
	ConnectorJ: {key: "sslMode", modes: upperModes, ca: "trustCertificateKeyStoreUrl",
		overrides: func(d *DSN, _ Mode) []int {
			if d.find("sslMode") >= 0 {
				return nil
			}
			return d.all(false, "useSSL", "requireSSL", "verifyServerCertificate")
		}},
	// Legacy useSsl overrides sslMode (Configuration.java, handleLegacySslSettings).
	MariaDBJ: {key: "sslMode", modes: [...]string{"", "disable", "", "trust", "verify-ca", "verify-full"}, fold: true,
		ca: "serverSslCert",
		overrides: func(d *DSN, _ Mode) []int {
			return d.all(false, "useSsl", "useSSL", "trustServerCertificate", "disableSslHostnameVerification")
		}},
	SQLAlchemyPyMySQL:   {ca: "ssl_ca"},
	SQLAlchemyConnector: {ca: "ssl_ca"},
	SQLAlchemyMySQLdb:   {key: "ssl_mode", modes: upperModes, ca: "ssl_ca"},
	// None is Disabled in both .NET drivers' enums.
	DotNet: {key: "SslMode", modes: [...]string{"", "None", "Preferred", "Required", "VerifyCA", "VerifyFull"},
		aliases: []string{"SSL Mode"}, fold: true, ca: "SslCa"},
	ConnectorNET: {key: "SslMode", modes: [...]string{"", "None", "Preferred", "Required", "VerifyCA", "VerifyFull"},
		aliases: []string{"SSL Mode", "ssl-mode"}, fold: true, ca: "SslCa"},
	MySQLShell: {key: "ssl-mode", modes: upperModes, fold: true, ca: "ssl-ca"},
	Sqlx:       {key: "ssl-mode", modes: upperModes, aliases: []string{"sslmode"}, ca: "ssl-ca"},
	Diesel:     {key: "ssl_mode", modes: upperModes, ca: "ssl_ca"},
	Prisma:     {key: "sslaccept", modes: [...]string{"", "", "", "accept_invalid_certs", "", "strict"}, ca: "sslcert"},
	// ssl is JSON-parsed from the URL (lib/connection_config.js, parseUrl):
	// an object verifies the chain unless rejectUnauthorized is false;
	// mysql2 checks the host name only with verifyIdentity.
	NodeMySQL2: {key: "ssl", modes: [...]string{"", "false", "", `{"rejectUnauthorized":false}`, "{}", `{"verifyIdentity":true}`}},
	NodeMySQL:  {key: "ssl", modes: [...]string{"", "false", "", `{"rejectUnauthorized":false}`, "{}", ""}},
	Sequelize:  {key: "ssl"},
	DjangoURL:  {key: "ssl_mode", modes: upperModes, ca: "ssl-ca"},
	// mysql2 (Ruby) maps sslverify to verify_identity and raises when
	// sslverify=false meets a verifying mode.
	RailsMySQL2: {key: "ssl_mode", modes: lowerModes, ca: "sslca",
		overrides: func(d *DSN, _ Mode) []int { return d.all(false, "sslverify") }},
	RailsTrilogy: {key: "ssl_mode", modes: lowerModes, ca: "ssl_ca"},
	ODBC:         {key: "SSLMODE", modes: upperModes, aliases: []string{"SSL-MODE"}, fold: true, ca: "SSLCA"},
}

// ModeKey is the dialect's own name of its TLS mode parameter, or "" when
// the string cannot carry a mode (PDO, TypeORM, SQLAlchemy with PyMySQL).
func (d Dialect) ModeKey() string { return spellings[d].key }

// Spell gives the parameter that selects mode m in the dialect's own
// spelling; ok is false when the driver has no way to say m in the string
// (Go has no VERIFY_CA without a registered config, MariaDB Connector/J no
// PREFERRED, Prisma only "strict" and "accept_invalid_certs").
func (d Dialect) Spell(m Mode) (key, value string, ok bool) {
	sp, found := spellings[d]
	if !found || m < Disabled || m > VerifyIdentity || sp.modes[m] == "" {
		return "", "", false
	}
	return sp.key, sp.modes[m], true
}

// Edit replaces the bytes at Span of the parsed string with Text; an empty
// span is an insertion.
type Edit struct {
	Span Span
	Text string
}

// ModeEdit says how to make a parsed string select a mode in its driver's
// own spelling: parameter Set (an index into Params) gets Value, or, when
// Set is -1, Key=Value is added (in place of the first parameter of
// Remove, if any); the parameters in Remove go: those that would override
// the new mode (legacy keys, other occurrences of the mode key) and the
// failed attempts at it (a mis-cased or foreign key whose trap wants the
// mode key: Connector/J's sslmode, MySqlConnector's ssl-mode).
// Edits are those changes as byte edits of the parsed string, sorted and
// not overlapping, so a caller that found the string at some offset adds
// it and applies them.
type ModeEdit struct {
	Key, Value string
	Set        int
	Remove     []int
	Edits      []Edit
}

// SetModeEdits returns the edits that make d select mode m; ok is false
// when the dialect cannot spell m, or when the change would lose material
// (a mysql2 ssl object holding a CA or other keys).
func (d *DSN) SetModeEdits(m Mode) (ModeEdit, bool) {
	key, value, ok := d.Dialect.Spell(m)
	if !ok {
		return ModeEdit{}, false
	}
	sp := spellings[d.Dialect]
	e := ModeEdit{Key: key, Value: value, Set: -1}
	modes := d.all(sp.fold, append([]string{sp.key}, sp.aliases...)...)
	if n := len(modes); n > 0 {
		// The driver reads the last one; the others go.
		e.Set, e.Remove = modes[n-1], modes[:n-1]
	}
	if sp.overrides != nil {
		e.Remove = append(e.Remove, sp.overrides(d, m)...)
	}
	for _, tr := range d.Traps {
		if (tr.Kind == WrongCase || tr.Kind == ForeignParam) && tr.Want == key && tr.Param != e.Set {
			e.Remove = append(e.Remove, tr.Param)
		}
	}
	if e.Set >= 0 && (d.Dialect == NodeMySQL2 || d.Dialect == NodeMySQL) && !plainSSLObject(d.Params[e.Set].Value) {
		return ModeEdit{}, false
	}
	slices.Sort(e.Remove)
	e.Remove = slices.Compact(e.Remove)
	switch {
	case e.Set >= 0:
		e.Edits = append(e.Edits, Edit{Span: d.Params[e.Set].ValueSpan, Text: value})
	case len(e.Remove) > 0:
		e.Edits = append(e.Edits, Edit{Span: d.Params[e.Remove[0]].raw, Text: key + "=" + value})
	default:
		e.Edits = append(e.Edits, Edit{Span: Span{d.ins.at, d.ins.at}, Text: d.ins.prefix + key + "=" + value})
	}
	for j, i := range e.Remove {
		if j > 0 || e.Set >= 0 {
			e.Edits = append(e.Edits, Edit{Span: d.Params[i].cut})
		}
	}
	sort.SliceStable(e.Edits, func(i, j int) bool { return e.Edits[i].Span.Start < e.Edits[j].Span.Start })
	// Two removals may share a separator: merge them.
	out := e.Edits[:1]
	for _, ed := range e.Edits[1:] {
		last := &out[len(out)-1]
		if ed.Span.Start < last.Span.End && ed.Text == "" && last.Text == "" {
			last.Span.End = max(last.Span.End, ed.Span.End)
			continue
		}
		out = append(out, ed)
	}
	e.Edits = out
	return e, true
}

// all returns, in order, the indexes of the parameters whose key is one of
// keys (fold: ignoring case).
func (d *DSN) all(fold bool, keys ...string) []int {
	var out []int
	for i, p := range d.Params {
		for _, k := range keys {
			if p.Key == k || fold && strings.EqualFold(p.Key, k) {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

// plainSSLObject reports whether a Node ssl value holds nothing a new
// value would lose: empty, a boolean or profile-less object with only the
// verification switches.
func plainSSLObject(v string) bool {
	var obj map[string]any
	if json.Unmarshal([]byte(v), &obj) != nil {
		return true // false, a profile name, or garbage: replaced whole
	}
	for k := range obj {
		if k != "rejectUnauthorized" && k != "verifyIdentity" {
			return false
		}
	}
	return true
}
