// Package cli is tlsvet's command line: flag parsing, configuration,
// loading, running the rules and writing reports. cmd/tlsvet only wires it
// to the process, so everything here is testable in-process.
package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/tlsvet/tlsvet/internal/config"
	"github.com/tlsvet/tlsvet/internal/report"
	"github.com/tlsvet/tlsvet/rules"
)

// Version is the tool's semantic version.
const Version = "0.1.0"

// Exit codes (README.md, "Exit codes").
const (
	ExitClean    = 0 // nothing at or above --fail-on
	ExitFindings = 1 // findings at or above --fail-on
	ExitUsage    = 2 // bad flag, bad config, unreadable path
)

// Command is one invocation.
type Command struct {
	Stdout, Stderr io.Writer
	// Stdin is read by tlsvet negotiate --client -; nil means os.Stdin.
	Stdin io.Reader
	// Dir is the working directory; "" means the process's.
	Dir string
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// wholeRoot makes a run that names files read the whole root anyway,
	// for the tests that compare it with the focused run.
	wholeRoot bool
}

const usage = `tlsvet checks MySQL and MariaDB TLS configuration before it is deployed.

Usage:
  tlsvet [check] [flags] [PATH...]   check option files under PATH (default ".")
  tlsvet baseline write FILE [flags] [PATH...]
                                     record today's findings; check --baseline FILE
                                     then reports only new ones
  tlsvet negotiate --server PATH [--server-service NAME] --client PATH|-|DSN [--client-service NAME]
                                     predict the TLS handshake of a client and a server
                                     (exit 0 connects, 1 fails, 3 cannot tell)
  tlsvet explain ID|NAME             show a rule's documentation
  tlsvet rules [--format json]       list the rules
  tlsvet version                     print the version

Flags of check (before or after paths):
`

// Main runs the command and returns the exit code.
func (c *Command) Main(args []string) int {
	if c.Getenv == nil {
		c.Getenv = os.Getenv
	}
	if c.Dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			c.warn(err.Error())
			return ExitUsage
		}
		c.Dir = wd
	}
	sub := "check"
	if len(args) > 0 {
		switch args[0] {
		case "check", "baseline", "explain", "rules", "version", "help", "negotiate":
			sub, args = args[0], args[1:]
		case "-h", "-help", "--help":
			sub, args = "help", nil
		}
	}
	switch sub {
	case "baseline":
		return c.baselineCmd(args)
	case "explain":
		return c.explain(args)
	case "negotiate":
		return c.negotiate(args)
	case "rules":
		return c.listRules(args)
	case "version":
		fmt.Fprintln(c.Stdout, "tlsvet", Version)
		return ExitClean
	case "help":
		fs, _ := c.checkFlags()
		fs.SetOutput(c.Stdout)
		fmt.Fprint(c.Stdout, usage)
		fs.PrintDefaults()
		return ExitClean
	}
	return c.check(args)
}

// checkOpts are the flags of check.
type checkOpts struct {
	formats      listFlag
	config       string
	failOn       string
	enable       listFlag
	disable      listFlag
	targets      listFlag
	allowOutside bool
	noColor      bool
	category     string
	baseline     string
	newFromRev   string
	fix, diff    bool
	maxFindings  int
	report       string // reportNamed or reportChanged
}

func (c *Command) checkFlags() (*flag.FlagSet, *checkOpts) {
	o := &checkOpts{enable: listFlag{split: true}, disable: listFlag{split: true}, targets: listFlag{split: true}}
	fs := flag.NewFlagSet("tlsvet check", flag.ContinueOnError)
	fs.SetOutput(c.Stderr)
	fs.Var(&o.formats, "format", "output `format`: text, json, sarif or github; FORMAT=FILE writes to a file (repeatable)")
	fs.StringVar(&o.config, "config", "", "config `file` (default: .tlsvet.toml in the first path's directory or above it, up to the repository root)")
	fs.StringVar(&o.failOn, "fail-on", "warning", "exit 1 when a finding is at or above this `severity` (error, warning, note)")
	fs.Var(&o.enable, "enable", "run only these rules (`IDs`, names or prefixes such as TV1, comma-separated)")
	fs.Var(&o.disable, "disable", "do not run these rules (`IDs`, names or prefixes)")
	fs.Var(&o.targets, "target", "server/client `version`s when the files do not say, e.g. mysql-8.0.36, mariadb-11.4")
	fs.BoolVar(&o.allowOutside, "allow-outside-root", false, "follow !include paths written outside the scanned root (never symbolic links leaving it)")
	fs.BoolVar(&o.noColor, "no-color", false, "no colour in text output (NO_COLOR is honoured too)")
	fs.StringVar(&o.category, "sarif-category", "", "code scanning `category` (SARIF automationDetails.id), for several uploads per commit")
	fs.StringVar(&o.baseline, "baseline", "", "report only findings not recorded in this `file` (see tlsvet baseline write)")
	fs.StringVar(&o.newFromRev, "new-from-rev", "", "report only findings on lines changed since this git `revision` (or caused by them)")
	fs.BoolVar(&o.fix, "fix", false, "apply every exact fix to the files, then report what is left")
	fs.BoolVar(&o.diff, "diff", false, "print the fixes as a unified diff instead of the report; write nothing")
	fs.IntVar(&o.maxFindings, "max-findings", report.DefaultMaxFindings, fmt.Sprintf("show at most `N` findings, and %d per rule and file (0: all); the exit status counts every finding", report.DefaultPerRuleFile))
	fs.StringVar(&o.report, "report", reportNamed, "`scope` of a named file: named (it, the files it includes, and what they cause) or changed (it and what it causes; the pre-commit hooks, which name every changed file)")
	return fs, o
}

// output is one --format value.
type output struct{ format, file string }

func parseFormats(vals []string) ([]output, error) {
	if len(vals) == 0 {
		return []output{{format: "text"}}, nil
	}
	var outs []output
	stdout := 0
	for _, v := range vals {
		f, file, _ := strings.Cut(v, "=")
		switch f {
		case "text", "json", "sarif", "github":
		default:
			return nil, fmt.Errorf("--format %q: want text, json, sarif or github (optionally FORMAT=FILE)", v)
		}
		if file == "" {
			stdout++
		}
		outs = append(outs, output{f, file})
	}
	if stdout > 1 {
		return nil, errors.New("--format: only one format can go to standard output; give the others a file (sarif=out.sarif)")
	}
	return outs, nil
}

// fileOutputs drops the outputs that go to standard output.
func fileOutputs(outs []output) []output {
	var files []output
	for _, o := range outs {
		if o.file != "" {
			files = append(files, o)
		}
	}
	return files
}

// write streams a report to standard output; a file gets it whole, written
// as writeUserFile says (the output caps bound its size).
func (c *Command) write(o output, rep *report.Report, color bool, guard string) error {
	if o.file == "" {
		w := bufio.NewWriter(c.Stdout)
		if err := render(w, o.format, rep, color); err != nil {
			return err
		}
		return w.Flush()
	}
	var buf bytes.Buffer
	if err := render(&buf, o.format, rep, false); err != nil {
		return err
	}
	return writeUserFile(guard, c.abs(o.file), buf.Bytes())
}

func render(w io.Writer, format string, rep *report.Report, color bool) error {
	switch format {
	case "text":
		return report.Text(w, rep, color)
	case "json":
		return report.JSON(w, rep)
	case "sarif":
		return report.SARIF(w, rep)
	case "github":
		return report.GitHub(w, rep)
	}
	return fmt.Errorf("unknown format %q", format)
}

func (c *Command) fail(err error) int {
	c.warn(err.Error())
	return ExitUsage
}

// warn writes msg to stderr, each of its lines after "tlsvet: " and
// escaped (report.Escape): messages quote file names and values from the
// scanned repository, and no line may start a workflow command (which the
// GitHub Actions runner reads from every line of a step's output) or send
// a terminal sequence.
func (c *Command) warn(msg string) {
	for _, line := range strings.Split(msg, "\n") {
		fmt.Fprintln(c.Stderr, "tlsvet:", report.Escape(line))
	}
}

func (c *Command) abs(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(c.Dir, p)
}

// firstDir is p when it is a directory, else its parent.
func firstDir(p string) string {
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		return p
	}
	return filepath.Dir(p)
}

// root picks the scanned root: the directory of the config file, else the
// repository (the nearest directory with .git) around the first path, else
// the working directory. Nothing outside it is read unless allowed, and
// SARIF URIs are relative to it.
func (c *Command) root(cfgPath string, paths []string) string {
	if cfgPath != "" {
		return filepath.Dir(cfgPath)
	}
	dir := firstDir(c.abs(paths[0]))
	if repo := config.Repository(dir); repo != "" {
		return repo
	}
	if isInside(c.Dir, dir) {
		return c.Dir
	}
	return dir
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (c *Command) explain(args []string) int {
	if len(args) != 1 {
		return c.fail(errors.New("usage: tlsvet explain ID|NAME"))
	}
	r := rules.Lookup(args[0])
	if r == nil {
		return c.fail(fmt.Errorf("no rule %q (see `tlsvet rules`)", args[0]))
	}
	fmt.Fprint(c.Stdout, r.Markdown())
	return ExitClean
}

func (c *Command) listRules(args []string) int {
	fs := flag.NewFlagSet("tlsvet rules", flag.ContinueOnError)
	fs.SetOutput(c.Stderr)
	format := fs.String("format", "text", "text or json")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	switch *format {
	case "json":
		return c.rulesJSON()
	case "text":
		for _, r := range rules.All {
			fmt.Fprintf(c.Stdout, "%s  %-32s %-8s %s\n", r.ID, r.Name, r.Severity, r.Doc.Title)
		}
		return ExitClean
	}
	return c.fail(fmt.Errorf("--format %q: want text or json", *format))
}

// ruleJSON is one entry of `tlsvet rules --format json`.
type ruleJSON struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	Severity         string   `json:"severity"`
	Title            string   `json:"title"`
	SecuritySeverity string   `json:"security_severity,omitempty"`
	Tags             []string `json:"tags"`
	HelpURI          string   `json:"help_uri"`
}

func (c *Command) rulesJSON() int {
	out := []ruleJSON{}
	for _, r := range rules.All {
		tags := r.Tags
		if tags == nil {
			tags = []string{}
		}
		out = append(out, ruleJSON{r.ID, r.Name, r.Severity.String(), r.Doc.Title, r.SecuritySeverity, tags, r.HelpURI()})
	}
	enc := json.NewEncoder(c.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return c.fail(err)
	}
	return ExitClean
}
