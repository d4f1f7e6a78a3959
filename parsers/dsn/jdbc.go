package dsn

import (
	"slices"
	"strings"
)

// jdbcURL splits a Connector/J URL (with any sub-protocol
// such as loadbalance: or replication:) and its query.
func jdbcURL(d *DSN, s string) error {
	i := strings.Index(s, "://")
	if i < 0 {
		return ErrSyntax
	}
	u := splitURL(s, i+3)
	d.urlUser(s, u)
	d.urlTarget(s, u.hosts)
	region := -1
	if u.hasQuery {
		d.Params = splitQuery(s, u.query.Start, u.query.End, '&', formDecode, true)
		region = u.query.Start
	}
	d.layout(s, '&', region, "?")
	return nil
}

// javaTrim narrows sp as String.trim does: bytes up to ' ' go.
func javaTrim(s string, sp Span) Span {
	for sp.Start < sp.End && s[sp.Start] <= ' ' {
		sp.Start++
	}
	for sp.End > sp.Start && s[sp.End-1] <= ' ' {
		sp.End--
	}
	return sp
}

// javaBool is BooleanPropertyDefinition: TRUE/FALSE/YES/NO, any case
// (https://github.com/mysql/mysql-connector-j/blob/release/9.x/src/main/core-api/java/com/mysql/cj/conf/BooleanPropertyDefinition.java).
func javaBool(v string) (val, ok bool) {
	switch strings.ToUpper(v) {
	case "TRUE", "YES":
		return true, true
	case "FALSE", "NO":
		return false, true
	}
	return false, false
}

// MySQL Connector/J. Property names are case-sensitive (PropertyKey.java,
// isCaseSensitive); a mis-cased name becomes a user-defined property with
// no effect. Enum values are upper-cased before valueOf. Legacy keys
// apply only without an explicit sslMode (DefaultPropertySet.java):
// https://github.com/mysql/mysql-connector-j/blob/release/9.x/src/main/core-impl/java/com/mysql/cj/conf/DefaultPropertySet.java
// https://dev.mysql.com/doc/connector-j/en/connector-j-connp-props-security.html
var connectorJTLSKeys = []string{
	"sslMode", "useSSL", "requireSSL", "verifyServerCertificate", "tlsVersions", "enabledTLSProtocols",
	"tlsCiphersuites", "enabledSSLCipherSuites", "trustCertificateKeyStoreUrl", "trustCertificateKeyStoreType",
	"trustCertificateKeyStorePassword", "fallbackToSystemTrustStore", "clientCertificateKeyStoreUrl",
	"clientCertificateKeyStoreType", "clientCertificateKeyStorePassword", "fallbackToSystemKeyStore",
	"user", "password",
}

func parseConnectorJ(s string) (*DSN, error) {
	d := &DSN{Dialect: ConnectorJ}
	if err := jdbcURL(d, s); err != nil {
		return nil, err
	}
	for i := range d.Params {
		p := &d.Params[i]
		// ConnectionUrlParser.processKeyValuePattern trims key and value
		// (StringUtils.safeTrim) before decoding them.
		p.KeySpan, p.ValueSpan = javaTrim(s, p.KeySpan), javaTrim(s, p.ValueSpan)
		p.Key = decodeOr(formDecode, p.KeySpan.Text(s))
		if !p.Secret {
			p.setValue(p.ValueSpan.Text(s), decodeOr(formDecode, p.ValueSpan.Text(s)))
		}
		for _, k := range connectorJTLSKeys {
			if p.Key == k {
				p.Known = true
			} else if strings.EqualFold(p.Key, k) {
				if p.Key == "sslmode" {
					// libpq's spelling: a PostgreSQL URL pasted into a MySQL one.
					d.trap(ForeignParam, Ignored, i, k)
				} else {
					d.trap(WrongCase, Ignored, i, k)
				}
			}
		}
	}
	d.noteUnresolved()
	c := &d.Client
	c.CA = d.value(d.find("trustCertificateKeyStoreUrl"))
	c.Cert = d.value(d.find("clientCertificateKeyStoreUrl"))
	c.Protocols = d.value(max(d.find("tlsVersions"), d.find("enabledTLSProtocols")))
	c.Ciphers = d.value(max(d.find("tlsCiphersuites"), d.find("enabledSSLCipherSuites")))
	d.connectorJ8()
	// Below VERIFY_CA the trust store is not even loaded (ExportControlled,
	// verifyServerCert; https://github.com/mysql/mysql-connector-j/blob/cf2917ea44ae2e43a4514a33771035aa99de73bf/src/main/core-impl/java/com/mysql/cj/protocol/ExportControlled.java).
	if c.CA != nil && c.Mode != ModeUnknown && c.Mode < VerifyCA {
		d.trap(Unused, Ignored, c.CA.Param, "sslMode=VERIFY_CA")
	}
	if legacy := d.connectorJ51(); legacy.Mode != d.Client.Mode || legacy.Effective != d.Client.Effective {
		d.Legacy = &legacy
	}
	return d, nil
}

// javaFlag reads boolean parameter key: set, its value, and the index.
func (d *DSN) javaFlag(key string) (i int, val, set bool) {
	i = d.find(key)
	if i < 0 {
		return -1, false, false
	}
	val, set = javaBool(d.Params[i].Value)
	return i, val, set
}

// connectorJ8 is the 8.0.13+/9.x reading.
func (d *DSN) connectorJ8() {
	if i := d.find("sslMode"); i >= 0 {
		if d.unresolved(i) {
			d.setMode(ModeUnknown, Explicit, i)
			return
		}
		m := modeByName(strings.ToUpper(d.Params[i].Value))
		d.setMode(m, Explicit, i) // an unknown value fails the connection: mode unknown
		return
	}
	if i, v, ok := d.javaFlag("useSSL"); ok && !v {
		d.setMode(Disabled, LegacyAlias, i)
	} else if i, v, ok := d.javaFlag("verifyServerCertificate"); ok && v {
		d.setMode(VerifyCA, LegacyAlias, i)
	} else if i, v, ok := d.javaFlag("requireSSL"); ok && v {
		d.setMode(Required, LegacyAlias, i)
	} else {
		// useSSL=true alone is PREFERRED: no verification, plaintext fallback.
		d.setMode(Preferred, DriverDefault, -1)
		if i, _, ok := d.javaFlag("useSSL"); ok {
			d.setMode(Preferred, LegacyAlias, i)
		}
	}
}

// connectorJ51 is the 5.1 reading (branch release/5.1,
// src/com/mysql/jdbc/LocalizedErrorMessages.properties): no sslMode; an
// explicit useSSL=true verifies the chain unless verifyServerCertificate=
// false; without requireSSL=true the driver falls back to plaintext.
func (d *DSN) connectorJ51() Client {
	c := d.Client
	useI, use, useSet := d.javaFlag("useSSL")
	_, verify, verifySet := d.javaFlag("verifyServerCertificate")
	_, require, _ := d.javaFlag("requireSSL")
	switch {
	case useSet && !use:
		c.Mode, c.From, c.ModeParam = Disabled, LegacyAlias, useI
	case useSet && (!verifySet || verify):
		c.Mode, c.From, c.ModeParam = VerifyCA, LegacyAlias, useI
	case useSet:
		c.Mode, c.From, c.ModeParam = Required, LegacyAlias, useI
	default:
		// useSSL is implied only for MySQL 5.5.45+/5.6.26+/5.7.6+ servers,
		// and then without verification.
		c.Mode, c.From, c.ModeParam = Preferred, DriverDefault, -1
		c.Note = "Connector/J 5.1: TLS only with MySQL 5.5.45+, 5.6.26+, 5.7.6+ servers"
	}
	c.Effective = effectiveOf(c.Mode)
	if c.Mode != Disabled && !require {
		c.Effective.PlaintextFallback = true
	}
	return c
}

// modeByName maps MySQL's mode names; anything else is ModeUnknown.
func modeByName(v string) Mode {
	for m := Disabled; m <= VerifyIdentity; m++ {
		if v == m.String() {
			return m
		}
	}
	return ModeUnknown
}

// MariaDB Connector/J 3.x, Configuration.java
// (https://github.com/mariadb-corporation/mariadb-connector-j/blob/master/src/main/java/org/mariadb/jdbc/Configuration.java):
// processUrlParameters splits on '&' and '=' without any URL-decoding; an
// option that names a Builder field is matched case-insensitively
// (processProperty), after OptionAliases maps trustCertificateKeyStoreUrl
// to trustStore and so on; an empty string value is skipped. The legacy
// keys are not fields: handleLegacySslSettings looks them up exactly as
// spelt (useSsl or useSSL, trustServerCertificate,
// disableSslHostnameVerification) with values exactly "true", "1" or
// empty, and runs after the other options, so it overrides sslMode.
// sslMode values:
// https://github.com/mariadb-corporation/mariadb-connector-j/blob/master/src/main/java/org/mariadb/jdbc/export/SslMode.java
// Docs: https://mariadb.com/docs/connectors/mariadb-connector-j/about-mariadb-connector-j/connection-parameters
var mariaDBFields = []string{
	"sslMode", "serverSslCert", "trustStore", "trustStoreType", "trustStorePassword", "trustCertificateKeyStoreUrl",
	"keyStore", "keyStoreType", "keyStorePassword", "keyPassword", "clientCertificateKeyStoreUrl",
	"enabledSslProtocolSuites", "enabledSslCipherSuites", "fallbackToSystemTrustStore",
	"fallbackToSystemKeyStore", "user", "password", "permitMysqlScheme",
}

// mariaDBLegacy are the legacy keys, matched exactly.
var mariaDBLegacy = []string{"useSsl", "useSSL", "trustServerCertificate", "disableSslHostnameVerification"}

func mariaDBMode(v string) Mode {
	switch strings.ToLower(v) {
	case "disable", "disabled", "0", "false":
		return Disabled
	case "trust", "required":
		return Required
	case "verify-ca", "verify_ca":
		return VerifyCA
	case "verify-full", "verify_identity", "1", "true":
		return VerifyIdentity
	}
	return ModeUnknown
}

// mariaDBSet is the legacy isSet: exactly "true", "1" or empty.
func (d *DSN) mariaDBSet(keys ...string) int {
	for _, k := range keys {
		if i := d.find(k); i >= 0 {
			if v := d.Params[i].Value; v == "" || v == "1" || v == "true" {
				return i
			}
		}
	}
	return -1
}

func parseMariaDB(s string) (*DSN, error) {
	d := &DSN{Dialect: MariaDBJ}
	i := strings.Index(s, "://")
	if i < 0 {
		return nil, ErrSyntax
	}
	u := splitURL(s, i+3)
	d.urlUser(s, u)
	d.urlTarget(s, u.hosts)
	region := -1
	if u.hasQuery {
		d.Params = splitQuery(s, u.query.Start, u.query.End, '&', rawText, true)
		region = u.query.Start
	}
	d.layout(s, '&', region, "?")
	for i := range d.Params {
		p := &d.Params[i]
		for _, k := range mariaDBFields {
			p.Known = p.Known || strings.EqualFold(p.Key, k)
		}
		for _, k := range mariaDBLegacy {
			if p.Key == k {
				p.Known = true
			} else if strings.EqualFold(p.Key, k) && !slices.Contains(mariaDBLegacy, p.Key) {
				d.trap(WrongCase, Ignored, i, k)
				break
			}
		}
	}
	d.noteUnresolved()
	c := &d.Client
	c.CA = d.value(d.findFold("serverSslCert", "trustStore", "trustCertificateKeyStoreUrl"))
	c.Cert = d.value(d.findFold("keyStore", "clientCertificateKeyStoreUrl"))
	c.Protocols = d.value(d.findFold("enabledSslProtocolSuites"))
	c.Ciphers = d.value(d.findFold("enabledSslCipherSuites"))
	d.setMode(Disabled, DriverDefault, -1) // no PREFERRED exists
	mi := d.findFold("sslMode")
	if mi >= 0 && d.Params[mi].Value != "" {
		v := d.Params[mi].Value
		switch m := mariaDBMode(v); {
		case d.unresolved(mi):
			d.setMode(ModeUnknown, Explicit, mi)
		case m == ModeUnknown:
			d.setMode(ModeUnknown, Explicit, mi)
			switch strings.ToLower(v) {
			case "require", "prefer", "allow":
				d.trap(ForeignParam, Rejected, mi, "sslMode")
			}
		default:
			d.setMode(m, Explicit, mi)
		}
	}
	if ui := d.mariaDBSet("useSsl", "useSSL"); ui >= 0 {
		m := VerifyIdentity
		if d.mariaDBSet("trustServerCertificate") >= 0 {
			m = Required
		} else if d.mariaDBSet("disableSslHostnameVerification") >= 0 {
			m = VerifyCA
		}
		if d.Client.ModeParam >= 0 {
			d.trap(LegacyOverrides, Misread, mi, "")
		}
		d.setMode(m, LegacyAlias, ui)
	}
	// trust installs a trust-all manager and disable no TLS: the CA is not
	// read (DefaultTlsSocketPlugin.getTrustManager;
	// https://github.com/mariadb-corporation/mariadb-connector-j/blob/fca009dca09f06215af119cc71055e4cdf0a9102/src/main/java/org/mariadb/jdbc/plugin/tls/main/DefaultTlsSocketPlugin.java).
	if c.CA != nil && (c.Mode == Disabled || c.Mode == Required) {
		d.trap(Unused, Ignored, c.CA.Param, "sslMode=verify-ca")
	}
	return d, nil
}
