package compose

import (
	"slices"

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
	for _, s := range base.Services {
		if o := override.Service(s.Name); o != nil {
			out.Services = append(out.Services, mergeService(s, o))
		} else {
			out.Services = append(out.Services, s)
		}
	}
	for _, o := range override.Services {
		if base.Service(o.Name) == nil {
			out.Services = append(out.Services, o)
		}
	}
	out.Configs = mergeConfigs(base.Configs, override.Configs)
	out.Secrets = mergeConfigs(base.Secrets, override.Secrets)
	return out
}

// files lists the files merged into f, its own first.
func (f *File) files() []*source.File {
	if len(f.Files) > 0 {
		return f.Files
	}
	return []*source.File{f.Source}
}

// mergeService applies service o onto s.
func mergeService(s, o *Service) *Service {
	m := *s
	if o.Image != nil {
		m.Image = o.Image
	}
	if o.Command != nil {
		m.Command = o.Command
	}
	if o.Entrypoint != nil {
		m.Entrypoint = o.Entrypoint
	}
	if o.Healthcheck != nil {
		m.Healthcheck = o.Healthcheck
	}
	if o.Extends != nil {
		m.Extends, m.ExtendsFile = o.Extends, o.ExtendsFile
	}
	m.Environment = mergeBy(s.Environment, o.Environment, func(e EnvVar) string { return e.Key })
	m.Volumes = mergeBy(s.Volumes, o.Volumes, func(v Volume) string {
		if v.Target == nil {
			return ""
		}
		return v.Target.Value // as written, as compose-go's volumeIndexer compares it
	})
	m.Configs = mergeBy(s.Configs, o.Configs, mountKey("/"))
	m.Secrets = mergeBy(s.Secrets, o.Secrets, mountKey("/run/secrets/"))
	byValue := func(t *Text) string { return t.Value }
	m.EnvFiles = mergeBy(s.EnvFiles, o.EnvFiles, byValue)
	m.DependsOn = mergeBy(s.DependsOn, o.DependsOn, byValue)
	m.Aliases = mergeBy(s.Aliases, o.Aliases, byValue)
	return &m
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
	for _, x := range b {
		k := key(x)
		i := -1
		if k != "" {
			i = slices.IndexFunc(out, func(y T) bool { return key(y) == k })
		}
		if i >= 0 {
			out[i] = x
		} else {
			out = append(out, x)
		}
	}
	return out
}

func mergeConfigs(a, b []*Config) []*Config {
	return mergeBy(a, b, func(c *Config) string { return c.Name })
}

// extend applies extends: within the file: a service extending another
// is that service with its own values applied as an override
// (https://github.com/compose-spec/compose-spec/blob/main/05-services.md#extends).
// extends.file is not followed; a cycle is a problem.
func (p *parser) extend() {
	done := map[string]*Service{}
	var get func(s *Service, stack []string) *Service
	get = func(s *Service, stack []string) *Service {
		if d, ok := done[s.Name]; ok {
			return d
		}
		if s.Extends == nil || s.ExtendsFile != nil {
			return s
		}
		if slices.Contains(stack, s.Name) {
			p.problem(s.Extends.Span, "extends cycle through service "+s.Name+": compose refuses the file")
			return s
		}
		b := p.f.Service(s.Extends.Value)
		if b == nil {
			p.problem(s.Extends.Span, "extends names service "+s.Extends.Value+", which this file does not define: compose refuses the file")
			return s
		}
		m := mergeService(get(b, append(stack, s.Name)), s)
		m.Name, m.NameSpan, m.Node = s.Name, s.NameSpan, s.Node
		m.Extends, m.ExtendsFile = s.Extends, s.ExtendsFile
		done[s.Name] = m
		return m
	}
	for i, s := range p.f.Services {
		p.f.Services[i] = get(s, nil)
	}
}
