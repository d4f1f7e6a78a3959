package rules

import "github.com/tlsvet/tlsvet/internal/lint"

// cipherRules lists TV201–TV208: ssl_cipher and tls_ciphersuites.
var cipherRules = []*lint.Rule{
	RestrictedCipher,
	NoUsableCipher,
	DeprecatedCipher,
	EcdsaCipherRSACert,
	CipherProtocolMismatch,
	CipherInWrongOption,
	UnknownCipher,
	EmptyTLS13Suites,
}
