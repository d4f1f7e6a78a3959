package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"github.com/tlsvet/tlsvet/internal/report/sariftest"
)

// The GitHub Action in action.yml, checked in two ways: its structure
// (injection-safe run scripts, inputs and step outputs that exist), and its
// run steps executed in order with bash under a fake runner environment.
// Expressions are evaluated by a deliberately small evaluator that fails on
// anything it does not know, so the test cannot drift from the file.

type actionFile struct {
	Name        string
	Description string
	Author      string
	Branding    map[string]string
	Inputs      map[string]actionInput
	Outputs     map[string]actionOutput
	Runs        struct {
		Using string
		Steps []actionStep
	}
}

type actionInput struct {
	Description string
	Required    bool
	Default     string
}

type actionOutput struct {
	Description string
	Value       string
}

type actionStep struct {
	ID    string
	Name  string
	If    string
	Uses  string
	With  map[string]string
	Shell string
	Env   map[string]string
	Run   string
}

const (
	setupGoAction     = "actions/setup-go@"
	uploadSARIFAction = "github/codeql-action/upload-sarif@"
)

func loadAction(t *testing.T) *actionFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(moduleRoot(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Load(data, &a, yaml.WithKnownFields(), yaml.WithUniqueKeys()); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return &a
}

var (
	actionExprRE    = regexp.MustCompile(`\$\{\{(.*?)\}\}`)
	actionInputRE   = regexp.MustCompile(`\binputs\.([A-Za-z0-9_-]+)`)
	actionStepOutRE = regexp.MustCompile(`\bsteps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)`)
)

// expressions returns every expression a step evaluates: its condition and
// the ${{ }} in its env and with values.
func (s actionStep) expressions() []string {
	var out []string
	if s.If != "" {
		out = append(out, unwrapExpr(s.If))
	}
	for _, m := range []map[string]string{s.Env, s.With} {
		for _, v := range m {
			for _, e := range actionExprRE.FindAllStringSubmatch(v, -1) {
				out = append(out, e[1])
			}
		}
	}
	return out
}

// writesOutput reports whether a run script appends key=… to $GITHUB_OUTPUT.
func (s actionStep) writesOutput(key string) bool {
	re := regexp.MustCompile(`(?m)\b` + regexp.QuoteMeta(key) + `=.*>>\s*"\$GITHUB_OUTPUT"`)
	return re.MatchString(s.Run)
}

func unwrapExpr(cond string) string {
	cond = strings.TrimSpace(cond)
	if strings.HasPrefix(cond, "${{") && strings.HasSuffix(cond, "}}") {
		cond = strings.TrimSpace(cond[3 : len(cond)-2])
	}
	return cond
}

func TestActionStructure(t *testing.T) {
	a := loadAction(t)
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q, want composite", a.Runs.Using)
	}
	for _, name := range []string{"path", "args", "fail-on", "sarif-file", "upload-sarif", "category", "baseline", "new-from-rev", "setup-go"} {
		if _, ok := a.Inputs[name]; !ok {
			t.Errorf("input %q is missing", name)
		}
	}

	used := map[string]bool{}
	stepAt := map[string]int{}
	var upload, setupGo *actionStep
	for i, s := range a.Runs.Steps {
		at := fmt.Sprintf("step %d (%s)", i, s.Name)
		switch {
		case s.Run != "" && s.Uses != "":
			t.Errorf("%s has both run and uses", at)
		case s.Run != "":
			if s.Shell != "bash" {
				t.Errorf("%s: shell = %q, want bash", at, s.Shell)
			}
			// Script injection: an expression inside run: is pasted into the
			// script before bash sees it.
			if strings.Contains(s.Run, "${{") {
				t.Errorf("%s: run: contains ${{ }}; pass the value through env: and quote \"$VAR\"", at)
			}
		case strings.HasPrefix(s.Uses, uploadSARIFAction):
			upload = &a.Runs.Steps[i]
		case strings.HasPrefix(s.Uses, setupGoAction):
			setupGo = &a.Runs.Steps[i]
		default:
			t.Errorf("%s: uses %q, which this test cannot stand in for", at, s.Uses)
		}
		for _, e := range s.expressions() {
			for _, m := range actionInputRE.FindAllStringSubmatch(e, -1) {
				used[m[1]] = true
				if _, ok := a.Inputs[m[1]]; !ok {
					t.Errorf("%s uses undeclared input %q", at, m[1])
				}
			}
			for _, m := range actionStepOutRE.FindAllStringSubmatch(e, -1) {
				j, ok := stepAt[m[1]]
				if !ok {
					t.Errorf("%s reads steps.%s, which is not an earlier step", at, m[1])
				} else if !a.Runs.Steps[j].writesOutput(m[2]) {
					t.Errorf("%s reads steps.%s.outputs.%s, which that step never writes", at, m[1], m[2])
				}
			}
		}
		if s.ID != "" {
			if _, dup := stepAt[s.ID]; dup {
				t.Errorf("step id %q is used twice", s.ID)
			}
			stepAt[s.ID] = i
		}
	}
	for name := range a.Inputs {
		if !used[name] {
			t.Errorf("input %q is never used", name)
		}
	}

	for name, o := range a.Outputs {
		m := actionStepOutRE.FindStringSubmatch(o.Value)
		if m == nil || strings.TrimSpace(o.Value) != "${{ "+m[0]+" }}" {
			t.Errorf("output %q = %q, want ${{ steps.<id>.outputs.<key> }}", name, o.Value)
			continue
		}
		if j, ok := stepAt[m[1]]; !ok || !a.Runs.Steps[j].writesOutput(m[2]) {
			t.Errorf("output %q: step %q does not write %q", name, m[1], m[2])
		}
	}
	for _, name := range []string{"exit-code", "sarif-file"} {
		if _, ok := a.Outputs[name]; !ok {
			t.Errorf("output %q is missing", name)
		}
	}

	if upload == nil {
		t.Fatal("no github/codeql-action/upload-sarif step")
	}
	if cond := unwrapExpr(upload.If); !strings.Contains(cond, "always()") && !strings.Contains(cond, "!cancelled()") {
		t.Errorf("upload step if: %q does not run after a failing step (always() or !cancelled())", upload.If)
	}
	if !actionStepOutRE.MatchString(upload.With["sarif_file"]) || !strings.Contains(upload.With["sarif_file"], "outputs.sarif-file") {
		t.Errorf("upload sarif_file = %q, want the run step's sarif-file output", upload.With["sarif_file"])
	}
	if got := upload.With["category"]; got != "${{ inputs.category }}" {
		t.Errorf("upload category = %q, want ${{ inputs.category }}", got)
	}
	if setupGo == nil {
		t.Fatal("no actions/setup-go step")
	}
	if got := setupGo.With["go-version-file"]; got != "${{ github.action_path }}/go.mod" {
		t.Errorf("setup-go go-version-file = %q, want the action's own go.mod", got)
	}
}

// fakeRunner executes an action's steps the way the Actions runner does for
// a composite action, standing in for the uses: steps.
type fakeRunner struct {
	t       *testing.T
	act     *actionFile
	root    string // GITHUB_ACTION_PATH
	ws      string // GITHUB_WORKSPACE
	temp    string // RUNNER_TEMP
	inputs  map[string]string
	env     []string
	path    []string // GITHUB_PATH entries, newest first
	outputs map[string]map[string]string
	failed  bool
	steps   []actionStepResult
}

type actionStepResult struct {
	step     actionStep
	ran      bool
	code     int
	out, err string            // run steps
	with     map[string]string // uses steps, evaluated
	addPath  []string
	outputs  map[string]string
}

func newFakeRunner(t *testing.T, ws string, inputs map[string]string) *fakeRunner {
	t.Helper()
	a := loadAction(t)
	r := &fakeRunner{t: t, act: a, root: moduleRoot(t), ws: ws, temp: t.TempDir(), inputs: map[string]string{}, outputs: map[string]map[string]string{}}
	for name, in := range a.Inputs {
		r.inputs[name] = in.Default
	}
	for name, v := range inputs {
		if _, ok := a.Inputs[name]; !ok {
			t.Fatalf("the test sets input %q, which action.yml does not declare", name)
		}
		r.inputs[name] = v
	}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k == "PATH" || k == "HOME" || strings.HasPrefix(k, "GO") {
			r.env = append(r.env, kv)
		}
	}
	r.env = append(r.env, "CI=true", "GITHUB_ACTIONS=true",
		"GITHUB_ACTION_PATH="+r.root, "GITHUB_WORKSPACE="+ws, "RUNNER_TEMP="+r.temp)
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(r.dump())
		}
	})
	return r
}

// value evaluates one operand: a quoted literal or a context the action uses.
func (r *fakeRunner) value(expr string) string {
	r.t.Helper()
	expr = strings.TrimSpace(expr)
	if len(expr) >= 2 && expr[0] == '\'' && expr[len(expr)-1] == '\'' {
		return strings.ReplaceAll(expr[1:len(expr)-1], "''", "'")
	}
	switch expr {
	case "github.action_path":
		return r.root
	case "github.workspace":
		return r.ws
	}
	if name, ok := strings.CutPrefix(expr, "inputs."); ok {
		v, ok := r.inputs[name]
		if !ok {
			r.t.Fatalf("expression %q: no such input", expr)
		}
		return v
	}
	if m := actionStepOutRE.FindStringSubmatch(expr); m != nil && m[0] == expr {
		return r.outputs[m[1]][m[2]]
	}
	r.t.Fatalf("the test does not know how to evaluate %q; teach it or simplify action.yml", expr)
	return ""
}

// interpolate replaces every ${{ }} in s.
func (r *fakeRunner) interpolate(s string) string {
	r.t.Helper()
	return actionExprRE.ReplaceAllStringFunc(s, func(m string) string {
		return r.value(actionExprRE.FindStringSubmatch(m)[1])
	})
}

var actionComparisonRE = regexp.MustCompile(`^(\S+)\s*(==|!=)\s*(\S+)$`)

// condition evaluates a step's if: (terms joined by &&, each a status
// function or a comparison) with GitHub's implicit success() when no status
// function is named. Anything else fails the test.
func (r *fakeRunner) condition(cond string) bool {
	r.t.Helper()
	cond = unwrapExpr(cond)
	if cond == "" {
		return !r.failed
	}
	result := true
	status := false
	for _, term := range strings.Split(cond, "&&") {
		term = strings.TrimSpace(term)
		switch term {
		case "always()", "!cancelled()":
			status = true
		case "success()":
			status = true
			result = result && !r.failed
		case "failure()":
			status = true
			result = result && r.failed
		default:
			m := actionComparisonRE.FindStringSubmatch(term)
			if m == nil {
				r.t.Fatalf("condition term %q is beyond this test's evaluator", term)
			}
			// GitHub compares strings ignoring case.
			eq := strings.EqualFold(r.value(m[1]), r.value(m[3]))
			result = result && eq == (m[2] == "==")
		}
	}
	if !status {
		result = result && !r.failed
	}
	return result
}

// runAll executes every step in order.
func (r *fakeRunner) runAll() {
	r.t.Helper()
	for _, s := range r.act.Runs.Steps {
		res := actionStepResult{step: s}
		if !r.condition(s.If) {
			r.steps = append(r.steps, res)
			continue
		}
		res.ran = true
		if s.Uses != "" {
			res.with = map[string]string{}
			for k, v := range s.With {
				res.with[k] = r.interpolate(v)
			}
		} else {
			r.runStep(&res)
		}
		if s.ID != "" {
			r.outputs[s.ID] = res.outputs
		}
		r.steps = append(r.steps, res)
	}
}

func (r *fakeRunner) runStep(res *actionStepResult) {
	t := r.t
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{}
	for _, name := range []string{"GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_ENV", "GITHUB_STEP_SUMMARY"} {
		files[name] = filepath.Join(dir, strings.ToLower(name))
		if err := os.WriteFile(files[name], nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	script := filepath.Join(dir, "step.sh")
	if err := os.WriteFile(script, []byte(res.step.Run), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append([]string(nil), r.env...)
	if len(r.path) > 0 {
		for i, kv := range env {
			if v, ok := strings.CutPrefix(kv, "PATH="); ok {
				env[i] = "PATH=" + strings.Join(r.path, string(os.PathListSeparator)) + string(os.PathListSeparator) + v
			}
		}
	}
	for name, f := range files {
		env = append(env, name+"="+f)
	}
	for k, v := range res.step.Env {
		env = append(env, k+"="+r.interpolate(v))
	}
	// The runner's command line for shell: bash.
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
	cmd.Dir = r.ws
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res.out, res.err = stdout.String(), stderr.String()
	if ee, ok := err.(*exec.ExitError); ok {
		res.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("step %q: %v", res.step.Name, err)
	}
	if res.code != 0 {
		r.failed = true
	}
	res.outputs = parseOutputFile(t, files["GITHUB_OUTPUT"])
	for _, line := range readFileLines(t, files["GITHUB_PATH"]) {
		res.addPath = append(res.addPath, line)
		r.path = append([]string{line}, r.path...)
	}
	if env := readFileLines(t, files["GITHUB_ENV"]); len(env) > 0 {
		t.Errorf("step %q sets job environment variables %q; the action must not leak into the caller's job", res.step.Name, env)
	}
}

func readFileLines(t *testing.T, name string) []string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// parseOutputFile reads a GITHUB_OUTPUT file: name=value lines and
// name<<DELIMITER blocks.
func parseOutputFile(t *testing.T, name string) map[string]string {
	t.Helper()
	out := map[string]string{}
	lines := readFileLines(t, name)
	for i := 0; i < len(lines); i++ {
		if k, delim, ok := strings.Cut(lines[i], "<<"); ok && !strings.Contains(k, "=") {
			var val []string
			for i++; i < len(lines) && lines[i] != delim; i++ {
				val = append(val, lines[i])
			}
			out[k] = strings.Join(val, "\n")
			continue
		}
		k, v, ok := strings.Cut(lines[i], "=")
		if !ok {
			t.Fatalf("GITHUB_OUTPUT line %q is neither name=value nor name<<DELIMITER", lines[i])
		}
		out[k] = v
	}
	return out
}

// step returns the result of the step with the given id, or of the uses:
// step whose action starts with prefix.
func (r *fakeRunner) step(idOrUses string) *actionStepResult {
	r.t.Helper()
	for i, s := range r.steps {
		if s.step.ID == idOrUses || s.step.Uses != "" && strings.HasPrefix(s.step.Uses, idOrUses) {
			return &r.steps[i]
		}
	}
	r.t.Fatalf("action.yml has no step %q", idOrUses)
	return nil
}

func (r *fakeRunner) lastStep() *actionStepResult { return &r.steps[len(r.steps)-1] }

// actionOutput evaluates one of the action's outputs.
func (r *fakeRunner) actionOutput(name string) string {
	return r.interpolate(r.act.Outputs[name].Value)
}

func (r *fakeRunner) dump() string {
	var b strings.Builder
	for _, s := range r.steps {
		fmt.Fprintf(&b, "--- %s ran=%v exit=%d outputs=%v with=%v\n%s%s", s.step.Name, s.ran, s.code, s.outputs, s.with, s.out, s.err)
	}
	return b.String()
}

// workspace makes a git repository holding files.
func actionWorkspace(t *testing.T, files map[string]string) string {
	t.Helper()
	needTool(t, "git")
	ws := t.TempDir()
	actionGit(t, ws, "init", "-q")
	return writeTree(t, ws, files)
}

func actionGit(t *testing.T, dir string, args ...string) { actionGitOutput(t, dir, args...) }

func actionGitOutput(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=tlsvet", "-c", "user.email=tlsvet@example.invalid"}, args...)...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok {
		t.Fatalf("git %v: %v\n%s", args, err, ee.Stderr)
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

const (
	actionBadCnf  = "[mysqld]\ntls_version=TLSv1,TLSv1.2\n"
	actionGoodCnf = "[mysqld]\ntls_version=TLSv1.2,TLSv1.3\nrequire_secure_transport=ON\n"
)

// actionSARIFRun reads the SARIF file the upload step would upload (a path
// relative to the workspace ws, or absolute) and returns its only run.
func actionSARIFRun(t *testing.T, ws, file string) map[string]any {
	t.Helper()
	if !filepath.IsAbs(file) {
		file = filepath.Join(ws, file)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("the SARIF file upload-sarif would upload: %v", err)
	}
	sariftest.Validate(t, data)
	var log struct{ Runs []map[string]any }
	if err := json.Unmarshal(data, &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("SARIF: %v, %d runs", err, len(log.Runs))
	}
	return log.Runs[0]
}

func TestActionFindings(t *testing.T) {
	t.Parallel()
	ws := actionWorkspace(t, map[string]string{"my.cnf": actionBadCnf})
	// A pull request can commit a symlink where the report used to go.
	outside := filepath.Join(t.TempDir(), "victim")
	if err := os.WriteFile(outside, []byte("untouched\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(ws, "tlsvet.sarif")); err != nil {
		t.Fatal(err)
	}
	r := newFakeRunner(t, ws, map[string]string{"setup-go": "true"})
	r.runAll()

	if g := r.step("go"); g.outputs["setup"] != "true" {
		t.Errorf("setup-go=true: the go step set setup=%q", g.outputs["setup"])
	}
	sg := r.step(setupGoAction)
	if !sg.ran {
		t.Error("setup-go=true: actions/setup-go did not run")
	} else if data, err := os.ReadFile(sg.with["go-version-file"]); err != nil || !regexp.MustCompile(`(?m)^go 1\.\d+`).Match(data) {
		t.Errorf("setup-go go-version-file %q has no go line: %v", sg.with["go-version-file"], err)
	}

	in := r.step("install")
	if in.code != 0 || len(in.addPath) != 1 {
		t.Fatalf("install: exit %d, GITHUB_PATH %q", in.code, in.addPath)
	}
	if dir := filepath.Dir(in.outputs["tlsvet"]); dir != in.addPath[0] {
		t.Errorf("the installed tlsvet %q is not in the GITHUB_PATH entry %q", in.outputs["tlsvet"], in.addPath[0])
	}
	if out, err := exec.Command(filepath.Join(in.addPath[0], "tlsvet"), "version").Output(); err != nil || !strings.HasPrefix(string(out), "tlsvet ") {
		t.Errorf("tlsvet version from GITHUB_PATH: %q, %v", out, err)
	}

	run := r.step("run")
	if run.code != 0 {
		t.Fatalf("run step failed with %d; findings must not fail it", run.code)
	}
	if !regexp.MustCompile(`(?m)^::warning file=my\.cnf,line=2,.*title=TV101 tls-version-hole::`).MatchString(run.out) {
		t.Errorf("no TV101 annotation in the run step's output:\n%s", run.out)
	}
	sarif := run.outputs["sarif-file"]
	if rel, err := filepath.Rel(r.temp, sarif); run.outputs["exit-code"] != "1" || err != nil || !filepath.IsAbs(sarif) || !filepath.IsLocal(rel) {
		t.Errorf("run outputs = %v, want exit-code=1 and a sarif-file under RUNNER_TEMP %s", run.outputs, r.temp)
	}
	if data, err := os.ReadFile(outside); err != nil || string(data) != "untouched\n" {
		t.Errorf("the target of the workspace's tlsvet.sarif symlink was written: %.60q, %v", data, err)
	}

	up := r.step(uploadSARIFAction)
	if !up.ran {
		t.Fatal("upload-sarif was skipped")
	}
	if up.with["category"] != "tlsvet" {
		t.Errorf("upload category = %q", up.with["category"])
	}
	sr := actionSARIFRun(t, ws, up.with["sarif_file"])
	if id := sr["automationDetails"].(map[string]any)["id"]; id != "tlsvet/" {
		t.Errorf("automationDetails.id = %v, want tlsvet/ (category tlsvet)", id)
	}
	found := false
	for _, x := range sr["results"].([]any) {
		res := x.(map[string]any)
		uri := res["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)["artifactLocation"].(map[string]any)["uri"]
		found = found || res["ruleId"] == "TV101" && uri == "my.cnf"
	}
	if !found {
		t.Error("the SARIF file has no TV101 result for my.cnf")
	}

	if last := r.lastStep(); !last.ran || last.code != 1 {
		t.Errorf("final step: ran=%v exit %d, want exit 1", last.ran, last.code)
	}
	if !r.failed || r.actionOutput("exit-code") != "1" || r.actionOutput("sarif-file") != sarif {
		t.Errorf("action failed=%v outputs exit-code=%q sarif-file=%q", r.failed, r.actionOutput("exit-code"), r.actionOutput("sarif-file"))
	}
}

func TestActionClean(t *testing.T) {
	t.Parallel()
	// Only "conf dir" is checked: a path with a space stays one path, and
	// the bad file elsewhere is not reported.
	ws := actionWorkspace(t, map[string]string{"conf dir/my.cnf": actionGoodCnf, "legacy/my.cnf": actionBadCnf})
	r := newFakeRunner(t, ws, map[string]string{"path": "conf dir\n", "upload-sarif": "false", "sarif-file": "clean.sarif"})
	r.runAll()

	// Go here is newer than go.mod asks, so auto skips setup-go.
	if r.step(setupGoAction).ran {
		t.Error("setup-go=auto ran actions/setup-go although Go is installed")
	}
	run := r.step("run")
	if run.code != 0 || run.outputs["exit-code"] != "0" || strings.Contains(run.out, "::warning") || strings.Contains(run.out, "::error") {
		t.Errorf("run: exit %d outputs %v output:\n%s%s", run.code, run.outputs, run.out, run.err)
	}
	// A sarif-file given is where the report goes, in the workspace.
	if run.outputs["sarif-file"] != "clean.sarif" {
		t.Errorf("sarif-file=clean.sarif: the output is %q", run.outputs["sarif-file"])
	}
	actionSARIFRun(t, ws, "clean.sarif")
	if r.step(uploadSARIFAction).ran {
		t.Error("upload-sarif=false still uploaded")
	}
	if last := r.lastStep(); !last.ran || last.code != 0 || r.failed {
		t.Errorf("final step ran=%v exit %d; action failed=%v", last.ran, last.code, r.failed)
	}
}

func TestActionUsageError(t *testing.T) {
	t.Parallel()
	ws := actionWorkspace(t, map[string]string{"my.cnf": actionBadCnf})
	r := newFakeRunner(t, ws, map[string]string{"fail-on": "bogus"})
	r.runAll()

	run := r.step("run")
	if run.code != 2 || run.outputs["exit-code"] != "2" || !strings.Contains(run.out, "::error title=tlsvet::") {
		t.Errorf("run: exit %d outputs %v, want it to fail with 2 and an ::error", run.code, run.outputs)
	}
	if !strings.Contains(run.err, "bogus") {
		t.Errorf("tlsvet's message does not name the bad value:\n%s", run.err)
	}
	if r.step(uploadSARIFAction).ran || r.lastStep().ran || !r.failed {
		t.Errorf("after exit 2: upload ran=%v, final step ran=%v, action failed=%v", r.step(uploadSARIFAction).ran, r.lastStep().ran, r.failed)
	}

	bad := newFakeRunner(t, ws, map[string]string{"setup-go": "maybe"})
	bad.runAll()
	if g := bad.step("go"); g.code != 2 || !strings.Contains(g.out, "::error title=tlsvet::") || bad.step("install").ran {
		t.Errorf("setup-go=maybe: go step exit %d, install ran=%v; want exit 2 before anything else\n%s", g.code, bad.step("install").ran, bad.dump())
	}
}

// TestActionArgsAreWords: args is split into words, and nothing in it is
// globbed, expanded or executed.
func TestActionArgsAreWords(t *testing.T) {
	t.Parallel()
	ws := actionWorkspace(t, map[string]string{"my.cnf": actionBadCnf})
	const cmdSubst, backticks = "$(touch${IFS}pwned)", "`touch${IFS}pwned2`"
	r := newFakeRunner(t, ws, map[string]string{
		"args": "--sarif-category *\n  --format json=" + cmdSubst + "\t--format text=" + backticks,
	})
	r.runAll()

	if run := r.step("run"); run.outputs["exit-code"] != "1" {
		t.Fatalf("run outputs %v, want exit-code=1", run.outputs)
	}
	for _, name := range []string{cmdSubst, backticks} {
		if _, err := os.Stat(filepath.Join(ws, name)); err != nil {
			t.Errorf("no report file named %q: the word was not passed literally (%v)", name, err)
		}
	}
	for _, name := range []string{"pwned", "pwned2"} {
		if _, err := os.Stat(filepath.Join(ws, name)); err == nil {
			t.Errorf("%s exists: args was executed", name)
		}
	}
	up := r.step(uploadSARIFAction)
	if !up.ran {
		t.Fatal("upload-sarif was skipped")
	}
	sr := actionSARIFRun(t, ws, up.with["sarif_file"])
	// tlsvet adds the slash GitHub needs to a category without one.
	if id := sr["automationDetails"].(map[string]any)["id"]; id != "*/" {
		t.Errorf("automationDetails.id = %v, want the literal * and a slash (a glob would give a file name)", id)
	}
}

// newCnf adds findings of its own (TV201, TV202) in a file of its own.
const actionNewCnf = "[mysqld]\nssl_cipher=RC4-SHA\n"

// annotatedFiles returns the file= of every annotation in out.
func annotatedFiles(out string) map[string]bool {
	files := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^::(?:warning|error|notice) file=([^,:]+)`).FindAllStringSubmatch(out, -1) {
		files[m[1]] = true
	}
	return files
}

// TestActionNewFromRev: on a pull request only what it changed is reported.
func TestActionNewFromRev(t *testing.T) {
	t.Parallel()
	ws := actionWorkspace(t, map[string]string{"my.cnf": actionBadCnf})
	actionGit(t, ws, "add", ".")
	actionGit(t, ws, "commit", "-q", "-m", "base")
	base := strings.TrimSpace(actionGitOutput(t, ws, "rev-parse", "HEAD"))
	if err := os.MkdirAll(filepath.Join(ws, "conf.d"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ws, "conf.d", "new.cnf"), []byte(actionNewCnf), 0o644); err != nil {
		t.Fatal(err)
	}
	actionGit(t, ws, "add", ".")
	actionGit(t, ws, "commit", "-q", "-m", "change")

	r := newFakeRunner(t, ws, map[string]string{"new-from-rev": base})
	r.runAll()
	run := r.step("run")
	if got := annotatedFiles(run.out); run.outputs["exit-code"] != "1" || !got["conf.d/new.cnf"] || got["my.cnf"] {
		t.Errorf("new-from-rev=%s: exit-code %q, annotated files %v; want only conf.d/new.cnf", base, run.outputs["exit-code"], got)
	}
}

// TestActionBaseline: findings recorded in the baseline are not reported.
func TestActionBaseline(t *testing.T) {
	t.Parallel()
	ws := actionWorkspace(t, map[string]string{"my.cnf": actionBadCnf})
	first := newFakeRunner(t, ws, nil)
	first.runAll()
	tlsvet := first.step("install").outputs["tlsvet"]
	cmd := exec.Command(tlsvet, "baseline", "write", "tlsvet-baseline.json", ".")
	cmd.Dir = ws
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tlsvet baseline write: %v\n%s", err, out)
	}
	if err := os.MkdirAll(filepath.Join(ws, "conf.d"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ws, "conf.d", "new.cnf"), []byte(actionNewCnf), 0o644); err != nil {
		t.Fatal(err)
	}

	r := newFakeRunner(t, ws, map[string]string{"baseline": "tlsvet-baseline.json"})
	r.runAll()
	run := r.step("run")
	if got := annotatedFiles(run.out); run.outputs["exit-code"] != "1" || !got["conf.d/new.cnf"] || got["my.cnf"] {
		t.Errorf("with the baseline: exit-code %q, annotated files %v; want only conf.d/new.cnf", run.outputs["exit-code"], got)
	}
}
