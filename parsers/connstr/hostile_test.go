package connstr

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/tlsvet/tlsvet/internal/source"
)

// TestHostile reads 10 MB lines and unterminated quotes of every kind:
// each read must stay linear (a quadratic one takes hours here).
func TestHostile(t *testing.T) {
	if testing.Short() {
		t.Skip("10 MB inputs")
	}
	const n = 10 << 20
	long := strings.Repeat("a", n)
	for _, tc := range []struct{ name, src string }{
		{".env", "K=jdbc:mysql://h/d?x=" + long},
		{".env", "K=\"jdbc:mysql://h/d?x=" + strings.Repeat(`\"`, n/2)},
		// Each line after the unterminated quote is an entry of its own
		// ("a" alone); envfile keeps about 200 bytes per entry, so this
		// one is sized at the loader's cap, 4 MiB.
		{".env", "K=\"" + strings.Repeat("a\n", 2<<20)},
		{".env", "K=jdbc:mysql://h/d?x=" + strings.Repeat("${A}", n/4)},
		{".env", "K=jdbc:mysql://h/d?x=" + strings.Repeat("${", n/2)},
		{"a.properties", "k=jdbc:mysql://h/d?x=" + strings.Repeat(`\t`, n/2)},
		{"a.properties", "k=jdbc:mysql://h/d?x=" + strings.Repeat("\\\n", n/2)},
		{"a.yml", "k: jdbc:mysql://h/d?x=" + long},
		{"a.yml", "k: \"jdbc:mysql://h/d?x=" + strings.Repeat(`\t`, n/2)},
		{"a.yml", "k: \"" + long},
		{"a.json", `{"k": "jdbc:mysql://h/d?x=` + strings.Repeat(`\u0041`, n/6) + `"}`},
		{"a.json", `{"k": "` + long},
		{"a.json", strings.Repeat("[", n)},
		{"a.toml", `k = "jdbc:mysql://h/d?x=` + strings.Repeat(`\t`, n/2) + `"`},
		{"a.toml", `k = """` + long},
		{"a.go", "package a\nconst k = \"u@tcp(h)/d?x=" + strings.Repeat(`\x41`, n/4) + "\""},
		{"a.go", "package a\nconst k = `" + long},
		{"a.go", strings.Repeat("\"\n", n/2)},
	} {
		start := time.Now()
		r := Scan(source.NewFile(tc.name, []byte(tc.src)), Detect(tc.name), nil)
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s %.30q…: %v", tc.name, tc.src, d)
		}
		if len(r.Problems) > 200 {
			t.Errorf("%s %.30q…: %d problems", tc.name, tc.src, len(r.Problems))
		}
	}
}

// TestHostileMemory bounds what reading a 4 MiB file (the loader's cap)
// allocates in all, for files of many small entries or values, which
// cost far more than their bytes: the entry bounds of envfile and
// properties, MaxStrings, the YAML pre-scan, the TOML comma bound and
// the skipping of values that cannot be connection strings keep them
// under 64 MiB.
func TestHostileMemory(t *testing.T) {
	const size = 4 << 20
	const budget = 64 << 20
	for _, tc := range []struct{ name, src string }{
		{".env", strings.Repeat("a\n", size/2)},
		{".env", strings.Repeat("a=u@tcp(h)/\n", size/12)},
		{".env", "K=\"" + strings.Repeat("a\n", size/2)},
		{"a.properties", strings.Repeat("a\n", size/2)},
		{"a.json", "[" + strings.Repeat("\"u@tcp(h)/\",", size/12) + "1]"},
		{"a.json", "[" + strings.Repeat("\"a\",", size/4) + "1]"},
		{"a.go", strings.Repeat("\"u@tcp(h)/\"\n", size/12)},
		{"a.go", strings.Repeat("\"a\"\n", size/4)},
		{"a.toml", strings.Repeat("a=\"u@tcp(h)/\"\n", size/14)},
		{"a.toml", "a=[" + strings.Repeat("\"b\",", size/4) + "]"},
		{"a.yml", strings.Repeat("- u@tcp(h)/\n", size/12)},
		{"a.yml", "{" + strings.Repeat("a: b, ", size/6)},
	} {
		f := source.NewFile(tc.name, []byte(tc.src))
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		Scan(f, Detect(tc.name), nil)
		runtime.ReadMemStats(&after)
		if got := after.TotalAlloc - before.TotalAlloc; got > budget {
			t.Errorf("%s %.20q…: allocated %d MiB, budget %d MiB", tc.name, tc.src, got>>20, budget>>20)
		}
	}
}
