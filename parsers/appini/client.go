package appini

import (
	"strings"

	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/parsers/dsn"
)

// Client is the TLS client record of a connection an application
// configures, in parsers/dsn's vocabulary. Entries point into File.Entries
// and are nil when the file does not set them.
type Client struct {
	Mode                  dsn.Mode
	From                  dsn.Derivation
	ModeEntry             *Entry // the entry that decided the mode, nil for a default
	Effective             dsn.Effective
	CA, CAPath, Cert, Key *Entry
	Ciphers, Protocols    *Entry
	Unix                  bool // a Unix socket: TLS does not apply
	// Unresolved names values the file alone cannot resolve (environment
	// references); no mode is derived from them.
	Unresolved []string
	Note       string // a qualification of the mode
}

func (c *Client) set(m dsn.Mode, from dsn.Derivation, e *Entry) {
	c.Mode, c.From, c.ModeEntry, c.Effective = m, from, e, model.BehaviourOf(m)
}

// modeNames maps the MySQL --ssl-mode spellings to modes.
var modeNames = map[string]dsn.Mode{
	"DISABLED": dsn.Disabled, "PREFERRED": dsn.Preferred, "REQUIRED": dsn.Required,
	"VERIFY_CA": dsn.VerifyCA, "VERIFY_IDENTITY": dsn.VerifyIdentity,
}

// unresolved reports whether v refers to the environment: Grafana expands
// ${VAR}, $__env{VAR} and $__file{path}.
func unresolved(v string) bool {
	return strings.Contains(v, "${") || strings.Contains(v, "$__")
}
