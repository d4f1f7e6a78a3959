package rules

// serverRules lists TV601–TV605: server TLS on/off and certificates.
var serverRules = []*Rule{
	ServerTLSDisabled,
	SecureTransportOptional,
	SecureTransportWithoutTLS,
	CertWithoutKey,
	TLSWithoutCertificate,
}
