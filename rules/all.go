package rules

import (
	"sort"
	"strings"
)

// All is every rule, sorted by ID. Each family keeps its own list beside
// its rules (list_tv*.go); the engine's own rule is TV000.
var All = sortedRules(
	[]*Rule{UnusedSuppression},
	optionFileRules,
	protocolRules,
	cipherRules,
	clientRules,
	replicationRules,
	serverRules,
)

func sortedRules(lists ...[]*Rule) []*Rule {
	var all []*Rule
	for _, l := range lists {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all
}

// Lookup finds a rule by ID ("TV101", case-insensitive) or name
// ("tls-version-hole").
func Lookup(idOrName string) *Rule {
	for _, r := range All {
		if strings.EqualFold(r.ID, idOrName) || r.Name == idOrName {
			return r
		}
	}
	return nil
}
