package rules

import (
	"strings"

	"github.com/tlsvet/tlsvet/internal/lint"
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

// clientPair is an option-file client and a server it connects to.
type clientPair struct {
	Client *model.Client
	Host   *model.Final // the host it connects to over TCP
	Server *model.Server
	Reason string
}

// clientPairsAnalysis pairs option-file clients with the servers they
// reach: a [client] group beside [mysqld] in one my.cnf is, on the
// machine that reads that file, a client of that server. A client without
// a host, or with localhost and no protocol=TCP, uses the Unix socket,
// where MySQL's clients do not use TLS
// (https://dev.mysql.com/doc/refman/8.4/en/connecting.html: "On Unix,
// MySQL programs treat the host name localhost specially"), so it pairs
// with nothing. Connection strings pair through Project.Links.
var clientPairsAnalysis = &lint.Analysis{
	Name: "client-pairs",
	Doc:  "the servers each option-file client connects to over TCP: those its own option file configures",
	Run: func(p *lint.AnalysisPass) any {
		byFile := map[*model.OptionFile][]*model.Server{}
		for _, s := range p.Project.Servers {
			byFile[s.File] = append(byFile[s.File], s)
		}
		var out []clientPair
		for _, c := range p.Project.Clients {
			host := c.Settings.Get("host")
			if host == nil || host.Value == "" || strings.EqualFold(host.Value, "localhost") &&
				!strings.EqualFold(settingValue(c.Settings, "protocol"), "tcp") {
				continue
			}
			for _, s := range byFile[c.File] {
				out = append(out, clientPair{c, host, s, "the server this option file configures"})
			}
		}
		return out
	},
}

// clientPairs returns the option-file client pairs; the rule must require
// clientPairsAnalysis.
func clientPairs(pass *lint.Pass) []clientPair {
	return pass.ResultOf(clientPairsAnalysis).([]clientPair)
}

// settingValue is the effective value of a setting, or "".
func settingValue(s model.Settings, name string) string {
	if f := s.Get(name); f != nil {
		return f.Value
	}
	return ""
}
