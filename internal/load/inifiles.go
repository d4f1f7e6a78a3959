package load

import (
	"strings"

	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/appini"
	"github.com/tlsvet/tlsvet/parsers/dsn"
)

// INI application configs (parsers/appini): ODBC data sources, MySQL
// Router's legs to the server, Grafana's and Gitea's [database] become
// model.Connections; the settings that stop a program become refusals.

// addINI adds one parsed INI file.
func (b *builder) addINI(f *appini.File) {
	setting := b.iniSetting
	add := func(driver string, at source.Span, c appini.Client, setMode func(m model.Mode) (string, []source.Edit, bool)) *model.Connection {
		conn := &model.Connection{Driver: driver, Dialect: "ini:" + f.Kind.String(), Span: at, SystemStore: true,
			Unresolved: c.Unresolved, Note: c.Note, SetMode: setMode}
		conn.Mode, conn.From = c.Mode, c.From
		conn.By = setting(c.ModeEntry)
		conn.Behaviour = c.Effective
		conn.CA, conn.CADir = caOf(setting(c.CA), setting(c.CAPath))
		conn.Cert, conn.Key = setting(c.Cert), setting(c.Key)
		conn.Protocols, conn.Ciphers = setting(c.Protocols), setting(c.Ciphers)
		if c.Unix {
			conn.Transport = model.Socket
		}
		b.p.Connections = append(b.p.Connections, conn)
		return conn
	}
	switch f.Kind {
	case appini.ODBC:
		for i := range f.DataSources {
			ds := &f.DataSources[i]
			if !ds.MySQL {
				continue
			}
			// Connector/ODBC links libmysqlclient: a verifying SSLMODE
			// needs SSLCA or SSLCAPATH (noSystemStore).
			conn := add("MySQL Connector/ODBC (["+ds.Name+"])", ds.Header, ds.Client, iniSetMode(ds.Client.ModeEntry, setting, "VERIFY_IDENTITY"))
			conn.SystemStore = !noSystemStore[dsn.ODBC]
		}
	case appini.Router:
		if b.routerFiles == nil {
			b.routerFiles = map[string]*appini.File{}
		}
		b.routerFiles[f.Src.Path] = f
		if b.routerLegs == nil {
			b.routerLegs = map[source.Span]*model.Connection{}
		}
		for i := range f.Routes {
			r := &f.Routes[i]
			b.routerLegs[r.Header] = add("MySQL Router (["+r.Name+"] to the server)", r.Header, r.Upstream, nil)
			b.refusals(r.Stops)
		}
	case appini.Grafana, appini.Gitea:
		if db := f.Database; db != nil && db.MySQL {
			add(map[appini.Kind]string{appini.Grafana: "Grafana", appini.Gitea: "Gitea"}[f.Kind]+" ([database])", db.Header, db.Client, nil)
			b.refusals(db.Stops)
		}
	}
}

// iniSetting is an INI entry as a setting, one per entry, so that the
// records built of one file share their settings; nil for nil.
func (b *builder) iniSetting(e *appini.Entry) *model.Setting {
	if e == nil {
		return nil
	}
	if s := b.iniSettings[e]; s != nil {
		return s
	}
	s := &model.Setting{Origin: iniOrigin{}, Key: e.Key, Name: strings.ToLower(e.Key), HasValue: true,
		Value: e.Value, KeySpan: e.KeySpan, ValueSpan: e.ValueSpan}
	if b.iniSettings == nil {
		b.iniSettings = map[*appini.Entry]*model.Setting{}
	}
	b.iniSettings[e] = s
	return s
}

// refusals records the settings a program refuses.
func (b *builder) refusals(ps []appini.Problem) {
	for _, p := range ps {
		b.p.Refusals = append(b.p.Refusals, model.Refusal{Span: p.Span, Message: p.Msg})
	}
}

// iniSetMode is SetMode for a client whose mode is one INI value: the
// entry's value becomes value.
func iniSetMode(e *appini.Entry, setting func(*appini.Entry) *model.Setting, value string) func(model.Mode) (string, []source.Edit, bool) {
	if e == nil {
		return nil
	}
	return func(m model.Mode) (string, []source.Edit, bool) {
		s := setting(e)
		text := s.Key + "=" + value
		if m != model.ModeVerifyIdentity {
			return "", nil, false
		}
		ed, ok := s.SetValue(value)
		if !ok {
			return text, nil, false
		}
		return text, []source.Edit{ed}, true
	}
}

// iniOrigin is the origin of an INI key = value line.
type iniOrigin struct{}

// Syntax implements model.Origin.
func (iniOrigin) Syntax() string { return "INI file" }

// Offset implements model.Origin: a value is exact when its bytes are the
// value (no quotes removed, no continuation joined).
func (iniOrigin) Offset(s *model.Setting, i int) (int, bool) {
	sp := s.ValueSpan
	if sp.End-sp.Start != len(s.Value) || sp.Text() != s.Value {
		return min(sp.Start+i, sp.End), false
	}
	return sp.Start + i, true
}

// Spell implements model.Origin: INI values are written bare; one that
// would need quoting or could start a comment is not spelled.
func (iniOrigin) Spell(_ *model.Setting, v string) (string, bool) {
	if strings.ContainsAny(v, "\n\r#;\"'") || strings.TrimSpace(v) != v {
		return "", false
	}
	return v, true
}

// Removal implements model.Origin: the entry's whole line.
func (iniOrigin) Removal(s *model.Setting) (source.Span, bool) {
	f := s.KeySpan.File
	line := f.Position(s.KeySpan.Start).Line
	return f.Span(f.LineStart(line), f.LineStart(line+1)), true
}
