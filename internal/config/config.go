// Package config reads .tlsvet.toml, strictly: an unknown key is an error
// with its line, so a typo never silently turns a check off.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
)

// FileName is the config file looked for upward from the first path.
const FileName = ".tlsvet.toml"

// Config mirrors .tlsvet.toml (README.md, "Configuration").
type Config struct {
	Target  []string  `toml:"target"`
	Policy  Policy    `toml:"policy"`
	Rules   RuleSet   `toml:"rules"`
	Exclude []Exclude `toml:"exclude"`
}

// Policy is the [policy] table.
type Policy struct {
	MinProtocol         string `toml:"min_protocol"`
	RequireVerification bool   `toml:"require_verification"`
	CertExpiryDays      int    `toml:"cert_expiry_days"`
	// OpenSSLSecurityLevel is a pointer because 0 is a level.
	OpenSSLSecurityLevel *int `toml:"openssl_security_level"`
}

// RuleSet is the [rules] table.
type RuleSet struct {
	Enable   []string          `toml:"enable"`
	Disable  []string          `toml:"disable"`
	Severity map[string]string `toml:"severity"`
}

// Exclude is one [[exclude]] entry.
type Exclude struct {
	Paths []string `toml:"paths"`
}

// MaxSize is the largest .tlsvet.toml read (1 MiB); a real one is a few
// hundred bytes.
const MaxSize = 1 << 20

// Find looks for .tlsvet.toml in dir and its parents up to the repository
// root (the first directory holding .git, a directory or, in worktrees
// and submodules, a file), so that no directory above the repository
// picks the scanned root. Outside any repository only dir itself is
// searched. "" when none.
func Find(dir string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	inRepo := Repository(dir) != ""
	for {
		p := filepath.Join(dir, FileName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if !inRepo || parent == dir {
			return ""
		}
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return ""
		}
		dir = parent
	}
}

// Repository returns the nearest directory at or above dir that holds
// .git, or "".
func Repository(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// Parse decodes a config and checks it against the catalogue of every
// rule; name is used in error messages.
func Parse(name string, data []byte, catalog []*lint.Rule) (*Config, error) {
	var c Config
	d := toml.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	if err := d.Decode(&c); err != nil {
		var sme *toml.StrictMissingError
		if errors.As(err, &sme) {
			var msgs []string
			for _, e := range sme.Errors {
				row, col := e.Position()
				key := strings.Join(e.Key(), ".")
				msg := fmt.Sprintf("%s:%d:%d: unknown key %q", name, row, col, key)
				if s := suggestKey(e.Key()); s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
				msgs = append(msgs, msg)
			}
			return nil, errors.New(strings.Join(msgs, "\n"))
		}
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return nil, fmt.Errorf("%s:%d:%d: %s", name, row, col, de.Error())
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if _, err := c.Resolve(catalog); err != nil {
		var ve *valueError
		if errors.As(err, &ve) {
			if row, col := valuePos(data, ve.key); row > 0 {
				return nil, fmt.Errorf("%s:%d:%d: %s", name, row, col, ve.msg)
			}
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &c, nil
}

// valueError is a value out of its range; Parse adds the value's line.
type valueError struct {
	key string // dotted: "policy.cert_expiry_days"
	msg string
}

func (e *valueError) Error() string { return e.msg }

// valuePos returns the line and column of the value of the dotted key in
// data, or 0, 0 when it is not written as "key = value" (an inline table).
func valuePos(data []byte, key string) (row, col int) {
	var p unstable.Parser
	p.Reset(data)
	table := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = dotted(e.Key())
		case unstable.KeyValue:
			k := dotted(e.Key())
			if table != "" {
				k = table + "." + k
			}
			if k == key {
				s := p.Shape(e.Value().Raw)
				return s.Start.Line, s.Start.Column
			}
		}
	}
	return 0, 0
}

// dotted joins the parts of a parsed key with dots.
func dotted(it unstable.Iterator) string {
	var parts []string
	for it.Next() {
		parts = append(parts, string(it.Node().Data))
	}
	return strings.Join(parts, ".")
}

// knownKeys are the keys of each table, for "did you mean".
var knownKeys = map[string][]string{
	"":        {"target", "policy", "rules", "exclude"},
	"policy":  {"min_protocol", "require_verification", "cert_expiry_days", "openssl_security_level"},
	"rules":   {"enable", "disable", "severity"},
	"exclude": {"paths"},
}

func suggestKey(path []string) string {
	if len(path) == 0 {
		return ""
	}
	table := strings.Join(path[:len(path)-1], ".")
	best, bestD := "", 3
	for _, k := range knownKeys[table] {
		if d := facts.EditDistance(path[len(path)-1], k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// Resolved is the config turned into what the engine and loader use.
type Resolved struct {
	Targets  []facts.Target
	Policy   lint.Policy
	Rules    []*lint.Rule // enabled rules
	Severity map[string]lint.Severity
	Exclude  func(name string) bool
}

// Resolve validates values (targets, rule IDs, severities, globs) against
// the catalogue of every rule and returns what the run uses. A nil config
// gives the defaults.
func (c *Config) Resolve(catalog []*lint.Rule) (*Resolved, error) {
	r := &Resolved{Policy: lint.DefaultPolicy, Severity: map[string]lint.Severity{}}
	if c == nil {
		c = &Config{}
	}
	for _, s := range c.Target {
		t, err := facts.ParseTarget(s)
		if err != nil {
			return nil, fmt.Errorf("target %q: %w", s, err)
		}
		r.Targets = append(r.Targets, t)
	}
	if c.Policy.MinProtocol != "" {
		p, ok := facts.AnyProtocol(c.Policy.MinProtocol)
		if !ok {
			return nil, &valueError{"policy.min_protocol", fmt.Sprintf(
				"policy.min_protocol %q is not a TLS protocol (TLSv1.2, TLSv1.3)", c.Policy.MinProtocol)}
		}
		r.Policy.MinProtocol = p
	}
	r.Policy.RequireVerification = c.Policy.RequireVerification
	if c.Policy.CertExpiryDays != 0 {
		if c.Policy.CertExpiryDays < 0 {
			return nil, &valueError{"policy.cert_expiry_days", "policy.cert_expiry_days must not be negative"}
		}
		r.Policy.CertExpiryDays = c.Policy.CertExpiryDays
	}
	// OpenSSL has levels 0 to 5
	// (https://docs.openssl.org/3.0/man3/SSL_CTX_set_security_level/).
	if l := c.Policy.OpenSSLSecurityLevel; l != nil {
		if *l < 0 || *l > 5 {
			return nil, &valueError{"policy.openssl_security_level", fmt.Sprintf(
				"policy.openssl_security_level = %d is not an OpenSSL security level (0 to 5)", *l)}
		}
		r.Policy.OpenSSLSecurityLevel = *l
	}
	enabled, err := Select(catalog, c.Rules.Enable, c.Rules.Disable)
	if err != nil {
		return nil, err
	}
	r.Rules = enabled
	for id, s := range c.Rules.Severity {
		rule := lint.Lookup(catalog, id)
		if rule == nil {
			return nil, fmt.Errorf("rules.severity: unknown rule %q", id)
		}
		sev, err := lint.ParseSeverity(s)
		if err != nil {
			return nil, fmt.Errorf("rules.severity.%s: %w", id, err)
		}
		r.Severity[rule.ID] = sev
	}
	var globs []string
	for _, e := range c.Exclude {
		for _, p := range e.Paths {
			if _, err := Match(p, ""); err != nil {
				return nil, fmt.Errorf("exclude path %q: %w", p, err)
			}
			globs = append(globs, p)
		}
	}
	r.Exclude = func(name string) bool {
		for _, g := range globs {
			if ok, _ := Match(g, name); ok {
				return true
			}
		}
		return false
	}
	return r, nil
}

// Select returns the rules of catalog left after enable and disable lists
// of IDs, names or ID prefixes ("TV1" = every TV1xx rule). An empty enable
// list means every rule.
func Select(catalog []*lint.Rule, enable, disable []string) ([]*lint.Rule, error) {
	match := func(sel string) ([]*lint.Rule, error) {
		if r := lint.Lookup(catalog, sel); r != nil {
			return []*lint.Rule{r}, nil
		}
		var out []*lint.Rule
		up := strings.ToUpper(sel)
		if strings.HasPrefix(up, "TV") {
			for _, r := range catalog {
				if strings.HasPrefix(r.ID, up) {
					out = append(out, r)
				}
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("unknown rule %q (see `tlsvet rules`)", sel)
		}
		return out, nil
	}
	on := map[string]bool{}
	if len(enable) == 0 {
		for _, r := range catalog {
			on[r.ID] = true
		}
	}
	for _, s := range enable {
		rs, err := match(s)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			on[r.ID] = true
		}
	}
	for _, s := range disable {
		rs, err := match(s)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			delete(on, r.ID)
		}
	}
	var out []*lint.Rule
	for _, r := range catalog {
		if on[r.ID] {
			out = append(out, r)
		}
	}
	return out, nil
}
