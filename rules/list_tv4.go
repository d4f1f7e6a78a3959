package rules

import "github.com/tlsvet/tlsvet/internal/lint"

// replicationRules lists TV408–TV410: TLS of replication and cluster
// channels.
var replicationRules = []*lint.Rule{
	ReplicationTLS,
	GaleraTrafficPlaintext,
	GroupReplicationTLS,
}
