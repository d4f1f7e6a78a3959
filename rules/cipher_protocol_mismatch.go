package rules

import (
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
)

// CipherProtocolMismatch is TV205: no cipher the server's ssl_cipher leaves
// works with any protocol its tls_version allows, so every handshake fails.
// A protocol "is not chosen unless there is also a compatible cipher"
// (MY80-PC https://dev.mysql.com/doc/refman/8.0/en/encrypted-connection-protocols-ciphers.html);
// AEAD and SHA-2 ciphers need TLSv1.2 (their lowest protocol is in the
// facts catalogue, from `openssl ciphers -V`). The client sees ERROR 2026
// with a handshake-failure alert (docs/mariadb-observations.md §4f).
var CipherProtocolMismatch = &lint.Rule{
	ID:       "TV205",
	Name:     "cipher-protocol-mismatch",
	Severity: lint.Error,
	Tags:     []string{"tls", "cipher", "correctness"},
	Doc: lint.Doc{
		Title: "No configured cipher works with any protocol the server allows",
		Why: "GCM, CCM, CHACHA20-POLY1305 and SHA-256/SHA-384 ciphers exist only from TLSv1.2. A server " +
			"whose `tls_version` allows only TLSv1 and TLSv1.1 (MySQL before 8.0.28, MariaDB) while `ssl_cipher` " +
			"lists only such ciphers has no protocol/cipher pair: it starts, but every TLS handshake fails and " +
			"clients get ERROR 2026. On MariaDB, a `ssl_cipher` of TLSv1.3 suites alone with TLSv1.3 not allowed " +
			"fails the same way.",
		Fix:  "Allow TLSv1.2 in tls_version, or list ciphers that the allowed protocols support.",
		Bad:  "[mysqld-5.7]\ntls_version=TLSv1,TLSv1.1\nssl_cipher=ECDHE-RSA-AES128-GCM-SHA256\n",
		Good: "[mysqld-5.7]\ntls_version=TLSv1.2\nssl_cipher=ECDHE-RSA-AES128-GCM-SHA256\n",
		Sources: []string{
			facts.SrcMY80PC,
			"https://docs.openssl.org/3.0/man1/openssl-ciphers/",
		},
	},
	Run: runCipherProtocolMismatch,
}

func runCipherProtocolMismatch(pass *lint.Pass) {
	for _, s := range pass.Project.Servers {
		l := serverCipherList(s, "ssl_cipher")
		if l == nil || l.noneUsable() {
			continue
		}
		allowed := allowedProtocols(s)
		need, ok := protocolMismatch(l, allowed)
		if !ok {
			continue
		}
		// The hint names what the ciphers need, never a protocol already
		// allowed: TLSv1.3 suites under tls_version=TLSv1.2 need TLSv1.3.
		d := lint.Diagnostic{Span: l.Opt.ValueOrKey(), Message: "no cipher in ssl_cipher works with the protocols this server allows (" +
			protocolNames(allowed, l) + "): " + need + ", so every TLS handshake fails (ERROR 2026); allow " +
			protocolNames([]facts.Protocol{lowestNeed(l)}, l) + " in tls_version or list ciphers that " +
			protocolNames(allowed, l) + " support"}
		if set := s.Settings.Get("tls_version"); set != nil {
			d.Related = []lint.Related{{Span: set.Setting.ValueOrKey(), Message: "the allowed protocols are set here"}}
		}
		pass.Report(d)
	}
}

// protocolMismatch reports TV205's case for a server's ssl_cipher: on
// every reader the list names ciphers, adds no keyword set, and none of its
// ciphers works with a protocol in allowed. need says what the ciphers
// require. TLSv1.3 among the allowed protocols always has suites on MySQL
// (tls_ciphersuites, TV208 judges an empty one) and on MariaDB when
// ssl_cipher names none (OpenSSL's defaults, docs/mariadb-observations.md §4b).
func protocolMismatch(l *cipherList, allowed []facts.Protocol) (need string, ok bool) {
	if len(allowed) == 0 {
		return "", false // TLS is off: TV102/TV105
	}
	for _, r := range l.Readers {
		o := l.offerFor(r)
		cands := append(append([]facts.Cipher(nil), o.tls12...), o.tls13...)
		if o.open || len(cands) == 0 {
			return "", false
		}
		for _, p := range allowed {
			if p == facts.TLSv13 && len(o.tls13) == 0 {
				return "", false
			}
			for _, c := range cands {
				if works(c, p) {
					return "", false
				}
			}
		}
		need = needs(cands)
	}
	return need, true
}

// lowestNeed is the lowest protocol that one of the list's ciphers works
// with, on any reader.
func lowestNeed(l *cipherList) facts.Protocol {
	low := facts.TLSv13
	for _, r := range l.Readers {
		o := l.offerFor(r)
		for _, c := range o.tls12 {
			low = min(low, c.MinProtocol)
		}
	}
	return low
}

// works reports whether cipher c can be negotiated with protocol p: a
// TLSv1.3 suite only with TLSv1.3, any other cipher from its lowest
// protocol up to TLSv1.2.
func works(c facts.Cipher, p facts.Protocol) bool {
	if c.TLS13 {
		return p == facts.TLSv13
	}
	return p <= facts.TLSv12 && c.MinProtocol <= p
}

// needs says which protocol the ciphers require: "ECDHE-RSA-AES128-GCM-SHA256 needs TLSv1.2".
func needs(cs []facts.Cipher) string {
	by := map[facts.Protocol][]string{}
	var order []facts.Protocol
	for _, c := range cs {
		if by[c.MinProtocol] == nil {
			order = append(order, c.MinProtocol)
		}
		by[c.MinProtocol] = append(by[c.MinProtocol], c.Name)
	}
	var parts []string
	for _, p := range order {
		verb := " needs "
		if len(by[p]) > 1 {
			verb = " need "
		}
		parts = append(parts, names(by[p])+verb+p.String())
	}
	return strings.Join(parts, ", ")
}

// protocolNames spells protocols the way the list's readers do.
func protocolNames(ps []facts.Protocol, l *cipherList) string {
	f := facts.FlavorUnknown
	if l.onlyMySQL() {
		f = facts.MySQL
	} else if !l.reads(facts.MySQL) {
		f = facts.MariaDB
	}
	var out []string
	for _, p := range ps {
		out = append(out, p.Spell(f))
	}
	return strings.Join(out, ", ")
}
