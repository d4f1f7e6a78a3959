package load

import (
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/compose"
	"github.com/tlsvet/tlsvet/parsers/connstr"
	"github.com/tlsvet/tlsvet/parsers/mycnf"
)

// docker compose: each service whose image is a MySQL-family server
// becomes a declared server with the image's version, its command line
// and the repository files it mounts where the image reads option files.
// An override file (compose.override.yml) merges onto its directory's
// base file as compose does by default; other compose files are read on
// their own.

// composeFile is one compose file to read, with the override merged onto
// it when there is one.
type composeFile struct {
	base, override *source.File
}

// composeFiles groups the compose files among the application files by
// directory: the default base file of each directory with its override,
// and every other compose file alone.
func composeFiles(files []*source.File) []composeFile {
	byDir := map[string]map[string]*source.File{}
	var out []composeFile
	for _, f := range files {
		if !compose.Detect(f.Path) {
			continue
		}
		dir := path.Dir(f.Path)
		if byDir[dir] == nil {
			byDir[dir] = map[string]*source.File{}
		}
		byDir[dir][path.Base(f.Path)] = f
	}
	dirs := make([]string, 0, len(byDir))
	for d := range byDir {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		names := byDir[d]
		var base, over *source.File
		for _, n := range compose.DefaultNames {
			if f := names[n]; f != nil && base == nil {
				base = f
			}
		}
		for _, n := range compose.OverrideNames {
			if f := names[n]; f != nil && over == nil {
				over = f
			}
		}
		if base != nil {
			out = append(out, composeFile{base: base, override: over})
		}
		keys := make([]string, 0, len(names))
		for n := range names {
			keys = append(keys, n)
		}
		sort.Strings(keys)
		for _, n := range keys {
			if f := names[n]; f != base && (f != over || base == nil) {
				out = append(out, composeFile{base: f})
			}
		}
	}
	return out
}

// composeDeclared reads the compose files and returns the servers they
// declare; mounted collects the repository option files those servers
// read, which are then checked as theirs only.
func (b *builder) composeDeclared(files []*source.File, env *connstr.Env, mounted map[string]bool) []declared {
	opts := compose.Options{TakesValue: facts.TakesValue}
	if env != nil {
		opts.Env = env
	}
	var out []declared
	for _, cf := range composeFiles(files) {
		f := compose.Parse(cf.base, opts)
		if cf.override != nil {
			f = compose.Merge(f, compose.Parse(cf.override, opts))
		}
		for _, p := range f.Problems {
			b.p.Problems = append(b.p.Problems, model.Problem{Span: p.Span, Message: p.Msg})
		}
		for _, s := range f.Services {
			if d, ok := b.composeService(f, s, mounted); ok {
				out = append(out, d)
			}
			b.composeEnv(f, s)
			b.composeRouter(f, s)
		}
	}
	return out
}

// composeService is the server service s declares, if its image is one.
func (b *builder) composeService(f *compose.File, s *compose.Service, mounted map[string]bool) (declared, bool) {
	if s.Image == nil {
		return declared{}, false
	}
	img, ok := facts.ParseImage(s.Image.Value)
	if !ok {
		return declared{}, false
	}
	v := facts.ResolveImage(img)
	dep := &model.Deployment{Kind: "compose service", Name: s.Name, Hosts: []string{s.Name}, Span: s.NameSpan,
		Image: s.Image.Value, ImageSpan: s.Image.Span, ImageBy: "image " + v.Phrase, Files: b.composePlaced(f, s)}
	for _, a := range s.Aliases {
		dep.Hosts = append(dep.Hosts, a.Value)
	}
	d := declared{dep: dep, target: v.Target, known: v.Basis != facts.TagUnknown}
	cmds := []*compose.Command{s.ExtraFlags(facts.TakesValue), s.Command}
	if e := s.Entrypoint; e != nil {
		// An entrypoint replaces the image's: its own options are the
		// server's when it starts the server, and the command is then its
		// arguments; any other program (a shell script) gets both, and
		// what it passes on is unknown.
		cmds = []*compose.Command{s.ExtraFlags(facts.TakesValue)}
		if len(e.Args) > 0 && serverProgram(e.Args[0].Value) {
			cmds = append(cmds, e, s.Command)
		}
	}
	for _, cmd := range cmds {
		if cmd == nil {
			continue
		}
		if !d.flagsAt.IsValid() {
			d.flagsAt = cmd.Span
		}
		for i := range cmd.Flags {
			fl := &cmd.Flags[i]
			set := composeFlag(fl)
			d.flags = append(d.flags, set)
			if fl.Swallowed {
				dep.Swallowed = append(dep.Swallowed, model.Swallow{Option: set, Lost: fl.Value, LostSpan: fl.ValueSpan})
			}
		}
	}
	type read struct {
		order int
		r     *mycnf.Result
	}
	var reads []read
	for _, vol := range s.Volumes {
		if vol.Source == nil || vol.Target == nil || vol.Host == "" || vol.Escapes || vol.Absolute {
			continue
		}
		target := vol.Target.Value
		info, err := fs.Stat(b.opt.FS, vol.Host)
		if err != nil {
			if optionPath(target) {
				dep.Ignored = append(dep.Ignored, model.IgnoredFile{Span: vol.Source.Span, Path: target,
					Reason: "the mount's source " + vol.Host + " is not in the repository: compose creates an empty directory there"})
			}
			continue
		}
		ok, order, why := facts.ReadsOptionFile(img, v.Target, target, info.IsDir())
		if !ok {
			// A certificate directory or file mounted beside the option
			// files (/etc/mysql/certs) is not an option file.
			holdsOptions := len(b.optionFilesAt(vol.Host, true)) > 0
			if !info.IsDir() {
				holdsOptions = strings.HasSuffix(vol.Host, ".cnf") || optionPath(target) && !KeyName(vol.Host)
			}
			if holdsOptions {
				dep.Ignored = append(dep.Ignored, model.IgnoredFile{Span: vol.Target.Span, Path: target, Reason: why})
			}
			continue
		}
		for _, name := range b.optionFilesAt(vol.Host, info.IsDir()) {
			mounted[name] = true
			reads = append(reads, read{order, b.readOption(name)})
		}
	}
	// configs: a top-level config's inline content or file, mounted at
	// its target ("/<name>" by default).
	for _, m := range s.Configs {
		if m.Source == nil {
			continue
		}
		var cfg *compose.Config
		for _, c := range f.Configs {
			if c.Name == m.Source.Value {
				cfg = c
			}
		}
		if cfg == nil {
			continue
		}
		target, at := "/"+cfg.Name, m.Source.Span
		if m.Target != nil {
			target, at = m.Target.Value, m.Target.Span
		}
		ok, order, why := facts.ReadsOptionFile(img, v.Target, target, false)
		switch {
		case !ok:
			if optionPath(target) {
				dep.Ignored = append(dep.Ignored, model.IgnoredFile{Span: at, Path: target, Reason: why})
			}
		case cfg.ContentNode != nil:
			if r := b.embeddedNode(cfg.ContentNode); r != nil {
				reads = append(reads, read{order, r})
			}
		case cfg.Host != "" && !cfg.Escapes:
			if _, err := fs.Stat(b.opt.FS, cfg.Host); err == nil {
				mounted[cfg.Host] = true
				reads = append(reads, read{order, b.readOption(cfg.Host)})
			}
		}
	}
	sort.SliceStable(reads, func(i, j int) bool { return reads[i].order < reads[j].order })
	for _, r := range reads {
		d.files = append(d.files, r.r)
	}
	return d, true
}

// composePlaced maps the container paths of service s to the repository
// files its bind mounts, configs and secrets (file: sources) place there.
func (b *builder) composePlaced(f *compose.File, s *compose.Service) map[string]string {
	var files map[string]string
	for _, vol := range s.Volumes {
		if vol.Source == nil || vol.Target == nil || vol.Host == "" || vol.Escapes || vol.Absolute {
			continue
		}
		if info, err := fs.Stat(b.opt.FS, vol.Host); err == nil {
			placed(&files, path.Clean(vol.Target.Value), vol.Host, info.IsDir())
		}
	}
	// A config is mounted at /<name> and a secret at /run/secrets/<name>
	// unless the service names a target
	// (https://docs.docker.com/reference/compose-file/services/#configs,
	// #secrets).
	for _, m := range []struct {
		mounts []compose.Mount
		top    []*compose.Config
		dir    string
	}{{s.Configs, f.Configs, "/"}, {s.Secrets, f.Secrets, "/run/secrets/"}} {
		for _, mt := range m.mounts {
			if mt.Source == nil {
				continue
			}
			for _, c := range m.top {
				if c.Name != mt.Source.Value || c.Host == "" || c.Escapes {
					continue
				}
				target := m.dir + c.Name
				if mt.Target != nil {
					target = mt.Target.Value
					if !strings.HasPrefix(target, "/") {
						target = m.dir + target // a secret's relative target
					}
				}
				placed(&files, path.Clean(target), c.Host, false)
			}
		}
	}
	return files
}

// composeEnv records where service s's environment values run: a
// connection string there names files at the service's container paths.
func (b *builder) composeEnv(f *compose.File, s *compose.Service) {
	files := b.composePlaced(f, s)
	for _, e := range s.Environment {
		if e.Value != nil {
			b.containerEnvs = append(b.containerEnvs, containerEnv{e.Value.Span, files, s.Name, "compose service " + s.Name})
		}
	}
}

// containerEnv is an environment value of a container and the repository
// files placed in that container, by container path.
type containerEnv struct {
	span  source.Span
	files map[string]string
	name  string // the service, or workload/container
	how   string
}

// optionPath reports whether a container path looks like an option file
// or an option-file directory, so that a mount there is worth a finding
// when the image does not read it.
func optionPath(p string) bool {
	return strings.HasSuffix(p, ".cnf") || strings.Contains(p, "/mysql") || strings.Contains(p, "/my.cnf") ||
		strings.Contains(p, "mariadb") || strings.Contains(p, "/bitnami/")
}

// optionFilesAt lists the repository option files a mount of name
// brings in: the file itself, or the *.cnf files of a directory, sorted
// as mysqld reads an !includedir.
func (b *builder) optionFilesAt(name string, dir bool) []string {
	if !dir {
		return []string{name}
	}
	ents, err := fs.ReadDir(b.opt.FS, name)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".cnf") {
			out = append(out, path.Join(name, e.Name()))
		}
	}
	sort.Strings(out)
	return out
}

// readOption reads a repository option file as the loader reads one.
func (b *builder) readOption(name string) *mycnf.Result {
	return mycnf.Read(name, mycnf.Options{FS: b.opt.FS, AllowOutside: b.opt.AllowOutside, RootDir: b.opt.RootDir,
		Cache: b.cache, Templates: true, KeepComment: b.opt.KeepComment})
}

// composeFlag is a compose command-line flag as a setting, whose edits
// are spelled in the YAML scalar that holds it.
func composeFlag(f *compose.Flag) *model.Setting {
	key := f.KeySpan
	if strings.HasPrefix(key.Text(), "--") {
		key.Start += 2
	}
	return flagSetting(f.Name, key, f.HasValue, f.Value, f.ValueSpan, composeOrigin{f})
}

// composeOrigin adapts a compose flag to model.Origin.
type composeOrigin struct{ f *compose.Flag }

// Syntax implements model.Origin.
func (o composeOrigin) Syntax() string { return o.f.Syntax() }

// Offset implements model.Origin.
func (o composeOrigin) Offset(_ *model.Setting, i int) (int, bool) { return o.f.Offset(i) }

// Spell implements model.Origin.
func (o composeOrigin) Spell(_ *model.Setting, v string) (string, bool) {
	if !o.f.ValueExact {
		return "", false
	}
	return o.f.Spell(v)
}

// Removal implements model.Origin.
func (o composeOrigin) Removal(*model.Setting) (source.Span, bool) { return o.f.Removal() }

// serverProgram reports whether an entrypoint's first argument starts the
// server, directly or through the images' entrypoint script, which passes
// the arguments on to it (docker-library/mysql docker-entrypoint.sh).
func serverProgram(arg string) bool {
	switch path.Base(arg) {
	case "mysqld", "mariadbd", "docker-entrypoint.sh", "mysqld_safe", "mariadbd-safe":
		return true
	}
	return false
}

// placed records that the repository file or directory host is at the
// container path target of dep's container.
func placed(files *map[string]string, target, host string, dir bool) {
	if *files == nil {
		*files = map[string]string{}
	}
	if dir {
		target += "/"
	}
	(*files)[target] = host
}
