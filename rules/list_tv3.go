package rules

// clientRules lists TV301–TV305: client TLS settings.
var clientRules = []*Rule{
	ClientTLSDisabled,
	ClientNoVerify,
	ClientOpportunisticTLS,
	VerifyWithoutCA,
	CAIgnored,
}
