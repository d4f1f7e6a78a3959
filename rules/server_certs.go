package rules

import (
	"strings"

	"github.com/tlsvet/tlsvet/internal/model"
)

// serverCert is the certificate a client meets at a server it reaches,
// when the repository holds it.
type serverCert struct {
	Setting *model.Final // the server's ssl_cert
	Path    string       // the repository file
	Cert    *model.CertInfo
	Reason  string // how the client reaches the server
}

// certOf is server s's certificate, if the repository holds it.
func certOf(p *model.Project, s *model.Server, reason string) (serverCert, bool) {
	set := s.Settings.Get("ssl_cert")
	if set == nil {
		return serverCert{}, false
	}
	r := p.RefOf[set.Setting]
	if r == nil || p.PKI[r.Path] == nil || len(p.PKI[r.Path].Certs) == 0 {
		return serverCert{}, false
	}
	return serverCert{Setting: set, Path: r.Path, Cert: p.PKI[r.Path].Certs[0], Reason: reason}, true
}

// sameFileServers returns the TCP host an option file's client connects
// to and the certificates of the servers the same file configures: a
// [client] group beside [mysqld] in one my.cnf is, on the machine that
// reads that file, a client of that server. A client without a host, or
// with localhost and no protocol=TCP, uses the Unix socket, where TLS does
// not apply (https://dev.mysql.com/doc/refman/8.4/en/connecting.html:
// "On Unix, MySQL programs treat the host name localhost specially").
func sameFileServers(p *model.Project, c *model.Client) (*model.Final, []serverCert) {
	host := c.Settings.Get("host")
	if host == nil || host.Value == "" || strings.EqualFold(host.Value, "localhost") &&
		!strings.EqualFold(settingValue(c.Settings, "protocol"), "tcp") {
		return nil, nil
	}
	var out []serverCert
	for _, s := range p.Servers {
		if s.File != c.File {
			continue
		}
		if sc, ok := certOf(p, s, "the server this option file configures"); ok {
			out = append(out, sc)
		}
	}
	return host, out
}

// settingValue is the effective value of a setting, or "".
func settingValue(s model.Settings, name string) string {
	if f := s.Get(name); f != nil {
		return f.Value
	}
	return ""
}
