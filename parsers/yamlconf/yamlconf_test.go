package yamlconf

import (
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tlsvet/tlsvet/internal/source"
)

func parse(t testing.TB, src string) *Result {
	t.Helper()
	r := Parse(source.NewFile("f.yaml", []byte(src)), Options{})
	checkResult(t, r)
	return r
}

// value returns the value of key in the first document's root mapping.
func value(t *testing.T, r *Result, key string) *Node {
	t.Helper()
	if len(r.Docs) == 0 || r.Docs[0].Root == nil || r.Docs[0].Root.Kind != Mapping {
		t.Fatalf("no root mapping; problems %v", r.Problems)
	}
	for _, kv := range r.Docs[0].Root.Pairs {
		if kv.Key.Value == key {
			return kv.Value
		}
	}
	t.Fatalf("no key %q", key)
	return nil
}

// checkResult asserts what holds for every file: spans lie inside the file
// and in order, and each scalar's pieces are monotonic, cover its value and
// copy verbatim bytes where they say so.
func checkResult(t testing.TB, r *Result) {
	t.Helper()
	n := len(r.File.Content)
	in := func(what string, s source.Span) {
		if s.File != r.File || s.Start < 0 || s.Start > s.End || s.End > n {
			t.Fatalf("%s span %d-%d outside the file (%d bytes)", what, s.Start, s.End, n)
		}
	}
	for _, p := range r.Problems {
		in("problem", p.Span)
		if p.Related.IsValid() {
			in("related", p.Related)
		}
	}
	var walk func(*Node, int)
	walk = func(x *Node, depth int) {
		if depth > 20000 {
			t.Fatal("tree too deep")
		}
		in("node", x.Span)
		switch x.Kind {
		case Scalar:
			checkPieces(t, x)
		case Mapping:
			for _, kv := range x.Pairs {
				walk(kv.Key, depth+1)
				walk(kv.Value, depth+1)
			}
		case Sequence:
			for _, c := range x.Items {
				walk(c, depth+1)
			}
		}
	}
	for _, d := range r.Docs {
		in("document", d.Span)
		if d.Root != nil {
			walk(d.Root, 0)
		}
	}
}

func checkPieces(t testing.TB, x *Node) {
	t.Helper()
	if x.Approx {
		return
	}
	if err := x.m.Check(x.Value, x.Span.File.Content, x.Span.Start, x.Span.End); err != nil {
		t.Fatalf("scalar %q: %v", x.Value, err)
	}
}

func TestScalarSpans(t *testing.T) {
	type sub struct {
		dec   string // a substring of the value (its first occurrence)
		src   string // the source text ValueSpan gives for it
		exact bool
	}
	for _, c := range []struct {
		name, src, key string
		style          Style
		value, span    string
		subs           []sub
	}{
		{"plain", "k: user@tcp(db)/x?tls=skip-verify # c\n", "k", Plain,
			"user@tcp(db)/x?tls=skip-verify", "user@tcp(db)/x?tls=skip-verify",
			[]sub{{"skip-verify", "skip-verify", true}}},
		{"plain tab and multi-byte", "ключ: é\tx ü\n", "ключ", Plain, "é\tx ü", "é\tx ü",
			[]sub{{"ü", "ü", true}, {"\tx", "\tx", true}}},
		{"plain folded lines", "k: a  \n  b\n\n  c\nz: 1\n", "k", Plain, "a b\nc", "a  \n  b\n\n  c",
			[]sub{{" ", "  \n  ", true}, {"\n", "\n\n  ", true}, {"c", "c", true}}},
		{"plain in flow", "k: {a: [x, y z], b: w}\n", "k", 0, "", "", nil},
		// Columns count characters: multi-byte ones and tabs are one each.
		{"flow multi-byte and tabs", "k: {é: ü,\t🔒:\tx, t\tab: [ä,\tö ø]}\n", "k", 0, "", "", nil},
		{"single quoted", "k: 'it''s a'\n", "k", SingleQuoted, "it's a", "'it''s a'",
			[]sub{{"'", "''", true}, {"s a", "s a", true}, {"t'", "t''", true}}},
		{"double escapes", `k: "a\tb\n\"c\\d\x41\u00e9\U0001F512\/"` + "\n", "k", DoubleQuoted,
			"a\tb\n\"c\\dAé🔒/", `"a\tb\n\"c\\d\x41\u00e9\U0001F512\/"`,
			[]sub{{"\t", `\t`, true}, {"A", `\x41`, true}, {"é", `\u00e9`, true}, {"🔒", `\U0001F512`, true},
				{"b\n\"c", `b\n\"c`, true}, {"\xa9", `\u00e9`, false}}},
		{"double folded and escaped break", "k: \"a  \n   b\\\n   c\n\n  d\"\n", "k", DoubleQuoted,
			"a bc\nd", "\"a  \n   b\\\n   c\n\n  d\"",
			[]sub{{" ", "  \n   ", true}, {"bc", "b\\\n   c", true}, {"d", "d", true}}},
		{"double DSN", `dsn: "u:p@tcp(h:3306)/db?tls=skip-verify&x=\"y\""` + "\n", "dsn", DoubleQuoted,
			`u:p@tcp(h:3306)/db?tls=skip-verify&x="y"`, `"u:p@tcp(h:3306)/db?tls=skip-verify&x=\"y\""`,
			[]sub{{"tls=skip-verify", "tls=skip-verify", true}, {`"y"`, `\"y\"`, true}}},
		{"literal", "k: |\n  [client]\n  ssl-mode=DISABLED\n\n  tls-version=TLSv1\nz: 1\n", "k", Literal,
			"[client]\nssl-mode=DISABLED\n\ntls-version=TLSv1\n", "|\n  [client]\n  ssl-mode=DISABLED\n\n  tls-version=TLSv1\n",
			[]sub{{"DISABLED", "DISABLED", true}, {"TLSv1", "TLSv1", true}, {"\n\n", "\n\n  ", true}}},
		{"literal strip", "k: |- # comment\n    a\n     b\n\n", "k", Literal, "a\n b", "|- # comment\n    a\n     b",
			[]sub{{" b", " b", true}}},
		{"literal keep", "k: |+\n  a\n\n\nz: 1\n", "k", Literal, "a\n\n\n", "|+\n  a\n\n\n",
			[]sub{{"a", "a", true}, {"\n\n\n", "\n\n\n", true}, {"\n\n", "\n\n\n", false}}},
		{"literal explicit indent", "k: |2\n    x\n   y\n", "k", Literal, "  x\n y\n", "|2\n    x\n   y\n",
			[]sub{{"  x", "  x", true}, {" y", " y", true}}},
		{"folded", "k: >\n  tls=a\n  b\n\n  c\n   more\n  d\n", "k", Folded, "tls=a b\nc\n more\nd\n",
			">\n  tls=a\n  b\n\n  c\n   more\n  d\n",
			[]sub{{"tls=a", "tls=a", true}, {"a b", "a\n  b", true}, {"more", "more", true}}},
		{"CRLF plain and literal", "k: a\r\n  b\r\nl: |\r\n  x\r\n  y\r\nz: 1\r\n", "l", Literal, "x\ny\n", "|\r\n  x\r\n  y\r\n",
			[]sub{{"y", "y", true}, {"\n", "\r\n  ", true}}},
		{"CRLF double", "k: \"a\r\n  b\"\r\n", "k", DoubleQuoted, "a b", "\"a\r\n  b\"", []sub{{"b", "b", true}}},
		{"anchor and tag", "k: &a !!str\n  # why\n  v\n", "k", Plain, "v", "v", []sub{{"v", "v", true}}},
		{"empty", "k:\nz: 1\n", "k", Plain, "", "", nil},
		{"empty quoted", "k: ''\n", "k", SingleQuoted, "", "''", nil},
		{"byte-order mark", "\xef\xbb\xbfk: v\n", "k", Plain, "v", "v", nil},
		{"CR and LS breaks", "x: 1\rk: a\u2028  b\n", "k", Plain, "a\u2028b", "a\u2028  b", []sub{{"b", "b", true}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := parse(t, c.src)
			if len(r.Problems) > 0 {
				t.Fatalf("problems: %v", r.Problems)
			}
			n := value(t, r, c.key)
			if n.Kind != Scalar {
				// Collections: every scalar in them is exact.
				var walk func(*Node)
				walk = func(x *Node) {
					if x.Kind == Scalar && (x.Approx || x.Span.Text() != x.Value) {
						t.Errorf("scalar %q: span %q approx %v", x.Value, x.Span.Text(), x.Approx)
					}
					for _, kv := range x.Pairs {
						walk(kv.Key)
						walk(kv.Value)
					}
					for _, it := range x.Items {
						walk(it)
					}
				}
				walk(n)
				return
			}
			if n.Approx || n.Style != c.style || n.Value != c.value || n.Span.Text() != c.span {
				t.Fatalf("got style %d value %q span %q approx %v; want style %d value %q span %q",
					n.Style, n.Value, n.Span.Text(), n.Approx, c.style, c.value, c.span)
			}
			whole, exact := n.ValueSpan(0, len(n.Value))
			if !exact || whole.Start < n.Span.Start || whole.End > n.Span.End {
				t.Errorf("whole value maps to %q (exact %v), outside span %q", whole.Text(), exact, n.Span.Text())
			}
			for _, s := range c.subs {
				i := strings.Index(n.Value, s.dec)
				if i < 0 {
					t.Fatalf("%q not in value", s.dec)
				}
				sp, exact := n.ValueSpan(i, i+len(s.dec))
				if sp.Text() != s.src || exact != s.exact {
					t.Errorf("ValueSpan(%q) = %q exact %v; want %q exact %v", s.dec, sp.Text(), exact, s.src, s.exact)
				}
			}
		})
	}
}

func TestKeySpans(t *testing.T) {
	r := parse(t, "\"dq key\": 1\n'sq': 2\n? complex\n: 3\nплейн: 4\n")
	var got []string
	for _, kv := range r.Docs[0].Root.Pairs {
		got = append(got, kv.Key.Span.Text())
	}
	want := []string{`"dq key"`, `'sq'`, "complex", "плейн"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("key spans %q, want %q", got, want)
	}
}

func TestDuplicateKeys(t *testing.T) {
	src := "a: 1\nb:\n  x: 1\n  x: 2\na: 3\n\"a\": 4\n1: x\n\"1\": y\n<<: {}\n<<: {}\n"
	r := parse(t, src)
	var got []string
	for _, p := range r.Problems {
		if p.Kind != DuplicateKey {
			t.Fatalf("unexpected problem %v", p)
		}
		got = append(got, pos(p.Related)+"->"+pos(p.Span)+" "+p.Span.Text())
	}
	// "1" and 1 differ in tag; merge keys are not compared.
	want := []string{"3:3->4:3 x", "1:1->5:1 a", "1:1->6:1 \"a\""}
	if strings.Join(got, ";") != strings.Join(want, ";") {
		t.Fatalf("duplicates %q, want %q", got, want)
	}
	// A large mapping switches to a map; the result is the same.
	var b strings.Builder
	for i := range 50 {
		b.WriteString("k" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ": v\n")
	}
	b.WriteString("kcb: dup\n")
	r = parse(t, b.String())
	if len(r.Problems) != 1 || r.Problems[0].Span.Text() != "kcb" || r.Problems[0].Related.StartPos().Line != 29 {
		t.Fatalf("large mapping: %v", r.Problems)
	}
}

func pos(s source.Span) string {
	p := s.StartPos()
	return strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col)
}

func TestSecrets(t *testing.T) {
	r := parse(t, "db:\n  password: \"hunter2!\"\n  user: app\nx: &pw s3cr3t-value\nDB_PASSWORD: *pw\n")
	f := r.File
	for _, s := range []string{`"hunter2!"`, "s3cr3t-value"} {
		i := strings.Index(string(f.Content), s)
		if !f.HasSecret(i, i+len(s)) {
			t.Errorf("%s not marked secret", s)
		}
	}
	if i := strings.Index(string(f.Content), "app"); f.HasSecret(i, i+3) {
		t.Error("user marked secret")
	}
}

func TestMultiDocument(t *testing.T) {
	r := parse(t, "a: 1\n---\n# second\nb: \"two\"\n...\n---\n--- |\n  x\n")
	if len(r.Problems) > 0 || len(r.Docs) != 4 {
		t.Fatalf("%d documents, problems %v", len(r.Docs), r.Problems)
	}
	if r.Docs[2].Root.Tag != "!!null" {
		t.Errorf("third document not empty: %+v", r.Docs[2].Root)
	}
	b := r.Docs[1].Root.Pairs[0].Value
	if b.Span.Text() != `"two"` || pos(b.Span) != "4:4" {
		t.Errorf("b at %s %q", pos(b.Span), b.Span.Text())
	}
	if x := r.Docs[3].Root; x.Style != Literal || x.Value != "x\n" || x.Span.Text() != "|\n  x\n" {
		t.Errorf("fourth document %q %q", x.Value, x.Span.Text())
	}
}

func TestSyntaxErrors(t *testing.T) {
	for _, c := range []struct{ src, at, msg string }{
		{"a: 1\n---\nb: [x\nc: 2\n", "4:2", "did not find expected ',' or ']'"},
		{"a: 1\n\tb: 2\n", "2:1", "tab character"},
		{"k: \"unclosed\n", "2:1", "unexpected end of stream"},
		{"é: ü\n  x: y\n", "2:4", "mapping values are not allowed"},
		{"a: *nope\n", "1:4", "unknown anchor"},
	} {
		r := parse(t, c.src)
		if len(r.Problems) != 1 || r.Problems[0].Kind != Syntax || pos(r.Problems[0].Span) != c.at || !strings.Contains(r.Problems[0].Msg, c.msg) {
			t.Errorf("%q: problems %v, want one at %s with %q", c.src, r.Problems, c.at, c.msg)
		}
	}
	// The documents before and after a broken one are read, with their
	// positions in the file.
	r := parse(t, "a: 1\n---\nb: [x\n--- # next\nc: \"é\"\n---\nd: 'x\n---\ne: 5\n")
	var keys []string
	for _, d := range r.Docs {
		kv := d.Root.Pairs[0]
		keys = append(keys, kv.Key.Value+"@"+pos(kv.Value.Span)+"="+kv.Value.Span.Text())
	}
	if strings.Join(keys, " ") != `a@1:4=1 c@5:4="é" e@9:4=5` || len(r.Problems) != 2 {
		t.Errorf("documents around errors: %q, problems %v", keys, r.Problems)
	}
	r = parse(t, strings.Repeat("---\nk: [\n", 1000)+"---\nk: v\n")
	if len(r.Problems) != maxSyntaxErrors || len(r.Docs) != 0 || !strings.Contains(r.Problems[maxSyntaxErrors-1].Msg, "too many") {
		t.Errorf("many broken documents: %d problems, %d documents", len(r.Problems), len(r.Docs))
	}
	if r := parse(t, "\xff\xfea\x00:\x00"); len(r.Problems) != 1 || r.Problems[0].Kind != Encoding {
		t.Errorf("UTF-16: %v", r.Problems)
	}
}

// aliasBomb is the "billion laughs" document: ten levels of ten aliases.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	for c := 'b'; c <= 'j'; c++ {
		prev := "*" + string(c-1)
		b.WriteString(string(c) + ": &" + string(c) + " [" + strings.Repeat(prev+",", 9) + prev + "]\n")
	}
	return b.String()
}

func TestAliasBomb(t *testing.T) {
	start := time.Now()
	r := parse(t, aliasBomb())
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
	var limits []Problem
	for _, p := range r.Problems {
		if p.Kind == AliasLimit {
			limits = append(limits, p)
		}
	}
	if len(limits) != 1 {
		t.Fatalf("problems %v, want one alias limit", r.Problems)
	}
	// A walk that expands the aliases that were kept stays within budget.
	visited := 0
	var walk func(*Node)
	walk = func(n *Node) {
		visited++
		switch {
		case n.Kind == Alias && n.Target != nil:
			walk(n.Target)
		case n.Kind == Mapping:
			for _, kv := range n.Pairs {
				walk(kv.Key)
				walk(kv.Value)
			}
		case n.Kind == Sequence:
			for _, c := range n.Items {
				walk(c)
			}
		}
	}
	walk(r.Docs[0].Root)
	if visited > DefaultMaxAliasNodes+200 || visited < 1000 {
		t.Errorf("expanded walk visits %d nodes", visited)
	}
	// Small aliases are expanded.
	r = parse(t, "x: &t {mode: VERIFY_IDENTITY}\ny: *t\nz: &s [*s]\n")
	y := value(t, r, "y")
	if y.Kind != Alias || y.Target == nil || y.Target.Pairs[0].Value.Value != "VERIFY_IDENTITY" || y.Span.Text() != "*t" {
		t.Errorf("alias y: %+v", y)
	}
	if z := value(t, r, "z"); z.Items[0].Target != nil || len(r.Problems) != 1 || r.Problems[0].Kind != AliasLimit {
		t.Errorf("self-referencing alias: %+v, problems %v", z.Items[0], r.Problems)
	}
}

// TestLongLine reads 10 MB single-line documents: the reader's own work
// (offsets, scalar re-reading) must stay linear on one line.
func TestLongLine(t *testing.T) {
	if testing.Short() {
		t.Skip("10 MB inputs")
	}
	const size = 10 << 20
	for name, src := range map[string]string{
		"plain":  "k: " + strings.Repeat("x", size),
		"quoted": "k: \"" + strings.Repeat(`tls=a\u00e9 `, size/12) + "\"",
		"flow":   "k: [" + strings.Repeat("'a', ", DefaultMaxFlowItems/2) + "\"" + strings.Repeat("y", size/2) + "\"]",
	} {
		start := time.Now()
		r := parse(t, src)
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%s: took %v", name, d)
		}
		if len(r.Problems) > 0 {
			t.Fatalf("%s: %v", name, r.Problems)
		}
		k := value(t, r, "k")
		if k.Kind == Sequence {
			k = k.Items[len(k.Items)-1]
		}
		if k.Approx || k.Span.End != len(src)-strings.Count(name, "flow") {
			t.Errorf("%s: span ends at %d of %d, approx %v", name, k.Span.End, len(src), k.Approx)
		}
		if sp, exact := k.ValueSpan(len(k.Value)-1, len(k.Value)); !exact || !utf8.ValidString(sp.Text()) {
			t.Errorf("%s: last byte maps to %q", name, sp.Text())
		}
	}
}

// TestFoldedDSN shows what a fix needs: the parameter inside a folded
// value maps to its exact bytes, and a range across the fold is exact
// but not verbatim.
func TestFoldedDSN(t *testing.T) {
	r := parse(t, "url: >-\n  jdbc:mysql://db/app?useSSL=true\n  &verifyServerCertificate=false\n")
	n := value(t, r, "url")
	i := strings.Index(n.Value, "false")
	sp, exact := n.ValueSpan(i, i+5)
	if !exact || sp.Text() != "false" || pos(sp) != "3:28" {
		t.Fatalf("false at %s %q exact %v", pos(sp), sp.Text(), exact)
	}
	i = strings.Index(n.Value, "true &")
	if sp, exact = n.ValueSpan(i, i+6); !exact || sp.Text() != "true\n  &" {
		t.Fatalf("across the fold: %q exact %v", sp.Text(), exact)
	}
	// Half of a folded break cannot be expressed in the source.
	r = parse(t, "k: \"a\n\n\n  b\"\n")
	n = value(t, r, "k")
	if sp, exact := n.ValueSpan(1, 2); exact || sp.Text() != "\n\n\n  " {
		t.Fatalf("half a fold: %q exact %v", sp.Text(), exact)
	}
}
