package rules

import "strings"

// All is every rule, sorted by ID. Keep it sorted: a test checks.
var All = []*Rule{
	UnusedSuppression,
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
