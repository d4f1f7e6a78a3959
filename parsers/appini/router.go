package appini

import (
	"strings"

	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/dsn"
)

// Router's TLS options, read as RoutingPluginConfig does
// (router/src/routing/src/plugin_config.cc; docs/app-configs.md).

// AcceptMode is client_ssl_mode: how Router accepts TLS from applications.
type AcceptMode int

// The client_ssl_mode values; AcceptInvalid is a value Router refuses.
const (
	AcceptInvalid AcceptMode = iota
	AcceptDisabled
	AcceptPreferred
	AcceptRequired
	AcceptPassthrough // bytes forwarded; application and server negotiate TLS end to end
)

var acceptNames = [...]string{"INVALID", "DISABLED", "PREFERRED", "REQUIRED", "PASSTHROUGH"}

func (m AcceptMode) String() string { return acceptNames[m] }

// AcceptFrom says how client_ssl_mode was reached: an unset (or empty)
// client_ssl_mode is PASSTHROUGH without a certificate and PREFERRED with
// one ("if client-ssl-mode isn't set, use either PASSTHROUGH or
// PREFERRED").
type AcceptFrom int

// The derivations of client_ssl_mode.
const (
	AcceptExplicit AcceptFrom = iota
	AcceptDefaultWithCert
	AcceptDefaultWithoutCert
)

var acceptFromNames = [...]string{"explicit", "default with a certificate", "default without a certificate"}

func (f AcceptFrom) String() string { return acceptFromNames[f] }

// ServerMode is server_ssl_mode, the Router→server leg.
type ServerMode int

// The server_ssl_mode values; ServerInvalid is a value Router refuses.
const (
	ServerInvalid ServerMode = iota
	ServerDisabled
	ServerPreferred
	ServerRequired
	ServerAsClient // TLS to the server when the application used TLS to Router (the default)
)

var serverNames = [...]string{"INVALID", "DISABLED", "PREFERRED", "REQUIRED", "AS_CLIENT"}

func (m ServerMode) String() string { return serverNames[m] }

// Verify is server_ssl_verify.
type Verify int

// The server_ssl_verify values; VerifyInvalid is a value Router refuses.
const (
	VerifyInvalid Verify = iota
	VerifyDisabled
	VerifyCA
	VerifyIdentity
)

var verifyNames = [...]string{"INVALID", "DISABLED", "VERIFY_CA", "VERIFY_IDENTITY"}

func (v Verify) String() string { return verifyNames[v] }

// Route is one [routing] or [routing:<key>] section with [DEFAULT]
// resolved: an option the section does not set is read from [DEFAULT],
// and its entry then lies in [DEFAULT].
type Route struct {
	Name   string // "routing" or "routing:<key>"
	Header source.Span

	// Where it listens and where it routes to: bind_port, bind_address
	// ("host[:port]") and destinations (a list of host[:port], or a
	// metadata-cache:// URI); nil when unset.
	BindPort, BindAddress, Destinations *Entry

	// The application→Router leg, where Router is the server.
	Accept      AcceptMode
	AcceptFrom  AcceptFrom
	AcceptEntry *Entry // client_ssl_mode, nil when unset
	Cert, Key   *Entry // client_ssl_cert, client_ssl_key
	Cipher      *Entry // client_ssl_cipher

	// The Router→server leg, where Router is a client of MySQL.
	ServerMode      ServerMode // AS_CLIENT when unset
	ServerModeEntry *Entry
	Verify          Verify // DISABLED when unset
	VerifyEntry     *Entry
	Upstream        Client // that leg as a client record, CA and ciphers included

	// Stops are the settings that stop Router from starting, each at the
	// entry to change (or the section header when the fault is a missing
	// option).
	Stops []Problem
}

// routes reads every routing section of a Router file.
func (f *File) routes() []Route {
	def := -1 // the [DEFAULT] section, if any (options before it are refused)
	if d := f.sectionsNamed("default"); len(d) > 0 {
		def = d[0]
	}
	var out []Route
	for _, i := range f.sectionsNamed("routing") {
		s := f.Sections[i]
		r := Route{Name: routerName(s.Name, s.Key), Header: s.Header}
		get := func(key string) *Entry {
			if e := f.get(i, key); e != nil {
				return e
			}
			if def >= 0 {
				return f.get(def, key)
			}
			return nil
		}
		r.read(get)
		out = append(out, r)
	}
	return out
}

func (r *Route) stop(sp source.Span, msg string) {
	r.Stops = append(r.Stops, Problem{Span: sp, Msg: msg, Fatal: true})
}

// set returns e when it holds a value: Router reads an empty value as
// the option's default.
func set(e *Entry) *Entry {
	if present(e) {
		return e
	}
	return nil
}

func (r *Route) read(get func(string) *Entry) {
	r.AcceptEntry, r.Cert, r.Key, r.Cipher = set(get("client_ssl_mode")), set(get("client_ssl_cert")), set(get("client_ssl_key")), set(get("client_ssl_cipher"))
	r.ServerModeEntry, r.VerifyEntry = set(get("server_ssl_mode")), set(get("server_ssl_verify"))
	r.BindPort, r.BindAddress, r.Destinations = set(get("bind_port")), set(get("bind_address")), set(get("destinations"))
	up := &r.Upstream
	up.CA, up.CAPath, up.Ciphers = set(get("server_ssl_ca")), set(get("server_ssl_capath")), set(get("server_ssl_cipher"))

	switch {
	case r.AcceptEntry != nil:
		r.Accept = AcceptMode(lookupName(acceptNames[1:], r.AcceptEntry.Value))
		if r.Accept == AcceptInvalid {
			r.stop(r.AcceptEntry.ValueSpan, "invalid client_ssl_mode: MySQL Router accepts DISABLED, PREFERRED, REQUIRED or PASSTHROUGH and does not start")
		}
	case r.Cert != nil || r.Key != nil:
		r.Accept, r.AcceptFrom = AcceptPreferred, AcceptDefaultWithCert
	default:
		r.Accept, r.AcceptFrom = AcceptPassthrough, AcceptDefaultWithoutCert
	}
	r.ServerMode = ServerAsClient
	if r.ServerModeEntry != nil {
		r.ServerMode = ServerMode(lookupName(serverNames[1:], r.ServerModeEntry.Value))
		if r.ServerMode == ServerInvalid {
			r.stop(r.ServerModeEntry.ValueSpan, "invalid server_ssl_mode: MySQL Router accepts DISABLED, PREFERRED, REQUIRED or AS_CLIENT and does not start")
		}
	}
	r.Verify = VerifyDisabled
	if r.VerifyEntry != nil {
		r.Verify = Verify(lookupName(verifyNames[1:], r.VerifyEntry.Value))
		if r.Verify == VerifyInvalid {
			r.stop(r.VerifyEntry.ValueSpan, "invalid server_ssl_verify: MySQL Router accepts DISABLED, VERIFY_CA or VERIFY_IDENTITY and does not start")
		}
	}

	// The checks of the RoutingPluginConfig constructor, in its order.
	if r.Accept == AcceptPreferred || r.Accept == AcceptRequired {
		at := r.Header
		switch {
		case r.AcceptEntry != nil:
			at = r.AcceptEntry.KeySpan
		case r.Key != nil:
			at = r.Key.KeySpan
		}
		if r.Cert == nil {
			r.stop(at, "client_ssl_cert must be set when client_ssl_mode is "+r.Accept.String()+": MySQL Router does not start")
		} else if r.Key == nil {
			r.stop(at, "client_ssl_key must be set when client_ssl_mode is "+r.Accept.String()+": MySQL Router does not start")
		}
	}
	if r.Accept == AcceptPassthrough && r.ServerMode != ServerAsClient && r.ServerMode != ServerInvalid {
		r.stop(r.ServerModeEntry.KeySpan, "client_ssl_mode is PASSTHROUGH, so server_ssl_mode must be AS_CLIENT: MySQL Router does not start")
	}
	if (r.Verify == VerifyCA || r.Verify == VerifyIdentity) && up.CA == nil && up.CAPath == nil {
		r.stop(r.VerifyEntry.KeySpan, "server_ssl_ca or server_ssl_capath must be set when server_ssl_verify is "+r.Verify.String()+": MySQL Router does not start")
	}
	r.upstream()
}

// upstream fills the Router→server client record.
func (r *Route) upstream() {
	up := &r.Upstream
	from := dsn.DriverDefault
	if r.ServerModeEntry != nil {
		from = dsn.Explicit
	}
	switch r.ServerMode {
	case ServerInvalid:
		up.set(dsn.ModeUnknown, dsn.Explicit, r.ServerModeEntry)
		return
	case ServerDisabled:
		up.set(dsn.Disabled, from, r.ServerModeEntry)
	case ServerPreferred:
		up.set(dsn.Preferred, from, r.ServerModeEntry)
	case ServerRequired:
		up.set(dsn.Required, from, r.ServerModeEntry)
	case ServerAsClient:
		switch r.Accept {
		case AcceptDisabled:
			up.set(dsn.Disabled, from, r.ServerModeEntry)
			up.Note = "AS_CLIENT with client_ssl_mode DISABLED: no TLS to the server"
		case AcceptPreferred:
			up.set(dsn.Preferred, from, r.ServerModeEntry)
			up.Note = "AS_CLIENT: TLS to the server only when the application used TLS to Router"
		case AcceptRequired:
			up.set(dsn.Required, from, r.ServerModeEntry)
		default:
			up.set(dsn.ModeUnknown, from, r.ServerModeEntry)
			up.Note = "PASSTHROUGH: TLS runs between the application and the server; the application's settings decide"
			return
		}
	}
	switch {
	case r.Verify == VerifyInvalid || !up.Effective.Encrypts:
	case up.Mode == dsn.Required && r.Verify == VerifyCA:
		up.set(dsn.VerifyCA, dsn.Explicit, r.VerifyEntry)
	case up.Mode == dsn.Required && r.Verify == VerifyIdentity:
		up.set(dsn.VerifyIdentity, dsn.Explicit, r.VerifyEntry)
	default: // PREFERRED still falls back to plaintext, but checks what it gets
		up.Effective.VerifiesChain = r.Verify != VerifyDisabled
		up.Effective.VerifiesHost = r.Verify == VerifyIdentity
	}
}

// lookupName returns 1 + the index in names of v compared after
// upper-casing, as Router does, or 0.
func lookupName(names []string, v string) int {
	for i, n := range names {
		if strings.ToUpper(v) == n {
			return i + 1
		}
	}
	return 0
}
