package compose

import (
	"slices"
	"strconv"

	"github.com/tlsvet/tlsvet/internal/source"
)

// Merge returns base with override applied as compose applies a second
// file (https://github.com/compose-spec/compose-spec/blob/main/13-merge.md;
// compose-go v2.13.0 override/merge.go and override/uncity.go): services
// merge key by key; image and extends are replaced; command, entrypoint
// and healthcheck.test are replaced as a whole; environment merges by
// key; volumes by target; configs and secrets by target; env_file,
// depends_on and aliases are unions. Every value keeps its own span, in
// the file it was written in. Neither input is changed.
func Merge(base, override *File) *File {
	out := &File{Source: base.Source, Files: append(slices.Clip(base.files()), override.files()...)}
	out.Problems = append(slices.Clip(base.Problems), override.Problems...)
	out.Include = append(slices.Clip(base.Include), override.Include...)
	over := byName(override.Services)
	for _, s := range base.Services {
		if o := over[s.Name]; o != nil {
			out.Services = append(out.Services, mergeService(s, o))
		} else {
			out.Services = append(out.Services, s)
		}
	}
	in := byName(base.Services)
	for _, o := range override.Services {
		if in[o.Name] == nil {
			out.Services = append(out.Services, o)
		}
	}
	out.Configs = mergeConfigs(base.Configs, override.Configs)
	out.Secrets = mergeConfigs(base.Secrets, override.Secrets)
	return out
}

// byName indexes services by name; the first of a name wins, as
// File.Service finds it.
func byName(ss []*Service) map[string]*Service {
	m := make(map[string]*Service, len(ss))
	for _, s := range ss {
		if m[s.Name] == nil {
			m[s.Name] = s
		}
	}
	return m
}

// files lists the files merged into f, its own first.
func (f *File) files() []*source.File {
	if len(f.Files) > 0 {
		return f.Files
	}
	return []*source.File{f.Source}
}

// mergeService applies service o onto s. A key of o tagged "!reset"
// removes the value, one tagged "!override" replaces it whole
// (13-merge.md, "Reset value" and "Replace value").
func mergeService(s, o *Service) *Service {
	m := *s
	m.tags = nil
	set := func(key string, base, over *Text) *Text {
		if o.tags[key] == "!reset" {
			return nil
		}
		if over != nil {
			return over
		}
		return base
	}
	cmd := func(key string, base, over *Command) *Command {
		if o.tags[key] == "!reset" {
			return nil
		}
		if over != nil {
			return over
		}
		return base
	}
	m.Image = set("image", s.Image, o.Image)
	m.Command = cmd("command", s.Command, o.Command)
	m.Entrypoint = cmd("entrypoint", s.Entrypoint, o.Entrypoint)
	m.Healthcheck = cmd("healthcheck", s.Healthcheck, o.Healthcheck)
	if o.Extends != nil {
		m.Extends, m.ExtendsFile = o.Extends, o.ExtendsFile
	}
	m.Environment = mergeList(o, "environment", s.Environment, o.Environment, func(e EnvVar) string { return e.Key })
	m.Volumes = mergeList(o, "volumes", s.Volumes, o.Volumes, func(v Volume) string {
		if v.Target == nil {
			return ""
		}
		return v.Target.Value // as written, as compose-go's volumeIndexer compares it
	})
	m.Configs = mergeList(o, "configs", s.Configs, o.Configs, mountKey("/"))
	m.Secrets = mergeList(o, "secrets", s.Secrets, o.Secrets, mountKey("/run/secrets/"))
	byValue := func(t *Text) string { return t.Value }
	m.EnvFiles = mergeList(o, "env_file", s.EnvFiles, o.EnvFiles, byValue)
	m.DependsOn = mergeList(o, "depends_on", s.DependsOn, o.DependsOn, byValue)
	m.Aliases = mergeList(o, "networks", s.Aliases, o.Aliases, byValue)
	return &m
}

// mergeList merges the list key of o onto the base's, minding its tag.
func mergeList[T any](o *Service, key string, base, over []T, id func(T) string) []T {
	switch o.tags[key] {
	case "!reset":
		return nil
	case "!override":
		return over
	}
	return mergeBy(base, over, id)
}

// mountKey indexes a config or secret mount by its target, the default
// one being dir + source (compose-go's mountIndexer).
func mountKey(dir string) func(Mount) string {
	return func(m Mount) string {
		if m.Target != nil {
			return m.Target.Value
		}
		return dir + m.Source.Value
	}
}

// mergeBy returns a's items with those of b applied: an item of b
// replaces the item of a with the same key, in place, and is appended
// otherwise. An empty key never matches.
func mergeBy[T any](a, b []T, key func(T) string) []T {
	out := slices.Clone(a)
	at := make(map[string]int, len(a)+len(b))
	for i, x := range out {
		if k := key(x); k != "" {
			at[k] = i
		}
	}
	for _, x := range b {
		k := key(x)
		if i, ok := at[k]; ok && k != "" {
			out[i] = x
			continue
		}
		if k != "" {
			at[k] = len(out)
		}
		out = append(out, x)
	}
	return out
}

func mergeConfigs(a, b []*Config) []*Config {
	return mergeBy(a, b, func(c *Config) string { return c.Name })
}

// maxExtendItems bounds the list items that applying extends: copies in
// one file: a chain of services each extending the next copies the
// items of all the services after it, quadratic in the file's size.
const maxExtendItems = 1 << 20

// size is the number of list items of s that a merge copies.
func (s *Service) size() int {
	return len(s.Environment) + len(s.Volumes) + len(s.Configs) + len(s.Secrets) + len(s.EnvFiles) + len(s.DependsOn) + len(s.Aliases)
}

// extend applies extends: within the file: a service extending another
// is that service with its own values applied as an override
// (https://github.com/compose-spec/compose-spec/blob/main/05-services.md#extends).
// extends.file is not followed; a cycle is a problem.
func (p *parser) extend() {
	done := map[string]*Service{}
	named := byName(p.f.Services)
	visiting := map[string]bool{}
	budget, over := maxExtendItems, false
	var get func(s *Service) *Service
	get = func(s *Service) *Service {
		if visiting[s.Name] {
			p.problem(s.Extends.Span, "extends cycle through service "+s.Name+": compose refuses the file")
			return s
		}
		if d, ok := done[s.Name]; ok {
			return d
		}
		if s.Extends == nil || s.ExtendsFile != nil {
			return s
		}
		done[s.Name] = s // what a failure below leaves, read once
		b := named[s.Extends.Value]
		if b == nil {
			p.problem(s.Extends.Span, "extends names service "+s.Extends.Value+", which this file does not define: compose refuses the file")
			return s
		}
		visiting[s.Name] = true
		base := get(b)
		visiting[s.Name] = false
		if budget -= base.size() + s.size(); budget < 0 {
			if !over {
				over = true
				p.problem(s.Extends.Span, "extends: too many values to merge (more than "+strconv.Itoa(maxExtendItems)+"); this and further extends are not applied")
			}
			return s
		}
		m := mergeService(base, s)
		m.Name, m.NameSpan, m.Node = s.Name, s.NameSpan, s.Node
		m.Extends, m.ExtendsFile = s.Extends, s.ExtendsFile
		done[s.Name] = m
		return m
	}
	for i, s := range p.f.Services {
		p.f.Services[i] = get(s)
	}
}
