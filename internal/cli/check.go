package cli

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/tlsvet/tlsvet/internal/config"
	"github.com/tlsvet/tlsvet/internal/load"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/report"
	"github.com/tlsvet/tlsvet/rules"
)

// session is one check's resolved setup: flags, configuration, the
// scanned root and the focus within it.
type session struct {
	o        *checkOpts
	res      *config.Resolved
	targetBy string
	root     string // absolute scanned root
	focus    focus
}

// setup parses the flags of check (and of baseline write), loads the
// configuration and resolves the root. A non-nil error is a usage error.
func (c *Command) setup(args []string) (*session, error) {
	fs, o := c.checkFlags()
	flags, paths := reorder(fs, args)
	if err := fs.Parse(flags); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, errPrinted // the flag package has printed it with the usage
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	o.paths = paths
	cfgPath := o.config
	if cfgPath == "" {
		cfgPath = config.Find(c.abs(firstDir(c.abs(paths[0]))))
	} else {
		cfgPath = c.abs(cfgPath)
	}
	cfg := &config.Config{}
	if cfgPath != "" {
		var err error
		if cfg, err = config.Load(cfgPath); err != nil {
			return nil, err
		}
	}
	cfg.Rules.Enable = append(cfg.Rules.Enable, o.enable.vals...)
	cfg.Rules.Disable = append(cfg.Rules.Disable, o.disable.vals...)
	s := &session{o: o, targetBy: config.FileName}
	if len(o.targets.vals) > 0 {
		cfg.Target, s.targetBy = o.targets.vals, "--target"
	}
	var err error
	if s.res, err = cfg.Resolve(); err != nil {
		return nil, err
	}
	s.root = c.root(cfgPath, paths)
	var rel []string
	for _, p := range paths {
		r, err := filepath.Rel(s.root, c.abs(p))
		if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return nil, fmt.Errorf("%s is outside the scanned root %s", p, s.root)
		}
		if _, err := os.Stat(c.abs(p)); err != nil {
			return nil, err
		}
		rel = append(rel, filepath.ToSlash(r))
	}
	s.focus = newFocus(rel)
	return s, nil
}

// analyze reads the whole root from fsys and runs the rules. The named
// paths are read too even when the walk would skip them (vendor/…), and
// the findings are narrowed to the focus.
func (s *session) analyze(fsys fs.FS) (*model.Project, []rules.Diagnostic, error) {
	paths := []string{"."}
	if !s.focus.all {
		for p := range s.focus.paths {
			paths = append(paths, p)
		}
	}
	proj, err := load.Load(load.Options{
		FS: fsys, RootDir: s.root, Paths: paths, AllowOutside: s.o.allowOutside,
		Targets: s.res.Targets, TargetBy: s.targetBy, Exclude: s.res.Exclude,
	})
	if err != nil {
		return nil, nil, err
	}
	ds := rules.Run(proj, s.res.Rules, rules.Options{Policy: s.res.Policy, Severity: s.res.Severity})
	proj.Problems = s.focus.problems(proj.Problems)
	return proj, s.focus.diagnostics(ds), nil
}

func (c *Command) check(args []string) int {
	s, err := c.setup(args)
	if err != nil {
		return c.usageError(err)
	}
	o := s.o
	outs, err := parseFormats(o.formats.vals)
	if err != nil {
		return c.fail(err)
	}
	failOn, err := rules.ParseSeverity(o.failOn)
	if err != nil {
		return c.fail(fmt.Errorf("--fail-on: %w", err))
	}
	proj, ds, err := s.analyze(os.DirFS(s.root))
	if err != nil {
		return c.fail(err)
	}

	rep := &report.Report{Diagnostics: ds, Rules: s.res.Rules, Files: proj.Files, Version: Version, Category: o.category}
	if rel, err := filepath.Rel(c.Dir, s.root); err == nil && rel != "." {
		rep.PathPrefix = filepath.ToSlash(rel) + "/"
	}
	if repo := repository(s.root); repo != "" {
		if rel, err := filepath.Rel(repo, s.root); err == nil && rel != "." {
			rep.URIPrefix = filepath.ToSlash(rel) + "/"
		}
	}
	for _, pr := range proj.Problems {
		rep.Notifications = append(rep.Notifications, report.Notification{Path: pr.Span.File.Path, Message: pr.Message})
	}
	color := !o.noColor && c.Getenv("NO_COLOR") == "" && isTerminal(c.Stdout)
	for _, out := range outs {
		if err := c.write(out, rep, color); err != nil {
			return c.fail(err)
		}
	}
	for _, d := range ds {
		if d.Severity >= failOn {
			return ExitFindings
		}
	}
	return ExitClean
}

// errPrinted is a usage error already written to stderr.
var errPrinted = errors.New("usage error")

// usageError reports a setup error; -h is not one.
func (c *Command) usageError(err error) int {
	switch {
	case errors.Is(err, flag.ErrHelp):
		return ExitClean
	case err == errPrinted:
		return ExitUsage
	}
	return c.fail(err)
}
