package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
)

// Sources for TV408.
const (
	srcReplSource    = "https://dev.mysql.com/doc/refman/8.0/en/change-replication-source-to.html"
	srcReplMaster57  = "https://dev.mysql.com/doc/refman/5.7/en/change-master-to.html"
	srcReplEncrypted = "https://dev.mysql.com/doc/refman/8.0/en/replication-encrypted-connections.html"
	srcMariaDBChange = "https://mariadb.com/kb/en/change-master-to/"
	srcMariaDBRepl   = "https://mariadb.com/kb/en/replication-with-secure-connections/"
	// MDEV-31857 (MariaDB 11.4) enables TLS and server certificate
	// verification by default in the server's internal client, which the
	// replica's connection uses.
	srcMDEV31857 = "https://jira.mariadb.org/browse/MDEV-31857"
)

// ReplicationTLS is TV408.
var ReplicationTLS = &lint.Rule{
	ID:               "TV408",
	Name:             "replication-tls",
	Severity:         lint.Warning,
	SecuritySeverity: "6.5",
	Tags:             []string{"security", "tls", "replication"},
	Doc: lint.Doc{
		Title: "A replication channel runs without TLS, without verifying its source, or with a bad TLS version or cipher list",
		Why: "A replica connects to its source as a client, with the settings of `CHANGE REPLICATION SOURCE TO` " +
			"(MySQL 8.0.23 and later) or `CHANGE MASTER TO` (older MySQL, MariaDB). The connection carries the " +
			"replication user's login and then every replicated change. tlsvet reads these statements in `.sql` " +
			"files (such as `docker-entrypoint-initdb.d` scripts) and in the SQL that shell scripts feed the " +
			"`mysql` or `mariadb` client (heredocs, `-e` arguments), and reports:\n\n" +
			"- `SOURCE_SSL=0` (or `MASTER_SSL=0`): the channel is plaintext;\n" +
			"- no `SOURCE_SSL` on a statement that sets a password or TLS files: MySQL, and MariaDB before 11.4, " +
			"default it to 0 on a new channel (a `CHANGE` statement keeps the values it does not name, so an earlier " +
			"statement may have set it);\n" +
			"- `SOURCE_SSL=1` without `SOURCE_SSL_CA` or `SOURCE_SSL_CAPATH`: encrypted, but the replica has " +
			"nothing to check the source's certificate against, so anyone in the middle can present their own, " +
			"read the credentials and rows, and feed the replica data;\n" +
			"- a CA without `SOURCE_SSL_VERIFY_SERVER_CERT=1`: the replica does not check that the certificate " +
			"names the host it connects to, so any server holding a certificate from that CA can pose as the source;\n" +
			"- `SOURCE_TLS_VERSION` with TLSv1 or TLSv1.1, a hole, or a name that is not a protocol (MySQL ignores " +
			"it, and with nothing left the channel has no TLS);\n" +
			"- a name in `SOURCE_SSL_CIPHER` or `SOURCE_TLS_CIPHERSUITES` that OpenSSL does not know (it is skipped).\n\n" +
			"MariaDB 11.4 turned TLS and certificate verification on by default for the server's own client " +
			"connections, replication included (MDEV-31857); messages about an unset option say so. The " +
			"`MASTER_` spellings are judged as the `SOURCE_` ones. Values the shell expands (`'$SOURCE_HOST'` in a heredoc) " +
			"are unknown and never judged.",
		Fix: "Give every channel `SOURCE_SSL=1`, `SOURCE_SSL_CA` (the CA that signed the source's certificate) and " +
			"`SOURCE_SSL_VERIFY_SERVER_CERT=1`, with a source certificate that names `SOURCE_HOST`; list only " +
			"`TLSv1.2,TLSv1.3` in `SOURCE_TLS_VERSION`, or leave it unset.",
		Bad: "-- replica.sql --\nCHANGE REPLICATION SOURCE TO\n  SOURCE_HOST='db1.example.com', SOURCE_USER='repl',\n" +
			"  SOURCE_PASSWORD='secret', SOURCE_SSL=1;\n",
		Good: "-- replica.sql --\nCHANGE REPLICATION SOURCE TO\n  SOURCE_HOST='db1.example.com', SOURCE_USER='repl',\n" +
			"  SOURCE_PASSWORD='secret', SOURCE_SSL=1,\n  SOURCE_SSL_CA='/etc/mysql/ca.pem', SOURCE_SSL_VERIFY_SERVER_CERT=1;\n",
		Sources: []string{srcReplSource, srcReplMaster57, srcReplEncrypted, srcMariaDBChange, srcMariaDBRepl, srcMDEV31857},
	},
	Run: runReplicationTLS,
}

// replTLSFiles are the options that show TLS is meant on a channel.
var replTLSFiles = []string{"source_ssl_ca", "source_ssl_capath", "source_ssl_cert", "source_ssl_key",
	"source_ssl_cipher", "source_tls_version", "source_tls_ciphersuites", "source_ssl_verify_server_cert"}

func runReplicationTLS(pass *lint.Pass) {
	for _, r := range pass.Project.Replications {
		judgeReplication(pass, r)
		replProtocols(pass, r)
		replCiphers(pass, r)
	}
}

// replTarget is what reads a statement: only MySQL 8.0.23+ reads the
// SOURCE spelling, and only MySQL has SOURCE_TLS_VERSION and
// SOURCE_TLS_CIPHERSUITES (MASTER_TLS_VERSION from 5.7.10; srcReplMaster57).
func replTarget(r *model.Replication) facts.Target {
	if r.SourceSpelling || r.Get("source_tls_version") != nil || r.Get("source_tls_ciphersuites") != nil {
		return facts.FullRange(facts.MySQL)
	}
	return facts.FullRange(facts.FlavorUnknown)
}

// judgeReplication reports a channel without TLS or without verification.
func judgeReplication(pass *lint.Pass, r *model.Replication) {
	mysqlOnly := replTarget(r).Flavor == facts.MySQL
	ssl := r.Get("source_ssl")
	if ssl != nil && ssl.Unknown {
		return
	}
	var material *model.Setting
	for _, n := range replTLSFiles {
		if o := r.Get(n); o != nil && hasValue(o) && material == nil {
			material = o
		}
	}
	pw := r.Get("source_password")
	on := false
	if ssl != nil {
		var ok bool
		if on, ok = boolValue(ssl); !ok {
			return // not 0 or 1: the server rejects the statement
		}
	}
	switch {
	case ssl != nil && !on:
		pass.Reportf(ssl.Span(), "%s: the replica connects to the source without TLS, so the login exchange and every "+
			"replicated change cross the network in plaintext; set %s=1 with %s and %s=1",
			optText(ssl), ssl.Key, spelt(ssl, "SSL_CA"), spelt(ssl, "SSL_VERIFY_SERVER_CERT"))
		return
	case ssl == nil && (pw != nil || material != nil):
		why := "the statement sets " + keyOf(pw, material)
		def := "MySQL, and MariaDB before 11.4, default it to 0 (MariaDB 11.4 turned replication TLS on by default, MDEV-31857)"
		if mysqlOnly {
			def = "MySQL defaults it to 0"
		}
		pass.Reportf(r.Span, "%s without %s: %s, so unless an earlier statement turned TLS on for this channel, "+
			"the replica connects without TLS although %s, and the login exchange and every replicated change cross "+
			"the network in plaintext; add %s=1 with %s and %s=1",
			r.Keyword, prefixed(r, "SSL"), def, why, prefixed(r, "SSL"), prefixed(r, "SSL_CA"), prefixed(r, "SSL_VERIFY_SERVER_CERT"))
		return
	case ssl == nil:
		return
	}

	ca := r.Get("source_ssl_ca")
	if ca == nil || !hasValue(ca) {
		ca = r.Get("source_ssl_capath")
	}
	hasCA := ca != nil && hasValue(ca)
	verify := r.Get("source_ssl_verify_server_cert")
	verifyOn := false
	if verify != nil {
		if verify.Unknown {
			return
		}
		verifyOn, _ = boolValue(verify)
	}
	switch {
	case !hasCA && verifyOn:
		pass.Reportf(verify.Span(), "%s without %s or %s: there is no CA to check the source's certificate against; set %s",
			optText(verify), spelt(ssl, "SSL_CA"), spelt(ssl, "SSL_CAPATH"), spelt(ssl, "SSL_CA"))
	case !hasCA:
		pass.Reportf(ssl.Span(), "%s without %s or %s: the replica encrypts but has nothing to check the source's "+
			"certificate against%s, so anyone in the middle can present their own, read the replication credentials and "+
			"rows, and feed the replica data; set %s and %s=1",
			optText(ssl), spelt(ssl, "SSL_CA"), spelt(ssl, "SSL_CAPATH"), verifyDefault(r, verify), spelt(ssl, "SSL_CA"),
			spelt(ssl, "SSL_VERIFY_SERVER_CERT"))
	case !verifyOn:
		at, msg := ssl.Span(), fmt.Sprintf("%s with %s but without %s=1%s", optText(ssl), ca.Key,
			spelt(ssl, "SSL_VERIFY_SERVER_CERT"), verifyDefault(r, verify))
		if verify != nil {
			at, msg = verify.Span(), fmt.Sprintf("%s with %s", optText(verify), ca.Key)
		}
		d := lint.Diagnostic{Span: at, Message: msg + ": the replica does not check that the source's certificate names " +
			"the host it connects to, so any server holding a certificate from that CA can pose as the source; set " +
			spelt(ssl, "SSL_VERIFY_SERVER_CERT") + "=1 (the source's certificate must name " + spelt(ssl, "HOST") + ")"}
		d.Fix = verifyFix(ssl, verify)
		pass.Report(d)
	}
}

// verifyDefault qualifies a claim about an unset verify option on a
// statement MariaDB may read: MariaDB 11.4 verifies by default (srcMDEV31857).
func verifyDefault(r *model.Replication, verify *model.Setting) string {
	if verify != nil || replTarget(r).Flavor == facts.MySQL {
		return ""
	}
	return " (on MySQL, and on MariaDB before 11.4, which verifies by default)"
}

// verifyFix turns verification on: verify's value becomes 1, or the
// option is added after ssl's value. The channel names a CA, so the
// chain can be checked; the message says the certificate must name the host.
func verifyFix(ssl, verify *model.Setting) *lint.Fix {
	if verify != nil {
		return setValueFix(verify, "1", "set "+verify.Key+"=1")
	}
	at := source.Span{File: ssl.ValueSpan.File, Start: ssl.ValueSpan.End, End: ssl.ValueSpan.End}
	key := spelt(ssl, "SSL_VERIFY_SERVER_CERT")
	return &lint.Fix{Message: "add " + key + "=1", Edits: []source.Edit{{Span: at, New: ", " + key + "=1"}}}
}

// spelt is the option suffix spelt as o's key is (MASTER_ or SOURCE_,
// and its case).
func spelt(o *model.Setting, suffix string) string {
	prefix := o.Key[:strings.IndexByte(o.Key, '_')+1]
	if strings.ToLower(prefix) == prefix {
		suffix = strings.ToLower(suffix)
	}
	return prefix + suffix
}

// prefixed is the option suffix in the statement's spelling.
func prefixed(r *model.Replication, suffix string) string {
	if r.SourceSpelling {
		return "SOURCE_" + suffix
	}
	return "MASTER_" + suffix
}

// keyOf names the first of the settings that is set.
func keyOf(os ...*model.Setting) string {
	for _, o := range os {
		if o != nil {
			return o.Key
		}
	}
	return ""
}

// replProtocols reports a SOURCE_TLS_VERSION list that allows TLSv1 or
// TLSv1.1, has a hole, or names no protocol: the same token analysis as
// the option files' lists (protocols.go).
func replProtocols(pass *lint.Pass, r *model.Replication) {
	l := analyzeProtocols(r.Get("source_tls_version"), facts.FullRange(facts.MySQL), true)
	if l == nil || l.Empty() {
		return
	}
	floor := minProtocol(pass.Policy)
	var problems []string
	var written [facts.TLSv13 + 1]bool
	lo, hi := facts.Protocol(0), facts.Protocol(0)
	for _, tok := range l.Tokens {
		switch {
		case tok.Empty():
		case tok.Proto == 0 || tok.Spelled == facts.No:
			problems = append(problems, fmt.Sprintf("%q is not a MySQL protocol name", tok.Word))
		case tok.Padded:
			problems = append(problems, fmt.Sprintf("%q has blanks, so MySQL does not read it", tok.Text))
		default:
			if tok.Proto < floor {
				problems = append(problems, tok.Word+" is deprecated")
			}
			written[tok.Proto] = true
			if lo == 0 || tok.Proto < lo {
				lo = tok.Proto
			}
			hi = max(hi, tok.Proto)
		}
	}
	for p := lo + 1; p < hi; p++ {
		if !written[p] {
			problems = append(problems, "it skips "+p.Spell(facts.MySQL))
		}
	}
	if len(problems) == 0 {
		return
	}
	top := max(hi, facts.TLSv13)
	var want []string
	for p := floor; p <= top; p++ {
		want = append(want, p.Spell(facts.MySQL))
	}
	v := strings.Join(want, ",")
	lost := ""
	if hi == 0 {
		lost = " (with no protocol left, the channel has no TLS)"
	}
	d := lint.Diagnostic{Span: l.Opt.ValueOrKey(), Message: fmt.Sprintf("%s=%q: %s%s; use %s",
		l.Opt.Key, l.Opt.Value, strings.Join(problems, ", "), lost, v)}
	d.Fix = setValueFix(l.Opt, v, "set "+l.Opt.Key+" to "+v)
	pass.Report(d)
}

// replCiphers reports the names of SOURCE_SSL_CIPHER and
// SOURCE_TLS_CIPHERSUITES that OpenSSL does not know (ciphers.go reads
// them as the option files' lists).
func replCiphers(pass *lint.Pass, r *model.Replication) {
	for _, n := range []string{"source_ssl_cipher", "source_tls_ciphersuites"} {
		l := analyzeCiphers(r.Get(n), replTarget(r), true)
		if l == nil {
			continue
		}
		for _, tok := range l.Tokens {
			if tok.Role != roleUnknown {
				continue
			}
			msg := fmt.Sprintf("%s names %q, which OpenSSL does not know: it is skipped, and with no known name left the "+
				"channel cannot use TLS", l.Opt.Key, tok.Word)
			if s := facts.SuggestCipher(tok.Word); s != "" {
				msg += fmt.Sprintf("; did you mean %s?", s)
			}
			pass.Reportf(tok.WordSpan, "%s", msg)
		}
	}
}
