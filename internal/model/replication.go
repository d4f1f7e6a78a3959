package model

import "github.com/tlsvet/tlsvet/internal/source"

// Replication is one CHANGE REPLICATION SOURCE TO or CHANGE MASTER TO
// statement: the settings a replica uses to connect to its source, by
// canonical name ("source_ssl", "source_ssl_ca", "source_tls_version";
// CHANGE MASTER's MASTER_ names are spelt SOURCE_ here). Each setting's
// Origin spells edits as an SQL literal where its embedding (a heredoc, a
// quoted shell argument) allows.
type Replication struct {
	Span    source.Span // the leading keywords, "CHANGE … TO"
	Keyword string      // those keywords as written
	// SourceSpelling: CHANGE REPLICATION SOURCE, which only MySQL 8.0.23
	// and later read.
	SourceSpelling bool
	Channel        string // FOR CHANNEL name, or MariaDB's connection name; "" for the default channel
	Settings       []*Setting
}

// Get returns the last setting named name (the one the server keeps), or nil.
func (r *Replication) Get(name string) *Setting {
	for i := len(r.Settings) - 1; i >= 0; i-- {
		if r.Settings[i].Name == name {
			return r.Settings[i]
		}
	}
	return nil
}

// AccountTLS is the TLS requirement a CREATE USER, ALTER USER or GRANT
// statement sets on an account: a client connecting as it without TLS
// (SSL) or without a client certificate (X509, ISSUER, SUBJECT) is
// refused with ERROR 1045
// (https://dev.mysql.com/doc/refman/8.0/en/create-user.html#create-user-tls).
type AccountTLS struct {
	Statement   string // "CREATE USER", "ALTER USER", "GRANT"
	User, Host  string
	Span        source.Span // the account name
	Require     string      // "SSL", "X509", "NONE", "CIPHER", or parts joined: "SUBJECT AND ISSUER"
	RequireSpan source.Span
}
