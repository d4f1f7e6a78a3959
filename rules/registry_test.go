package rules_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/rules"
)

// declaredRules parses the non-test files of dir and returns the ID of
// every exported package-level variable initialised with &Rule{…} or
// &lint.Rule{…}, keyed by the variable's name.
func declaredRules(t *testing.T, dir string) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, v := range vs.Values {
					lit := ruleLiteral(v)
					if lit == nil || !vs.Names[i].IsExported() {
						continue
					}
					id := fieldString(lit, "ID")
					if id == "" {
						t.Errorf("%s: %s: the ID of a rule must be a string literal", fset.Position(lit.Pos()), vs.Names[i].Name)
					}
					out[vs.Names[i].Name] = id
				}
			}
		}
	}
	return out
}

// ruleLiteral returns the composite literal of &Rule{…} or &lint.Rule{…}.
func ruleLiteral(e ast.Expr) *ast.CompositeLit {
	u, ok := e.(*ast.UnaryExpr)
	if !ok || u.Op != token.AND {
		return nil
	}
	lit, ok := u.X.(*ast.CompositeLit)
	if !ok {
		return nil
	}
	switch typ := lit.Type.(type) {
	case *ast.Ident:
		if typ.Name == "Rule" {
			return lit
		}
	case *ast.SelectorExpr:
		if x, ok := typ.X.(*ast.Ident); ok && x.Name == "lint" && typ.Sel.Name == "Rule" {
			return lit
		}
	}
	return nil
}

func fieldString(lit *ast.CompositeLit, field string) string {
	for _, e := range lit.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if k, ok := kv.Key.(*ast.Ident); ok && k.Name == field {
			if b, ok := kv.Value.(*ast.BasicLit); ok && b.Kind == token.STRING {
				s, _ := strconv.Unquote(b.Value)
				return s
			}
		}
	}
	return ""
}

// TestEveryRuleRegistered: every exported rule declared in package rules,
// and every rule the engine declares (TV000, TV001), is in rules.All, and
// rules.All holds nothing else. A rule written but left out of its family's
// list would never run, and no other test would notice.
func TestEveryRuleRegistered(t *testing.T) {
	declared := declaredRules(t, ".")
	for name, id := range declaredRules(t, filepath.Join("..", "internal", "lint")) {
		declared["lint."+name] = id
	}
	if len(declared) < 10 {
		t.Fatalf("found only %d rule declarations: the parse is broken", len(declared))
	}
	registered := map[string]bool{}
	for _, r := range rules.All {
		registered[r.ID] = true
	}
	byID := map[string]string{}
	for name, id := range declared {
		if other, ok := byID[id]; ok {
			t.Errorf("%s and %s both declare %s", other, name, id)
		}
		byID[id] = name
		if !registered[id] {
			t.Errorf("%s (%s) is not in rules.All: add it to its family's list in list_tv*.go", name, id)
		}
	}
	for _, r := range rules.All {
		if _, ok := byID[r.ID]; !ok {
			t.Errorf("rules.All holds %s, which no exported variable of rules or lint declares", r.ID)
		}
	}
}

// TestFixtureFoldersBelongToRules: every entry of testdata is the folder
// of a registered rule, named after it, holding only .txtar fixtures.
// TestFixtures runs testdata/<rule name>/*.txtar, so a folder named after
// a renamed or mistyped rule, or a fixture with another extension, would
// silently never run.
func TestFixtureFoldersBelongToRules(t *testing.T) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) == 0 {
		t.Fatal("testdata is empty")
	}
	for _, e := range entries {
		r := rules.Lookup(e.Name())
		switch {
		case !e.IsDir():
			t.Errorf("testdata/%s: fixtures belong in testdata/<rule name>/", e.Name())
			continue
		case r == nil || r.Name != e.Name():
			t.Errorf("testdata/%s is not the name of a registered rule", e.Name())
			continue
		}
		files, err := os.ReadDir(filepath.Join("testdata", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if f.IsDir() || !strings.HasSuffix(f.Name(), ".txtar") {
				t.Errorf("testdata/%s/%s is not a .txtar fixture, so no test runs it", e.Name(), f.Name())
			}
		}
	}
}
