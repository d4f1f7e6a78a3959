package load

import (
	"net/url"
	"strings"

	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/connstr"
	"github.com/tlsvet/tlsvet/parsers/dsn"
)

// Rails config/database.yml: an environment's TLS keys are the same hash
// a DATABASE_URL's query becomes (ConnectionUrlResolver merges one into
// the other,
// https://github.com/rails/rails/blob/main/activerecord/lib/active_record/database_configurations/connection_url_resolver.rb),
// so the adapter's reading is parsers/dsn's RailsMySQL2 or RailsTrilogy
// over a query made of those keys, and each parameter maps back to its
// YAML key.

// railsDialects are the adapters whose TLS keys tlsvet reads.
var railsDialects = map[string]dsn.Dialect{"mysql2": dsn.RailsMySQL2, "trilogy": dsn.RailsTrilogy}

// yamlFalse are the YAML 1.1 spellings of false Psych (Ruby's YAML) reads
// as a boolean: sslverify: false reaches mysql2 as false, not as the
// string "false" a URL gives.
var yamlFalse = map[string]bool{"false": true, "False": true, "FALSE": true, "no": true, "No": true, "NO": true,
	"off": true, "Off": true, "OFF": true}

// railsConnections builds one connection per environment of a
// database.yml whose adapter tlsvet reads.
func railsConnections(f *source.File, settings []connstr.Setting) []*model.Connection {
	type env struct {
		adapter string
		set     []*connstr.Setting
	}
	var order []string
	envs := map[string]*env{}
	for i := range settings {
		s := &settings[i]
		name := s.Key
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			name = name[:i]
		}
		e := envs[name]
		if e == nil {
			e = &env{}
			envs[name] = e
			order = append(order, name)
		}
		if s.Adapter != "" {
			e.adapter = s.Adapter
		}
		e.set = append(e.set, s)
	}
	var out []*model.Connection
	for _, name := range order {
		e := envs[name]
		d, ok := railsDialects[e.adapter]
		if !ok {
			continue
		}
		if c := railsConnection(f, name, d, e.set); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// railsConnection reads one environment's settings as adapter d does.
func railsConnection(f *source.File, env string, d dsn.Dialect, set []*connstr.Setting) *model.Connection {
	var q strings.Builder
	var kept []*connstr.Setting
	for _, s := range set {
		v := s.Value
		switch {
		case s.Unknown:
			v = "${ERB}" // an ERB value: unresolved, never judged
		case s.Container == connstr.YAMLPlain && yamlFalse[v] && s.Name == "sslverify":
			continue // the boolean false: no verification asked for, no trap
		}
		if q.Len() > 0 {
			q.WriteByte('&')
		}
		q.WriteString(url.QueryEscape(s.Name) + "=" + url.QueryEscape(v))
		kept = append(kept, s)
	}
	scheme := map[dsn.Dialect]string{dsn.RailsMySQL2: "mysql2", dsn.RailsTrilogy: "trilogy"}[d]
	parsed, err := dsn.Parse(d, scheme+"://db/?"+q.String())
	if err != nil || len(parsed.Params) > len(kept) {
		return nil
	}
	// Blank values are dropped by the reading: match parameters by key.
	byKey := map[string]*connstr.Setting{}
	for _, s := range kept {
		byKey[s.Name] = s
	}
	settings := make([]*model.Setting, len(parsed.Params))
	for i := range parsed.Params {
		s := byKey[parsed.Params[i].Key]
		if s == nil {
			return nil
		}
		settings[i] = &model.Setting{Origin: yamlOrigin{s}, Key: s.Name, Name: s.Name, HasValue: true, Value: s.Value,
			KeySpan: s.KeySpan, ValueSpan: s.Span, Unknown: s.Unknown}
	}
	at := func(v *dsn.Value) *model.Setting {
		if v == nil || v.Param < 0 || v.Param >= len(settings) {
			return nil
		}
		return settings[v.Param]
	}
	cl := parsed.Client
	c := &model.Connection{Driver: drivers[d] + " (database.yml " + env + ")", Dialect: string(d), Where: env,
		Span: set[0].KeySpan, Settings: settings, SystemStore: true, Note: cl.Note}
	c.Mode, c.From, c.Behaviour = cl.Mode, cl.From, cl.Effective
	if cl.ModeParam >= 0 && cl.ModeParam < len(settings) {
		c.By = settings[cl.ModeParam]
	}
	c.CA, c.CADir = caOf(at(cl.CA), at(cl.CAPath))
	c.Cert, c.Key, c.Protocols, c.Ciphers = at(cl.Cert), at(cl.Key), at(cl.Protocols), at(cl.Ciphers)
	for _, t := range parsed.Traps {
		if t.Param >= 0 && t.Param < len(settings) {
			c.Traps = append(c.Traps, model.Trap{Setting: settings[t.Param], Kind: t.Kind, Effect: t.Effect, Want: t.Want})
		}
	}
	// A mode is one YAML value: replace it when the adapter has a key for
	// it and nothing else must change.
	c.SetMode = func(m model.Mode) (string, []source.Edit, bool) {
		me, ok := parsed.SetModeEdits(m)
		if !ok {
			return "", nil, false
		}
		text := me.Key + ": " + me.Value
		if me.Set < 0 || len(me.Remove) > 0 {
			return text, nil, false
		}
		ed, ok := settings[me.Set].SetValue(me.Value)
		if !ok {
			return text, nil, false
		}
		return text, []source.Edit{ed}, true
	}
	return c
}

// yamlOrigin is the origin of a YAML key's scalar value.
type yamlOrigin struct{ s *connstr.Setting }

// Syntax implements model.Origin.
func (yamlOrigin) Syntax() string { return "YAML value" }

// Offset implements model.Origin.
func (o yamlOrigin) Offset(_ *model.Setting, i int) (int, bool) {
	sp, exact := o.s.SpanOf(0, i)
	return sp.End, exact
}

// Spell implements model.Origin: the value as its scalar style writes it.
func (o yamlOrigin) Spell(s *model.Setting, v string) (string, bool) {
	if _, exact := o.s.SpanOf(0, len(o.s.Value)); !exact {
		return "", false
	}
	return o.s.Container.Quote(v)
}

// Removal implements model.Origin: a YAML key cannot be removed with its
// line alone when it starts a block; no removal is offered.
func (yamlOrigin) Removal(*model.Setting) (source.Span, bool) { return source.Span{}, false }
