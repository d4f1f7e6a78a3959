package rules

import (
	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// Server readings: whether a server's TLS can come up, for the TV6xx rules.
// They use the version pieces of readings.go.

// enforcedExit is what a MySQL server with
// tls_certificates_enforced_validation=ON does instead of running without
// TLS (facts.SrcEnforcedValidation).
const enforcedExit = "with tls_certificates_enforced_validation=ON it exits at startup instead " +
	"(ER_FAILED_TO_VALIDATE_CERTIFICATES_SERVER_EXIT)"

// enforcesValidation reports whether server s sets
// tls_certificates_enforced_validation=ON.
func enforcesValidation(s *model.Server) bool {
	return s != nil && enforcedSetting(s.Settings)
}

// enforcedSetting reports whether settings set
// tls_certificates_enforced_validation=ON.
func enforcedSetting(settings model.Settings) bool {
	set := settings.Get("tls_certificates_enforced_validation")
	if set == nil {
		return false
	}
	on, _ := boolValue(set.Setting)
	return on
}

// serverReading is how one server version reads a server's TLS settings.
type serverReading struct {
	Piece facts.Target
	// Runs is false when the server rejects one of the TLS options and
	// refuses to start (TV002/TV004 report that); the reading skips it.
	Runs bool
	// Off is the option that turns TLS off (skip-ssl, ssl=0, disable-ssl)
	// when it is still in effect.
	Off *model.Setting
	// Cert and Key are the effective ssl_cert and ssl_key with values.
	Cert, Key *model.Setting
	// Secure is the effective require_secure_transport; SecureValid says
	// its value is a boolean (else TV006 reports it) and SecureOn what it is.
	Secure                *model.Setting
	SecureOn, SecureValid bool
	// SecureKnown: this version has require_secure_transport.
	SecureKnown bool
	// AutoCertsOff is MySQL's auto_generate_certs=OFF.
	AutoCertsOff *model.Setting
	// Configured is the first option that sets TLS up: ssl_cert, ssl_key,
	// ssl_ca, ssl_capath or a non-empty tls_version.
	Configured *model.Setting
	// NoProtocols: tls_version is empty, so MySQL serves no TLS (TV102's).
	NoProtocols bool
	// Unknown: a template decides a value the reading turns on; Runs is
	// false too, so that no rule judges the reading.
	Unknown bool
	// TLSBy is, on MariaDB, the first option other than ssl_cert and
	// ssl_key that turns the server's TLS on (see mariadbServerTLSOn).
	TLSBy *model.Setting
	// Enforced is MySQL's tls_certificates_enforced_validation=ON: a TLS
	// setup error stops the server (see enforcedExit).
	Enforced bool
}

// mariadbServerTLSOn are the options with which a MariaDB server sets TLS
// up even without ssl_cert and ssl_key (besides a bare ssl): they set
// opt_use_ssl (include/sslopt-case.h,
// https://github.com/MariaDB/server/blob/main/include/sslopt-case.h).
// Observed on 10.11.19 (docs/mariadb-observations.md §4a; rules/oracle_test.go): ssl-ca,
// ssl-cipher and a bare ssl without a certificate stop the server, while
// tls_version alone does not.
var mariadbServerTLSOn = map[string]bool{"ssl_ca": true, "ssl_capath": true, "ssl_cipher": true, "ssl_crl": true, "ssl_crlpath": true}

// serverConfigures are the options that show a server is meant to serve TLS.
var serverConfigures = map[string]bool{"ssl_cert": true, "ssl_key": true, "ssl_ca": true, "ssl_capath": true, "tls_version": true}

// serverReadingsAnalysis reads every server of the run on every piece of
// its target, once.
var serverReadingsAnalysis = &lint.Analysis{
	Name: "server-readings",
	Doc:  "how each version of the server program reads each server's TLS settings: whether TLS comes up, with which certificate, and whether transport must be secure",
	Run: func(p *lint.AnalysisPass) any {
		m := make(map[*model.Server][]serverReading, len(p.Project.Servers))
		for _, s := range p.Project.Servers {
			m[s] = serverReadings(s)
		}
		return m
	},
}

// readingsOf returns the readings of server s; the rule must require
// serverReadingsAnalysis.
func readingsOf(pass *lint.Pass, s *model.Server) []serverReading {
	return pass.ResultOf(serverReadingsAnalysis).(map[*model.Server][]serverReading)[s]
}

// serverReadings reads s on every piece of its target. The pieces start
// where an option the server reads changes (MySQL 8.4 removed ssl) and
// where MariaDB starts generating certificates.
func serverReadings(s *model.Server) []serverReading {
	var out []serverReading
	for _, r := range flavourRanges(s.Target, s.Groups, facts.MySQLServer, facts.MariaDBServer) {
		prog := facts.MySQLServer
		var points []facts.Version
		if family(r.Flavor) == facts.MariaDB {
			prog, points = facts.MariaDBServer, []facts.Version{facts.MariaDBZeroConfig}
		}
		opts := optionsReadBy(s.Options, prog)
		for _, piece := range cutAt(r, append(optionPoints(opts, prog), points...)) {
			out = append(out, readServer(opts, piece, prog))
		}
	}
	return out
}

// readServer follows the server's option handling in read order. On
// MariaDB any ssl_* option or tls_version turns --ssl back on after a
// skip-ssl (include/sslopt-case.h is shared with the server,
// https://github.com/MariaDB/server/blob/main/include/sslopt-case.h); on
// MySQL ssl is an ordinary boolean (MY80-SO
// https://dev.mysql.com/doc/refman/8.0/en/server-options.html).
func readServer(opts []*model.Setting, piece facts.Target, prog facts.Program) serverReading {
	r := serverReading{Piece: piece, Runs: true}
	if spec, ok := facts.LookupOption("require_secure_transport"); ok {
		l, ok := spec.Lifecycle(prog)
		r.SecureKnown = ok && l.AvailableAt(piece.Min)
	}
	mariadb := prog == facts.MariaDBServer
	for _, o := range opts {
		if !knownTo(o, prog, piece.Min) {
			r.Runs = r.Runs && o.Loose
			continue
		}
		if o.Unknown && decidesReading[o.Name] {
			r.Unknown, r.Runs = true, false
		}
		if mariadb && mariadbImpliesSSL[o.Name] && hasValue(o) {
			r.Off = nil
		}
		if mariadb && mariadbServerTLSOn[o.Name] && hasValue(o) && r.TLSBy == nil {
			r.TLSBy = o
		}
		switch o.Name {
		case "ssl":
			if on, valid := boolValue(o); valid {
				r.Off = nil
				if !on {
					r.Off = o
				} else if mariadb && r.TLSBy == nil {
					r.TLSBy = o
				}
			}
		case "ssl_cert", "ssl_key":
			v := o
			if !hasValue(o) {
				v = nil
			}
			if o.Name == "ssl_cert" {
				r.Cert = v
			} else {
				r.Key = v
			}
		case "require_secure_transport":
			r.Secure = o
			r.SecureOn, r.SecureValid = boolValue(o)
		case "auto_generate_certs":
			r.AutoCertsOff = nil
			if on, valid := boolValue(o); valid && !on {
				r.AutoCertsOff = o
			}
		case "tls_version":
			r.NoProtocols = o.HasValue && o.Value == ""
		case "tls_certificates_enforced_validation":
			r.Enforced, _ = boolValue(o)
		}
		if serverConfigures[o.Name] && hasValue(o) && r.Configured == nil {
			r.Configured = o
		}
	}
	return r
}

func (r serverReading) piece() facts.Target { return r.Piece }
func (r serverReading) runs() bool          { return r.Runs }
func (r serverReading) unknown() bool       { return r.Unknown }

// serverFinding is a server rule's finding: where it points and the
// reading of the first piece where it holds.
type serverFinding = judgement[place, serverReading]

// eachServerFinding judges a server rule for every server and calls report
// once per finding with all the server's readings. at says where a reading
// is wrong.
func eachServerFinding(pass *lint.Pass, at func(serverReading) (place, bool), report func([]serverReading, serverFinding)) {
	for _, s := range pass.Project.Servers {
		rs := readingsOf(pass, s)
		js := judgeReadings(s.Target, rs, func(r serverReading) (place, serverReading, bool) {
			p, ok := at(r)
			return p, r, ok
		})
		for _, j := range js {
			report(rs, j)
		}
	}
}
