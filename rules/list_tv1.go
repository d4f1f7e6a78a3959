package rules

// protocolRules lists TV101–TV108: tls_version and other protocol lists.
var protocolRules = []*Rule{
	TLSVersionHole,
	TLSVersionEmpty,
	DeprecatedProtocol,
	UnsupportedProtocol,
	NoUsableProtocol,
	UnknownProtocolName,
	WhitespaceInList,
	LegacyDefaultProtocols,
}
