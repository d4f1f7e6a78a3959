package rules

// serverRules lists TV601–TV604: server TLS on/off and certificates.
var serverRules = []*Rule{
	ServerTLSDisabled,
	SecureTransportOptional,
	SecureTransportWithoutTLS,
	CertWithoutKey,
}
