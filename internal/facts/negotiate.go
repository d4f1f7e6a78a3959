package facts

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// The negotiation model: given what is known of a server and of a client,
// which TLS protocol and cipher they agree on, or why they do not and what
// error the client prints. `tlsvet negotiate` and the TV4xx rules use it.
//
// What it encodes was observed on a real MariaDB 10.11 server with Debian's
// OpenSSL 3.0 (docs/mariadb-observations.md §4b–§4f, Appendix F) or comes
// from the sources cited next to each fact. Anything it does not know makes
// the answer CannotTell with the reason; it never guesses.

// KeyType is the server certificate's public key type.
type KeyType uint8

// Key types.
const (
	KeyUnknown KeyType = iota
	KeyRSA
	KeyECDSA
)

func (k KeyType) String() string {
	switch k {
	case KeyRSA:
		return "RSA"
	case KeyECDSA:
		return "ECDSA"
	}
	return "unknown"
}

// OpenSSLPolicy is a host's OpenSSL policy as far as negotiation sees it.
type OpenSSLPolicy struct {
	// Level is the security level, 0–5
	// (https://docs.openssl.org/3.0/man3/SSL_CTX_set_security_level/).
	// In OpenSSL 3, TLSv1.0 and TLSv1.1 need level 0 (they sign with SHA-1
	// or MD5-SHA1): at levels 1 and 2 a server answers them with alert 80
	// and a client fails with "legacy sigalg disallowed or unsupported"
	// (docs/mariadb-observations.md §4c).
	Level int
	// MinProtocol is openssl.cnf's MinProtocol (Debian 11 set TLSv1.2);
	// 0: none. Lower protocols are refused with alert 70 whatever
	// tls_version says (config 29).
	MinProtocol Protocol
}

// SecurityLevelBits are the bits of security OpenSSL's security levels 0
// to 5 need of keys and signatures
// (https://docs.openssl.org/3.0/man3/SSL_CTX_set_security_level/).
var SecurityLevelBits = [...]int{0, 80, 112, 128, 192, 256}

// DefaultOpenSSLPolicy is assumed when a side's policy is nil: level 2 and
// no MinProtocol, how Debian 12 and Ubuntu build OpenSSL 3
// (docs/mariadb-observations.md Appendix D). Steps say it was assumed.
var DefaultOpenSSLPolicy = OpenSSLPolicy{Level: 2}

// Server is what is known of a MySQL-protocol server's TLS.
type Server struct {
	Target Target // flavour and version range; FullRange(FlavorUnknown) when unknown
	// TLS: Yes, the server serves TLS; No, it does not (have_ssl=DISABLED:
	// skip-ssl, ssl=OFF, no certificate on MariaDB before 11.4); Maybe,
	// cannot tell. Why says why for No and Maybe. Callers always set it:
	// the zero value is No.
	TLS Tri
	Why string
	// Down says why the server refuses to start with this configuration
	// (a key that does not belong to its certificate on MariaDB); "" when
	// it starts or that cannot be told.
	Down string
	// CertBits is the security OpenSSL gives the server certificate's key
	// (RSA-1024: 80 bits, RSA-2048: 112, P-256: 128); 0 when unknown.
	// CertWeakSignature: a CA signed it with SHA-1 or MD5. OpenSSL refuses
	// to load a certificate below the host's level
	// (SSL_CTX_use_certificate: "ee key too small", "ca md too weak").
	CertBits          int
	CertWeakSignature bool
	// Protocols is tls_version as the server reads it. nil: not set, the
	// Target's default applies; a non-nil empty slice: set to "" (MariaDB
	// then restricts nothing, config 05; MySQL permits no TLS, MY80-PC).
	Protocols        []Protocol
	ProtocolsUnknown bool // set, but to something that cannot be read (a variable)
	// ProtocolsWhy says why the protocols are unknown when that is not an
	// unreadable tls_version (a proxy's defaults the model does not know).
	ProtocolsWhy string
	// Ciphers is ssl_cipher's tokens as written (OpenSSL names; MariaDB
	// also takes TLSv1.3 suite names there). nil: not set.
	Ciphers        []string
	CiphersUnknown bool
	// Suites is tls_ciphersuites (MySQL 8.0.16+). nil: not set.
	Suites []string
	Key    KeyType
	// SecureTransport is require_secure_transport: Yes, No (the default) or Maybe.
	SecureTransport Tri
	OpenSSL         *OpenSSLPolicy // nil: DefaultOpenSSLPolicy, assumed
	// RefusesPlaintext is what a proxy that requires TLS of its clients
	// answers a client that does not ask for it, before any login and over
	// any transport (MySQL Router's client_ssl_mode=REQUIRED); nil for
	// none. The outcome's class is SecureTransport.
	RefusesPlaintext *ServerError
}

// ServerError is an error a server sends a client: its number, SQLSTATE
// and text, and why it is sent (for steps and messages).
type ServerError struct {
	Code  int
	State string
	Text  string
	Why   string
}

// ClientFamily is the program or driver that connects.
type ClientFamily uint8

// Client families.
const (
	ClientUnknown    ClientFamily = iota
	ClientMySQL                   // mysql, mysqldump…: libmysqlclient with OpenSSL
	ClientMariaDB                 // mariadb, mysql from MariaDB: Connector/C with OpenSSL
	ClientGo                      // github.com/go-sql-driver/mysql on Go's crypto/tls
	ClientConnectorJ              // MySQL Connector/J on the JVM's JSSE
	ClientOpenSSL                 // openssl s_client -starttls mysql: plain OpenSSL, no login
	ClientOther
)

var familyNames = [...]string{"unknown client", "mysql (libmysqlclient)", "mariadb (Connector/C)",
	"go-sql-driver/mysql", "Connector/J", "openssl s_client", "client"}

func (f ClientFamily) String() string { return familyNames[f] }

// opensslLinked: the family negotiates with the host's OpenSSL (its
// security level applies, its cipher names and default order are OpenSSL's).
func (f ClientFamily) opensslLinked() bool {
	return f == ClientMySQL || f == ClientMariaDB || f == ClientOpenSSL
}

// TLSMode is a client's TLS mode in MySQL's --ssl-mode vocabulary
// (https://dev.mysql.com/doc/refman/8.4/en/connection-options.html#option_general_ssl-mode).
// The rules' model.Mode is the same vocabulary; facts cannot import model.
type TLSMode uint8

// Modes. ModeDefault: nothing configured, the family's default for its
// version applies. ModeUnknown: configured, but cannot be read.
const (
	ModeDefault TLSMode = iota
	ModeUnknown
	ModeDisabled
	ModePreferred
	ModeRequired
	ModeVerifyCA
	ModeVerifyIdentity
)

var modeNames = [...]string{"default", "unknown", "DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY"}

func (m TLSMode) String() string { return modeNames[m] }

func (m TLSMode) verifies() bool { return m == ModeVerifyCA || m == ModeVerifyIdentity }

// Transport is how the client reaches the server.
type Transport uint8

// Transports.
const (
	TransportTCP Transport = iota
	TransportSocket
	TransportPipe
	TransportUnknown
)

func (t Transport) String() string {
	return [...]string{"TCP", "Unix socket", "named pipe", "unknown transport"}[t]
}

// Client is what is known of one client's TLS.
type Client struct {
	Family ClientFamily
	// Version is the program's or driver's version range; the zero Target
	// means unknown. For ClientMySQL/ClientMariaDB it is the client
	// program's release (8.0.36, 11.4.2).
	Version Target
	Mode    TLSMode
	// Protocols the client allows (--tls-version, tls-versions,
	// MinVersion…MaxVersion). nil: not set, the family's default.
	Protocols        []Protocol
	ProtocolsUnknown bool
	// Ciphers: the TLSv1.2 ciphers as OpenSSL names (callers translate IANA
	// names with LookupIANA); MariaDB's --ssl-cipher may hold TLSv1.3 names
	// too. nil: not set.
	Ciphers        []string
	CiphersUnknown bool
	Suites         []string // TLSv1.3 suites (--tls-ciphersuites, s_client -ciphersuites); nil: not set
	CA             bool     // the client has a CA to verify with (ssl-ca, RootCAs…)
	Host           string
	Transport      Transport
	// Plugin is the account's authentication plugin when known
	// ("mysql_native_password", "ed25519", "caching_sha2_password"…).
	Plugin  string
	OpenSSL *OpenSSLPolicy // OpenSSL-linked families only; nil: DefaultOpenSSLPolicy, assumed
	// Cert is what the client's checks of the server certificate find;
	// nil when the certificate is not known.
	Cert *CertCheck
}

// Class is the kind of outcome.
type Class uint8

// Outcome classes.
const (
	Agree               Class = iota // TLS with Protocol (and Cipher when it can be told)
	Plaintext                        // no TLS, and neither side asked for it
	PlaintextFallback                // the client wanted TLS, the server has none: plaintext, silently
	NoCommonProtocol                 // the handshake fails on the protocol version
	NoCommonCipher                   // the handshake fails on the cipher
	ServerNoTLS                      // the client requires TLS, the server has none
	SecureTransport                  // require_secure_transport refuses the plaintext login
	ServerDown                       // the server does not start with this configuration
	CannotTell                       // Why says what is missing
	CertificateRejected              // the client does not accept the server certificate (CertProblem says why)
)

var classNames = [...]string{"agree", "plaintext", "plaintext fallback", "no common protocol",
	"no common cipher", "server without TLS", "secure transport required", "server does not start", "cannot tell", "certificate rejected"}

func (c Class) String() string { return classNames[c] }

// Failed reports whether the client cannot connect.
func (c Class) Failed() bool {
	switch c {
	case NoCommonProtocol, NoCommonCipher, ServerNoTLS, SecureTransport, ServerDown, CertificateRejected:
		return true
	}
	return false
}

// Outcome is the predicted result of one connection.
type Outcome struct {
	Class    Class
	Protocol Protocol // Agree: the protocol
	// Cipher is the agreed cipher (OpenSSL name, or the TLSv1.3 suite);
	// "" when it cannot be told, and CipherWhy says why.
	Cipher, CipherWhy string
	// Code and Error are what the client reports: 2026 and
	// "ERROR 2026 (HY000): TLS/SSL error: tlsv1 alert protocol version".
	// Error is "" when the family's wording is not known; Code 0 when the
	// client reports no error number (Go's TLS errors, s_client).
	Code  int
	Error string
	Why   string // one line: the reason for a failure or for CannotTell
	// ServerWhy says why the server has no TLS or does not start, when
	// that decided the outcome.
	ServerWhy string
	Steps     []string // the reasoning, in order, for people
	// Certificate: the server's certificate reaches the client (Agree,
	// CertificateRejected, and a failure after the certificate).
	Certificate bool
	// CertProblem: what the client refused of the certificate
	// (CertificateRejected), and CertWhy why, in its library's words.
	CertProblem CertProblem
	CertWhy     string
}

// tls13Default is OpenSSL 3's default TLSv1.3 suites in its order: a
// MariaDB server enables these three (no CCM, §4b) and OpenSSL clients
// prefer AES-256 (observed TLS_AES_256_GCM_SHA384, §4b.3).
var tls13Default = []string{"TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256"}

// goTLS13 and goTLS12 are crypto/tls's default client preference on a CPU
// with AES-GCM hardware (amd64, arm64): defaultCipherSuitesTLS13 and
// cipherSuitesPreferenceOrder minus what defaultCipherSuites drops (RSA key
// exchange, 3DES, CBC-SHA256, RC4), go1.26
// https://github.com/golang/go/blob/go1.26.0/src/crypto/tls/cipher_suites.go
// and .../defaults.go. Without AES hardware ChaCha20 comes first. Observed:
// TLS_AES_128_GCM_SHA256, ECDHE-RSA-AES128-GCM-SHA256, ECDHE-RSA-AES128-SHA (§4b.3).
var (
	goTLS13 = []string{"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}
	goTLS12 = []string{
		"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
		"ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
		"ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
		"ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA",
	}
)

// opensslDefault is OpenSSL 3's DEFAULT TLSv1.2 list in its order: the
// catalogue's OpenSSL 3.0 rows (printed in OpenSSL's "ALL" order) without
// the anonymous and NULL suites DEFAULT leaves out
// (https://docs.openssl.org/3.0/man1/openssl-ciphers/). Only suites a
// certificate can authenticate are kept: PSK and SRP need callbacks MySQL
// servers do not set.
var opensslDefault = sync.OnceValue(func() []string {
	var out []string
	for _, r := range cipherRows {
		c := ciphers[r.name]
		if c.Auth == "anon" || c.Enc == "None" || c.CertKey() == "" {
			continue
		}
		out = append(out, c.Name)
	}
	return out
})

// opensslHas reports whether Debian's OpenSSL 3 provides cipher n: the
// catalogue's OpenSSL 3.0 rows. RC4 and 3DES names are not there, even at
// level 0 (§4a configs 11 and 12).
func opensslHas(n string) bool {
	_, ok := opensslRows()[n]
	return ok
}

var opensslRows = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, r := range cipherRows {
		m[r.name] = true
	}
	for _, r := range tls13Rows {
		m[r.name] = true
	}
	return m
})

// mitmSafePlugins are the authentication plugins with which a MariaDB
// 11.4+ client accepts a server certificate it cannot verify: the password
// exchange then proves the server knows the password hash, so no
// man-in-the-middle can complete it (MDB-ZERO, SrcMDBZero).
var mitmSafePlugins = map[string]bool{"mysql_native_password": true, "ed25519": true, "parsec": true}

// Client protocol defaults. Go's crypto/tls clients offer TLS 1.2 and 1.3
// unless MinVersion is set: the client minimum became TLS 1.2 in Go 1.18
// (https://go.dev/doc/go1.18, crypto/tls) and servers followed in 1.22
// (https://go.dev/doc/godebug, tls10server); go-sql-driver/mysql leaves
// MinVersion alone. Connector/J allows only APPROVED_TLS_PROTOCOLS
// {TLSv1.3, TLSv1.2} (https://github.com/mysql/mysql-connector-j,
// src/main/core-impl/java/com/mysql/cj/protocol/ExportControlled.java),
// since 8.0.28, when MySQL and its connectors removed TLSv1 and TLSv1.1
// (MY80-PC; Connector/Python's and Connector/C++'s 8.0.28 release notes,
// https://docs.oracle.com/cd/E17952_01/connector-python-relnotes-en/news-8-0-28.html;
// that Connector/J's change is in 8.0.28 too is UNCONFIRMED). Earlier
// Connector/J offers what the JVM enables, which is not modelled.
var connectorJTLS12 = V(8, 0, 28)

// Negotiate predicts what happens when client connects to server: the
// protocol and cipher they agree on (Agree), a connection without TLS
// (Plaintext, PlaintextFallback), or the failure with the client's error
// (NoCommonProtocol, NoCommonCipher, ServerNoTLS, SecureTransport,
// ServerDown). Whatever it would have to guess (an unknown mode, transport,
// tls_version, a version range on which the answer changes, a
// verification result) makes it CannotTell, with the reason in Why; a
// cipher it cannot pick leaves Cipher empty and says why in CipherWhy.
// Steps explain the reasoning in order: each side's protocols and why, the
// protocols in common, the server's choice, the host policies, the cipher
// lists, the certificate key type, the pick.
//
// The order of checks follows OpenSSL's server as observed: protocol
// version first (alert 70), then the cipher (alert 40), then what the
// server's security level refuses (alert 80), then what the client refuses
// locally, then the client's checks of the certificate (Client.Cert, see
// verify).
func Negotiate(s Server, c Client) Outcome {
	n := &nego{s: s, c: c}
	o := n.run()
	if o.Class == CannotTell {
		o = n.rejectedAnyway(o)
	}
	o.Steps = append(n.steps, o.Steps...)
	if o.Class == CannotTell {
		o.Steps = append(o.Steps, "cannot tell: "+o.Why)
	}
	return o
}

type nego struct {
	s     Server
	c     Client
	steps []string
}

func (n *nego) step(format string, a ...any) { n.steps = append(n.steps, fmt.Sprintf(format, a...)) }

func cannot(why string) Outcome { return Outcome{Class: CannotTell, Why: why} }

func (n *nego) run() Outcome {
	s, c := n.s, n.c
	mode, fallback, ok := n.mode()
	if !ok {
		return cannot(fmt.Sprintf("the TLS mode of %s cannot be told", c.Family))
	}
	n.step("client: %s, mode %s%s", n.clientName(), mode, map[bool]string{true: ", falls back to plaintext when the server has no TLS"}[fallback && mode != ModeDisabled])
	if s.Down == "" && s.TLS == Yes {
		s = n.refusedCertificate(s)
	}
	if s.Down != "" {
		n.step("server: does not start (%s)", s.Down)
		return Outcome{Class: ServerDown, Why: s.Down, ServerWhy: s.Down}
	}

	// Transport.
	switch c.Transport {
	case TransportUnknown:
		return cannot("whether the client connects over TCP or a local socket cannot be told")
	case TransportSocket, TransportPipe:
		switch c.Family {
		case ClientMySQL:
			// "Connections over Unix socket files are not encrypted with a
			// mode of PREFERRED. To enforce encryption for Unix socket-file
			// connections, use a mode of REQUIRED or stricter" (MY80-CO,
			// --ssl-mode); require_secure_transport accepts a socket (MY80-SV).
			// The manual says nothing of named pipes.
			switch {
			case (mode == ModeDisabled || mode == ModePreferred) && s.RefusesPlaintext != nil:
				n.step("transport: %s; a MySQL client in mode %s uses no TLS on it", c.Transport, mode)
				return n.plaintext(Plaintext)
			case mode == ModeDisabled || mode == ModePreferred:
				n.step("transport: %s; a MySQL client in mode %s uses no TLS on it, and it counts as a secure transport", c.Transport, mode)
				return Outcome{Class: Plaintext, Why: "local " + c.Transport.String() + ": no TLS"}
			case c.Transport == TransportPipe:
				return cannot("whether a MySQL client in mode " + mode.String() + " uses TLS over a named pipe is not documented")
			}
			n.step("transport: %s; in mode %s a MySQL client negotiates TLS on it too", c.Transport, mode)
		case ClientMariaDB:
			// Observed: the 10.11 CLI negotiates TLSv1.3 over the socket (§4d).
			n.step("transport: %s; the MariaDB client negotiates TLS on it too", c.Transport)
		default:
			return cannot(fmt.Sprintf("whether %s uses TLS over a %s is not known", c.Family, c.Transport))
		}
	default:
		n.step("transport: TCP to %q", c.Host)
	}

	if mode == ModeDisabled {
		n.step("the client does not ask for TLS")
		return n.plaintext(Plaintext)
	}

	switch s.TLS {
	case No:
		n.step("server: no TLS (%s)", orDefault(s.Why, "have_ssl=DISABLED"))
		o := n.fail(ServerNoTLS, kindNoTLS, "the client requires TLS and the server has none")
		if fallback {
			o = n.plaintext(PlaintextFallback)
		}
		o.ServerWhy = s.Why
		return o
	case Maybe:
		return cannot("whether the server has TLS cannot be told: " + orDefault(s.Why, "unknown"))
	}

	if s.Target.Flavor == MySQL || s.Target.Flavor == Percona {
		if s.Protocols != nil && len(s.Protocols) == 0 {
			// MY80-PC: "If you set a TLS version parameter to the empty
			// string, encrypted connections cannot be established."
			n.step("server: tls_version is empty; %s then permits no encrypted connections", s.Target.Flavor.Title())
			if fallback {
				return n.plaintext(PlaintextFallback)
			}
			return n.fail(ServerNoTLS, kindNoTLS, "the client requires TLS and the server permits none")
		}
	}
	if s.Target.Flavor == MariaDB && s.Ciphers != nil && !s.CiphersUnknown {
		// MariaDB aborts when ssl_cipher names nothing OpenSSL has: "Failed
		// to set ciphers to use" (configs 11, 12: RC4-SHA, DES-CBC3-SHA).
		if t12, t13, kw := splitSuites(s.Ciphers); kw == "" && len(t13) == 0 && len(available(t12)) == 0 {
			n.step("server: ssl_cipher %s names no cipher OpenSSL 3 has", strings.Join(s.Ciphers, ":"))
			return Outcome{Class: ServerDown, Why: "MariaDB does not start: [ERROR] SSL error: Failed to set ciphers to use"}
		}
	}
	o := n.handshake()
	if o.Class == Agree {
		o = n.verify(o, mode)
	}
	return o
}

// mode resolves ModeDefault to the family's default and reports whether
// the client silently falls back to plaintext when the server has no TLS.
func (n *nego) mode() (m TLSMode, fallback, ok bool) {
	c := n.c
	m = c.Mode
	if m == ModeUnknown {
		return m, false, false
	}
	if m == ModeDefault {
		switch c.Family {
		case ClientMySQL, ClientConnectorJ:
			// --ssl-mode and sslMode default to PREFERRED (MY80-CO;
			// Connector/J 8.0.13+, https://dev.mysql.com/doc/connector-j/en/connector-j-connp-props-security.html).
			m = ModePreferred
		case ClientGo:
			// go-sql-driver/mysql: tls defaults to false
			// (https://github.com/go-sql-driver/mysql#tls).
			m = ModeDisabled
		case ClientOpenSSL:
			m = ModeRequired
		case ClientMariaDB:
			switch {
			case c.Version == (Target{}):
				return m, false, false
			case c.Version.AllAtLeast(MariaDBClientVerifyDefault):
				m = ModeVerifyIdentity
			case c.Version.AllAtLeast(MariaDBClientSSLDefault):
				m = ModePreferred
			case c.Version.AllBelow(MariaDBClientSSLDefault):
				m = ModeDisabled
			default:
				return m, false, false
			}
		default:
			return m, false, false
		}
	}
	switch {
	case m == ModePreferred:
		fallback = true
	case m == ModeRequired && c.Family == ClientMariaDB:
		// Connector/C's --ssl without verification falls back to plaintext
		// when the server has no TLS (§4d, configs 17/23/24).
		fallback = true
	}
	return m, fallback, true
}

func (n *nego) clientName() string {
	if n.c.Version != (Target{}) && n.c.Version.VersionKnown() {
		return n.c.Family.String() + " " + n.c.Version.rangeString()
	}
	return n.c.Family.String()
}

// plaintext finishes a connection that goes without TLS: the server's
// require_secure_transport decides whether the login is accepted.
func (n *nego) plaintext(class Class) Outcome {
	s, c := n.s, n.c
	if c.Family == ClientOpenSSL {
		// s_client does not log in: it stops where TLS would start.
		n.step("the server does not offer TLS")
		return n.fail(ServerNoTLS, kindNoTLS, "the server does not offer TLS")
	}
	if r := s.RefusesPlaintext; r != nil {
		n.step("server: %s refuses a client that does not ask for TLS", r.Why)
		o := Outcome{Class: SecureTransport, Why: r.Why + " and the connection is not encrypted", Code: r.Code}
		o.Error = fmt.Sprintf("ERROR %d (%s): %s", r.Code, r.State, r.Text)
		if c.Family == ClientGo {
			// go-sql-driver/mysql's MySQLError.Error (errors.go).
			o.Error = fmt.Sprintf("Error %d (%s): %s", r.Code, r.State, r.Text)
		}
		return o
	}
	if c.Transport != TransportTCP {
		n.step("a %s is a secure transport: require_secure_transport does not apply", c.Transport)
		return Outcome{Class: class, Why: "no TLS"}
	}
	switch s.SecureTransport {
	case Yes:
		n.step("server: require_secure_transport=ON refuses plaintext TCP logins")
		return n.fail(SecureTransport, kindSecureTransport, "require_secure_transport=ON and the connection is not encrypted")
	case Maybe:
		return cannot("whether the server requires secure transport cannot be told")
	}
	if class == PlaintextFallback {
		return Outcome{Class: class, Why: "the server has no TLS, so the client connects without it"}
	}
	return Outcome{Class: class, Why: "the client does not use TLS"}
}

// handshake runs the version and cipher choice. Uncertain server protocol
// sets (an unset tls_version on a version range whose default changes, a
// protocol only some versions of the range support) are tried at both ends:
// the answer stands when both agree.
func (n *nego) handshake() Outcome {
	lo, hi, why, ok := n.serverProtocols()
	if !ok {
		return cannot(why)
	}
	n.step("server allows %s (%s)", protoList(hi), why)
	b := n.tryHandshake(hi)
	if !slices.Equal(lo, hi) {
		a := n.tryHandshake(lo)
		if a.Class != b.Class || a.Protocol != b.Protocol || a.Cipher != b.Cipher {
			return cannot(fmt.Sprintf("the outcome depends on the exact %s version: with %s it is %s, with %s it is %s",
				n.s.Target.Flavor.Title(), protoList(lo), describe(a), protoList(hi), describe(b)))
		}
		if a.Error != b.Error {
			// Same failure, different alert (70 on one version, 80 on another).
			b.Why += "; on some versions of " + n.s.Target.String() + ": " + a.Why
			if a.Code != b.Code {
				b.Code = 0
			}
			b.Error = ""
		}
	}
	return b
}

func describe(o Outcome) string {
	if o.Class == Agree {
		return o.Protocol.String() + " " + o.Cipher
	}
	return o.Class.String()
}

// serverProtocols is the server's tls_version, resolved: lo ⊆ hi, equal
// when the target decides it exactly.
func (n *nego) serverProtocols() (lo, hi []Protocol, why string, ok bool) {
	s := n.s
	if s.ProtocolsUnknown {
		return nil, nil, orDefault(s.ProtocolsWhy, "the server's tls_version cannot be read"), false
	}
	t := s.Target
	switch {
	case s.Protocols == nil:
		for _, p := range Protocols {
			switch triOf(t, append(defaultPoints, mariadbLegacyWarn.Points()...), func(f Flavor, v Version) bool {
				return slices.Contains(defaultProtocols(f, v), p)
			}) {
			case Yes:
				lo = append(lo, p)
				hi = append(hi, p)
			case Maybe:
				hi = append(hi, p)
			}
		}
		return lo, hi, "the default tls_version of " + t.String(), true
	case len(s.Protocols) == 0:
		if t.Flavor != MariaDB {
			return nil, nil, "what an empty tls_version means on " + t.String() + " cannot be told", false
		}
		// MariaDB restricts nothing then; OpenSSL's policy decides (config 05).
		return Protocols, Protocols, "tls_version is empty: MariaDB restricts nothing", true
	}
	for _, p := range Protocols {
		if !slices.Contains(s.Protocols, p) {
			continue
		}
		switch Supports(t, p) {
		case Yes:
			lo = append(lo, p)
			hi = append(hi, p)
		case Maybe:
			hi = append(hi, p)
		}
	}
	return lo, hi, "tls_version as set, less what " + t.String() + " does not support", true
}

// failure kinds, each with the text every family prints for it.
type failKind uint8

const (
	kindAlert70             failKind = iota // server: protocol_version
	kindAlert80                             // server: internal_error (its security level)
	kindAlert40                             // server: handshake_failure (no shared cipher)
	kindUnsupportedProtocol                 // client: the server chose a version it does not allow
	kindLegacySigalg                        // client: its security level refuses TLSv1.0/1.1
	kindNoCipherMatch                       // client: none of its ciphers exists
	kindInappropriateFallback
	kindNoTLS
	kindSecureTransport
)

// opensslReason is OpenSSL's reason string for a failure kind, as
// Connector/C prints it after "TLS/SSL error: " (§4b, Appendix A).
var opensslReason = map[failKind]string{
	kindAlert70:               "tlsv1 alert protocol version",
	kindAlert80:               "tlsv1 alert internal error",
	kindAlert40:               "sslv3 alert handshake failure",
	kindUnsupportedProtocol:   "unsupported protocol",
	kindLegacySigalg:          "legacy sigalg disallowed or unsupported",
	kindNoCipherMatch:         "no cipher match",
	kindInappropriateFallback: "inappropriate fallback",
}

// sclientError is s_client's line (Appendix A), without the source file position.
var sclientError = map[failKind]string{
	kindAlert70:             "error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol version",
	kindAlert80:             "error:0A000438:SSL routines:ssl3_read_bytes:tlsv1 alert internal error",
	kindAlert40:             "error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure",
	kindUnsupportedProtocol: "error:0A000102:SSL routines:ssl_choose_client_version:unsupported protocol",
	kindLegacySigalg:        "error:0A00014D:SSL routines:tls_process_key_exchange:legacy sigalg disallowed or unsupported",
	kindNoTLS:               "MySQL server does not support SSL.",
}

// goError is what go-sql-driver/mysql returns (§4e, Appendix A).
var goError = map[failKind]string{
	kindAlert70: "remote error: tls: protocol version not supported",
	kindAlert80: "remote error: tls: internal error",
	kindAlert40: "remote error: tls: handshake failure",
	kindNoTLS:   "TLS requested but server does not support TLS",
}

// fail builds a failed Outcome with the client's error.
func (n *nego) fail(class Class, k failKind, why string) Outcome {
	o := Outcome{Class: class, Why: why}
	f := n.c.Family
	switch k {
	case kindSecureTransport:
		o.Code, o.Error = n.secureTransportError()
		return o
	case kindNoTLS:
		switch f {
		case ClientMariaDB:
			o.Code, o.Error = ErrSSLConnection, "ERROR 2026 (HY000): TLS/SSL error: SSL is required, but the server does not support it"
		case ClientMySQL:
			// libmysqlclient, https://github.com/mysql/mysql-server/blob/8.0/sql-common/client.cc
			// (CR_SSL_CONNECTION_ERROR when the server lacks CLIENT_SSL).
			o.Code, o.Error = ErrSSLConnection, "ERROR 2026 (HY000): SSL connection error: SSL is required but the server doesn't support it"
		case ClientGo:
			o.Error = goError[k]
		case ClientOpenSSL:
			o.Error = sclientError[k]
		}
		return o
	}
	switch f {
	case ClientMariaDB:
		o.Code, o.Error = ErrSSLConnection, "ERROR 2026 (HY000): TLS/SSL error: "+opensslReason[k]
	case ClientMySQL:
		// libmysqlclient prints OpenSSL's error string after "SSL connection error: ".
		o.Code, o.Error = ErrSSLConnection, "ERROR 2026 (HY000): SSL connection error: …"+opensslReason[k]
	case ClientGo:
		o.Error = goError[k]
	case ClientOpenSSL:
		o.Error = sclientError[k]
	}
	return o
}

// secureTransportError: MySQL refuses with ER_SECURE_TRANSPORT_REQUIRED
// (3159, MY80-SV). MariaDB refused with ER_ACCESS_DENIED_ERROR (1045, the
// same text as a wrong password; observed on 10.11, §4d) until MDEV-30178
// (https://github.com/MariaDB/server/commit/742f960eeb) added its own 3159;
// MariaDB's error reference lists 3159 in 11.4 and not in 10.6 or earlier
// (https://mariadb.com/docs/server/ref/mdb/error-codes/ER_SECURE_TRANSPORT_REQUIRED).
// The first community release with it (11.0–11.4) is UNCONFIRMED, so
// MariaDB 11.0–11.3 gets no error number; 10.7–10.10 are taken to be like
// 10.6 and 10.11.
func (n *nego) secureTransportError() (int, string) {
	t := n.s.Target
	st := "Connections using insecure transport are prohibited while --require_secure_transport=ON."
	denied := "Access denied for user …@… (using password: YES)"
	format := func(code int, state, msg string) string {
		if n.c.Family == ClientGo {
			return fmt.Sprintf("Error %d (%s): %s", code, state, msg)
		}
		return fmt.Sprintf("ERROR %d (%s): %s", code, state, msg)
	}
	switch {
	case t.MySQLFamily():
		return ErrSecureTransportRequired, format(ErrSecureTransportRequired, "HY000", st)
	case t.Flavor == MariaDB && t.AllBelow(V(11, 0, 0)):
		return ErrAccessDenied, format(ErrAccessDenied, "28000", denied)
	case t.Flavor == MariaDB && t.AllAtLeast(V(11, 4, 0)):
		return ErrSecureTransportRequired, format(ErrSecureTransportRequired, "08004", st)
	}
	return 0, ""
}

// clientProtocols is what the client offers: its setting or the family's default.
func (n *nego) clientProtocols() ([]Protocol, string, bool) {
	c := n.c
	if c.ProtocolsUnknown {
		return nil, "the client's protocols cannot be read", false
	}
	if c.Protocols != nil {
		ps := []Protocol{}
		for _, p := range Protocols {
			if slices.Contains(c.Protocols, p) {
				ps = append(ps, p)
			}
		}
		return ps, "as configured", true
	}
	known := c.Version != (Target{})
	switch c.Family {
	case ClientGo:
		return protos12to13, "crypto/tls default since Go 1.18", true
	case ClientConnectorJ:
		if known && c.Version.AllAtLeast(connectorJTLS12) {
			return protos12to13, "Connector/J 8.0.28+ default", true
		}
		return nil, "Connector/J before 8.0.28 offers what the JVM enables", false
	case ClientMySQL:
		if known && c.Version.AllAtLeast(V(8, 0, 28)) {
			return protos12to13, "MySQL 8.0.28+ clients (MY80-PC)", true
		}
		return nil, "the default protocols of this MySQL client version are not modelled", false
	case ClientMariaDB, ClientOpenSSL:
		// Connector/C and s_client leave the range to OpenSSL: 1.0–1.3, and
		// the security level then refuses 1.0/1.1 (§4c).
		return Protocols, "OpenSSL's range", true
	}
	return nil, "the default protocols of " + c.Family.String() + " are not known", false
}

func (n *nego) tryHandshake(srv []Protocol) Outcome {
	var steps []string
	step := func(format string, a ...any) { steps = append(steps, fmt.Sprintf(format, a...)) }
	o := n.tryHandshake1(srv, step)
	o.Steps = steps
	return o
}

func (n *nego) tryHandshake1(srv []Protocol, step func(string, ...any)) Outcome {
	s, c := n.s, n.c
	if c.Family.opensslLinked() && c.Ciphers != nil && !c.CiphersUnknown {
		// OpenSSL refuses a cipher list with nothing it knows before the
		// handshake starts: "no cipher match" (--ssl-cipher=DES-CBC3-SHA, §4d).
		if t12, t13, kw := splitSuites(c.Ciphers); kw == "" && len(t13) == 0 && len(available(t12)) == 0 {
			step("none of the client's ciphers (%s) exists in OpenSSL 3", strings.Join(c.Ciphers, ", "))
			return n.fail(NoCommonCipher, kindNoCipherMatch, "none of the client's ciphers exists in OpenSSL 3")
		}
	}
	cli, cwhy, ok := n.clientProtocols()
	if !ok {
		return cannot(cwhy)
	}
	step("client offers %s (%s)", protoList(cli), cwhy)
	spol, spolWhy := policy(s.OpenSSL)
	if spol.MinProtocol != 0 {
		var keep []Protocol
		for _, p := range srv {
			if p >= spol.MinProtocol {
				keep = append(keep, p)
			}
		}
		step("server host's OpenSSL MinProtocol %s removes the lower protocols", spol.MinProtocol)
		srv = keep
	}
	if len(cli) == 0 {
		return cannot("the client allows no protocol it is known to support")
	}
	var both []Protocol
	for _, p := range srv {
		if slices.Contains(cli, p) {
			both = append(both, p)
		}
	}
	step("in common: %s", protoList(both))
	cmax := cli[len(cli)-1]
	// Version choice by OpenSSL's server (§4b.1, §4b.4): a client that
	// sends the supported_versions extension (OpenSSL when it allows
	// TLSv1.3; Go always, crypto/tls handshake_client.go) lists its versions
	// and the server takes the highest it also allows; an older client sends
	// only its maximum, and the server takes its own highest protocol at or
	// below it, even one the client does not allow.
	listed := cmax == TLSv13 || c.Family == ClientGo
	var pick Protocol
	for _, p := range srv {
		if listed && slices.Contains(cli, p) || !listed && p <= cmax {
			pick = p
		}
	}
	if pick == 0 {
		step("no protocol in common: the server answers alert 70 (protocol_version)")
		return n.fail(NoCommonProtocol, kindAlert70, fmt.Sprintf("no common protocol: the server allows %s, the client %s", protoList(srv), protoList(cli)))
	}
	if listed {
		step("the server chooses %s, the highest protocol in common", pick)
	} else {
		step("the client sends only its maximum, %s: the server chooses its highest protocol at or below it, %s", cmax, pick)
	}
	// The server picks the cipher before it signs anything: a missing
	// cipher is alert 40 even where the security level would also refuse
	// the protocol (configs 07, 08: TLSv1.1 with a GCM-only client).
	o := n.cipher(pick, step)
	if o.Class != Agree && o.Class != CannotTell {
		return o
	}
	if pick < TLSv12 && spol.Level >= 1 {
		step("server host's OpenSSL at security level %d (%s) cannot do %s: alert 80 (internal_error), whatever tls_version says", spol.Level, spolWhy, pick)
		return n.fail(NoCommonProtocol, kindAlert80, fmt.Sprintf("the server's OpenSSL security level %d refuses %s", spol.Level, pick))
	}
	if !slices.Contains(cli, pick) {
		step("the client does not allow %s and aborts (unsupported protocol)", pick)
		return n.fail(NoCommonProtocol, kindUnsupportedProtocol, fmt.Sprintf("the server chose %s, which the client does not allow", pick))
	}
	if !listed && pick < cmax && c.Family.opensslLinked() {
		// A hole in the server's list made it answer below the client's
		// maximum: Connector/C 10.11 then fails with "inappropriate
		// fallback" (config 03b, --tls-version=TLSv1.0,TLSv1.1); Go accepts
		// it (config 03b). Not observed for other OpenSSL clients.
		if c.Family != ClientMariaDB {
			return cannot(fmt.Sprintf("the server answers %s below the client's maximum %s; how %s reacts was not observed", pick, cmax, c.Family))
		}
		step("the server answered %s below the client's maximum %s: Connector/C aborts", pick, cmax)
		return n.fail(NoCommonProtocol, kindInappropriateFallback, "the server skipped the client's highest protocol (a hole in tls_version)")
	}
	if pick < TLSv12 && c.Family.opensslLinked() {
		cpol, cwhy := policy(c.OpenSSL)
		if cpol.Level >= 1 {
			step("client host's OpenSSL at security level %d (%s) refuses %s's signatures", cpol.Level, cwhy, pick)
			o := n.fail(NoCommonProtocol, kindLegacySigalg, fmt.Sprintf("the client's OpenSSL security level %d refuses %s", cpol.Level, pick))
			o.Certificate = true
			// The refusal comes after the certificate, and Connector/C
			// reports the certificate's verification result in its place
			// when that failed, which without a CA it does for a private
			// CA's certificate ("self-signed certificate in certificate
			// chain", configs 08 and 31, §4d error masking).
			switch k := c.Cert; {
			case c.Family != ClientMariaDB:
			case k != nil && k.Chain == No:
				step("Connector/C reports the certificate's verification error in its place: %s", k.Untrusted)
				o.Error = "ERROR 2026 (HY000): TLS/SSL error: " + k.Untrusted
			case !c.CA && (k == nil || k.Chain == Maybe):
				step("Connector/C reports the certificate's verification error in its place unless the certificate verifies against the system store")
				o.Error = ""
				o.Why += "; Connector/C reports the certificate's verification error instead unless the system store verifies it"
			}
			return o
		}
	}
	return o
}

// refusedCertificate applies the server host's OpenSSL level to its
// certificate: one it refuses stops MariaDB ("Unable to get certificate",
// docs/mariadb-observations.md Appendix E) and leaves MySQL without TLS
// ("the server executes without support for encrypted connections",
// SrcMY80UEC); of a server of either flavour, nothing can be told.
func (n *nego) refusedCertificate(s Server) Server {
	pol, how := policy(s.OpenSSL)
	var why string
	switch {
	case s.CertBits > 0 && pol.Level < len(SecurityLevelBits) && s.CertBits < SecurityLevelBits[pol.Level]:
		why = fmt.Sprintf("its certificate's key gives %d bits of security, below the %d OpenSSL security level %d (%s) needs",
			s.CertBits, SecurityLevelBits[pol.Level], pol.Level, how)
	case s.CertWeakSignature && pol.Level >= 1:
		why = fmt.Sprintf("its certificate is signed with SHA-1 or MD5, which OpenSSL 3 refuses at security level %d (%s)", pol.Level, how)
	default:
		return s
	}
	switch s.Target.Flavor {
	case MariaDB:
		s.Down = why + `: MariaDB logs "Unable to get certificate" and aborts`
	case MySQL, Percona:
		s.TLS, s.Why = No, why+": MySQL starts without TLS"
	default:
		s.TLS, s.Why = Maybe, why+": MariaDB refuses to start, MySQL starts without TLS"
	}
	n.s = s
	return s
}

func policy(p *OpenSSLPolicy) (OpenSSLPolicy, string) {
	if p == nil {
		return DefaultOpenSSLPolicy, "assumed: the Debian/Ubuntu default; set policy.openssl_security_level"
	}
	return *p, "configured"
}

// cipher picks the cipher for protocol p.
func (n *nego) cipher(p Protocol, step func(string, ...any)) Outcome {
	s := n.s
	agree := Outcome{Class: Agree, Protocol: p, Why: "agree on " + p.String(), Certificate: true}
	srvOrderKnown := s.Target.Flavor == MariaDB
	var srv, cli []string
	var ok bool
	var why string
	if p == TLSv13 {
		srv, why, ok = n.serverSuites()
		if !ok {
			agree.CipherWhy = why
			return agree
		}
		step("server's TLSv1.3 suites: %s (%s)", strings.Join(srv, ", "), why)
		cli, why, ok = n.clientSuites()
	} else {
		srv, why, ok = n.serverCiphers()
		if !ok {
			agree.CipherWhy = why
			return agree
		}
		step("server's ciphers for %s: %s (%s)", p, abbrev(srv), why)
		cli, why, ok = n.clientCiphers()
	}
	if !ok {
		agree.CipherWhy = why
		return agree
	}
	step("client prefers %s (%s)", abbrev(cli), why)
	keys := []KeyType{s.Key}
	if p < TLSv13 {
		if s.Key == KeyUnknown {
			keys = []KeyType{KeyRSA, KeyECDSA}
			step("the certificate's key type is unknown: RSA and ECDSA suites are both tried")
		} else {
			step("the certificate key is %s: only %s-authenticated suites can be used below TLSv1.3", s.Key, s.Key)
		}
	}
	var picks []string
	var common [][]string
	for _, k := range keys {
		var cand []string
		for _, name := range cli {
			if !slices.Contains(srv, name) {
				continue
			}
			ci, found := LookupCipher(name)
			if !found || p < TLSv13 && (ci.TLS13 || ci.MinProtocol > p || !keyFits(ci, k)) {
				continue
			}
			cand = append(cand, name)
		}
		common = append(common, cand)
		if len(cand) > 0 {
			picks = append(picks, cand[0])
		} else {
			picks = append(picks, "")
		}
	}
	if len(picks) == 2 && picks[0] != picks[1] {
		agree.CipherWhy = fmt.Sprintf("depends on the certificate's key type: %s with RSA, %s with ECDSA", orDefault(picks[0], "none"), orDefault(picks[1], "none"))
		if picks[0] == "" || picks[1] == "" {
			return cannot("the handshake works with one certificate key type only, and the key type is unknown")
		}
		return agree
	}
	if picks[0] == "" {
		step("no cipher in common for %s: the server answers alert 40 (handshake_failure)", p)
		return n.fail(NoCommonCipher, kindAlert40, "no cipher both sides allow works with "+p.String()+" and the certificate")
	}
	if !srvOrderKnown && len(common[0]) > 1 {
		agree.CipherWhy = fmt.Sprintf("one of %s: whether %s follows its own preference is not modelled", strings.Join(common[0], ", "), s.Target.Flavor.Title())
		return agree
	}
	if srvOrderKnown {
		step("the client's first choice the server allows: %s (MariaDB follows the client's preference)", picks[0])
	} else {
		step("the only cipher both allow: %s", picks[0])
	}
	agree.Cipher = picks[0]
	return agree
}

func keyFits(ci Cipher, k KeyType) bool {
	switch ci.CertKey() {
	case "RSA":
		return k == KeyRSA
	case "EC":
		return k == KeyECDSA && ci.Auth == "ECDSA"
	}
	return false
}

// splitSuites separates TLSv1.3 suite names from the rest of a cipher list.
func splitSuites(list []string) (tls12, tls13 []string, keyword string) {
	for _, n := range list {
		if ci, ok := LookupCipher(n); ok && ci.TLS13 {
			tls13 = append(tls13, n)
			continue
		}
		if CipherKeyword(n) && keyword == "" {
			keyword = n
		}
		tls12 = append(tls12, n)
	}
	return
}

func available(list []string) []string {
	var out []string
	for _, n := range list {
		if opensslHas(n) {
			out = append(out, n)
		}
	}
	return out
}

func (n *nego) serverCiphers() ([]string, string, bool) {
	s := n.s
	if s.CiphersUnknown {
		return nil, "the server's ssl_cipher cannot be read", false
	}
	if s.Ciphers == nil {
		if s.Target.Flavor == MariaDB {
			return opensslDefault(), "OpenSSL's DEFAULT list", true
		}
		if d := DefaultTLS12Ciphers(s.Target); d != nil {
			return d, "MySQL's approved list", true
		}
		return nil, "the default cipher list of " + s.Target.String() + " is not modelled", false
	}
	t12, _, kw := splitSuites(s.Ciphers)
	if kw != "" {
		return nil, "ssl_cipher uses the OpenSSL keyword " + kw + ", which is not expanded here", false
	}
	if s.Target.Flavor != MariaDB {
		var out []string
		for _, n := range available(t12) {
			if ci, _ := LookupCipher(n); ci.Class != CipherRestricted {
				out = append(out, n)
			}
		}
		return out, "ssl_cipher, less what OpenSSL 3 lacks and MySQL blocks", true
	}
	// MariaDB: unknown names are dropped silently (config 34); a list of
	// TLSv1.3 names only leaves TLSv1.2 without ciphers (config 21).
	return available(t12), "ssl_cipher, less names OpenSSL 3 lacks", true
}

func (n *nego) serverSuites() ([]string, string, bool) {
	s := n.s
	if s.Target.Flavor == MariaDB {
		if s.CiphersUnknown {
			return nil, "the server's ssl_cipher cannot be read", false
		}
		if _, t13, _ := splitSuites(s.Ciphers); len(t13) > 0 {
			return t13, "the TLSv1.3 names in ssl_cipher", true
		}
		return tls13Default, "OpenSSL's default; ssl_cipher's TLSv1.2 names do not restrict TLSv1.3", true
	}
	if s.Suites != nil {
		return s.Suites, "tls_ciphersuites", true
	}
	if s.Target.MySQLFamily() {
		return DefaultTLS13Suites(s.Target), "MySQL's default tls_ciphersuites", true
	}
	return nil, "the TLSv1.3 suites of " + s.Target.String() + " are not modelled", false
}

func (n *nego) clientCiphers() ([]string, string, bool) {
	c := n.c
	if c.CiphersUnknown {
		return nil, "the client's cipher list cannot be read", false
	}
	switch c.Family {
	case ClientGo:
		if c.Ciphers == nil {
			return goTLS12, "crypto/tls default order, assuming AES-GCM hardware", true
		}
		// crypto/tls ignores the order of CipherSuites (Go 1.17+).
		var out []string
		for _, n := range goTLS12 {
			if slices.Contains(c.Ciphers, n) {
				out = append(out, n)
			}
		}
		return out, "CipherSuites, in crypto/tls's order", true
	case ClientMariaDB, ClientOpenSSL, ClientMySQL:
		if c.Ciphers == nil {
			if c.Family == ClientMySQL {
				return nil, "the MySQL client's default cipher order is not modelled", false
			}
			return opensslDefault(), "OpenSSL's DEFAULT order", true
		}
		t12, t13, kw := splitSuites(c.Ciphers)
		if kw != "" {
			return nil, "the client's cipher list uses the OpenSSL keyword " + kw + ", which is not expanded here", false
		}
		if len(t12) == 0 && len(t13) > 0 && c.Family == ClientMariaDB {
			// --ssl-cipher with TLSv1.3 names only leaves TLSv1.2 at the
			// default (config 03, TLS_CHACHA20 probe).
			return opensslDefault(), "OpenSSL's DEFAULT order: --ssl-cipher names only TLSv1.3 suites", true
		}
		return available(t12), "as configured", true
	}
	return nil, "the cipher preference of " + c.Family.String() + " is not known", false
}

func (n *nego) clientSuites() ([]string, string, bool) {
	c := n.c
	switch c.Family {
	case ClientGo:
		// crypto/tls's TLSv1.3 suites are not configurable.
		return goTLS13, "crypto/tls default order, assuming AES-GCM hardware", true
	case ClientMariaDB, ClientOpenSSL, ClientMySQL:
		if c.Suites != nil {
			return c.Suites, "as configured", true
		}
		if c.Family == ClientMariaDB && !c.CiphersUnknown {
			if _, t13, _ := splitSuites(c.Ciphers); len(t13) > 0 {
				return t13, "the TLSv1.3 names in --ssl-cipher", true
			}
		}
		if c.Family == ClientMySQL {
			return nil, "the MySQL client's default TLSv1.3 order is not modelled", false
		}
		return tls13Default, "OpenSSL's default order", true
	}
	return nil, "the TLSv1.3 preference of " + c.Family.String() + " is not known", false
}

func protoList(ps []Protocol) string {
	if len(ps) == 0 {
		return "no protocol"
	}
	var s []string
	for _, p := range ps {
		s = append(s, p.String())
	}
	return strings.Join(s, ",")
}

func abbrev(list []string) string {
	if len(list) > 4 {
		return strings.Join(list[:4], ", ") + fmt.Sprintf(" … (%d)", len(list))
	}
	return strings.Join(list, ", ")
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
