package model

import "github.com/tlsvet/tlsvet/internal/source"

// RouteAccept is a MySQL Router route's client_ssl_mode as Router
// resolves it: how it accepts TLS from applications
// (https://dev.mysql.com/doc/mysql-router/8.4/en/mysql-router-conf-options.html#option_mysqlrouter_client_ssl_mode).
type RouteAccept uint8

// The client_ssl_mode values; AcceptInvalid is a value Router refuses.
const (
	AcceptInvalid RouteAccept = iota
	AcceptDisabled
	AcceptPreferred
	AcceptRequired
	AcceptPassthrough // bytes forwarded: the application and the server negotiate TLS end to end
)

var acceptNames = [...]string{"INVALID", "DISABLED", "PREFERRED", "REQUIRED", "PASSTHROUGH"}

func (a RouteAccept) String() string { return acceptNames[a] }

// Route is one [routing] or [routing:<name>] section of a mysqlrouter.conf
// that a deployment whose image is MySQL Router places in its container:
// to applications it is a server (the client_ssl_* leg). Router's own leg
// to the server is a Connection (Project.Connections), linked to Servers.
type Route struct {
	Deployment *Deployment // the compose service or Kubernetes container that runs Router
	Name       string      // "routing:rw"
	Header     source.Span // the section name
	// Port is bind_port, or the port of bind_address; "" when neither
	// says (a connection's port is then not compared).
	Port string
	// Accept is client_ssl_mode as Router reads it; Mode the setting
	// (nil when unset: AcceptBy then says how Router derived it, from
	// client_ssl_cert and client_ssl_key).
	Accept   RouteAccept
	AcceptBy string // "client_ssl_mode=DISABLED", "client_ssl_mode unset with a certificate: PREFERRED"
	Mode     *Setting
	// Cert and Cipher are client_ssl_cert and client_ssl_cipher.
	Cert, Cipher *Setting
	// ServerMode is server_ssl_mode as Router reads it ("AS_CLIENT" when
	// unset), the leg to the servers.
	ServerMode string
	// Destinations are the hosts of its destinations list; empty when it
	// names none by host (a metadata-cache:// URI). Servers are the
	// declared servers they name.
	Destinations []string
	Servers      []*Server
	// Stops says why Router does not start with this route ("" when it
	// starts).
	Stops string
}

// Where names the route for messages: "MySQL Router route [routing:rw]
// (compose service router)".
func (r *Route) Where() string {
	return "MySQL Router route [" + r.Name + "] (" + r.Deployment.Kind + " " + r.Deployment.Name + ")"
}
