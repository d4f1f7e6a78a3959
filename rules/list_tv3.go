package rules

import "github.com/tlsvet/tlsvet/internal/lint"

// clientRules lists TV301–TV307: client TLS settings, in option files and
// connection strings.
var clientRules = []*lint.Rule{
	ClientTLSDisabled,
	ClientNoVerify,
	ClientOpportunisticTLS,
	VerifyWithoutCA,
	CAIgnored,
	UnknownDSNParam,
	ClientLegacyProtocols,
}
