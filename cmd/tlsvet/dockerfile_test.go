package main

import (
	"bufio"
	"debug/elf"
	"encoding/json"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/cli"
)

// There is no Docker engine in CI, so these tests check what can be checked
// without one: the image's build command is the one .ci/run runs, it makes
// a static binary, and the image, the pre-commit hook and .dockerignore
// agree with it.

// dockerInstr is one Dockerfile instruction, continuation lines joined.
type dockerInstr struct {
	stage int // index of the FROM it follows
	cmd   string
	args  string
}

func readDockerfile(t *testing.T) []dockerInstr {
	t.Helper()
	f, err := os.Open(filepath.Join(moduleRoot(t), "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []dockerInstr
	stage, pending := -1, ""
	for sc := bufio.NewScanner(f); sc.Scan(); {
		line := strings.TrimSpace(sc.Text())
		if pending == "" && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if s, ok := strings.CutSuffix(line, `\`); ok {
			pending += s + " "
			continue
		}
		line, pending = pending+line, ""
		cmd, args, _ := strings.Cut(line, " ")
		cmd = strings.ToUpper(cmd)
		if cmd == "FROM" {
			stage++
		}
		out = append(out, dockerInstr{stage, cmd, strings.TrimSpace(args)})
	}
	return out
}

// shellWords splits a simple command line on blanks outside quotes and
// drops the quotes; it knows no escapes, which neither file uses.
func shellWords(s string) []string {
	var words []string
	var w strings.Builder
	in, quote := false, rune(0)
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote == 0 && (r == '"' || r == '\''):
			quote, in = r, true
		case quote == 0 && (r == ' ' || r == '\t'):
			if in {
				words, in = append(words, w.String()), false
				w.Reset()
			}
		default:
			w.WriteRune(r)
			in = true
		}
	}
	if in {
		words = append(words, w.String())
	}
	return words
}

// buildCommands returns the go build command of the Dockerfile's build
// stage and that of .ci/run, as words.
func buildCommands(t *testing.T) (docker, ci []string) {
	t.Helper()
	for _, in := range readDockerfile(t) {
		if in.stage == 0 && in.cmd == "RUN" && strings.Contains(in.args, "go build") {
			if docker != nil {
				t.Fatal("Dockerfile: more than one go build")
			}
			docker = shellWords(in.args)
		}
	}
	data, err := os.ReadFile(filepath.Join(moduleRoot(t), ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") && strings.Contains(line, "go build") {
			if ci != nil {
				t.Fatal(".ci/run: more than one go build")
			}
			ci = shellWords(line)
		}
	}
	if docker == nil || ci == nil {
		t.Fatalf("go build command: Dockerfile %q, .ci/run %q", docker, ci)
	}
	return docker, ci
}

// withOutput returns the words with the argument of -o replaced, and the
// argument.
func withOutput(t *testing.T, words []string, out string) ([]string, string) {
	t.Helper()
	w := append([]string(nil), words...)
	for i := range w[:len(w)-1] {
		if w[i] == "-o" {
			old := w[i+1]
			w[i+1] = out
			return w, old
		}
	}
	t.Fatalf("no -o in %q", words)
	return nil, ""
}

// TestDockerBuildMatchesCI: CI builds the image's binary the way the image
// does, up to the output path.
func TestDockerBuildMatchesCI(t *testing.T) {
	docker, ci := buildCommands(t)
	d, _ := withOutput(t, docker, "OUT")
	c, _ := withOutput(t, ci, "OUT")
	if !reflect.DeepEqual(d, c) {
		t.Errorf("Dockerfile builds with\n  %q\nbut .ci/run with\n  %q", d, c)
	}
}

// TestDockerBuildIsStatic runs the Dockerfile's build command here: the
// binary must run on distroless/static, which has no libc or loader.
func TestDockerBuildIsStatic(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the image is linux; its build is checked on linux")
	}
	bin := buildAsImage(t)
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("binary has a %v program header: it is dynamically linked", p.Type)
		}
	}
	if libs, err := f.ImportedLibraries(); err != nil || len(libs) > 0 {
		t.Errorf("binary needs shared libraries %v (%v)", libs, err)
	}
	if f.Section(".symtab") != nil {
		t.Error("binary has a symbol table: -ldflags=-s did not apply")
	}

	out, err := exec.Command(bin, "version").Output()
	if want := "tlsvet " + cli.Version + "\n"; err != nil || string(out) != want {
		t.Errorf("tlsvet version: %q, %v; want %q", out, err, want)
	}
}

// buildAsImage runs the Dockerfile's build command here (the one .ci/run
// runs) and returns the binary's path.
func buildAsImage(t *testing.T) string {
	t.Helper()
	docker, _ := buildCommands(t)
	bin := filepath.Join(t.TempDir(), "tlsvet")
	words, _ := withOutput(t, docker, bin)
	var env []string
	for len(words) > 0 && regexp.MustCompile(`^[A-Z_]+=`).MatchString(words[0]) {
		env, words = append(env, words[0]), words[1:]
	}
	if len(words) < 2 || words[0] != "go" || words[1] != "build" {
		t.Fatalf("not a go build command: %q", words)
	}
	cmd := exec.Command(words[0], words[1:]...)
	cmd.Dir, cmd.Env = moduleRoot(t), append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%q: %v\n%s", words, err, out)
	}
	return bin
}

// dockerEntrypoint returns the binary of the final stage's ENTRYPOINT,
// which must be the exec form with the binary alone.
func dockerEntrypoint(t *testing.T) string {
	t.Helper()
	entry := ""
	for _, in := range readDockerfile(t) {
		if in.cmd == "FROM" {
			entry = ""
		}
		if in.cmd == "ENTRYPOINT" {
			var argv []string
			if err := json.Unmarshal([]byte(in.args), &argv); err != nil || len(argv) != 1 {
				t.Fatalf("ENTRYPOINT %s: want the exec form with the binary alone", in.args)
			}
			entry = argv[0]
		}
	}
	if entry == "" {
		t.Fatal("the final stage has no ENTRYPOINT")
	}
	return entry
}

// TestDockerImage: the final stage is a static base, runs the binary the
// build stage made, works in /src where pre-commit mounts the repository,
// and its ENTRYPOINT is the binary the tlsvet-docker hook runs.
func TestDockerImage(t *testing.T) {
	docker, _ := buildCommands(t)
	_, built := withOutput(t, docker, "")
	var froms []string
	var last []dockerInstr
	for _, in := range readDockerfile(t) {
		if in.cmd == "FROM" {
			froms, last = append(froms, in.args), nil
		}
		last = append(last, in)
	}
	if len(froms) != 2 {
		t.Fatalf("want a build stage and a final stage, got FROM %q", froms)
	}
	// A pinned Go release, so the image's build does not drift from CI's.
	if !regexp.MustCompile(`^golang:1\.\d+\.\d+-bookworm AS build$`).MatchString(froms[0]) {
		t.Errorf("build stage FROM %s: want golang:1.N.P-bookworm AS build", froms[0])
	}
	if base := froms[1]; base != "scratch" && !strings.HasPrefix(base, "gcr.io/distroless/static") {
		t.Errorf("final stage FROM %s: want scratch or distroless/static", base)
	}
	var copied, workdir string
	entry := dockerEntrypoint(t)
	for _, in := range last {
		switch in.cmd {
		case "COPY":
			if f := strings.Fields(in.args); len(f) == 3 && f[0] == "--from=build" {
				if f[1] != built {
					t.Errorf("COPY %s, but the build stage writes %s", f[1], built)
				}
				copied = f[2]
			}
		case "WORKDIR":
			workdir = in.args
		}
	}
	if copied == "" || copied != entry {
		t.Errorf("final stage copies the binary to %q but its ENTRYPOINT is %q", copied, entry)
	}
	if workdir != "/src" {
		t.Errorf("final stage WORKDIR %q: pre-commit mounts the repository at /src", workdir)
	}

	// pre-commit's language docker runs `docker run … --entrypoint
	// WORD1 IMAGE WORDS…` for an entry of WORD1 WORDS….
	hook := hookByID(t, readHooks(t), "tlsvet-docker")
	if words := strings.Fields(hook.Entry); len(words) < 2 || words[0] != entry || words[1] != "check" {
		t.Errorf("tlsvet-docker entry %q: want the image's ENTRYPOINT %s, then check", hook.Entry, entry)
	}
}

// TestDockerignoreKeepsSources: .dockerignore leaves out nothing the build
// reads. It understands only what .dockerignore uses: patterns anchored at
// the context root, optionally prefixed by **/, where excluding a
// directory excludes what is under it.
func TestDockerignoreKeepsSources(t *testing.T) {
	root := moduleRoot(t)
	data, err := os.ReadFile(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	var patterns []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "!") || strings.Contains(strings.TrimPrefix(line, "**/"), "**") {
			t.Fatalf(".dockerignore: this test does not understand %q", line)
		}
		patterns = append(patterns, line)
	}

	cmd := exec.Command("go", "list", "-deps", "-f",
		`{{if .Module}}{{if .Module.Main}}{{range .GoFiles}}{{$.Dir}}/{{.}}
{{end}}{{range .EmbedFiles}}{{$.Dir}}/{{.}}
{{end}}{{end}}{{end}}`, "./cmd/tlsvet")
	cmd.Dir, cmd.Env = root, append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	needed := []string{"go.mod", "go.sum"}
	for _, p := range strings.Fields(string(out)) {
		rel, err := filepath.Rel(root, p)
		if err != nil {
			t.Fatal(err)
		}
		needed = append(needed, filepath.ToSlash(rel))
	}
	if len(needed) < 10 {
		t.Fatalf("go list found only %q", needed)
	}
	// What it is for: the repository's history, docs and tests stay out.
	for _, name := range []string{".git/config", "docs/pre-commit.md", "README.md", "internal/cli/cli_test.go", "rules/testdata/a.cnf"} {
		if !slices.ContainsFunc(patterns, func(p string) bool { return dockerignored(p, name) }) {
			t.Errorf(".dockerignore sends %s to the build", name)
		}
	}
	for _, name := range needed {
		for _, p := range patterns {
			if dockerignored(p, name) {
				t.Errorf(".dockerignore %q leaves out %s, which the build reads", p, name)
			}
		}
	}
}

// dockerignored reports whether the pattern excludes name or a directory
// above it.
func dockerignored(pattern, name string) bool {
	anywhere := strings.HasPrefix(pattern, "**/")
	pattern = strings.TrimPrefix(pattern, "**/")
	parts := strings.Split(name, "/")
	for i := range parts {
		if i > 0 && !anywhere {
			break
		}
		for j := i + 1; j <= len(parts); j++ {
			if ok, _ := path.Match(pattern, strings.Join(parts[i:j], "/")); ok {
				return true
			}
		}
	}
	return false
}
