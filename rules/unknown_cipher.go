package rules

import (
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/source"
)

// UnknownCipher is TV207: a name OpenSSL does not know in a cipher string
// or suite list. OpenSSL compares names case-sensitively and skips unknown
// ones (https://docs.openssl.org/3.0/man1/openssl-ciphers/; MariaDB 10.11
// ignored RC4-SHA next to a valid cipher, docs/mariadb-observations.md §4a config 34),
// but an unknown "@command" makes it reject the whole string, and a suite
// list takes ':' alone as separator (checked with OpenSSL 3.0.19). When
// nothing known is left, TV202 reports the consequence.
var UnknownCipher = &lint.Rule{
	ID:       "TV207",
	Name:     "unknown-cipher",
	Severity: lint.Warning,
	Tags:     []string{"tls", "cipher", "typo"},
	Doc: lint.Doc{
		Title: "A cipher list names a cipher OpenSSL does not know",
		Why: "OpenSSL skips cipher names it does not know, silently: a misspelled name, a lower-case name " +
			"(names are case-sensitive), or an IANA name such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 where " +
			"OpenSSL wants ECDHE-RSA-AES128-GCM-SHA256. The cipher you meant is then not offered; when no known " +
			"name is left, MySQL starts without TLS and MariaDB refuses to start (TV202). An unknown `@` command " +
			"makes OpenSSL reject the whole string, and `tls_ciphersuites` separates suites with `:` only.",
		Fix:  "Spell the cipher as `openssl ciphers -V` prints it.",
		Bad:  "[mysqld]\nssl_cipher=ECDHE-RSA-AES128-GCM-SHA256:ecdhe-rsa-aes256-gcm-sha384\n",
		Good: "[mysqld]\nssl_cipher=ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384\n",
		Sources: []string{
			"https://docs.openssl.org/3.0/man1/openssl-ciphers/",
			facts.SrcVIO,
		},
	},
	Requires: []*lint.Analysis{cipherListsAnalysis},
	Run:      runUnknownCipher,
}

func runUnknownCipher(pass *lint.Pass) {
	cipherLists(pass, func(l *cipherList) {
		l.tokensOwnedBy(pass.Rule.ID, func(t *cipherToken) {
			var msg string
			fixed, exact := cipherSuggestion(l, t)
			switch {
			case t.Role == roleInvalid:
				msg = t.Word + " is not an OpenSSL command (@STRENGTH, @SECLEVEL=0 to 5): OpenSSL rejects the whole cipher string"
			case t.IANA:
				msg = t.Word + " is an IANA name: OpenSSL cipher strings use OpenSSL's names, so it is skipped; write " + fixed
			case l.Suites && strings.Contains(fixed, ":") && exact:
				msg = l.Opt.Name + " separates suites with ':' only, so OpenSSL reads " + t.Word + " as one unknown name; write " + fixed
			default:
				what := "a cipher or keyword"
				if l.Suites {
					what = "a TLSv1.3 suite"
				}
				msg = t.Word + " is not " + what + " OpenSSL knows, so it is skipped"
				if fixed != "" {
					msg += " (did you mean " + fixed + "?)"
				}
			}
			d := lint.Diagnostic{Span: t.WordSpan, Message: msg}
			if exact && t.Exact {
				d.Fix = &lint.Fix{Message: "write " + fixed, Edits: []source.Edit{{Span: t.WordSpan, New: fixed}}}
			}
			pass.Report(d)
		})
	})
}

// cipherSuggestion returns what t probably means and whether that is
// certain enough to rewrite it (a case difference, the IANA name of a
// cipher, suites separated by ',' instead of ':').
func cipherSuggestion(l *cipherList, t *cipherToken) (string, bool) {
	w := t.Word
	if t.IANA {
		return t.Cipher.Name, true
	}
	if l.Suites {
		parts := strings.FieldsFunc(w, func(r rune) bool { return r == ',' || r == ';' || r == ' ' })
		all := len(parts) > 1
		for _, p := range parts {
			c, ok := facts.LookupCipher(p)
			all = all && ok && c.TLS13
		}
		if all {
			return strings.Join(parts, ":"), true
		}
	}
	if s := facts.SuggestCipher(w); s != "" {
		c, _ := facts.LookupCipher(s)
		// Only a name that belongs in this option (TV206 otherwise).
		if c.TLS13 == l.Suites || c.TLS13 && !l.reads(facts.MySQL) {
			return s, strings.EqualFold(s, w)
		}
	}
	if !l.Suites && facts.CipherKeyword(strings.ToUpper(w)) {
		return strings.ToUpper(w), true
	}
	return "", false
}
