package rules

import (
	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
)

// NoUsableCipher is TV202: every name in a cipher option is restricted,
// unknown or misplaced, so OpenSSL has nothing to use. MySQL then cannot
// build the channel's TLS context ("Failed to set ciphers to use") and runs
// without TLS on it, TLSv1.3 included: new_VioSSLFd gives up on the whole
// context when SSL_CTX_set_cipher_list or SSL_CTX_set_ciphersuites fails
// (SRC-VIO https://github.com/mysql/mysql-server/blob/trunk/vio/viosslfactories.cc;
// MY80-SV ssl_cipher: "If no cipher in the list is supported, encrypted
// connections that use these TLS protocols do not work"). MariaDB refuses to
// start (observed on 10.11 with ssl_cipher=RC4-SHA and DES-CBC3-SHA,
// docs/mariadb-observations.md §4a; MDB-T-BAD with invented names).
var NoUsableCipher = &lint.Rule{
	ID:               "TV202",
	Name:             "no-usable-cipher",
	Severity:         lint.Error,
	SecuritySeverity: "7.5",
	Tags:             []string{"security", "tls", "cipher", "correctness"},
	Doc: lint.Doc{
		Title: "No cipher in the list can be used, so TLS cannot be set up",
		Why: "When every name in `ssl_cipher` is restricted (removed by MySQL's blocked list), unknown to " +
			"OpenSSL, or a TLSv1.3 suite (which MySQL's `ssl_cipher` ignores), OpenSSL refuses the list: " +
			"\"Failed to set ciphers to use\". MySQL then does not create the channel's TLS context at all and " +
			"starts **without TLS** on it, TLSv1.3 included, so clients that require TLS fail with ERROR 2026 and " +
			"the others silently connect in plaintext; with `tls_certificates_enforced_validation=ON` (MySQL " +
			"8.1.0+) it **exits** at startup instead (`TLS_channel::singleton_init` stops on any TLS setup " +
			"error). MariaDB **refuses to start** (observed on 10.11 with " +
			"`ssl_cipher=RC4-SHA`). The same happens when no name in `tls_ciphersuites` is a TLSv1.3 suite. " +
			"A client with such a list cannot connect over TLS (ERROR 2026).",
		Fix:  "List at least one approved cipher, for example ECDHE-RSA-AES128-GCM-SHA256, or remove the option to use the default list.",
		Bad:  "[mysqld]\nssl_cipher=RC4-MD5\n",
		Good: "[mysqld]\nssl_cipher=ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384\n",
		Sources: []string{
			facts.SrcVIO,
			facts.SrcMY80SV,
			"https://github.com/MariaDB/server/blob/main/mysql-test/main/bad_startup_options.test",
			facts.SrcEnforcedValidation,
		},
	},
	Requires: []*lint.Analysis{cipherListsAnalysis},
	Run:      runNoUsableCipher,
}

func runNoUsableCipher(pass *lint.Pass) {
	cipherLists(pass, func(l *cipherList) {
		if !l.noneUsable() {
			return
		}
		var why []string
		for _, t := range l.Tokens {
			switch {
			case t.Role == roleInvalid:
				why = append(why[:0], t.Word+" makes OpenSSL reject the whole string")
			case t.Role == roleCipher && t.Cipher.TLS13 && !l.Suites:
				why = append(why, t.Word+" is a TLSv1.3 suite")
			case t.Role == roleCipher && t.Cipher.Class == facts.CipherRestricted:
				why = append(why, t.Word+" is restricted")
			case t.Role == roleSelector:
				why = append(why, t.Word+" selects only restricted ciphers")
			case t.Role == roleForeign:
				why = append(why, t.Word+" is not a TLSv1.3 suite")
			case t.Role == roleUnknown:
				why = append(why, t.Word+" is unknown")
			default:
				continue
			}
			if t.Role == roleInvalid {
				break
			}
		}
		also, what, fix := "TLSv1.3", "no cipher in "+l.Opt.Name+" can be used", "an approved cipher such as ECDHE-RSA-AES128-GCM-SHA256"
		if l.Suites {
			also, what, fix = "TLSv1.2", "no name in "+l.Opt.Name+" is a TLSv1.3 suite OpenSSL knows", "a suite such as TLS_AES_128_GCM_SHA256"
		}
		mysql := "MySQL cannot build the TLS context (\"Failed to set ciphers to use\") and runs without TLS on this channel, " + also + " included"
		if l.enforced() {
			mysql = "MySQL cannot build the TLS context (\"Failed to set ciphers to use\"), and " + enforcedExit
		}
		effect := l.byFlavour(mysql, "MariaDB refuses to start unless its OpenSSL still has one of them")
		if l.Client {
			effect = "the client cannot set up TLS, so every connection that tries TLS fails (ERROR 2026)"
		}
		pass.Reportf(l.Opt.ValueOrKey(), "%s (%s): %s; list %s or remove the option to use the default",
			what, names(why), effect, fix)
	})
}
