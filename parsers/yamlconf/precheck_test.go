package yamlconf

import (
	"runtime"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
)

// TestHostileMemory reads 4 MiB files (the loader's cap) that made the
// library allocate gigabytes, and bounds what Parse allocates in all.
func TestHostileMemory(t *testing.T) {
	const size = 4 << 20
	const budget = 64 << 20
	for name, src := range map[string]string{
		"flow mapping on one line": "{" + strings.Repeat("a: b, ", size/6),
		"closed flow mapping":      "{" + strings.Repeat("a: b, ", size/6-1) + "}",
		"flow sequence on lines":   "k: [\n" + strings.Repeat("a,\n", size/3-3) + "]",
		"nested flow":              strings.Repeat("[", size),
		"block mapping":            strings.Repeat("a: b\n", size/5),
		"block sequence":           strings.Repeat("- a\n", size/4),
		"quote tricks":             "k: [" + strings.Repeat("it's, ", size/6),
		"hidden in quotes":         "a: b '\nk: \"[" + strings.Repeat("a, ", size/3-10) + "]\"\n",
		"many lines":               strings.Repeat("a\n", size/2),
		"lines ended by LS":        strings.Repeat("a: b\u2028", size/7),
		"lines ended by CR":        strings.Repeat("a: b\r", size/5),
	} {
		f := source.NewFile("f.yaml", []byte(src))
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		r := Parse(f, Options{})
		runtime.ReadMemStats(&after)
		if got := after.TotalAlloc - before.TotalAlloc; got > budget {
			t.Errorf("%s: allocated %d MiB, budget %d MiB", name, got>>20, budget>>20)
		}
		if len(r.Docs) != 0 || len(r.Problems) != 1 || r.Problems[0].Kind != TooLarge {
			t.Errorf("%s: %d documents, problems %v", name, len(r.Docs), r.Problems)
		}
	}
}

// TestPrecheckCounts shows what the bound counts: lines, and '[', '{'
// and ',' wherever they are (a quote or a block scalar hides nothing),
// but not comment lines; a file just under a budget is read.
func TestPrecheckCounts(t *testing.T) {
	for _, c := range []struct {
		src         string
		nodes, flow int // budgets: the file passes at these and fails one below
	}{
		{"a: b\nc: d\n", 4, 0},
		{"a: b\n\n  # c, [d]\n\t\r\n", 2, 0},
		{"a: b\rc: d\u2028e: f\u0085g: h\r\n", 8, 0},
		{"k: [a, b, c]\n", 8, 3},
		{"k: [\"a, b\", 'c, '' d', it's, e]\n", 14, 6},
		{"k: |\n  [a, b]\n", 8, 2},
		{"k: \"x\n  # [a, b]\n  y\"\n", 4, 0}, // a '#' line of a quoted scalar makes no node (nor a flow item)
	} {
		if at, _ := precheck([]byte(c.src), c.nodes, c.flow); at >= 0 {
			t.Errorf("%q refused at %d with budgets %d, %d", c.src, at, c.nodes, c.flow)
		}
		if c.flow > 0 {
			if at, flow := precheck([]byte(c.src), c.nodes, c.flow-1); at < 0 || !flow {
				t.Errorf("%q passed with flow budget %d", c.src, c.flow-1)
			}
		}
		if at, flow := precheck([]byte(c.src), c.nodes-1, c.flow); at < 0 || flow {
			t.Errorf("%q passed with node budget %d", c.src, c.nodes-1)
		}
	}
	r := Parse(source.NewFile("f.yaml", []byte("k: [a, b]\n")), Options{MaxFlowItems: 1})
	if len(r.Problems) != 1 || r.Problems[0].Kind != TooLarge || pos(r.Problems[0].Span) != "1:6" {
		t.Errorf("problems %v", r.Problems)
	}
}
