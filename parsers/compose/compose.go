// Package compose reads docker-compose files with exact positions: each
// service's image, command and entrypoint (as arguments and server
// flags), volumes, configs, environment, dependencies and healthcheck,
// with "${VAR}" interpolation resolved as compose does and every value
// mapped back to its bytes in the file through YAML quoting, escapes,
// interpolation and shell-word splitting. It reads parsers/yamlconf's
// node tree and never the compose-go loader, which keeps no positions
// and refuses files worth reporting on.
//
// Sources: the Compose Specification
// (https://github.com/compose-spec/compose-spec: 05-services.md,
// 08-configs.md, 12-interpolation.md, 13-merge.md, 14-include.md) and
// compose-go v2.13.0 (https://github.com/compose-spec/compose-go/tree/v2.13.0:
// cli/options.go, format/volume.go, override/merge.go, template/template.go,
// types/command.go).
package compose

import (
	"path"
	"strconv"
	"strings"

	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/yamlconf"
)

// File is what one compose file declares.
type File struct {
	Source   *source.File
	Services []*Service
	Configs  []*Config // top-level configs
	Secrets  []*Config // top-level secrets (file: only)
	Include  []*Text   // include: paths, not followed
	Problems []Problem
	// Files lists the files merged into this one (Merge), the base file
	// first; nil for a file read alone.
	Files []*source.File
}

// Service returns the service named name, nil if none.
func (f *File) Service(name string) *Service {
	for _, s := range f.Services {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Problem is something that makes compose refuse the file (a YAML syntax
// error, a duplicate key, an invalid interpolation or command string).
type Problem struct {
	Span    source.Span
	Related source.Span // a duplicate key's first occurrence
	Msg     string
}

func (p Problem) Error() string {
	pos := p.Span.StartPos()
	return p.Span.File.Path + ":" + strconv.Itoa(pos.Line) + ":" + strconv.Itoa(pos.Col) + ": " + p.Msg
}

// Service is one entry of services:.
type Service struct {
	Name     string
	NameSpan source.Span
	Node     *yamlconf.Node // the service's mapping
	Image    *Text          // nil when not set
	// Command and Entrypoint are nil when not set (the image's default).
	Command, Entrypoint *Command
	// Healthcheck is healthcheck.test: a list starts with "CMD" or
	// "CMD-SHELL"; a string is a CMD-SHELL command, which a shell runs,
	// read here as shell words.
	Healthcheck *Command
	Environment []EnvVar
	EnvFiles    []*Text
	Volumes     []Volume
	Configs     []Mount // services.*.configs
	Secrets     []Mount // services.*.secrets
	DependsOn   []*Text // names of services
	Aliases     []*Text // networks.*.aliases
	Extends     *Text   // extends.service, when extends.file is not set
	ExtendsFile *Text   // extends.file, not followed

	// tags holds the keys written with compose's "!reset" or "!override"
	// tag, which change how Merge applies them.
	tags map[string]string
}

// EnvVar is one environment entry.
type EnvVar struct {
	Key     string
	KeySpan source.Span
	// Value is nil for a key alone, which compose takes from the
	// environment it runs in (unknown here).
	Value *Text
}

// Volume is one entry of a service's volumes.
type Volume struct {
	Span     source.Span // the entry as written
	Type     string      // "bind", "volume", "tmpfs", …
	Source   *Text       // nil when absent (an anonymous volume)
	Target   *Text
	ReadOnly bool
	// Host is a bind source as a slash path relative to the repository
	// root (the compose file's directory joined with a relative source),
	// "" when it is absolute or unknown. Escapes marks a source that
	// leaves the repository ("../../etc"): it is never read.
	Host    string
	Escapes bool
	// Absolute marks a bind source that is an absolute or home path.
	Absolute bool
}

// Config is a top-level config or secret.
type Config struct {
	Name     string
	NameSpan source.Span
	// Content is the inline content: (compose 2.23.1+), interpolated;
	// ContentNode is its scalar, whose map places a part of the text
	// (a my.cnf line) in the file.
	Content     *Text
	ContentNode *yamlconf.Node
	File        *Text  // file:
	Host        string // File as a repository path, as Volume.Host
	Escapes     bool
	External    bool
}

// Mount is a service's use of a config or secret.
type Mount struct {
	Source *Text
	// Target is where it is mounted; nil for the default ("/<source>" for
	// configs, "/run/secrets/<source>" for secrets).
	Target *Text
}

// Detect reports whether name (a slash path) is a compose file by its
// name: compose.yaml, compose.yml, docker-compose.yml,
// docker-compose.yaml, their overrides, and variants such as
// docker-compose.prod.yml or compose.dev.yaml.
func Detect(name string) bool {
	base := strings.ToLower(path.Base(name))
	ext := path.Ext(base)
	if ext != ".yml" && ext != ".yaml" {
		return false
	}
	stem := strings.TrimSuffix(base, ext)
	for _, p := range []string{"compose", "docker-compose"} {
		if stem == p || strings.HasPrefix(stem, p+".") || strings.HasPrefix(stem, p+"-") && p == "docker-compose" {
			return true
		}
	}
	return false
}

// IsOverride reports whether name is an override file that compose
// merges onto the base file of its directory by default
// (compose-go v2.13.0 cli/options.go DefaultOverrideFileNames).
func IsOverride(name string) bool {
	switch path.Base(name) {
	case "compose.override.yml", "compose.override.yaml", "docker-compose.override.yml", "docker-compose.override.yaml":
		return true
	}
	return false
}

// IsDefault reports whether name is one of the file names compose reads
// by default (DefaultFileNames), onto which an override is merged.
func IsDefault(name string) bool {
	switch path.Base(name) {
	case "compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml":
		return true
	}
	return false
}

// DefaultNames is compose's order of preference among the default file
// names of one directory: the first present is the base file, and the
// first override present is merged onto it.
var DefaultNames = []string{"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"}

// OverrideNames is the order of preference among override files.
var OverrideNames = []string{"compose.override.yml", "compose.override.yaml", "docker-compose.override.yml", "docker-compose.override.yaml"}

// Options tune Parse.
type Options struct {
	Env Env // the project's .env; nil sets nothing
	// TakesValue reports whether a server option, named as written
	// without dashes ("log-error-verbosity", "loose-ssl-ca"), takes a
	// value, so that "--name value" reads the next argument. nil: none do.
	TakesValue func(name string) bool
}

type parser struct {
	f    *File
	env  Env
	opts Options
	dir  string
}

func (p *parser) problem(sp source.Span, msg string) {
	p.f.Problems = append(p.f.Problems, Problem{Span: sp, Msg: msg})
}

// Parse reads a compose file. It never fails: what compose would refuse
// is a Problem, and reading goes on.
func Parse(sf *source.File, opts Options) *File {
	f := &File{Source: sf}
	p := &parser{f: f, env: opts.Env, opts: opts, dir: path.Dir(sf.Path)}
	r := yamlconf.Parse(sf, yamlconf.Options{})
	for _, pr := range r.Problems {
		msg := pr.Msg
		if pr.Kind == yamlconf.DuplicateKey {
			// compose-go's loader refuses it in any mapping ("mapping key …
			// already defined", v2.13.0 loader/reset.go).
			msg = strings.Replace(msg, "the last one wins in most readers", "compose refuses the file", 1)
		}
		f.Problems = append(f.Problems, Problem{Span: pr.Span, Related: pr.Related, Msg: msg})
	}
	if len(r.Docs) == 0 || resolve(r.Docs[0].Root) == nil {
		return f
	}
	root := resolve(r.Docs[0].Root)
	for _, kv := range fields(root) {
		switch kv.Key.Value {
		case "services":
			for _, s := range fields(resolve(kv.Value)) {
				p.service(s)
			}
		case "configs", "secrets":
			for _, c := range fields(resolve(kv.Value)) {
				p.config(c, kv.Key.Value == "secrets")
			}
		case "include":
			for _, it := range items(kv.Value) {
				if m := resolve(it); m != nil && m.Kind == yamlconf.Mapping {
					it = get(m, "path")
				}
				for _, s := range scalars(it) {
					f.Include = append(f.Include, p.text(s))
				}
			}
		}
	}
	p.extend()
	return f
}

func (p *parser) service(kv yamlconf.Pair) {
	n := resolve(kv.Value)
	if n == nil || n.Kind != yamlconf.Mapping {
		return
	}
	s := &Service{Name: kv.Key.Value, NameSpan: kv.Key.Span, Node: n}
	tv := p.opts.TakesValue
	for _, f := range fields(n) {
		v := f.Value
		if v.Tag == "!reset" || v.Tag == "!override" {
			if s.tags == nil {
				s.tags = map[string]string{}
			}
			s.tags[f.Key.Value] = v.Tag
		}
		switch f.Key.Value {
		case "image":
			if sc := scalar(v); sc != nil {
				s.Image = p.text(sc)
			}
		case "command":
			s.Command = p.command(v, tv)
		case "entrypoint":
			s.Entrypoint = p.command(v, tv)
		case "healthcheck":
			s.Healthcheck = p.command(get(resolve(v), "test"), nil)
		case "environment":
			s.Environment = p.environment(v)
		case "env_file":
			for _, it := range items(v) {
				if m := resolve(it); m != nil && m.Kind == yamlconf.Mapping {
					it = get(m, "path")
				}
				if sc := scalar(it); sc != nil {
					s.EnvFiles = append(s.EnvFiles, p.text(sc))
				}
			}
		case "volumes":
			for _, it := range items(v) {
				if vol, ok := p.volume(it); ok {
					s.Volumes = append(s.Volumes, vol)
				}
			}
		case "configs", "secrets":
			for _, it := range items(v) {
				m := Mount{}
				if sc := scalar(it); sc != nil {
					m.Source = p.text(sc)
				} else if mp := resolve(it); mp != nil && mp.Kind == yamlconf.Mapping {
					if sc := scalar(get(mp, "source")); sc != nil {
						m.Source = p.text(sc)
					}
					if sc := scalar(get(mp, "target")); sc != nil {
						m.Target = p.text(sc)
					}
				}
				if m.Source == nil {
					continue
				}
				if f.Key.Value == "configs" {
					s.Configs = append(s.Configs, m)
				} else {
					s.Secrets = append(s.Secrets, m)
				}
			}
		case "depends_on":
			if m := resolve(v); m != nil && m.Kind == yamlconf.Mapping {
				for _, d := range fields(m) {
					s.DependsOn = append(s.DependsOn, p.text(d.Key))
				}
				continue
			}
			for _, sc := range scalars(v) {
				s.DependsOn = append(s.DependsOn, p.text(sc))
			}
		case "networks":
			for _, nw := range fields(resolve(v)) {
				for _, sc := range scalars(get(resolve(nw.Value), "aliases")) {
					s.Aliases = append(s.Aliases, p.text(sc))
				}
			}
		case "extends":
			if sc := scalar(v); sc != nil {
				s.Extends = p.text(sc)
				continue
			}
			m := resolve(v)
			if sc := scalar(get(m, "service")); sc != nil {
				s.Extends = p.text(sc)
			}
			if sc := scalar(get(m, "file")); sc != nil {
				s.ExtendsFile = p.text(sc)
			}
		}
	}
	p.f.Services = append(p.f.Services, s)
}

// environment reads a map or a list of "KEY=VALUE".
func (p *parser) environment(v *yamlconf.Node) []EnvVar {
	var out []EnvVar
	if m := resolve(v); m != nil && m.Kind == yamlconf.Mapping {
		for _, kv := range fields(m) {
			e := EnvVar{Key: kv.Key.Value, KeySpan: kv.Key.Span}
			if sc := scalar(kv.Value); sc != nil && sc.Tag != "!!null" {
				e.Value = p.text(sc)
			}
			out = append(out, e)
		}
		return out
	}
	for _, sc := range scalars(v) {
		t := p.text(sc)
		eq := strings.IndexByte(t.Value, '=')
		if eq < 0 {
			sp, _ := t.SpanOf(0, len(t.Value))
			out = append(out, EnvVar{Key: t.Value, KeySpan: sp})
			continue
		}
		sp, _ := t.SpanOf(0, eq)
		out = append(out, EnvVar{Key: t.Value[:eq], KeySpan: sp, Value: t.slice(eq+1, len(t.Value))})
	}
	return out
}

// volume reads a short ("SRC:DST[:MODE]") or long volume entry.
func (p *parser) volume(n *yamlconf.Node) (Volume, bool) {
	n = resolve(n)
	if n == nil {
		return Volume{}, false
	}
	vol := Volume{Span: n.Span}
	switch n.Kind {
	case yamlconf.Scalar:
		t := p.text(n)
		parts := splitVolume(t.Value)
		if len(parts) == 0 {
			return Volume{}, false
		}
		if len(parts) == 1 || len(t.Value) <= 2 {
			vol.Target = t.slice(parts[0][0], parts[0][1])
		} else {
			vol.Source = t.slice(parts[0][0], parts[0][1])
			vol.Target = t.slice(parts[1][0], parts[1][1])
		}
		if len(parts) > 2 {
			for _, o := range strings.Split(t.Value[parts[2][0]:parts[2][1]], ",") {
				if o == "ro" {
					vol.ReadOnly = true
				}
			}
		}
		vol.Type = "volume"
		if vol.Source != nil && isFilePath(vol.Source.Value) {
			vol.Type = "bind"
		}
	case yamlconf.Mapping:
		if sc := scalar(get(n, "type")); sc != nil {
			vol.Type = sc.Value
		}
		if sc := scalar(get(n, "source")); sc != nil {
			vol.Source = p.text(sc)
		}
		if sc := scalar(get(n, "target")); sc != nil {
			vol.Target = p.text(sc)
		}
		if sc := scalar(get(n, "read_only")); sc != nil {
			vol.ReadOnly = sc.Value == "true"
		}
	default:
		return Volume{}, false
	}
	if vol.Type == "bind" && vol.Source != nil {
		vol.Host, vol.Escapes, vol.Absolute = p.hostPath(vol.Source)
	}
	return vol, true
}

// hostPath resolves a bind or file source against the compose file's
// directory: compose resolves relative paths against the project
// directory, which is the first compose file's directory.
func (p *parser) hostPath(t *Text) (host string, escapes, absolute bool) {
	v := t.Value
	if len(t.refs) > 0 || v == "" {
		return "", false, false
	}
	if v[0] == '/' || v[0] == '~' || v[0] == '\\' || len(v) > 1 && v[1] == ':' {
		return "", false, true
	}
	j := path.Join(p.dir, v)
	if j == ".." || strings.HasPrefix(j, "../") {
		return "", true, false
	}
	return j, false, false
}

// splitVolume splits a short volume spec at ':' outside "${…}" and after
// a Windows drive letter, as compose-go v2.13.0 format/volume.go
// ParseVolume does, and returns the parts' offsets.
func splitVolume(s string) [][2]int {
	var out [][2]int
	depth, start := 0, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			c := s[i]
			if c == '$' && i+1 < len(s) && s[i+1] == '{' {
				depth++
				i++
				continue
			}
			if c == '}' && depth > 0 {
				depth--
				continue
			}
			if c != ':' || depth > 0 || i-start == 1 && len(out) == 0 && isLetter(s[start]) {
				continue
			}
		}
		out = append(out, [2]int{start, i})
		start = i + 1
	}
	return out
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// isFilePath is compose-go's test for a bind source in the short syntax.
func isFilePath(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '.', '/', '~':
		return true
	}
	return strings.HasPrefix(s, `\\`) || len(s) > 2 && isLetter(s[0]) && s[1] == ':'
}

func (p *parser) config(kv yamlconf.Pair, secret bool) {
	n := resolve(kv.Value)
	c := &Config{Name: kv.Key.Value, NameSpan: kv.Key.Span}
	if n != nil && n.Kind == yamlconf.Mapping {
		if sc := scalar(get(n, "content")); sc != nil && !secret {
			c.Content, c.ContentNode = p.text(sc), sc
		}
		if sc := scalar(get(n, "file")); sc != nil {
			c.File = p.text(sc)
			c.Host, c.Escapes, _ = p.hostPath(c.File)
		}
		if sc := scalar(get(n, "external")); sc != nil {
			c.External = sc.Value == "true"
		}
	}
	if secret {
		p.f.Secrets = append(p.f.Secrets, c)
	} else {
		p.f.Configs = append(p.f.Configs, c)
	}
}

// resolve follows aliases; nil for nil or an unexpanded alias.
func resolve(n *yamlconf.Node) *yamlconf.Node {
	for n != nil && n.Kind == yamlconf.Alias {
		n = n.Target
	}
	return n
}

// fields returns a mapping's pairs with merge keys ("<<: *x") applied:
// a key written in the mapping wins over a merged one, and an earlier
// merged mapping over a later one (https://yaml.org/type/merge.html).
func fields(n *yamlconf.Node) []yamlconf.Pair {
	if n == nil || n.Kind != yamlconf.Mapping {
		return nil
	}
	var out []yamlconf.Pair
	var merged []*yamlconf.Node
	seen := map[string]bool{}
	for _, kv := range n.Pairs {
		k := resolve(kv.Key)
		if k == nil || k.Kind != yamlconf.Scalar {
			continue
		}
		if k.Tag == "!!merge" {
			if v := resolve(kv.Value); v != nil && v.Kind == yamlconf.Sequence {
				for _, it := range v.Items {
					merged = append(merged, resolve(it))
				}
			} else {
				merged = append(merged, v)
			}
			continue
		}
		seen[k.Value] = true
		out = append(out, yamlconf.Pair{Key: k, Value: kv.Value})
	}
	for _, m := range merged {
		if m == nil || m.Kind != yamlconf.Mapping || len(merged) > 64 {
			continue
		}
		for _, kv := range m.Pairs { // one level: nested merges in a merged mapping are rare
			if k := resolve(kv.Key); k != nil && k.Kind == yamlconf.Scalar && k.Tag != "!!merge" && !seen[k.Value] {
				seen[k.Value] = true
				out = append(out, yamlconf.Pair{Key: k, Value: kv.Value})
			}
		}
	}
	return out
}

// get returns the value of key in mapping n, nil if none.
func get(n *yamlconf.Node, key string) *yamlconf.Node {
	for _, kv := range fields(n) {
		if kv.Key.Value == key {
			return kv.Value
		}
	}
	return nil
}

// scalar returns n resolved when it is a scalar.
func scalar(n *yamlconf.Node) *yamlconf.Node {
	if n = resolve(n); n != nil && n.Kind == yamlconf.Scalar {
		return n
	}
	return nil
}

// items returns a sequence's items, or a scalar alone (compose accepts a
// string where a list of one is meant: env_file).
func items(n *yamlconf.Node) []*yamlconf.Node {
	n = resolve(n)
	switch {
	case n == nil:
		return nil
	case n.Kind == yamlconf.Sequence:
		return n.Items
	case n.Kind == yamlconf.Scalar && n.Tag != "!!null" && n.Tag != "!reset":
		return []*yamlconf.Node{n}
	}
	return nil
}

// scalars returns the scalar items of n (see items).
func scalars(n *yamlconf.Node) []*yamlconf.Node {
	var out []*yamlconf.Node
	for _, it := range items(n) {
		if sc := scalar(it); sc != nil {
			out = append(out, sc)
		}
	}
	return out
}
