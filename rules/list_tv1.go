package rules

import "github.com/tlsvet/tlsvet/internal/lint"

// protocolRules lists TV101–TV108: tls_version and other protocol lists.
var protocolRules = []*lint.Rule{
	TLSVersionHole,
	TLSVersionEmpty,
	DeprecatedProtocol,
	UnsupportedProtocol,
	NoUsableProtocol,
	UnknownProtocolName,
	WhitespaceInList,
	LegacyDefaultProtocols,
}
