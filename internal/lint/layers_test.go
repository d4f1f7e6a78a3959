package lint_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/tlsvet/tlsvet"

// imports reads the module's non-test Go files under root and returns,
// for each package path, the module packages it imports directly. Test
// files are left out: a test may run the real catalogue to get real
// findings (baseline's secret tests do) without the package depending on it.
func imports(t *testing.T, root string) map[string][]string {
	t.Helper()
	graph := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			// testdata holds fixtures, and a directory with its own go.mod
			// is another module (issue 9's cmd/tlsvet-vet).
			if name := d.Name(); p != root && (name == "testdata" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil && p != root {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		pkg := path.Join(module, filepath.ToSlash(mustRel(t, root, filepath.Dir(p))))
		if _, ok := graph[pkg]; !ok {
			graph[pkg] = nil
		}
		for _, s := range f.Imports {
			imp, _ := strconv.Unquote(s.Path.Value)
			if imp == module || strings.HasPrefix(imp, module+"/") {
				graph[pkg] = append(graph[pkg], imp)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return graph
}

func mustRel(t *testing.T, base, p string) string {
	t.Helper()
	r, err := filepath.Rel(base, p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// deps returns every module package pkg depends on, directly or not.
func deps(graph map[string][]string, pkg string) map[string]bool {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(p string) {
		for _, q := range graph[p] {
			if !seen[q] {
				seen[q] = true
				walk(q)
			}
		}
	}
	walk(pkg)
	return seen
}

// under reports whether pkg is prefix or a package below it.
func under(pkg, prefix string) bool { return pkg == prefix || strings.HasPrefix(pkg, prefix+"/") }

// TestLayers enforces the direction data flows in: parsers -> model ->
// rules -> report. Rules read the model, never a parser's output, so that
// one rule judges a setting from any syntax; the engine and everything
// downstream of it (report, fix, baseline, config, gitdiff) see the
// engine's types and never the catalogue of rules, as go/analysis drivers
// and staticcheck's analysis/lint know no check by name.
func TestLayers(t *testing.T) {
	graph := imports(t, filepath.Join("..", ".."))
	// The walk must have read the packages the constraints are about, or
	// every constraint below holds trivially.
	for _, pkg := range []string{"rules", "parsers", "internal/lint", "internal/report", "internal/cli"} {
		if _, ok := graph[module+"/"+pkg]; !ok {
			t.Fatalf("package %s not found: the walk of the module is broken", pkg)
		}
	}
	if !deps(graph, module+"/internal/cli")[module+"/rules"] {
		t.Fatal("internal/cli does not import rules: the import graph is not being read")
	}

	never := []struct {
		from  []string // these packages and those below them…
		to    []string // …never depend on these, directly or not
		since string
	}{
		{[]string{"rules"}, []string{"parsers", "internal/load"},
			"rules read the model; parsers fill it"},
		{[]string{"internal/model", "internal/facts", "internal/source"}, []string{"parsers", "internal/load", "internal/lint", "rules"},
			"the model and facts sit below every parser and rule"},
		{[]string{"internal/lint"}, []string{"rules", "parsers", "internal/load"},
			"the engine receives the rules and the loaded model"},
		{[]string{"internal/report", "internal/fix", "internal/baseline", "internal/config", "internal/gitdiff"}, []string{"rules", "parsers"},
			"they need the engine's types, not every rule"},
	}
	pkgs := make([]string, 0, len(graph))
	for p := range graph {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	for _, c := range never {
		for _, p := range pkgs {
			if !anyUnder(p, c.from) {
				continue
			}
			for d := range deps(graph, p) {
				if anyUnder(d, c.to) {
					t.Errorf("%s depends on %s: %s", strings.TrimPrefix(p, module+"/"), strings.TrimPrefix(d, module+"/"), c.since)
				}
			}
		}
	}
}

func anyUnder(pkg string, rels []string) bool {
	for _, r := range rels {
		if under(pkg, module+"/"+r) {
			return true
		}
	}
	return false
}
