package gitdiff

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
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
//     which would start a transport the repository names (ssh,
//     remote.<name>.uploadpack, an ext:: command). The repository's own
//     protocol.<name>.allow outranks this default, so safeEnv shuts the
//     transports off too;
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

// safeEnv is added to git's environment after the caller's, so that it
// wins (os/exec keeps the last value of a variable):
//   - GIT_ALLOW_PROTOCOL=none: an allow-list naming no protocol, which
//     outranks every protocol.<name>.allow of the repository, so no
//     transport can start, a partial clone's fetch of missing objects
//     included. Honoured since git 2.6.1
//     (https://git-scm.com/docs/git#Documentation/git.txt-codeGITALLOWPROTOCOLcode).
//   - GIT_NO_LAZY_FETCH=1: git does not even try that fetch
//     (https://git-scm.com/docs/git#Documentation/git.txt-codeGITNOLAZYFETCHcode).
//     Documented in git 2.45.0 with the --no-lazy-fetch option (git commit
//     e6d5479e7a, Documentation/RelNotes/2.45.0.txt) and honoured since the
//     CVE-2024-32465 releases 2.39.4, 2.40.2, 2.41.1, 2.42.2, 2.43.4 and
//     2.44.1 (commit 7b70e9efb1); older git ignores it, which
//     GIT_ALLOW_PROTOCOL covers. The option itself is never passed: git
//     before 2.45 rejects it (exit 129).
//   - GIT_TERMINAL_PROMPT=0: no credential prompt;
//   - GIT_OPTIONAL_LOCKS=0: diff does not write a refreshed index;
//   - LC_ALL=C: messages in English, as the errors quote and match them.
var safeEnv = []string{
	"GIT_ALLOW_PROTOCOL=none",
	"GIT_NO_LAZY_FETCH=1",
	"GIT_TERMINAL_PROMPT=0",
	"GIT_OPTIONAL_LOCKS=0",
	"LC_ALL=C",
}

// timeout bounds the git commands of one Changed call. git blocks for ever
// opening a FIFO where it reads a file the repository names
// (core.excludesFile, .git/info/exclude, a .gitignore). core.excludesFile
// is not switched off with -c instead: it is usually the user's own global
// ignore list, whose files must stay ignored.
var timeout = 30 * time.Second

// git runs git commands in one directory with safeConfig and safeEnv.
type git struct {
	ctx     context.Context // ends at the timeout
	dir     string
	filters []string // extra -c settings from disableFilters and keepUserExcludes
}

// gitError is a failed git command; stderr is what git said.
type gitError struct {
	dir, sub string // where it ran and the subcommand
	stderr   string
	err      error
}

func (e *gitError) Error() string {
	if e.partialClone() {
		return fmt.Sprintf("gitdiff: partial clone: fetch the objects for --new-from-rev first (git %s in %s: %s)", e.sub, e.dir, e.reason())
	}
	return fmt.Sprintf("gitdiff: git %s in %s: %s", e.sub, e.dir, e.reason())
}

// partialClone reports whether git failed for want of objects that only a
// promisor remote has, which safeEnv stops it from fetching: git 2.39 and
// later die with "could not fetch <oid> from promisor remote"; the other
// messages are those of the fetch it skipped or refused.
func (e *gitError) partialClone() bool {
	for _, l := range strings.Split(e.stderr, "\n") {
		if strings.Contains(l, "from promisor remote") ||
			strings.Contains(l, "lazy fetching disabled") ||
			strings.HasPrefix(l, "fatal: transport '") && strings.HasSuffix(l, "' not allowed") {
			return true
		}
	}
	return false
}

// reason is the first error git wrote to stderr (after any warnings), or
// why it did not run.
func (e *gitError) reason() string {
	for _, l := range strings.Split(e.stderr, "\n") {
		if strings.HasPrefix(l, "fatal: ") || strings.HasPrefix(l, "error: ") {
			return strings.TrimSpace(l)
		}
	}
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
	cmd := exec.CommandContext(g.ctx, "git", append(full, args...)...)
	cmd.Dir = g.dir
	cmd.Env = append(os.Environ(), safeEnv...)
	// Killing git at the timeout does not end a program it started, which
	// could hold the output pipes open; Wait gives up on them after this.
	cmd.WaitDelay = time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if g.ctx.Err() != nil {
			return nil, fmt.Errorf("gitdiff: git %s in %s: stopped after %v without an answer (git blocks on a FIFO in place of a file it reads, such as core.excludesFile)", args[0], g.dir, timeout)
		}
		return nil, &gitError{dir: g.dir, sub: args[0], stderr: stderr.String(), err: err}
	}
	return stdout.Bytes(), nil
}

// disableFilters switches off every filter driver the configuration
// defines, in any scope, by overriding its commands with empty ones.
func (g *git) disableFilters() error {
	out, err := g.run("config", "--null", "--name-only", "--get-regexp", `^filter\.`)
	if err != nil {
		var ge *gitError
		var exit *exec.ExitError
		if errors.As(err, &ge) && errors.As(ge.err, &exit) && exit.ExitCode() == 1 {
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

// keepUserExcludes stops the repository's own configuration from naming
// core.excludesFile: ls-files --others opens it, and a FIFO there blocks
// git until the timeout (a pull request cannot commit .git/config, but a
// downloaded archive or a restored cache carries one). The value from the
// user's global or system configuration is kept, so that files they
// ignore everywhere still do not count as changed.
// https://git-scm.com/docs/git-config#Documentation/git-config.txt-coreexcludesFile
func (g *git) keepUserExcludes() {
	out, err := g.run("config", "--null", "--show-scope", "--get-all", "core.excludesFile")
	if err != nil {
		var ge *gitError
		var exit *exec.ExitError
		if errors.As(err, &ge) && errors.As(ge.err, &exit) && exit.ExitCode() != 1 {
			// Not "unset": a git before 2.26 has no --show-scope and
			// cannot tell whose setting it is, so none is used.
			g.filters = append(g.filters, "core.excludesFile=")
		}
		return
	}
	keep, local := "", false
	parts := strings.Split(string(out), "\x00")
	for i := 0; i+1 < len(parts); i += 2 {
		switch parts[i] {
		case "global", "system":
			keep = parts[i+1]
		default: // local, worktree, command
			local = true
		}
	}
	if local {
		g.filters = append(g.filters, "core.excludesFile="+keep)
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(s)
}
