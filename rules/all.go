// Package rules is tlsvet's catalogue of checks: one file per rule, each a
// lint.Rule value that reads the model through a lint.Pass. Rules never
// import parsers; the engine (package lint) runs whichever of them a driver
// picks from All.
package rules

import (
	"sort"

	"github.com/tlsvet/tlsvet/internal/lint"
)

// All is every rule, sorted by ID. Each family keeps its own list beside
// its rules (list_tv*.go); TV000 and TV001 belong to the engine (package
// lint), which reports the first itself and needs the second by name.
var All = sortedRules(
	[]*lint.Rule{lint.UnusedSuppression},
	optionFileRules,
	protocolRules,
	cipherRules,
	clientRules,
	handshakeRules,
	replicationRules,
	certificateRules,
	serverRules,
)

func sortedRules(lists ...[]*lint.Rule) []*lint.Rule {
	var all []*lint.Rule
	for _, l := range lists {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all
}

// Lookup finds a rule by ID ("TV101", case-insensitive) or name
// ("tls-version-hole").
func Lookup(idOrName string) *lint.Rule { return lint.Lookup(All, idOrName) }
