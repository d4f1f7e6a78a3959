package rules

import "github.com/tlsvet/tlsvet/internal/lint"

// handshakeRules lists TV401–TV404 and TV407: what the negotiation model
// (facts.Negotiate) predicts for a client and the server it reaches. TV405
// and TV406, which read the certificate files, are with the certificate
// rules.
var handshakeRules = []*lint.Rule{
	NoCommonProtocol,
	NoCommonCipher,
	TLSRequiredServerOff,
	ServerRequiresTLSClientOff,
	PlaintextFallback,
}

// replicationRules lists TV408–TV411: TLS of replication and cluster
// channels, and the accounts' TLS requirements.
var replicationRules = []*lint.Rule{
	ReplicationTLS,
	AccountRequiresTLS,
	GaleraTrafficPlaintext,
	GroupReplicationTLS,
}
