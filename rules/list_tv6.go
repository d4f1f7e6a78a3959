package rules

import "github.com/tlsvet/tlsvet/internal/lint"

// serverRules lists TV601–TV605: server TLS on/off and certificates.
var serverRules = []*lint.Rule{
	ServerTLSDisabled,
	SecureTransportOptional,
	SecureTransportWithoutTLS,
	CertWithoutKey,
	TLSWithoutCertificate,
}
