package report

import (
	"io"
	"strings"

	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
)

// JSONVersion is the version of the JSON shape; it changes only when a
// field is removed or changes meaning.
const JSONVersion = 1

// JSON writes the findings as one JSON object:
//
//	{
//	  "version": 1,                      // JSONVersion: the shape, not tlsvet
//	  "tool_version": "0.1.0",           // tlsvet's version
//	  "findings": [                      // [] when clean, never null
//	    {
//	      "rule": "TV101",
//	      "name": "tls-version-hole",
//	      "severity": "warning",           // "error", "warning" or "note"
//	      "message": "tls_version has a hole: …",
//	      "path": "conf/my.cnf",           // as given to tlsvet, slash-separated
//	      "start": {"line": 2, "column": 13, "offset": 24},
//	      "end":   {"line": 2, "column": 26, "offset": 37},
//	      "related": [                     // [] when none
//	        {"path": "…", "start": {…}, "end": {…}, "message": "…"}
//	      ],
//	      "fix": {                         // absent when there is no exact fix, or its text would show a secret
//	        "message": "remove TLSv1",
//	        "edits": [
//	          {"path": "conf/my.cnf", "start_offset": 24, "end_offset": 31, "new_text": ""}
//	        ],
//	        "suggestion": true             // absent unless --fix leaves it (it raises verification without a known CA)
//	      }
//	    }
//	  ],
//	  "omitted_findings": 120,           // absent unless the output caps left findings out
//	  "notifications": [                 // [] when none; say what the caps left out
//	    {"path": "conf/broken.cnf", "message": "cannot read: permission denied"}
//	  ],
//	  "clients": [                       // [] when none: connection strings and applications' database settings
//	    {
//	      "driver": "go-sql-driver/mysql", // the driver whose reading this is
//	      "dialect": "go-sql-driver/mysql",
//	      "candidates": ["prisma", "sqlx"],// absent unless a bare mysql:// URL fits several dialects
//	      "path": "deploy/app.env", "start": {…}, "end": {…},  // the whole string
//	      "key": "DB_DSN",                 // where it was found: env var, properties key, YAML path, JSON pointer
//	      "mode": "REQUIRED",              // UNKNOWN, DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY
//	      "mode_from": "explicit",         // explicit, driver_default, derived, legacy_alias
//	      "mode_setting": {"key": "tls", "value": "skip-verify", "syntax": "go-sql-driver/mysql connection string",
//	                       "start": {…}, "end": {…}},   // absent for a driver default
//	      "encrypts": true, "plaintext_fallback": false, "verifies_chain": false, "verifies_host": false,
//	      "tls_settings": [                // [] when none; role is ca, cert, key, protocols or ciphers
//	        {"role": "ca", "key": "SslCa", "value": "ca.pem", "syntax": "…", "start": {…}, "end": {…}}
//	      ],
//	      "host": "db", "transport": "tcp", // tcp, socket or pipe (TLS does not apply to the last two)
//	      "unresolved": ["${DB_TLS}"]      // absent unless the repository cannot tell a value
//	    }
//	  ],
//	  "links": [                         // [] when none: which client connects to which server, and why
//	    {"client": {"kind": "go-sql-driver/mysql", "name": "services.app.environment.DB_DSN", "path": "compose.yaml", "start": {…}},
//	     "server": {"kind": "compose service", "name": "db", "path": "compose.yaml", "start": {…}},
//	     "reason": "host db is the compose service db"}
//	  ]
//	}
//
// Lines and columns are 1-based; columns count Unicode code points.
// Offsets are 0-based byte offsets into the file; "end" is exclusive (just
// after the last character), and an edit replaces the bytes
// [start_offset, end_offset) with new_text. Findings come sorted by path,
// position and rule.
func JSON(w io.Writer, r *Report) error {
	rs := newRuleSet(r.Rules)
	mask := r.secretMasker()
	out := jsonReport{
		Version:       JSONVersion,
		ToolVersion:   r.Version,
		Findings:      []jsonFinding{},
		Notifications: []Notification{},
		Omitted:       r.Omitted,
		Clients:       []jsonClient{},
	}
	for _, c := range r.Clients {
		out.Clients = append(out.Clients, r.jsonClientOf(c, mask))
	}
	out.Links = []jsonLink{}
	for _, l := range r.Links {
		j := jsonLink{Reason: mask(l.Reason), Client: jsonEnd{Kind: l.Client.Driver, Name: l.Client.Where}}
		j.Client.Path, j.Client.Start, _ = jsonSpan(l.Client.Span)
		j.Client.Path = r.path(j.Client.Path)
		var d *model.Deployment
		switch {
		case l.Server != nil:
			d = l.Server.Deployment
		case l.Route != nil: // the client's TLS ends at a MySQL Router route
			d = l.Route.Deployment
		}
		if d != nil {
			j.Server = jsonEnd{Kind: d.Kind, Name: d.Name}
			j.Server.Path, j.Server.Start, _ = jsonSpan(d.Span)
			j.Server.Path = r.path(j.Server.Path)
		}
		out.Links = append(out.Links, j)
	}
	for _, d := range r.Diagnostics {
		f := jsonFinding{
			Rule:     d.RuleID,
			Severity: rs.severity(d).String(),
			Message:  mask(d.Message),
			Related:  []jsonRelated{},
		}
		if rule := rs.lookup(d.RuleID); rule != nil {
			f.Name = rule.Name
		}
		f.Path, f.Start, f.End = jsonSpan(d.Span)
		f.Path = r.path(f.Path)
		for _, rel := range d.Related {
			j := jsonRelated{Message: mask(rel.Message)}
			j.Path, j.Start, j.End = jsonSpan(rel.Span)
			j.Path = r.path(j.Path)
			f.Related = append(f.Related, j)
		}
		if d.Fix != nil && !showsSecret(d.Fix) {
			jf := &jsonFix{Message: mask(d.Fix.Message), Edits: []jsonEdit{}, Suggestion: d.Fix.Suggestion}
			for _, e := range d.Fix.Edits {
				je := jsonEdit{StartOffset: e.Span.Start, EndOffset: e.Span.End, NewText: e.New}
				if e.Span.IsValid() {
					je.Path = r.path(e.Span.File.Path)
				}
				jf.Edits = append(jf.Edits, je)
			}
			f.Fix = jf
		}
		out.Findings = append(out.Findings, f)
	}
	for _, n := range r.Notifications {
		n.Path = r.path(n.Path)
		n.Message = mask(n.Message)
		n.Level = n.level()
		out.Notifications = append(out.Notifications, n)
	}
	return encodeJSON(w, out)
}

type jsonReport struct {
	Version       int            `json:"version"`
	ToolVersion   string         `json:"tool_version"`
	Findings      []jsonFinding  `json:"findings"`
	Omitted       int            `json:"omitted_findings,omitempty"` // left out by the output caps
	Notifications []Notification `json:"notifications"`
	Clients       []jsonClient   `json:"clients"`
	Links         []jsonLink     `json:"links"`
}

// jsonLink says that a client connects to a server, and why.
type jsonLink struct {
	Client jsonEnd `json:"client"`
	Server jsonEnd `json:"server"`
	Reason string  `json:"reason"`
}

// jsonEnd is one end of a link: where it is declared.
type jsonEnd struct {
	Kind  string  `json:"kind"` // the client's driver; the server's deployment kind
	Name  string  `json:"name,omitempty"`
	Path  string  `json:"path"`
	Start jsonPos `json:"start"`
}

// jsonClient is a connection's client record: what the driver really does
// with TLS, and where each deciding setting is written.
type jsonClient struct {
	Driver            string         `json:"driver"`
	Dialect           string         `json:"dialect"`
	Candidates        []string       `json:"candidates,omitempty"`
	Path              string         `json:"path"`
	Start             jsonPos        `json:"start"`
	End               jsonPos        `json:"end"`
	Key               string         `json:"key,omitempty"`
	Mode              string         `json:"mode"`
	ModeFrom          string         `json:"mode_from"`
	ModeSetting       *jsonSetting   `json:"mode_setting,omitempty"`
	Encrypts          bool           `json:"encrypts"`
	PlaintextFallback bool           `json:"plaintext_fallback"`
	VerifiesChain     bool           `json:"verifies_chain"`
	VerifiesHost      bool           `json:"verifies_host"`
	Settings          []*jsonSetting `json:"tls_settings"`
	Host              string         `json:"host,omitempty"`
	Transport         string         `json:"transport"`
	Unresolved        []string       `json:"unresolved,omitempty"`
}

// jsonSetting is one setting with its origin.
type jsonSetting struct {
	Role   string  `json:"role,omitempty"` // "ca", "cert", "key", "protocols", "ciphers"
	Key    string  `json:"key"`
	Value  string  `json:"value"`
	Syntax string  `json:"syntax"`
	Start  jsonPos `json:"start"`
	End    jsonPos `json:"end"`
}

type jsonFinding struct {
	Rule     string        `json:"rule"`
	Name     string        `json:"name"`
	Severity string        `json:"severity"`
	Message  string        `json:"message"`
	Path     string        `json:"path"`
	Start    jsonPos       `json:"start"`
	End      jsonPos       `json:"end"`
	Related  []jsonRelated `json:"related"`
	Fix      *jsonFix      `json:"fix,omitempty"`
}

type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Offset int `json:"offset"`
}

type jsonRelated struct {
	Path    string  `json:"path"`
	Start   jsonPos `json:"start"`
	End     jsonPos `json:"end"`
	Message string  `json:"message"`
}

type jsonFix struct {
	Message string     `json:"message"`
	Edits   []jsonEdit `json:"edits"`
	// Suggestion: --fix does not apply it (lint.Fix.Suggestion).
	Suggestion bool `json:"suggestion,omitempty"`
}

type jsonEdit struct {
	Path        string `json:"path"`
	StartOffset int    `json:"start_offset"`
	EndOffset   int    `json:"end_offset"`
	NewText     string `json:"new_text"`
}

// jsonSpan gives the exact span: unlike text, a span ending after a line
// break ends at column 1 of the next line, matching its offset.
func jsonSpan(s source.Span) (path string, start, end jsonPos) {
	if !s.IsValid() {
		return "", jsonPos{}, jsonPos{}
	}
	a, b := s.StartPos(), s.EndPos()
	return s.File.Path,
		jsonPos{Line: a.Line, Column: a.Col, Offset: s.Start},
		jsonPos{Line: b.Line, Column: b.Col, Offset: s.End}
}

var transports = [...]string{model.TCP: "tcp", model.Socket: "socket", model.Pipe: "pipe"}

// jsonClientOf describes c; values pass through mask, so a secret written
// into a TLS setting's value is hidden as everywhere else.
func (r *Report) jsonClientOf(c *model.Connection, mask func(string) string) jsonClient {
	j := jsonClient{Driver: c.Driver, Dialect: c.Dialect, Candidates: c.Candidates, Key: c.Where,
		Mode: c.Mode.String(), ModeFrom: strings.ReplaceAll(c.From.String(), " ", "_"), Encrypts: c.Encrypts, PlaintextFallback: c.PlaintextFallback,
		VerifiesChain: c.VerifiesChain, VerifiesHost: c.VerifiesHost, Host: mask(c.Host), Transport: transports[c.Transport],
		Unresolved: c.Unresolved, Settings: []*jsonSetting{}}
	j.Path, j.Start, j.End = jsonSpan(c.Span)
	j.Path = r.path(j.Path)
	setting := func(role string, s *model.Setting) *jsonSetting {
		js := &jsonSetting{Role: role, Key: s.Key, Value: mask(s.Value), Syntax: s.Syntax()}
		_, js.Start, js.End = jsonSpan(s.Span())
		return js
	}
	if c.By != nil {
		j.ModeSetting = setting("", c.By)
	}
	for _, rs := range []struct {
		role string
		s    *model.Setting
	}{{"ca", c.CA}, {"cert", c.Cert}, {"key", c.Key}, {"protocols", c.Protocols}, {"ciphers", c.Ciphers}} {
		if rs.s != nil {
			j.Settings = append(j.Settings, setting(rs.role, rs.s))
		}
	}
	return j
}
