package connstr

import (
	"slices"
	"strconv"
	"strings"

	"github.com/tlsvet/tlsvet/parsers/internal/textmap"
	"github.com/tlsvet/tlsvet/parsers/yamlconf"
)

func (s *scanner) yaml(k Kind) {
	r := yamlconf.Parse(s.f, yamlconf.Options{})
	for _, p := range r.Problems {
		if p.Kind != yamlconf.DuplicateKey { // not a reading problem
			s.res.Problems = append(s.res.Problems, Problem{Span: p.Span, Msg: p.Msg})
		}
	}
	for _, d := range r.Docs {
		if d.Root == nil {
			continue
		}
		if k == RailsDatabase {
			s.rails(d.Root)
			continue
		}
		s.walkYAML(d.Root, "", k == SpringYAML)
	}
}

// walkYAML considers every string scalar under n, whose path is at.
// Aliases are not followed: their target is read where it is written.
func (s *scanner) walkYAML(n *yamlconf.Node, at string, spring bool) {
	switch n.Kind {
	case yamlconf.Mapping:
		for _, kv := range n.Pairs {
			if kv.Key.Kind != yamlconf.Scalar {
				continue
			}
			p := join(at, kv.Key.Value)
			if kv.Value.Kind == yamlconf.Scalar {
				s.yamlValue(p, kv.Key, kv.Value, spring && urlKeys[p], "")
				continue
			}
			s.walkYAML(kv.Value, p, spring)
		}
	case yamlconf.Sequence:
		for i, it := range n.Items {
			p := at + "[" + strconv.Itoa(i) + "]"
			if it.Kind == yamlconf.Scalar {
				s.yamlValue(p, nil, it, false, "")
				continue
			}
			s.walkYAML(it, p, spring)
		}
	}
}

func join(at, key string) string {
	if at == "" {
		return key
	}
	return at + "." + key
}

// yamlValue considers the scalar v, under key k (nil in a sequence).
func (s *scanner) yamlValue(path string, k, v *yamlconf.Node, byKey bool, adapter string) {
	if v.Tag != "!!str" {
		return
	}
	val := s.yamlScalar(path, k, v)
	val.byKey, val.adapter = byKey, adapter
	s.consider(val)
}

// yamlScalar makes a value of scalar v.
func (s *scanner) yamlScalar(path string, k, v *yamlconf.Node) value {
	val := value{key: path, text: v.Value, span: v.Span, c: yamlContainer(v.Style), m: v.Map(), approx: v.Approx}
	if k != nil {
		val.keySpan = k.Span
	}
	if v.Approx {
		val.m = textmap.Identity(v.Span.Start, 0)
	}
	return val
}

func yamlContainer(st yamlconf.Style) Container {
	switch st {
	case yamlconf.SingleQuoted:
		return YAMLSingle
	case yamlconf.DoubleQuoted:
		return YAMLDouble
	case yamlconf.Literal:
		return YAMLLiteral
	case yamlconf.Folded:
		return YAMLFolded
	}
	return YAMLPlain
}

// railsKeys are the database.yml keys of the mysql2 and trilogy adapters
// that set TLS (mysql2: https://github.com/brianmario/mysql2#ssltls-options,
// lib/mysql2/client.rb; trilogy: activerecord's trilogy_adapter passes
// ssl_mode, sslca, sslkey, sslcert, sslverify, sslcapath, sslcipher).
var railsKeys = map[string]bool{"ssl_mode": true, "sslca": true, "sslkey": true, "sslcert": true,
	"sslverify": true, "sslcapath": true, "sslcipher": true}

// rails reads a database.yml document: each top-level key is an
// environment; its mapping is a configuration (with "<<" merges), or,
// for a multi-database environment, a mapping of configurations.
func (s *scanner) rails(root *yamlconf.Node) {
	if root.Kind != yamlconf.Mapping {
		return
	}
	// A mapping merged into an environment ("default: &default") is a
	// template: its keys are reported in the environments that merge it.
	merged := map[*yamlconf.Node]bool{}
	for _, env := range root.Pairs {
		if env.Value.Kind == yamlconf.Mapping {
			for _, kv := range env.Value.Pairs {
				if kv.Key.Tag == "!!merge" {
					for _, t := range mergeSources(kv.Value) {
						merged[t] = true
					}
				}
			}
		}
	}
	for _, env := range root.Pairs {
		if env.Key.Kind != yamlconf.Scalar || env.Value.Kind != yamlconf.Mapping || merged[env.Value] && !railsEnvs[env.Key.Value] {
			continue
		}
		if isRailsConfig(env.Value) {
			s.railsConfig(env.Key.Value, env.Value)
			continue
		}
		for _, db := range env.Value.Pairs {
			if db.Key.Kind == yamlconf.Scalar && db.Value.Kind == yamlconf.Mapping {
				s.railsConfig(env.Key.Value+"."+db.Key.Value, db.Value)
			}
		}
	}
}

// isRailsConfig reports whether m configures a connection rather than
// grouping the configurations of several databases.
func isRailsConfig(m *yamlconf.Node) bool {
	for _, kv := range m.Pairs {
		if kv.Key.Tag == "!!merge" || kv.Value.Kind == yamlconf.Scalar {
			return true
		}
	}
	return false
}

// railsConfig reports the url and TLS keys of one configuration. Keys
// merged in ("<<: *default") are reported where they are written,
// under this configuration's path; a key written here overrides them.
func (s *scanner) railsConfig(at string, m *yamlconf.Node) {
	pairs := railsPairs(m, 0)
	adapter := ""
	if a, ok := pairs["adapter"]; ok && a.Value.Kind == yamlconf.Scalar {
		adapter = a.Value.Value
	}
	if adapter != "" && adapter != "mysql2" && adapter != "trilogy" {
		return // postgresql, sqlite3…: never ours
	}
	for _, name := range sortedKeys(pairs) {
		kv := pairs[name]
		if kv.Value.Kind != yamlconf.Scalar {
			continue
		}
		p := at + "." + name
		switch {
		case name == "url" && strings.Contains(kv.Value.Value, "<%"):
			s.res.Settings = append(s.res.Settings, s.railsSetting(p, name, kv, adapter))
		case name == "url":
			s.yamlValue(p, kv.Key, kv.Value, true, adapter)
		case railsKeys[name]:
			s.res.Settings = append(s.res.Settings, s.railsSetting(p, name, kv, adapter))
		}
	}
}

func (s *scanner) railsSetting(p, name string, kv yamlconf.Pair, adapter string) Setting {
	v := s.yamlScalar(p, kv.Key, kv.Value)
	st := Setting{Key: p, Name: name, Value: v.text, KeySpan: kv.Key.Span, Span: v.span, Container: v.c,
		Adapter: adapter, Unknown: strings.Contains(v.text, "<%") || v.approx, m: v.m}
	if strings.Contains(v.text, "<%") {
		st.Value = ""
	}
	return st
}

// railsEnvs are the environments Rails itself defines, read even when
// another environment merges them.
var railsEnvs = map[string]bool{"development": true, "test": true, "production": true}

// mergeSources returns the mappings a merge key's value v names: an
// alias or a sequence of aliases (or mappings written in place).
func mergeSources(v *yamlconf.Node) []*yamlconf.Node {
	srcs := []*yamlconf.Node{v}
	if v.Kind == yamlconf.Sequence {
		srcs = v.Items
	}
	var out []*yamlconf.Node
	for _, src := range srcs {
		if src.Kind == yamlconf.Alias {
			src = src.Target
		}
		if src != nil && src.Kind == yamlconf.Mapping {
			out = append(out, src)
		}
	}
	return out
}

// railsPairs returns m's pairs by key, merges first and keys written in
// m over them, as YAML merge keys work (https://yaml.org/type/merge.html).
// depth bounds merges of merges.
func railsPairs(m *yamlconf.Node, depth int) map[string]yamlconf.Pair {
	out := map[string]yamlconf.Pair{}
	if depth > 8 {
		return out
	}
	for _, kv := range m.Pairs {
		if kv.Key.Tag != "!!merge" {
			continue
		}
		for _, src := range mergeSources(kv.Value) {
			for k, v := range railsPairs(src, depth+1) {
				if _, ok := out[k]; !ok {
					out[k] = v
				}
			}
		}
	}
	for _, kv := range m.Pairs {
		if kv.Key.Kind == yamlconf.Scalar && kv.Key.Tag != "!!merge" {
			out[kv.Key.Value] = kv
		}
	}
	return out
}

// sortedKeys returns the keys of pairs in the order their keys are
// written in the file (merged keys where their anchor is).
func sortedKeys(pairs map[string]yamlconf.Pair) []string {
	keys := make([]string, 0, len(pairs))
	for k := range pairs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return pairs[a].Key.Span.Start - pairs[b].Key.Span.Start })
	return keys
}
