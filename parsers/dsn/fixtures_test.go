package dsn

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/dialects/*.txtar")

// fixtureDir holds one txtar per dialect, named by fixtureName, plus
// mysql-url.txtar for bare mysql:// URLs read through Candidates and Agree.
// Each archive is a comment (what the dialect does, its trap, a source),
// then cases: a section holding one connection string (a bare URL may add
// a line "beside <file>" naming an ecosystem file), followed by a "want"
// section holding the record as renderParse (renderCandidates for the bare
// URLs) writes it. Regenerate with go test ./parsers/dsn -run
// TestDialectFixtures -update, then read the diff: a golden is a claim
// about the driver, not a snapshot of the parser.
const fixtureDir = "testdata/dialects"

const bareURLFixture = "mysql-url.txtar"

func fixtureName(d Dialect) string { return strings.ReplaceAll(string(d), "/", "-") + ".txtar" }

// TestDialectFixtures renders each case's record and compares it with its
// want section; -update rewrites the want sections.
func TestDialectFixtures(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(fixtureDir, "*.txtar"))
	byName := map[string]Dialect{}
	for _, d := range dialectConstants(t) {
		byName[fixtureName(d)] = d
		if _, err := os.Stat(filepath.Join(fixtureDir, fixtureName(d))); err != nil {
			t.Errorf("dialect %s has no fixture %s", d, fixtureName(d))
		}
	}
	for _, f := range files {
		base := filepath.Base(f)
		d, ok := byName[base]
		if !ok && base != bareURLFixture {
			t.Errorf("%s names no dialect", f)
			continue
		}
		t.Run(strings.TrimSuffix(base, ".txtar"), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			a := txtar.Parse(data)
			if len(a.Files) == 0 || len(a.Files)%2 != 0 {
				t.Fatalf("want pairs of a case and its want section, got %d sections", len(a.Files))
			}
			if !strings.Contains(a.Comment, "https://") {
				t.Errorf("the comment cites no public source")
			}
			changed, names := false, map[string]bool{}
			for i := 0; i < len(a.Files); i += 2 {
				c, w := &a.Files[i], &a.Files[i+1]
				if w.Name != "want" {
					t.Fatalf("section %q follows case %q; want \"want\"", w.Name, c.Name)
				}
				if names[c.Name] {
					t.Errorf("case %q appears twice", c.Name)
				}
				names[c.Name] = true
				in, beside, _ := strings.Cut(strings.TrimSuffix(string(c.Data), "\n"), "\nbeside ")
				ds := []Dialect{d}
				var got string
				if ok {
					got = renderParse(d, in)
				} else {
					ds = Candidates(in, EcosystemOf(beside))
					got = renderCandidates(in, ds)
				}
				checkNoPassword(t, c.Name, in, got, ds)
				if got != string(w.Data) {
					if *update {
						w.Data, changed = []byte(got), true
						continue
					}
					t.Errorf("case %q: %s\ngot:\n%swant:\n%s", c.Name, in, got, w.Data)
				}
			}
			if changed {
				if err := os.WriteFile(f, format(a), 0o666); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// dialectConstants reads the Dialect constants declared in dsn.go, so a
// dialect added there without a fixture fails the test.
func dialectConstants(t *testing.T) []Dialect {
	f, err := parser.ParseFile(token.NewFileSet(), "dsn.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var ds []Dialect
	for _, decl := range f.Decls {
		g, ok := decl.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			v := s.(*ast.ValueSpec)
			if id, ok := v.Type.(*ast.Ident); !ok || id.Name != "Dialect" || len(v.Values) != 1 {
				continue
			}
			lit, ok := v.Values[0].(*ast.BasicLit)
			if !ok {
				continue
			}
			if s, _ := strconv.Unquote(lit.Value); s != "" {
				ds = append(ds, Dialect(s))
			}
		}
	}
	if len(ds) < 15 {
		t.Fatalf("found %d dialect constants in dsn.go; the reader is broken", len(ds))
	}
	return ds
}

// checkNoPassword fails when the rendered record holds the text of the
// string's password or of a secret parameter (texts of four bytes or more,
// so that a short one does not match a key by chance).
func checkNoPassword(t *testing.T, name, in, got string, ds []Dialect) {
	t.Helper()
	for _, d := range ds {
		r, err := Parse(d, in)
		if err != nil {
			continue
		}
		secrets := []string{}
		if r.HasPassword {
			secrets = append(secrets, r.Password.Text(in))
		}
		for _, p := range r.Params {
			if p.Secret {
				secrets = append(secrets, p.ValueSpan.Text(in))
			}
		}
		for _, s := range secrets {
			if len(s) >= 4 && strings.Contains(got, s) {
				t.Errorf("case %q: the record shows the password %q", name, s)
			}
		}
	}
}

func format(a *txtar.Archive) []byte {
	var b bytes.Buffer
	b.WriteString(a.Comment)
	for _, f := range a.Files {
		fmt.Fprintf(&b, "-- %s --\n", f.Name)
		b.Write(f.Data)
	}
	return b.Bytes()
}

// renderParse renders the record of in read as dialect d.
func renderParse(d Dialect, in string) string {
	var b strings.Builder
	det := Detect(in)
	if det == Unknown {
		fmt.Fprintf(&b, "detect none\n")
	} else {
		fmt.Fprintf(&b, "detect %s\n", det)
	}
	r, err := Parse(d, in)
	if err != nil {
		fmt.Fprintf(&b, "error %v\n", err)
		return b.String()
	}
	renderClient(&b, "", in, r, &r.Client)
	renderTarget(&b, r)
	if len(r.Traps) == 0 {
		b.WriteString("traps none\n")
	}
	for _, tr := range r.Traps {
		fmt.Fprintf(&b, "trap %s %s: %s", trapKinds[tr.Kind], r.Params[tr.Param].Key, effects[tr.Effect])
		if tr.Want != "" {
			fmt.Fprintf(&b, ", want %s", tr.Want)
		}
		b.WriteString("\n")
	}
	if r.Legacy != nil {
		renderClient(&b, "5.1 ", in, r, r.Legacy)
	}
	return b.String()
}

// renderCandidates renders what the dialects that may read a bare URL
// agree on.
func renderCandidates(in string, ds []Dialect) string {
	var b strings.Builder
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = string(d)
	}
	fmt.Fprintf(&b, "candidates %s\n", strings.Join(names, ", "))
	rs := ParseEach(in, ds)
	if len(rs) < len(ds) {
		var rejected []string
		for _, d := range ds {
			if _, err := Parse(d, in); err != nil {
				rejected = append(rejected, string(d))
			}
		}
		fmt.Fprintf(&b, "rejected by %s\n", strings.Join(rejected, ", "))
	}
	if m, ok := Agree(rs, func(r *DSN) Mode { return r.Client.Mode }); ok {
		fmt.Fprintf(&b, "agree mode %s\n", m)
	} else {
		b.WriteString("disagree mode\n")
	}
	if e, ok := Agree(rs, func(r *DSN) Effective { return r.Client.Effective }); ok {
		fmt.Fprintf(&b, "agree effective %s\n", effectiveText(e))
	} else {
		b.WriteString("disagree effective\n")
	}
	for _, r := range rs {
		fmt.Fprintf(&b, "  %s: %s, %s\n", r.Dialect, r.Client.Mode, effectiveText(r.Client.Effective))
	}
	return b.String()
}

func renderClient(b *strings.Builder, prefix, in string, r *DSN, c *Client) {
	fmt.Fprintf(b, "%smode %s (%s", prefix, c.Mode, c.From)
	if c.ModeParam >= 0 {
		fmt.Fprintf(b, ", %s", r.Params[c.ModeParam].Key)
	}
	fmt.Fprintf(b, ")\n%seffective %s\n", prefix, effectiveText(c.Effective))
	for _, v := range []struct {
		name string
		v    *Value
	}{{"ca", c.CA}, {"capath", c.CAPath}, {"cert", c.Cert}, {"key", c.Key}, {"protocols", c.Protocols}, {"ciphers", c.Ciphers}} {
		if v.v != nil {
			fmt.Fprintf(b, "%s%s %s (%s)\n", prefix, v.name, v.v.Text, r.Params[v.v.Param].Key)
		}
	}
	if len(c.Unresolved) > 0 {
		fmt.Fprintf(b, "%sunresolved %s\n", prefix, strings.Join(c.Unresolved, ", "))
	}
	if c.Note != "" {
		fmt.Fprintf(b, "%snote %s\n", prefix, c.Note)
	}
}

func renderTarget(b *strings.Builder, r *DSN) {
	t := r.Target
	host := t.Host
	if host == "" {
		host = "(default host)"
	}
	if t.Port != "" {
		host += ":" + t.Port
	}
	fmt.Fprintf(b, "transport %s %s\n", transports[t.Transport], host)
}

func effectiveText(e Effective) string {
	var fs []string
	for _, f := range []struct {
		on   bool
		name string
	}{{e.Encrypts, "encrypts"}, {e.PlaintextFallback, "fallback"}, {e.VerifiesChain, "chain"}, {e.VerifiesHost, "host"}} {
		if f.on {
			fs = append(fs, f.name)
		}
	}
	if len(fs) == 0 {
		return "none"
	}
	return strings.Join(fs, " ")
}

var (
	trapKinds  = map[TrapKind]string{WrongCase: "wrong-case", ForeignParam: "foreign", StringTruthy: "string-truthy", Unused: "unused", LegacyOverrides: "legacy-overrides", BadValue: "bad-value", Dropped: "dropped"}
	effects    = map[Effect]string{Ignored: "ignored", Rejected: "rejected", SessionVariable: "session variable", Misread: "misread"}
	transports = map[Transport]string{TCP: "tcp", Unix: "unix", Pipe: "pipe"}
)
