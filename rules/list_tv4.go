package rules

import "github.com/tlsvet/tlsvet/internal/lint"

// replicationRules lists TV409–TV410: TLS of replication and cluster
// channels. TV408 is reserved for asynchronous replication channels
// (CHANGE REPLICATION SOURCE).
var replicationRules = []*lint.Rule{
	GaleraTrafficPlaintext,
	GroupReplicationTLS,
}
