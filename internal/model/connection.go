package model

import "github.com/tlsvet/tlsvet/internal/source"

// Mode is a client's TLS mode in the vocabulary every connector shares,
// MySQL's --ssl-mode
// (https://dev.mysql.com/doc/refman/8.4/en/connection-options.html#option_general_ssl-mode).
type Mode uint8

// The modes. ModeUnknown: what the client does cannot be known from the
// repository (a Go TLS configuration registered in code, an unresolved
// ${VAR}, a driver version that decides).
const (
	ModeUnknown Mode = iota
	ModeDisabled
	ModePreferred
	ModeRequired
	ModeVerifyCA
	ModeVerifyIdentity
)

var modeNames = [...]string{"UNKNOWN", "DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY"}

func (m Mode) String() string { return modeNames[m] }

// Derivation says how a client's mode was reached.
type Derivation uint8

// The derivations.
const (
	Explicit      Derivation = iota // the driver's own mode setting
	DriverDefault                   // nothing said: the driver's default
	Derived                         // computed from other settings (a CA, a verify flag)
	LegacyAlias                     // a deprecated setting the driver translates
)

var derivationNames = [...]string{"explicit", "driver default", "derived", "legacy alias"}

func (d Derivation) String() string { return derivationNames[d] }

// Behaviour is what a connection really does with TLS. Encrypts with
// PlaintextFallback means "when the server offers TLS".
type Behaviour struct {
	Encrypts, PlaintextFallback, VerifiesChain, VerifiesHost bool
}

// BehaviourOf is the plain reading of a mode; a driver whose reading
// differs says so in its record.
func BehaviourOf(m Mode) Behaviour {
	switch m {
	case ModePreferred:
		return Behaviour{Encrypts: true, PlaintextFallback: true}
	case ModeRequired:
		return Behaviour{Encrypts: true}
	case ModeVerifyCA:
		return Behaviour{Encrypts: true, VerifiesChain: true}
	case ModeVerifyIdentity:
		return Behaviour{Encrypts: true, VerifiesChain: true, VerifiesHost: true}
	}
	return Behaviour{}
}

// ClientTLS is what a client does with TLS, however it was configured: the
// part of the record a [client] group, a connection string and an
// application's settings all reduce to, and the TV3xx rules judge.
type ClientTLS struct {
	Mode Mode
	From Derivation
	By   *Setting // the setting that decided Mode; nil for the default
	Behaviour
	CA *Setting // the CA file or directory the client verifies with
	// CADir: CA names a directory (ssl-capath, sslcapath), not a file.
	CADir bool
}

// Explicit reports whether the mode was set by the program's own mode
// setting (ssl-mode, sslMode, tls), after which a CA no longer changes it.
func (t ClientTLS) Explicit() bool { return t.From == Explicit }

// Transport is how a client reaches the server. TLS does not apply to a
// Unix socket or a named pipe.
type Transport uint8

// The transports.
const (
	TCP Transport = iota
	Socket
	Pipe
)

// TrapKind classifies a setting that looks like TLS but is not what its
// writer meant.
type TrapKind uint8

// The trap kinds.
const (
	WrongCase       TrapKind = iota // the driver's key, in another case
	ForeignParam                    // another database's or driver's key (PostgreSQL's sslmode)
	StringTruthy                    // a "false" string the driver reads as true
	UnusedCA                        // a CA the mode ignores
	LegacyOverrides                 // a legacy key that overrides the explicit mode
	Dropped                         // the library drops the URL's TLS parameters
	BadValue                        // a value the driver does not accept for its key
)

// Effect is what a driver does with a trap.
type Effect uint8

// The effects.
const (
	Ignored         Effect = iota // silently dropped
	Rejected                      // opening the connection fails when the string is parsed
	SessionVariable               // sent as SET key=…: the server answers ERROR 1193
	Misread                       // read with another meaning
)

// Trap is a setting whose effect differs from what it seems to say.
type Trap struct {
	Setting *Setting
	Kind    TrapKind
	Effect  Effect
	Want    string // the driver's own spelling of the key, when it has one
}

// Connection is the normalised client record of one connection a program
// makes, read from a connection string or an application's settings
// (https://github.com/tlsvet/tlsvet/blob/main/docs/clients.md): which
// driver, its TLS mode and how it was reached, what it really does, the
// CA, certificate, protocols and ciphers it uses, where it connects and
// what the repository alone cannot tell. Every piece is a Setting whose
// Origin writes edits in the string's own syntax, inside its container.
type Connection struct {
	Driver string // the driver's name for messages: "go-sql-driver/mysql"
	// Dialect is the connection-string syntax ("go-sql-driver/mysql",
	// "mysql-connector-j", …). Candidates, when the string fits several
	// dialects (a bare mysql:// URL), lists them: the record then holds
	// only what all of them agree on.
	Dialect    string
	Candidates []string
	Span       source.Span // the whole string in its file
	Where      string      // the key it was found at: "DATABASE_URL", "spring.datasource.url"
	Settings   []*Setting  // its parameters in order (a password only as a span)

	ClientTLS
	Cert, Key, Protocols, Ciphers *Setting
	// SystemStore: without a CA the driver verifies against the system's
	// trust store; without one a verifying mode cannot connect (TV304).
	SystemStore bool

	Host string
	Port string // as written, "" when the string names none
	User string // the account it logs in as, when the string names it
	// Container is the compose service or Kubernetes workload/container
	// whose environment holds the string ("app", "shop/web"), if any.
	Container string
	Transport Transport
	// Unresolved names what the repository cannot resolve: "${VAR}"
	// references, a Go registered TLS configuration's name.
	Unresolved []string
	Traps      []Trap
	// Note qualifies the reading (a driver version that changes it).
	Note string
	// IfUnset is the reading when the unresolved variables are unset at
	// deploy time and substituted by empty strings, as docker compose
	// does; nil when that is not how the file is read or nothing changes.
	IfUnset *ClientTLS
	// SetMode spells, in the driver's own keys and syntax, the edits that
	// make the connection's mode m (replacing the deciding setting and
	// removing settings that would override it); ok is false when that
	// cannot be written exactly.
	SetMode func(m Mode) (text string, edits []source.Edit, ok bool)
}
