//go:build linux

package hostile

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// A tree builds one hostile layout in e and runs tlsvet on it; e.run
// checks the properties every run must keep, the tree what is particular
// to it. Later readers add their trees here.
var trees = []struct {
	name string
	test func(t *testing.T, e *env)
}{
	{"environ-behind-includedir", func(t *testing.T, e *env) {
		e.write("my.cnf", "[mysqld]\ntls_version=TLSv1\n!includedir conf.d\n!includedir rel.d\n")
		e.symlink("conf.d/env.cnf", "/proc/self/environ")
		e.symlink("rel.d/env.cnf", strings.Repeat("../", 30)+"proc/self/environ")
		e.symlink("walked.cnf", "/proc/self/environ")
		for _, f := range formats {
			r := e.run("--format", f)
			wantCode(t, r, 1)
		}
		r := e.run()
		wantIn(t, r, r.stdout, "[TV003 ", "conf.d/env.cnf", "rel.d/env.cnf")
		wantIn(t, r, r.all(), "walked.cnf")
	}},
	{"links-leaving-the-root-walked", func(t *testing.T, e *env) {
		e.write("my.cnf", "[client]\nssl-mode=REQUIRED\n")
		e.symlink("abs.cnf", filepath.Join(e.outside, "x.cnf"))
		e.symlink("rel.cnf", "../outside/x.cnf")
		e.symlink("sub/rel.cnf", "../../outside/x.cnf")
		e.symlink("sub/chain.cnf", "../rel.cnf")
		r := e.run()
		wantCode(t, r, 0, 1)
		wantIn(t, r, r.all(), "abs.cnf", "rel.cnf", "sub/rel.cnf", "sub/chain.cnf")
		for _, f := range formats {
			e.run("--format", f)
		}
		for _, p := range []string{"abs.cnf", "rel.cnf", "sub/rel.cnf", "sub/chain.cnf"} {
			r := e.run(p)
			wantCode(t, r, 0, 1, 2)
		}
	}},
	{"links-leaving-the-root-included", func(t *testing.T, e *env) {
		x := filepath.Join(e.outside, "x.cnf")
		e.write("my.cnf", "[mysqld]\nssl=1\n!include inc/a.inc\n!include inc/b.inc\n!include "+x+
			"\n!include ../outside/x.cnf\n!includedir ../outside\n!includedir "+e.outside+"\n")
		e.symlink("inc/a.inc", x)
		e.symlink("inc/b.inc", "../../outside/x.cnf")
		r := e.run()
		wantCode(t, r, 0, 1)
		if n := strings.Count(r.stdout, "[TV003 "); n < 6 {
			t.Errorf("%d TV003 findings, want one per include (6):\n%s", n, r.stdout)
		}
		for _, f := range formats {
			e.run("--format", f)
		}
	}},
	{"absolute-link-back-inside", func(t *testing.T, e *env) {
		e.write("conf/real.txt", "[client]\nssl-mode=DISABLED\n")
		e.symlink("abs.cnf", e.path("conf/real.txt"))
		r := e.run()
		wantCode(t, r, 0)
		wantIn(t, r, r.all(), "abs.cnf", "absolute")
	}},
	{"symlinked-my.cnf-inside-is-read", func(t *testing.T, e *env) {
		e.write("templates/base.txt", "[client]\nssl-mode=DISABLED\n")
		e.symlink("my.cnf", "templates/base.txt")
		e.symlink("deploy/client.cnf", "../templates/base.txt")
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, "[TV301 ")
		if n := strings.Count(r.stdout, "[TV301 "); n != 1 {
			t.Errorf("one file behind two links: %d TV301 findings, want 1:\n%s", n, r.stdout)
		}
	}},
	{"duplicate-via-symlink-read-once", func(t *testing.T, e *env) {
		e.write("a.cnf", "[client]\nssl-mode=DISABLED\n")
		e.symlink("b.cnf", "a.cnf")
		e.symlink("sub/c.cnf", "../a.cnf")
		e.symlink("alias", ".")
		r := e.run()
		wantCode(t, r, 1)
		if n := strings.Count(r.stdout, "[TV301 "); n != 1 {
			t.Errorf("%d TV301 findings, want 1 (a file is identified by its resolved path):\n%s", n, r.stdout)
		}
	}},
	{"fifo", func(t *testing.T, e *env) {
		e.fifo("x.cnf")
		e.fifo("inc/y.inc")
		e.symlink("via-link.cnf", "x.cnf")
		e.write("my.cnf", "[mysqld]\nssl=1\n!include inc/y.inc\n!includedir inc\n")
		r := e.run()
		wantCode(t, r, 0, 1)
		wantIn(t, r, r.all(), "x.cnf", "[TV003 ")
		// Named paths: the name decides as in the walk (inc/y.inc would be
		// skipped as a regular file too).
		for _, p := range []string{"x.cnf", "via-link.cnf"} {
			r := e.run(p)
			wantCode(t, r, 0, 1, 2)
			wantIn(t, r, r.all(), p)
		}
	}},
	{"device-links", func(t *testing.T, e *env) {
		e.symlink("zero.cnf", "/dev/zero")
		e.symlink("stdin.cnf", "/dev/stdin")
		e.symlink("urandom.cnf", strings.Repeat("../", 30)+"dev/urandom")
		e.symlink("inc/zero.inc", "/dev/zero")
		e.write("my.cnf", "[mysqld]\nssl=1\n!include /dev/zero\n!include inc/zero.inc\n!include /dev/stdin\n")
		r := e.run()
		wantCode(t, r, 0, 1)
		wantIn(t, r, r.all(), "zero.cnf", "stdin.cnf", "urandom.cnf")
		for _, p := range []string{"zero.cnf", "stdin.cnf", "urandom.cnf"} {
			e.run(p)
		}
	}},
	{"config-not-regular-or-too-large", func(t *testing.T, e *env) {
		e.write("my.cnf", "[client]\nssl-mode=DISABLED\n")
		for _, c := range []struct {
			name  string
			build func(p string)
		}{
			{"fifo", func(p string) { e.fifo(p) }},
			{"dev-zero", func(p string) { e.symlink(p, "/dev/zero") }},
			{"outside", func(p string) { e.symlink(p, "../outside/.tlsvet.toml") }},
			{"too-large", func(p string) { e.write(p, "[rules]\n"+strings.Repeat("# comment\n", (1<<20)/10+1)) }},
		} {
			name := "c-" + c.name + ".toml"
			c.build(name)
			r := e.run("--config", name)
			wantCode(t, r, 2)
			wantIn(t, r, r.stderr, name)
			// The same file found as the repository's .tlsvet.toml.
			os.Remove(e.path(".tlsvet.toml"))
			c.build(".tlsvet.toml")
			r = e.run()
			wantCode(t, r, 2)
			wantIn(t, r, r.stderr, ".tlsvet.toml")
		}
	}},
	{"baseline-not-regular-or-too-large", func(t *testing.T, e *env) {
		e.write("my.cnf", "[client]\nssl-mode=DISABLED\n")
		e.fifo("fifo.json")
		e.symlink("zero.json", "/dev/zero")
		e.symlink("outside.json", "../outside/out.sarif")
		big := e.path("big.json")
		if err := os.WriteFile(big, []byte("{"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(big, 64<<20+1); err != nil { // sparse: costs no disk
			t.Fatal(err)
		}
		outFifo := filepath.Join(e.tmp, "out", "fifo.json")
		os.MkdirAll(filepath.Dir(outFifo), 0o755)
		if err := syscall.Mkfifo(outFifo, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, b := range []string{"fifo.json", "zero.json", "outside.json", "big.json", outFifo} {
			r := e.run("--baseline", b)
			wantCode(t, r, 2)
			wantIn(t, r, r.stderr, "--baseline")
		}
	}},
	{"line-of-5MB", func(t *testing.T, e *env) {
		e.write("big.cnf", "[client]\nssl-cipher="+strings.Repeat("A", 5<<20)+"\n")
		r := e.run()
		wantCode(t, r, 0, 1)
		wantIn(t, r, r.all(), "big.cnf", "too large")
	}},
	{"comment-lines-100MB", func(t *testing.T, e *env) {
		e.write("big.cnf", strings.Repeat("# a comment line\n", 100<<20/17))
		r := e.run()
		wantCode(t, r, 0, 1)
		wantIn(t, r, r.all(), "big.cnf", "too large")
	}},
	{"comment-lines-under-the-cap", func(t *testing.T, e *env) {
		e.write("big.cnf", "[client]\n"+strings.Repeat("#\n", 39<<20/20)+"ssl-mode=DISABLED\n")
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, "[TV301 ")
	}},
	{"long-line-under-the-cap-bounded-snippet", func(t *testing.T, e *env) {
		e.write("big.cnf", "[client]\nssl-mode=DISABLED\nssl-cipher="+strings.Repeat("A", 39<<20/10)+"\n")
		r := e.run()
		wantCode(t, r, 0, 1)
		wantIn(t, r, r.stdout, "[TV301 ")
		if len(r.stdout) > 64<<10 {
			t.Errorf("text report of one long line is %d bytes; snippets must show a bounded window", len(r.stdout))
		}
	}},
	{"include-fan-out", func(t *testing.T, e *env) {
		for i := range 10 {
			e.write(fmt.Sprintf("f%02d.cnf", i), strings.Repeat(fmt.Sprintf("!include f%02d.cnf\n", i+1), 4))
		}
		e.write("f10.cnf", "[mysqld]\nssl=1\n")
		r := e.run()
		wantCode(t, r, 0, 1)
		wantIn(t, r, r.stdout, "[TV003 ", "include expansion too large")
	}},
	{"empty-list-items-82KB", func(t *testing.T, e *env) {
		e.write("my.cnf", "[mysqld]\ntls_version="+strings.Repeat(",", 82<<10)+"\n")
		r := e.run()
		wantCode(t, r, 0, 1)
		if len(r.stdout) > 1<<20 {
			t.Errorf("text report is %d bytes; repeated token problems must be reported once per option with a count", len(r.stdout))
		}
		r = e.run("--format", "sarif")
		var log struct {
			Runs []struct {
				Results []struct {
					RuleID string `json:"ruleId"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &log); err != nil || len(log.Runs) != 1 {
			t.Fatalf("SARIF: %v (%d runs)", err, len(log.Runs))
		}
		perRule := map[string]int{}
		for _, res := range log.Runs[0].Results {
			perRule[res.RuleID]++
		}
		if n := len(log.Runs[0].Results); n > 5000 {
			t.Errorf("%d SARIF results, want at most 5000 per run", n)
		}
		for id, n := range perRule {
			if n > 100 {
				t.Errorf("%d SARIF results of %s in one file, want at most 100", n, id)
			}
		}
	}},
	{"unreadable-directory", func(t *testing.T, e *env) {
		e.write("locked/a.cnf", "[client]\nssl-mode=DISABLED\n")
		e.write("my.cnf", "[client]\nssl-mode=REQUIRED\n")
		if err := os.Chmod(e.path("locked"), 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(e.path("locked"), 0o755) })
		r := e.run()
		if os.Geteuid() == 0 {
			// Root reads it anyway: only the common properties hold.
			t.Log("running as root: permissions are bypassed, so the notification is not asserted")
			return
		}
		wantCode(t, r, 0)
		wantIn(t, r, r.all(), "locked")
	}},
	{"directory-links", func(t *testing.T, e *env) {
		e.write("my.cnf", "[client]\nssl-mode=DISABLED\n")
		e.write("inc.cnf", "[mysqld]\nssl=1\n!include out/x.cnf\n!includedir out\n!includedir absout\n")
		e.symlink("loop", ".")
		e.symlink("sub/up", "..")
		e.symlink("out", "../outside")
		e.symlink("absout", e.outside)
		r := e.run()
		wantCode(t, r, 1)
		if n := strings.Count(r.stdout, "[TV301 "); n != 1 {
			t.Errorf("%d TV301 findings, want 1 (the walk must not descend into directory links):\n%s", n, r.stdout)
		}
		wantIn(t, r, r.all(), "loop", "[TV003 ")
	}},
	{"config-above-the-repository-ignored", func(t *testing.T, e *env) {
		// tmp/.tlsvet.toml would disable every rule; the watch on tmp
		// fails the run if it is even opened.
		if err := os.WriteFile(filepath.Join(e.tmp, ".tlsvet.toml"), []byte("[rules]\ndisable = [\"TV0\", \"TV1\", \"TV2\", \"TV3\", \"TV6\"]\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		e.write("my.cnf", "[mysqld]\ntls_version=TLSv1\n")
		e.write("sub/c.cnf", "[client]\nssl-mode=DISABLED\n")
		r := e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, "[TV103 ", "[TV301 ")
		e.dir = e.path("sub")
		r = e.run(".")
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, "[TV301 ")
		// .git as a file (a worktree) marks the repository too.
		os.Remove(e.path(".git"))
		e.write(".git", "gitdir: /nonexistent\n")
		e.dir = e.repo
		r = e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, "[TV103 ")
		// No .git at all: only the first path's directory is searched.
		os.Remove(e.path(".git"))
		r = e.run()
		wantCode(t, r, 1)
		wantIn(t, r, r.stdout, "[TV103 ")
	}},
	{"fix-through-links", func(t *testing.T, e *env) {
		const fixable = "[mysqld]\ntls_version=TLSv1.2, TLSv1.3\n"
		e.write("local.cnf", fixable)
		e.symlink("a.cnf", "../outside/fix.cnf")
		e.symlink("abs.cnf", filepath.Join(e.outside, "fix.cnf"))
		e.symlink("out", "../outside")
		e.write("my.cnf", "[mysqld]\nssl=1\n!include out/fix.cnf\n")
		e.run("--diff")
		r := e.run("--fix")
		wantCode(t, r, 0, 1)
		if got, _ := os.ReadFile(e.path("local.cnf")); string(got) == fixable {
			t.Errorf("--fix left local.cnf unfixed; the test no longer exercises --fix:\n%s", r.stderr)
		}
		e.run("--fix", "out/fix.cnf")
		e.run("--fix", "a.cnf")
	}},
	{"report-and-baseline-through-links", func(t *testing.T, e *env) {
		e.write("my.cnf", "[client]\nssl-mode=DISABLED\n")
		e.symlink("tlsvet.sarif", "../outside/out.sarif")
		e.symlink("abs.sarif", filepath.Join(e.outside, "out.sarif"))
		e.symlink("outdir", "../outside")
		for _, f := range []string{"tlsvet.sarif", "abs.sarif", "outdir/new.sarif", "outdir/out.sarif"} {
			r := e.run("--format", "sarif="+f)
			wantCode(t, r, 2)
			r = e.run("--format", "text", "--format", "json="+f)
			wantCode(t, r, 2)
			r = e.run("baseline", "write", f)
			wantCode(t, r, 2)
		}
		for _, name := range []string{"new.sarif", "out.sarif.tmp"} {
			if _, err := os.Lstat(filepath.Join(e.outside, name)); err == nil {
				t.Errorf("%s created outside the root", name)
			}
		}
	}},
	{"templates-and-other-formats", func(t *testing.T, e *env) {
		// The content detector and the template reader (issue 8) are
		// readers too: a template linking outside, a FIFO named like a
		// template, a huge one-line "JSON" file and a libconfig file with
		// a secret-looking key must be read safely and quietly.
		e.symlink("templates/my.cnf.j2", filepath.Join(e.outside, "x.cnf"))
		e.fifo("templates/fifo.cnf.erb")
		e.write("keyring.cnf", "{"+strings.Repeat(`"k":"v",`, 300000)+`"k":"v"}`)
		e.write("proxysql.cnf", "datadir=\"/var/lib/proxysql\"\nadmin_variables=\n{\n\tadmin_credentials=\"admin:hunter2\"\n}\n")
		e.write("tpl/my.cnf.tmpl", "[mysqld]\n{{ range .x }}\nssl_cipher={{ .c }}\ntls_version=TLSv1\n{{ end }}\n")
		for _, f := range formats {
			r := e.run("--format", f)
			wantCode(t, r, 1)
		}
		r := e.run("templates/my.cnf.j2", "templates/fifo.cnf.erb", "keyring.cnf", "proxysql.cnf", "tpl/my.cnf.tmpl")
		wantCode(t, r, 1)
		if strings.Contains(r.all(), "hunter2") {
			t.Errorf("a secret of another format's file reached the output:\n%s", r.all())
		}
	}},
	{"device-node-outputs", func(t *testing.T, e *env) {
		if os.Geteuid() != 0 {
			t.Skip("mknod needs root; the device-node case runs in CI's container as root")
		}
		e.write("my.cnf", "[client]\nssl-mode=DISABLED\n")
		dev := filepath.Join(e.tmp, "out", "devnull")
		inRepo := e.path("tlsvet.sarif")
		os.MkdirAll(filepath.Dir(dev), 0o755)
		for _, p := range []string{dev, inRepo} {
			// A char device 1:3 of our own (never the real /dev/null).
			if err := syscall.Mknod(p, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
				t.Fatalf("mknod: %v", err)
			}
		}
		r := e.run("--format", "sarif="+dev)
		wantCode(t, r, 1)
		r = e.run("baseline", "write", dev)
		wantCode(t, r, 0, 1)
		r = e.run("--format", "sarif=tlsvet.sarif")
		wantCode(t, r, 2)
		for _, p := range []string{dev, inRepo} {
			var st syscall.Stat_t
			if err := syscall.Lstat(p, &st); err != nil || st.Mode&syscall.S_IFMT != syscall.S_IFCHR || st.Rdev != 1<<8|3 {
				t.Errorf("%s is no longer char device 1:3 (mode %o, rdev %d, %v)", p, st.Mode, st.Rdev, err)
			}
		}
	}},
}

var formats = []string{"text", "json", "sarif", "github"}

func TestTrees(t *testing.T) {
	for _, tr := range slices.Concat(trees, appTrees, deployTrees, certTrees, keyTrees, negotiateTrees, sqlTrees, focusTrees) {
		t.Run(tr.name, func(t *testing.T) {
			t.Parallel()
			tr.test(t, newEnv(t))
		})
	}
}
