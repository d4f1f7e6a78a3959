package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// What servers and clients do when OpenSSL refuses a certificate or key
// file, for the TV5xx rules.

// fileReaders says which servers read a setting that names a file: the
// servers, their vendors (on the versions where they run) and whether one
// sets tls_certificates_enforced_validation=ON.
type fileReaders struct {
	servers                  []*model.Server
	mysql, mariadb, enforced bool
}

// fileReadersAnalysis finds, once, the servers that read each setting
// that names a file (its effective setting of that name): a rule asks per
// file, and a repository may hold thousands of servers.
var fileReadersAnalysis = &lint.Analysis{
	Name:     "file-readers",
	Doc:      "the servers that read each setting naming a certificate, key, CA or CRL file, and their vendors",
	Requires: []*lint.Analysis{serverReadingsAnalysis},
	Run: func(p *lint.AnalysisPass) any {
		named := make(map[*model.Setting]bool, len(p.Project.FileRefs))
		for _, r := range p.Project.FileRefs {
			named[r.Setting] = true
		}
		readings := p.ResultOf(serverReadingsAnalysis).(map[*model.Server][]serverReading)
		m := map[*model.Setting]*fileReaders{}
		for _, s := range p.Project.Servers {
			for _, fin := range s.Settings {
				if !named[fin.Setting] {
					continue
				}
				f := m[fin.Setting]
				if f == nil {
					f = &fileReaders{}
					m[fin.Setting] = f
				}
				f.servers = append(f.servers, s)
				for _, r := range readings[s] {
					switch {
					case !r.Runs:
					case family(r.Piece.Flavor) == facts.MariaDB:
						f.mariadb = true
					default:
						f.mysql = true
						f.enforced = f.enforced || r.Enforced
					}
				}
			}
		}
		return m
	},
}

// readersOf returns the servers that read set, a setting that names a
// file; the rule must require fileReadersAnalysis.
func readersOf(pass *lint.Pass, set *model.Setting) fileReaders {
	if f := pass.ResultOf(fileReadersAnalysis).(map[*model.Setting]*fileReaders)[set]; f != nil {
		return *f
	}
	return fileReaders{}
}

// server reports whether a server reads the setting.
func (f fileReaders) server() bool { return f.mysql || f.mariadb }

// refuse says what the servers do when OpenSSL refuses the file while
// their TLS context is built.
// MariaDB refuses to start, logging mariadbLog ("Unable to get
// certificate"; observed on 10.11, docs/mariadb-observations.md §4a);
// MySQL logs mysqlLog and starts without TLS (facts.SrcMY80UEC: "the
// server executes without support for encrypted connections"), or exits
// at startup with tls_certificates_enforced_validation=ON
// (facts.SrcEnforcedValidation).
func (f fileReaders) refuse(mariadbLog, mysqlLog string) string {
	var effects []string
	if f.mariadb {
		effects = append(effects, fmt.Sprintf("MariaDB refuses to start (%q)", mariadbLog))
	}
	switch {
	case f.mysql && f.enforced:
		effects = append(effects, fmt.Sprintf("MySQL cannot set up TLS (%q), and %s", mysqlLog, enforcedExit))
	case f.mysql:
		effects = append(effects, fmt.Sprintf("MySQL logs %q and starts without TLS, so clients that require TLS "+
			"fail with ERROR 2026", mysqlLog))
	}
	return strings.Join(effects, " and ")
}

// minBits are the bits of security OpenSSL's security levels need.
var minBits = facts.SecurityLevelBits

// securityBits is the strength OpenSSL gives a certificate's key: for RSA
// the steps of BN_security_bits (1024 bits give 80, 2048 give 112, 3072
// give 128, 7680 give 192, 15360 give 256, fewer than 1024 give 0), for EC
// keys half the curve's size, for Ed25519 128 (its Bits is the key's size,
// 256). ok is false when the key is not known.
func securityBits(keyType string, bits int) (sec int, ok bool) {
	if bits == 0 {
		return 0, false
	}
	switch keyType {
	case "RSA":
		for _, s := range []struct{ size, sec int }{{15360, 256}, {7680, 192}, {3072, 128}, {2048, 112}, {1024, 80}} {
			if bits >= s.size {
				return s.sec, true
			}
		}
		return 0, true
	case "ECDSA":
		return bits / 2, true
	case "Ed25519":
		return 128, true
	}
	return 0, false
}

// levelName names the assumed OpenSSL security level in messages.
func levelName(level int) string {
	if level == lint.DefaultPolicy.OpenSSLSecurityLevel {
		return fmt.Sprintf("OpenSSL security level %d (the Debian and Ubuntu default)", level)
	}
	return fmt.Sprintf("OpenSSL security level %d (policy.openssl_security_level)", level)
}
