package rules

// cipherRules lists TV201–TV208: ssl_cipher and tls_ciphersuites.
var cipherRules = []*Rule{
	RestrictedCipher,
	NoUsableCipher,
	DeprecatedCipher,
	EcdsaCipherRSACert,
	CipherProtocolMismatch,
	CipherInWrongOption,
	UnknownCipher,
	EmptyTLS13Suites,
}
