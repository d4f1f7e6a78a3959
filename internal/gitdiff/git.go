package gitdiff

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// safeConfig overrides every setting of the repository's config through
// which diff, ls-files, rev-parse or config could start a program
// (https://git-scm.com/docs/git-config):
//   - core.fsmonitor: a hook command run on every index read. Empty, not
//     "false": before git 2.36 the value is the hook's path, so "false"
//     would run a program of that name, while an empty value means off in
//     every version;
//   - core.hooksPath: post-index-change would run if the index were
//     written (GIT_OPTIONAL_LOCKS=0 already stops diff from writing it);
//   - diff.external, and diff.<driver>.command through attributes: also
//     off by --no-ext-diff; diff.<driver>.textconv: off by --no-textconv;
//   - core.pager: never started without a terminal, pinned anyway;
//   - protocol.allow: a partial clone fetches missing objects on demand,
//     which would start ssh or a remote helper named by the repository;
//     GIT_NO_LAZY_FETCH=1 stops that fetch on git 2.44 and later;
//   - core.quotePath: pinned on so that file names parse one way
//     (see diffPath).
//
// filter.<driver>.clean/smudge/process run whenever a working-tree file is
// read for a diff; their names are found in the config and switched off
// one by one (disableFilters).
var safeConfig = []string{
	"core.fsmonitor=",
	"core.hooksPath=/dev/null",
	"diff.external=",
	"core.pager=cat",
	"protocol.allow=never",
	"core.quotePath=true",
}

// git runs git commands in one directory with safeConfig.
type git struct {
	dir     string
	filters []string // extra -c settings from disableFilters
}

// gitError is a failed git command; stderr is what git said.
type gitError struct {
	dir, sub string // where it ran and the subcommand
	stderr   string
	err      error
}

func (e *gitError) Error() string {
	return fmt.Sprintf("gitdiff: git %s in %s: %s", e.sub, e.dir, e.reason())
}

// reason is the first line git wrote to stderr, or why it did not run.
func (e *gitError) reason() string {
	if msg := firstLine(e.stderr); msg != "" {
		return msg
	}
	return e.err.Error()
}

func (g *git) run(args ...string) ([]byte, error) {
	full := []string{"--no-pager"}
	for _, kv := range append(append([]string{}, safeConfig...), g.filters...) {
		full = append(full, "-c", kv)
	}
	cmd := exec.Command("git", append(full, args...)...)
	cmd.Dir = g.dir
	cmd.Env = append(os.Environ(),
		"GIT_TERMINAL_PROMPT=0",
		"GIT_OPTIONAL_LOCKS=0",
		"GIT_NO_LAZY_FETCH=1",
		"LC_ALL=C", // messages in English, as the errors quote them
	)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, &gitError{dir: g.dir, sub: args[0], stderr: stderr.String(), err: err}
	}
	return stdout.Bytes(), nil
}

// disableFilters switches off every filter driver the configuration
// defines, in any scope, by overriding its commands with empty ones.
func (g *git) disableFilters() error {
	out, err := g.run("config", "--null", "--name-only", "--get-regexp", `^filter\.`)
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err.(*gitError).err, &exit) && exit.ExitCode() == 1 {
			return nil // no filter is configured
		}
		return err
	}
	seen := map[string]bool{}
	for _, key := range strings.Split(string(out), "\x00") {
		// key is filter.<name>.<variable>; <name> may hold dots.
		name, ok := strings.CutPrefix(key, "filter.")
		if i := strings.LastIndexByte(name, '.'); ok && i > 0 {
			name = name[:i]
		} else {
			continue
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		if strings.ContainsAny(name, "=\n") {
			// "-c filter.<name>.clean=" splits at the first "=": a crafted
			// name would set a command instead of clearing one.
			return fmt.Errorf("gitdiff: refusing to run git in %s: filter driver name %q cannot be overridden", g.dir, name)
		}
		for _, v := range []string{"clean=", "smudge=", "process=", "required=false"} {
			g.filters = append(g.filters, "filter."+name+"."+v)
		}
	}
	return nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(s)
}
