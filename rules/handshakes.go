package rules

import (
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
)

// handshake is a client, a server it connects to, and what the
// negotiation model (facts.Negotiate) predicts when it does.
type handshake struct {
	Outcome facts.Outcome
	// Server is the server the client reaches, nil when its TLS ends at a
	// MySQL Router route; Route is that route, or the PASSTHROUGH route the
	// client's TLS crosses to Server.
	Server *model.Server
	Route  *model.Route
	Reason string // how the client reaches the server
	Client string // the client, for messages: "go-sql-driver/mysql", "the [client] group's MariaDB client programs"
	Where  string // the client versions the outcome holds on, "" for all
	// Mode, Protocols and Ciphers are the client's settings that decide
	// its side (nil when the default decides); At is where the client is
	// written, for a finding no setting of its own decides.
	Mode, Protocols, Ciphers *model.Setting
	At                       source.Span
	// Dialect is a connection string's dialect ("" for an option-file
	// client); CA the client's CA setting; Host the name it connects to,
	// and HostAt where an option-file client says it.
	Dialect string
	CA      *model.Setting
	Host    string
	HostAt  *model.Final
}

// handshakesAnalysis predicts, once, the handshake of every client that
// reaches a server the repository configures: connection strings linked
// to a compose service or Kubernetes workload, and option-file clients of
// the server their own file configures, and connection strings linked to
// a MySQL Router route, whose accept side (routeSide) is the server.
var handshakesAnalysis = &lint.Analysis{
	Name:     "handshakes",
	Doc:      "the predicted TLS handshake (protocol and cipher, or the failure and the client's error) of every client paired with a server",
	Requires: []*lint.Analysis{serverReadingsAnalysis, clientReadingsAnalysis, clientPairsAnalysis},
	Run: func(p *lint.AnalysisPass) any {
		servers := p.ResultOf(serverReadingsAnalysis).(map[*model.Server][]serverReading)
		readings := p.ResultOf(clientReadingsAnalysis).(map[*model.Client][][]clientReading)
		// Both hosts run OpenSSL at the level the policy sets; at the
		// default the model says the level was assumed.
		var host *facts.OpenSSLPolicy
		if l := p.Policy.OpenSSLSecurityLevel; l != lint.DefaultPolicy.OpenSSLSecurityLevel {
			host = &facts.OpenSSLPolicy{Level: l}
		}
		now := p.Policy.Clock()
		sides := map[*model.Server]facts.Server{}
		side := func(s *model.Server) facts.Server {
			fs, ok := sides[s]
			if !ok {
				fs = serverSide(p.Project, s, servers[s])
				fs.OpenSSL = host
				sides[s] = fs
			}
			return fs
		}
		var out []handshake
		for _, l := range p.Project.Links {
			c := l.Client
			at := c.Span
			if c.By != nil {
				at = c.By.Span()
			}
			cs := connectionSide(c)
			cs.OpenSSL = host
			name := hostName(c.Host)
			var fs facts.Server
			if l.Server != nil {
				fs = side(l.Server)
				cs.Cert = certCheck(p.Project, l.Server, c.CA, name, cs.Family == facts.ClientGo, now)
			} else {
				fs = routeSide(l.Route, side)
				fs.OpenSSL = host
			}
			out = append(out, handshake{Outcome: facts.Negotiate(fs, cs), Server: l.Server, Route: l.Route,
				Reason: l.Reason, Client: c.Driver, Mode: c.By, Protocols: c.Protocols, Ciphers: c.Ciphers, At: at,
				Dialect: c.Dialect, CA: c.CA, Host: name})
		}
		for _, pair := range p.ResultOf(clientPairsAnalysis).([]clientPair) {
			seen := map[facts.Class]bool{}
			for _, rs := range readings[pair.Client] {
				for _, r := range rs {
					if !r.Runs || r.Unknown {
						continue
					}
					fs := side(pair.Server)
					cs := optionClientSide(pair, r)
					cs.OpenSSL = host
					cs.Cert = certCheck(p.Project, pair.Server, r.CA, cs.Host, false, now)
					o := facts.Negotiate(fs, cs)
					if seen[o.Class] {
						continue
					}
					seen[o.Class] = true
					h := handshake{Outcome: o, Server: pair.Server, Reason: pair.Reason,
						Client: r.Piece.Flavor.String() + " client programs", Mode: r.By, At: pair.Host.ValueOrKey(),
						CA: r.CA, Host: cs.Host, HostAt: pair.Host}
					h.Protocols, h.Ciphers = effective(pair.Client.Settings, "tls_version"), effective(pair.Client.Settings, "ssl_cipher")
					if len(rs) > 1 {
						h.Where = r.Piece.String()
					}
					out = append(out, h)
				}
			}
		}
		return out
	},
}

// handshakes returns the predicted handshakes; the rule must require
// handshakesAnalysis.
func handshakes(pass *lint.Pass) []handshake {
	return pass.ResultOf(handshakesAnalysis).([]handshake)
}

// certCheck asks what a client whose CA setting is ca (nil: it trusts
// the system store) finds of server s's certificate when it connects to
// host; nil when the repository does not hold the certificate. A CA the
// repository does not hold is not known, like the system store.
func certCheck(p *model.Project, s *model.Server, ca *model.Setting, host string, goRules bool, at time.Time) *facts.CertCheck {
	cert, store := ServerCertificate(p, s)
	if len(cert) == 0 || p.CheckCert == nil {
		return nil
	}
	q := model.CertQuestion{Cert: cert, Store: store, Roots: fileCerts(p, ca), Host: host, GoRules: goRules, At: at}
	q.RootsUnknown = len(q.Roots) == 0
	k := p.CheckCert(q)
	return &k
}

// hostName is the host of a host[:port] address.
func hostName(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return strings.Trim(addr, "[]")
}

// effective is the effective setting name of settings, or nil.
func effective(settings model.Settings, name string) *model.Setting {
	if f := settings.Get(name); f != nil {
		return f.Setting
	}
	return nil
}

// RouteSide is what the negotiation model needs of MySQL Router route r
// of project p, where Router is the server (tlsvet negotiate): see
// routeSide; nil gives the zero Server.
func RouteSide(p *model.Project, r *model.Route) facts.Server {
	if r == nil {
		return facts.Server{}
	}
	return routeSide(r, func(s *model.Server) facts.Server { return ServerSide(p, s) })
}

// ServerSide is what the negotiation model needs of server s of project
// p (tlsvet negotiate, the oracle suite): see serverSide.
func ServerSide(p *model.Project, s *model.Server) facts.Server {
	return serverSide(p, s, serverReadings(s))
}

// serverSide is what the negotiation model needs of server s: whether TLS
// comes up on its readings, its protocol and cipher lists, its
// certificate's key type when the repository holds it, and
// require_secure_transport.
func serverSide(p *model.Project, s *model.Server, rs []serverReading) facts.Server {
	fs := facts.Server{Target: s.Target, TLS: facts.Maybe, SecureTransport: facts.Maybe}
	var up, down, secure, open int
	for _, r := range rs {
		if !r.Runs || r.Unknown {
			continue
		}
		if why, no := tlsCannotComeUp(r); no {
			down++
			fs.Why = why.why
		} else {
			up++
		}
		if r.SecureOn {
			secure++
		} else {
			open++
		}
	}
	switch {
	case up > 0 && down == 0:
		fs.TLS, fs.Why = facts.Yes, ""
	case down > 0 && up == 0:
		fs.TLS = facts.No
	default:
		fs.Why = "the server's versions disagree on whether TLS comes up"
	}
	switch {
	case secure > 0 && open == 0:
		fs.SecureTransport = facts.Yes
	case open > 0 && secure == 0:
		fs.SecureTransport = facts.No
	}
	if cs, ks, _, bad := mismatchedKey(p, effective(s.Settings, "ssl_cert"), effective(s.Settings, "ssl_key")); bad && fs.TLS == facts.Yes {
		// MariaDB refuses to start (docs/mariadb-observations.md,
		// Appendix E); MySQL starts without TLS (facts.SrcMY80UEC).
		why := fmt.Sprintf("the private key in %s does not belong to the certificate in %s", refPath(p, ks), refPath(p, cs))
		switch family(s.Target.Flavor) {
		case facts.MariaDB:
			fs.Down = why + `: MariaDB logs "Unable to get private key" and aborts`
		case facts.MySQL:
			fs.TLS, fs.Why = facts.No, why+": MySQL starts without TLS"
		default:
			fs.TLS, fs.Why = facts.Maybe, why+": MariaDB refuses to start, MySQL starts without TLS"
		}
	}
	tv := s.Settings.Get("tls_version")
	fs.Protocols, fs.ProtocolsUnknown = protocolsOf(tv, s.Target.Flavor)
	if fs.ProtocolsUnknown && !tv.Unknown && s.Target.Flavor == facts.MariaDB && fs.Down == "" {
		// tls_version is a set variable: a name it does not hold, or a
		// padded one, stops mariadbd before it opens its log
		// (docs/mariadb-observations.md §4a; oracle cases 06, 20, 35).
		fs.Down = fmt.Sprintf("mariadbd: Error while setting value '%s' to 'tls_version'", tv.Value)
	}
	if cert := effective(s.Settings, "ssl_cert"); cert != nil && effective(s.Settings, "ssl_key") == nil &&
		s.Target.Flavor == facts.MariaDB && fs.TLS == facts.Yes && fs.Down == "" {
		// Without ssl_key MariaDB reads the key from the certificate file
		// (§4a; oracle case 32).
		if pf := p.PKI[refPath(p, cert)]; pf != nil && len(pf.Keys) == 0 && len(pf.Problems) == 0 {
			fs.Down = fmt.Sprintf("ssl_key is not set, and %s holds no private key: MariaDB logs \"Unable to get private key\" and aborts", refPath(p, cert))
		}
	}
	fs.Ciphers, fs.CiphersUnknown = listOf(s.Settings.Get("ssl_cipher"), ":")
	fs.Suites, _ = listOf(s.Settings.Get("tls_ciphersuites"), ":")
	if c := fileCert(p, effective(s.Settings, "ssl_cert")); c != nil {
		fs.CertBits, _ = securityBits(c.KeyType, c.Bits)
		// OpenSSL does not check a self-signed certificate's own signature.
		fs.CertWeakSignature = c.WeakSignature != "" && !c.SelfSigned
		switch c.KeyType {
		case "RSA":
			fs.Key = facts.KeyRSA
		case "ECDSA":
			fs.Key = facts.KeyECDSA
		}
	}
	return fs
}

// connectionSide is what the negotiation model needs of a connection
// string's client.
func connectionSide(c *model.Connection) facts.Client {
	fc := facts.Client{Family: familyOf(c.Dialect), Mode: modeOf(c.Mode), CA: c.CA != nil, Host: c.Host,
		Transport: transportOf(c.Transport)}
	if len(c.Unresolved) > 0 || len(c.Candidates) > 1 && c.Mode == model.ModeUnknown {
		fc.Mode = facts.ModeUnknown
	}
	if c.Protocols != nil {
		fc.Protocols, fc.ProtocolsUnknown = protocolsOf(&model.Final{Setting: c.Protocols}, facts.FlavorUnknown)
	}
	if c.Ciphers != nil {
		fc.Ciphers, fc.CiphersUnknown = listOf(&model.Final{Setting: c.Ciphers}, ":")
	}
	return fc
}

// optionClientSide is what the negotiation model needs of an option-file
// client program's reading, connecting to pair's host over TCP.
func optionClientSide(pair clientPair, r clientReading) facts.Client {
	fc := facts.Client{Family: facts.ClientMySQL, Version: r.Piece, Mode: modeOf(r.Mode), CA: r.CA != nil,
		Host: pair.Host.Value, Transport: facts.TransportTCP}
	if family(r.Piece.Flavor) == facts.MariaDB {
		fc.Family = facts.ClientMariaDB
	}
	if r.From == model.DriverDefault {
		fc.Mode = facts.ModeDefault
	}
	fc.Protocols, fc.ProtocolsUnknown = protocolsOf(pair.Client.Settings.Get("tls_version"), r.Piece.Flavor)
	fc.Ciphers, fc.CiphersUnknown = listOf(pair.Client.Settings.Get("ssl_cipher"), ":")
	return fc
}

// protocolsOf reads a protocol list: nil when not set, unknown when a
// template decides it or a name is not a protocol.
func protocolsOf(set *model.Final, f facts.Flavor) ([]facts.Protocol, bool) {
	if set == nil || !set.HasValue {
		return nil, false
	}
	if set.Unknown {
		return nil, true
	}
	ps := []facts.Protocol{}
	for _, raw := range strings.Split(set.Value, ",") {
		tok := strings.TrimSpace(raw)
		if tok == "" {
			continue
		}
		if tok != raw && f != facts.FlavorUnknown {
			// The servers and their clients do not trim the tokens (TV107):
			// MySQL drops a padded one, MariaDB's server refuses to start.
			return nil, true
		}
		p, ok := facts.ParseProtocol(f, tok)
		if !ok {
			return nil, true
		}
		ps = append(ps, p)
	}
	return ps, false
}

// listOf splits a list setting by sep: nil when not set, unknown when a
// template decides it.
func listOf(set *model.Final, sep string) ([]string, bool) {
	if set == nil || !set.HasValue {
		return nil, false
	}
	if set.Unknown {
		return nil, true
	}
	var out []string
	for _, tok := range strings.Split(set.Value, sep) {
		if tok = strings.TrimSpace(tok); tok != "" {
			out = append(out, tok)
		}
	}
	return out, false
}

// familyOf is the client family of a connection string's dialect.
func familyOf(dialect string) facts.ClientFamily {
	switch {
	case dialect == "go-sql-driver/mysql":
		return facts.ClientGo
	case strings.HasPrefix(dialect, "mysql-connector-j"):
		return facts.ClientConnectorJ
	}
	return facts.ClientOther
}

var modes = map[model.Mode]facts.TLSMode{model.ModeUnknown: facts.ModeUnknown, model.ModeDisabled: facts.ModeDisabled,
	model.ModePreferred: facts.ModePreferred, model.ModeRequired: facts.ModeRequired,
	model.ModeVerifyCA: facts.ModeVerifyCA, model.ModeVerifyIdentity: facts.ModeVerifyIdentity}

func modeOf(m model.Mode) facts.TLSMode { return modes[m] }

func transportOf(t model.Transport) facts.Transport {
	switch t {
	case model.TCP:
		return facts.TransportTCP
	case model.Socket:
		return facts.TransportSocket
	case model.Pipe:
		return facts.TransportPipe
	}
	return facts.TransportUnknown
}

// clientFails says what the client sees when the handshake fails: its
// error when the model knows the client's words.
func clientFails(o facts.Outcome) string {
	switch {
	case o.Error != "":
		return "the client fails with " + strings.TrimSuffix(o.Error, ".")
	case o.Code != 0:
		return fmt.Sprintf("the client fails with ERROR %d", o.Code)
	}
	return "the connection fails"
}

// serverAt is where the server side of a handshake is written: the first
// of the named settings it sets, else the service or group that declares
// it.
func serverAt(s *model.Server, names ...string) lint.Related {
	for _, n := range names {
		if f := s.Settings.Get(n); f != nil {
			return lint.Related{Span: f.ValueOrKey(), Message: "the server's " + f.Key}
		}
	}
	if d := s.Deployment; d != nil {
		return lint.Related{Span: d.Span, Message: "the server (" + d.Kind + " " + d.Name + ")"}
	}
	if len(s.Groups) > 0 {
		return lint.Related{Span: s.Groups[0].Span, Message: "the server"}
	}
	return lint.Related{Message: "the server"}
}

// peer names the side a handshake's client reaches, for messages.
func (h handshake) peer() string {
	if h.Server == nil && h.Route != nil {
		return "the MySQL Router route it reaches ([" + h.Route.Name + "])"
	}
	return "the server it reaches"
}

// routeAt is where a route's accept side is written: client_ssl_cipher
// when the server settings named are ciphers and it is set, else
// client_ssl_mode, else the route's section.
func routeAt(r *model.Route, names ...string) lint.Related {
	where := "[" + r.Name + "], " + r.Deployment.Kind + " " + r.Deployment.Name
	if r.Cipher != nil && slices.Contains(names, "ssl_cipher") {
		return lint.Related{Span: r.Cipher.ValueOrKey(), Message: "MySQL Router's client_ssl_cipher (" + where + ")"}
	}
	if r.Mode != nil {
		return lint.Related{Span: r.Mode.ValueOrKey(), Message: "MySQL Router's client_ssl_mode (" + where + ")"}
	}
	return lint.Related{Span: r.Header, Message: "MySQL Router route (" + where + "; " + r.AcceptBy + ")"}
}

// routeSide is what the negotiation model needs of route r's accept side,
// where MySQL Router is the server; side gives the servers its
// destinations name. Router has no tls_version option
// (docs/app-configs.md), and its defaults are not modelled: a handshake
// that gets as far as the protocol cannot be told, and says so. What Router does with each
// client_ssl_mode is adjust_supported_capabilities in
// https://github.com/mysql/mysql-server/blob/e3b12d2d6c49d1fab3f51f52b128dcf12df38b84/router/src/routing/src/classic_greeting_forwarder.cc
// (DISABLED hides TLS; REQUIRED offers it; PREFERRED offers it unless
// server_ssl_mode is AS_CLIENT, which passes on the server's offer) and
// client_ssl_mode_is_satisfied with its error in
// https://github.com/mysql/mysql-server/blob/279f59321d703e0d5722a415be92cfb60f596351/router/src/routing/src/classic_greeting_receiver.cc.
func routeSide(r *model.Route, side func(*model.Server) facts.Server) facts.Server {
	fs := facts.Server{Target: facts.FullRange(facts.FlavorUnknown), TLS: facts.Maybe, SecureTransport: facts.Maybe,
		ProtocolsUnknown: true, ProtocolsWhy: "MySQL Router has no TLS protocol option, and the protocols it allows by default are not known to tlsvet"}
	if r.Stops != "" {
		fs.Down = "MySQL Router does not start: " + r.Stops
		return fs
	}
	// upstream is what every server behind the route agrees on; Maybe
	// when none is known or they differ.
	upstream := func(get func(facts.Server) facts.Tri) (facts.Tri, string) {
		t, why := facts.Maybe, "the servers behind it are not known"
		for i, s := range r.Servers {
			fs := side(s)
			switch {
			case i == 0:
				t, why = get(fs), fs.Why
			case get(fs) != t:
				return facts.Maybe, "the servers behind it differ"
			}
		}
		return t, why
	}
	switch r.Accept {
	case model.AcceptDisabled:
		fs.TLS, fs.Why = facts.No, "MySQL Router's client_ssl_mode=DISABLED"
	case model.AcceptPreferred:
		fs.TLS = facts.Yes
		if r.ServerMode == "AS_CLIENT" {
			t, why := upstream(func(s facts.Server) facts.Tri { return s.TLS })
			fs.TLS, fs.Why = t, "MySQL Router's client_ssl_mode=PREFERRED with server_ssl_mode=AS_CLIENT offers TLS only when the server does"
			if why != "" {
				fs.Why += ": " + why
			}
		}
	case model.AcceptRequired:
		fs.TLS = facts.Yes
		fs.RefusesPlaintext = &facts.ServerError{Code: facts.ErrSSLConnection, State: "HY000",
			Text: "SSL connection error: SSL is required from client", Why: "MySQL Router's client_ssl_mode=REQUIRED"}
	default:
		fs.Why = "MySQL Router's client_ssl_mode is " + r.Accept.String()
		return fs
	}
	// A plaintext client: Router's leg to the server decides whether a
	// server's require_secure_transport sees it.
	switch r.ServerMode {
	case "REQUIRED":
		fs.SecureTransport = facts.No
	case "PREFERRED":
		if t, _ := upstream(func(s facts.Server) facts.Tri { return s.TLS }); t == facts.Yes {
			fs.SecureTransport = facts.No
		} else if t == facts.No {
			fs.SecureTransport, _ = upstream(func(s facts.Server) facts.Tri { return s.SecureTransport })
		}
	default: // DISABLED, and AS_CLIENT with a plaintext client
		fs.SecureTransport, _ = upstream(func(s facts.Server) facts.Tri { return s.SecureTransport })
	}
	fs.Ciphers, fs.CiphersUnknown = listOf(finalOf(r.Cipher), ":")
	return fs
}

// finalOf is s as an effective setting, nil for nil.
func finalOf(s *model.Setting) *model.Final {
	if s == nil {
		return nil
	}
	return &model.Final{Setting: s}
}

// handshakeFindings reports every handshake whose outcome is class, at
// the first of the client's deciding settings that is set (else where the
// client is written), with the server side as a related location: the
// server's setting, and the MySQL Router route's the client reaches.
func handshakeFindings(pass *lint.Pass, class facts.Class, decide func(handshake) *model.Setting,
	server []string, message func(handshake) string) {
	seen := map[source.Span]bool{}
	for _, h := range handshakes(pass) {
		if h.Outcome.Class != class {
			continue
		}
		at := h.At
		if s := decide(h); s != nil {
			at = s.ValueOrKey()
		}
		if seen[at] {
			continue
		}
		seen[at] = true
		msg := message(h)
		if h.Where != "" {
			msg += " (" + h.Where + ")"
		}
		var rel []lint.Related
		if h.Server != nil {
			r := serverAt(h.Server, server...)
			r.Message += " (" + h.Reason + ")"
			rel = append(rel, r)
		}
		if h.Route != nil {
			r := routeAt(h.Route, server...)
			if h.Server == nil {
				r.Message += " (" + h.Reason + ")"
			}
			rel = append(rel, r)
		}
		pass.Report(lint.Diagnostic{Span: at, Message: msg, Related: rel})
	}
}

// ClientSide is one reading of an option-file client for the negotiation
// model: which client programs and versions it is, and what they do.
type ClientSide struct {
	Label  string // "MariaDB 11.4 client programs ([client])"
	Client facts.Client
	CA     []*model.CertInfo // the certificates of its CA file, when the repository holds them
}

// ConnectionSide is what the negotiation model needs of connection
// string c of project p, with the certificates of its CA.
func ConnectionSide(p *model.Project, c *model.Connection) ClientSide {
	return ClientSide{Client: connectionSide(c), CA: fileCerts(p, c.CA)}
}

// OptionClientSides describes option-file client c of project p
// connecting to host over TCP for the negotiation model, once per client
// program and piece of versions on which its reading differs (tlsvet
// negotiate).
func OptionClientSides(p *model.Project, c *model.Client, host string) []ClientSide {
	var out []ClientSide
	h := &model.Final{Setting: &model.Setting{Name: "host", HasValue: true, Value: host}}
	eachRunningReading(c, func(_ []*model.Group, names string, r clientReading) {
		out = append(out, ClientSide{Label: r.Piece.String() + " client programs (" + names + ")",
			Client: optionClientSide(clientPair{Client: c, Host: h}, r), CA: fileCerts(p, r.CA)})
	})
	return out
}

// ServerCertificate is server s's certificate file and the certificates
// of its ssl_ca, from which OpenSSL completes the chain it sends; nil
// when the repository does not hold the certificate.
func ServerCertificate(p *model.Project, s *model.Server) (cert, store []*model.CertInfo) {
	return fileCerts(p, effective(s.Settings, "ssl_cert")), fileCerts(p, effective(s.Settings, "ssl_ca"))
}

// certFindings reports every handshake whose client rejects the server
// certificate for problem, at where(h), once per place.
func certFindings(pass *lint.Pass, problem facts.CertProblem, where func(handshake) source.Span,
	message func(handshake, serverCert) (string, []lint.Related)) {
	seen := map[source.Span]bool{}
	for _, h := range handshakes(pass) {
		if h.Outcome.Class != facts.CertificateRejected || h.Outcome.CertProblem != problem || h.Server == nil {
			continue
		}
		sc, ok := certOf(pass.Project, h.Server, h.Reason)
		at := where(h)
		if !ok || seen[at] {
			continue
		}
		seen[at] = true
		msg, rel := message(h, sc)
		pass.Report(lint.Diagnostic{Span: at, Message: msg + qualify(h.Where), Related: rel})
	}
}
