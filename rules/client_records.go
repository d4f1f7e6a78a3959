package rules

import (
	"strings"

	"github.com/tlsvet/tlsvet/internal/model"
)

// ClientRecords are the client records of the option-file clients of p,
// for the JSON report: one per client program (the generic groups alone,
// and with each tool's group) and per piece of versions on which its
// reading differs, in the same model.ClientTLS the connection strings
// have. Pieces whose program rejects an option (TV002/TV004) or whose
// reading a template decides are left out, as the rules leave them.
func ClientRecords(p *model.Project) []*model.Connection {
	var out []*model.Connection
	for _, c := range p.Clients {
		eachRunningReading(c, func(groups []*model.Group, names string, r clientReading) {
			rec := &model.Connection{
				Driver:    r.Piece.String() + " client programs",
				Dialect:   "option-file",
				Span:      groups[0].Span,
				Where:     names,
				ClientTLS: r.ClientTLS,
			}
			in := map[*model.Group]bool{}
			for _, g := range groups {
				in[g] = true
			}
			for _, o := range c.Options {
				if !in[o.Group] {
					continue
				}
				switch o.Name {
				case "ssl_cert":
					rec.Cert = o
				case "ssl_key":
					rec.Key = o
				case "tls_version":
					rec.Protocols = o
				case "ssl_cipher":
					rec.Ciphers = o
				}
			}
			out = append(out, rec)
		})
	}
	return out
}

// eachRunningReading calls fn for every reading of option-file client c
// that runs and that no template decides: per client program (its
// groups, and their names as written, "[client] [mysql]") and per piece
// of versions on which the reading differs.
func eachRunningReading(c *model.Client, fn func(groups []*model.Group, names string, r clientReading)) {
	for _, groups := range clientTools(c) {
		if len(groups) == 0 {
			continue
		}
		names := make([]string, len(groups))
		for i, g := range groups {
			names[i] = "[" + g.Written + "]"
		}
		for _, r := range clientReadings(c, groups) {
			if r.Runs && !r.Unknown {
				fn(groups, strings.Join(names, " "), r)
			}
		}
	}
}
