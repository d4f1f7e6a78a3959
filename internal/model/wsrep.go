package model

import (
	"strings"

	"github.com/tlsvet/tlsvet/internal/source"
)

// ProviderOption is one key=value of a Galera option string
// (wsrep_provider_options="socket.ssl=yes;socket.ssl_key=…").
type ProviderOption struct {
	Key, Value string
	// KeySpan and ValueSpan are the exact bytes (blanks trimmed) when the
	// option's value was written without escapes, else the whole value.
	KeySpan, ValueSpan source.Span
	HasValue           bool
}

// ProviderOptions splits the value the way Galera's gu::Config::parse does:
// ';' separates parameters unless a backslash escapes it, the first '='
// separates key and value, blanks around both are ignored, empty parameters
// are skipped
// (https://github.com/codership/galera/blob/4.x/galerautils/src/gu_config.cpp).
// A later duplicate key wins, as in Galera: see LastProviderOption.
func (o *Setting) ProviderOptions() []ProviderOption {
	if !o.HasValue {
		return nil
	}
	var out []ProviderOption
	for _, it := range joinEscaped(o.List(";")) {
		if strings.Trim(it.Text, galeraBlanks) == "" {
			continue
		}
		key, val, has := strings.Cut(it.Text, "=")
		p := ProviderOption{Key: strings.Trim(key, galeraBlanks), Value: strings.Trim(val, galeraBlanks), HasValue: has,
			KeySpan: it.Span, ValueSpan: it.Span}
		if it.Exact {
			p.KeySpan = trimmedSpan(it.Span, 0, len(key))
			if has {
				p.ValueSpan = trimmedSpan(it.Span, len(key)+1, len(it.Text))
			} else {
				p.ValueSpan = it.Span.Sub(len(it.Text), len(it.Text))
			}
		}
		out = append(out, p)
	}
	return out
}

// LastProviderOption returns the effective parameter named key
// (case-sensitive, as Galera compares them), or nil.
func LastProviderOption(ps []ProviderOption, key string) *ProviderOption {
	for i := len(ps) - 1; i >= 0; i-- {
		if ps[i].Key == key {
			return &ps[i]
		}
	}
	return nil
}

// joinEscaped rejoins items split at a ';' that a backslash escapes.
func joinEscaped(items []Item) []Item {
	var out []Item
	for _, it := range items {
		if n := len(out); n > 0 && escapedEnd(out[n-1].Text) {
			prev := &out[n-1]
			prev.Text += ";" + it.Text
			if prev.Exact {
				prev.Span.End = it.Span.End
			}
			continue
		}
		out = append(out, it)
	}
	return out
}

// escapedEnd reports whether s ends in an odd number of backslashes.
func escapedEnd(s string) bool {
	n := len(s) - len(strings.TrimRight(s, `\`))
	return n%2 == 1
}

// galeraBlanks are what Galera strips around keys and values (isspace).
const galeraBlanks = " \t\n\v\f\r"

// trimmedSpan is the part [start,end) of s without surrounding blanks.
func trimmedSpan(s source.Span, start, end int) source.Span {
	t := s.Text()[start:end]
	lead := len(t) - len(strings.TrimLeft(t, galeraBlanks))
	return s.Sub(start+lead, start+lead+len(strings.Trim(t, galeraBlanks)))
}
