package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tlsvet/tlsvet/internal/atomicfile"
	"github.com/tlsvet/tlsvet/internal/baseline"
	"github.com/tlsvet/tlsvet/internal/config"
	"github.com/tlsvet/tlsvet/internal/fix"
	"github.com/tlsvet/tlsvet/internal/gitdiff"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/load"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/report"
	"github.com/tlsvet/tlsvet/internal/rootfs"
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
	known    *baseline.Baseline // --baseline
	changes  *gitdiff.Changes   // --new-from-rev
	// guard is the directory whose files a pull request controls: the
	// repository around the first path, else that path's directory.
	guard string
	repo  string     // the repository around the root, or ""
	fsys  *rootfs.FS // the scanned root, opened once
	// wholeRoot: read the whole root even for named files (Command.wholeRoot).
	wholeRoot bool
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
	if o.report != reportNamed && o.report != reportChanged {
		return nil, fmt.Errorf("--report %q: want %s or %s", o.report, reportNamed, reportChanged)
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	first := firstDir(c.abs(paths[0]))
	guard := config.Repository(first)
	if guard == "" {
		guard = first
	}
	cfgPath := o.config
	if cfgPath == "" {
		cfgPath = config.Find(first)
	} else {
		cfgPath = c.abs(cfgPath)
	}
	cfg := &config.Config{}
	if cfgPath != "" {
		data, err := readUserFile(guard, cfgPath, config.MaxSize)
		if err != nil {
			return nil, err
		}
		if cfg, err = config.Parse(cfgPath, data, rules.All); err != nil {
			return nil, err
		}
	}
	cfg.Rules.Enable = append(cfg.Rules.Enable, o.enable.vals...)
	cfg.Rules.Disable = append(cfg.Rules.Disable, o.disable.vals...)
	s := &session{o: o, targetBy: config.FileName, guard: guard, wholeRoot: c.wholeRoot}
	if len(o.targets.vals) > 0 {
		cfg.Target, s.targetBy = o.targets.vals, "--target"
	}
	var err error
	if s.res, err = cfg.Resolve(rules.All); err != nil {
		return nil, err
	}
	s.root = c.root(cfgPath, paths)
	s.repo = config.Repository(s.root)
	var rel []string
	for _, p := range paths {
		r, ok := inside(s.root, c.abs(p))
		if !ok {
			return nil, fmt.Errorf("%s is outside the scanned root %s", p, s.root)
		}
		if _, err := os.Stat(c.abs(p)); err != nil {
			return nil, err
		}
		rel = append(rel, filepath.ToSlash(r))
	}
	if s.fsys, err = rootfs.Open(s.root, 0); err != nil {
		return nil, err
	}
	for _, r := range rel {
		// Findings carry resolved paths: my.cnf -> real.conf reports in real.conf.
		if real, _, err := s.fsys.Resolve(r); err == nil && real != r {
			rel = append(rel, real)
		}
	}
	s.focus = newFocus(rel)
	if o.baseline != "" {
		data, err := readUserFile(guard, c.abs(o.baseline), maxBaselineSize)
		if err != nil {
			return nil, fmt.Errorf("--baseline: %w (record one with: tlsvet baseline write FILE)", err)
		}
		s.known, err = baseline.Read(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", o.baseline, err)
		}
	}
	if o.newFromRev != "" {
		if s.changes, err = gitdiff.Changed(s.root, o.newFromRev); err != nil {
			return nil, fmt.Errorf("--new-from-rev: %w", err)
		}
	}
	return s, nil
}

// analyze reads the root from fsys and runs the rules. The named paths
// are read too even when the walk would skip them (vendor/…), and the
// findings are narrowed to the focus. With named option files, only the
// parts of the root that can change their findings are read
// (load.Options.Focus).
func (s *session) analyze(fsys fs.FS) (*model.Project, []lint.Diagnostic, error) {
	paths := []string{"."}
	var focus []string
	if !s.focus.all {
		for p := range s.focus.paths {
			paths = append(paths, p)
			focus = append(focus, p)
		}
		slices.Sort(focus)
	}
	if s.wholeRoot {
		focus = nil
	}
	proj, err := load.Load(load.Options{
		FS: fsys, RootDir: s.root, Paths: paths, AllowOutside: s.o.allowOutside,
		Targets: s.res.Targets, TargetBy: s.targetBy, Exclude: s.res.Exclude,
		KeepComment: lint.MayHoldDirective, // only directives matter here; linttest keeps all
		Focus:       focus,
	})
	if err != nil {
		return nil, nil, err
	}
	ds := lint.Run(proj, s.res.Rules, lint.Options{Policy: s.res.Policy, Severity: s.res.Severity, Catalog: rules.All})
	s.focus.widen(proj, s.o.report)
	proj.Problems = s.focus.problems(proj.Problems)
	return proj, s.focus.diagnostics(ds), nil
}

// report narrows the findings to what this run reports: those not in the
// baseline and those on lines changed since the revision.
func (s *session) report(ds []lint.Diagnostic) []lint.Diagnostic {
	if s.known != nil {
		ds, _ = s.known.Filter(ds)
	}
	if s.changes != nil {
		ds = s.changes.Filter(ds)
	}
	return ds
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
	failOn, err := lint.ParseSeverity(o.failOn)
	if err != nil {
		return c.fail(fmt.Errorf("--fail-on: %w", err))
	}
	if o.fix && o.diff {
		return c.fail(errors.New("--fix writes the fixes and --diff only shows them: give one"))
	}
	proj, ds, err := s.analyze(s.fsys)
	if err != nil {
		return c.fail(err)
	}
	ds = s.report(ds)
	// Text, JSON and diff paths are relative to the working directory,
	// GitHub's to the workspace, SARIF URIs to the repository.
	show := func(p string) string { return report.RelPath(c.Dir, s.root, p) }
	if o.fix || o.diff {
		fx, err := s.fixAll(s.fsys, proj, ds, o.diff)
		if err != nil {
			return c.fail(err)
		}
		if o.diff {
			// Run inside a repository, paths relative to it, as git apply
			// reads them from any directory of it (applying those below
			// that directory); elsewhere relative to the working
			// directory, for patch -p1 there.
			name := show
			if top := s.repo; top != "" && isInside(top, c.Dir) {
				name = func(p string) string { return report.RelPath(top, s.root, p) }
			}
			diff, withheld := (&fix.Plan{Changes: fx.changes}).Diff(name)
			c.Stdout.Write(diff)
			fmt.Fprintln(c.Stderr, fx.summary("--fix would apply", show))
			for _, w := range withheld {
				c.warn(w + "; --fix applies it")
			}
			outs = fileOutputs(outs) // the diff takes stdout
		} else {
			kept := 0
			for _, ch := range fx.changes {
				err := atomicfile.WriteIn(s.fsys.Root(), filepath.FromSlash(ch.File.Path), ch.New, ch.File.Content)
				if errors.Is(err, atomicfile.ErrChanged) || errors.Is(err, atomicfile.ErrSymlink) || errors.Is(err, atomicfile.ErrNotRegular) {
					// Skip this file, say so, and fix the others.
					c.warn(fmt.Sprintf("%s: not fixed: %v", show(ch.File.Path), rootfs.Reason(err)))
					kept++
					continue
				}
				if err != nil {
					return c.fail(err)
				}
			}
			fmt.Fprintln(c.Stderr, fx.summary("applied", show))
			proj, ds = fx.proj, fx.ds
			if kept > 0 {
				// The report must describe the files as they are.
				if proj, ds, err = s.analyze(s.fsys); err != nil {
					return c.fail(err)
				}
				ds = s.report(ds)
			}
		}
	}

	rep := &report.Report{
		Diagnostics: ds, Rules: s.res.Rules, Files: proj.Files, Version: Version, Category: o.category,
		Root: s.root, Dir: c.Dir, GitHubDir: c.githubDir(s),
	}
	if slices.ContainsFunc(outs, func(o output) bool { return o.format == "json" }) {
		// Only JSON lists clients; the option-file clients' records are
		// read again for it.
		for _, conn := range append(rules.ClientRecords(proj), proj.Connections...) {
			if conn.Span.IsValid() && s.focus.has(conn.Span.File.Path) {
				rep.Clients = append(rep.Clients, conn)
			}
		}
		for _, l := range proj.Links {
			if l.Client.Span.IsValid() && s.focus.has(l.Client.Span.File.Path) {
				rep.Links = append(rep.Links, l)
			}
		}
	}
	if rep.Category != "" && !strings.Contains(rep.Category, "/") {
		// GitHub takes the category from automationDetails.id up to its
		// last slash; an id without one has no category at all.
		// https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#runautomationdetails-object
		rep.Category += "/"
	}
	if repo := s.repo; repo != "" {
		if rel, err := filepath.Rel(repo, s.root); err == nil && rel != "." {
			rep.URIPrefix = filepath.ToSlash(rel) + "/"
		}
	}
	if !slices.Contains(s.res.Rules, lint.ParseError) {
		// Each problem is reported once: as a TV001 finding when that rule
		// runs, else here, so that a file left unread is never silent.
		for _, pr := range proj.Problems {
			rep.Notifications = append(rep.Notifications, report.Notification{Path: pr.Span.File.Path, Message: pr.Message})
		}
	}
	for _, n := range append(proj.Notices, load.Summaries(proj, s.focus.has)...) {
		level := "warning"
		if n.Note {
			level = "note"
		}
		rep.Notifications = append(rep.Notifications, report.Notification{Path: n.Path, Message: n.Message, Level: level})
	}
	if err := capReport(rep, ds, o.maxFindings); err != nil {
		return c.fail(err)
	}
	color := !o.noColor && c.Getenv("NO_COLOR") == "" && isTerminal(c.Stdout)
	for _, out := range outs {
		if err := c.write(out, rep, color, s.guard); err != nil {
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

// githubDir is the directory GitHub annotations' file= is relative to:
// the runner resolves it against $GITHUB_WORKSPACE; outside Actions, the
// repository around the scanned root, else the root.
func (c *Command) githubDir(s *session) string {
	if ws := c.Getenv("GITHUB_WORKSPACE"); ws != "" {
		return c.abs(ws)
	}
	if s.repo != "" {
		return s.repo
	}
	return s.root
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

// baselineCmd is `tlsvet baseline write FILE [flags] [PATH...]`: it
// records the findings check would report, so that check --baseline FILE
// reports only new ones.
func (c *Command) baselineCmd(args []string) int {
	if len(args) < 2 || args[0] != "write" || strings.HasPrefix(args[1], "-") {
		return c.fail(errors.New("usage: tlsvet baseline write FILE [flags] [PATH...]"))
	}
	file := args[1]
	s, err := c.setup(args[2:])
	if err != nil {
		return c.usageError(err)
	}
	_, ds, err := s.analyze(s.fsys)
	if err != nil {
		return c.fail(err)
	}
	var buf bytes.Buffer
	if err := baseline.Write(&buf, ds); err != nil {
		return c.fail(err)
	}
	if err := writeUserFile(s.guard, c.abs(file), buf.Bytes()); err != nil {
		return c.fail(err)
	}
	c.warn(fmt.Sprintf("recorded %d findings in %s", len(ds), file))
	return ExitClean
}

// capReport bounds what the report shows (--max-findings; 0 shows all);
// ds, uncapped, still decides the exit status.
func capReport(rep *report.Report, ds []lint.Diagnostic, max int) error {
	switch {
	case max < 0:
		return fmt.Errorf("--max-findings %d: want 0 (no limit) or more", max)
	case max == 0:
		rep.Cap(ds, 0, 0)
	default:
		rep.Cap(ds, report.DefaultPerRuleFile, max)
	}
	return nil
}
