package connstr

import (
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
