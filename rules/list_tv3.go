package rules

import "github.com/tlsvet/tlsvet/internal/lint"

// clientRules lists TV301–TV305: client TLS settings.
var clientRules = []*lint.Rule{
	ClientTLSDisabled,
	ClientNoVerify,
	ClientOpportunisticTLS,
	VerifyWithoutCA,
	CAIgnored,
}
