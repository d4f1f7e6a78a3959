package report_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/report"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/internal/txtar"
)

var update = flag.Bool("update", false, "rewrite testdata/fingerprints/golden.json from the codeql-action JavaScript (needs TLSVET_CODEQL_ACTION)")

const (
	goldenPath = "testdata/fingerprints/golden.json"
	oracleEnv  = "TLSVET_CODEQL_ACTION"
	howTo      = "to compare LineHashes with the real JavaScript (and regenerate " + goldenPath + " with -update), " +
		"clone https://github.com/github/codeql-action, run npm ci in it and set " + oracleEnv + " to its directory"
)

// The expectations of the "hash" test in codeql-action's
// src/fingerprints.test.ts at f3f1edbedfb4a1d188d344570834df2996d45d39.
var codeqlVectors = []struct {
	input  string
	hashes []string
}{
	{"", []string{"c129715d7a2bc9a3:1"}},
	{" a\nb\n  \t\tc\n d", []string{"271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"}},
	{" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End", []string{
		"8b7cf3e952e7aeb2:1", "b1ae1287ec4718d9:1", "bff680108adb0fcc:1",
		"c6805c5e1288b612:1", "b86d3392aea1be30:1", "e6ceba753e1a442:1",
	}},
	{" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n", helloHashes},
	{" hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r", helloHashes},
	{" hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n", helloHashes},
	{" hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n", helloHashes},
	{strings.Repeat("Lorem ipsum dolor sit amet.\n", 10), []string{
		"a7f2ff13bc495cf2:1", "a7f2ff13bc495cf2:2", "a7f2ff13bc495cf2:3",
		"a7f2ff13bc495cf2:4", "a7f2ff13bc495cf2:5", "a7f2ff13bc495cf2:6",
		"a7f2ff1481e87703:1", "a9cf91f7bbf1862b:1", "55ec222b86bcae53:1",
		"cc97dc7b1d7d8f7b:1", "c129715d7a2bc9a3:1",
	}},
	{"x = 2\nx = 1\nprint(x)\nx = 3\nprint(x)\nx = 4\nprint(x)\n", []string{
		"e54938cc54b302f1:1", "bb609acbe9138d60:1", "1131fd5871777f34:1", "5c482a0f8b35ea28:1",
		"54517377da7028d2:1", "2c644846cb18d53e:1", "f1b89f20de0d133:1", "c129715d7a2bc9a3:1",
	}},
}

var helloHashes = []string{
	"e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1",
	"b3edc88f2938467e:1", "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1",
}

func TestLineHashesCodeQLVectors(t *testing.T) {
	for _, v := range codeqlVectors {
		if got := report.LineHashes([]byte(v.input)); !reflect.DeepEqual(got, v.hashes) {
			t.Errorf("LineHashes(%q)\n got %q\nwant %q", v.input, got, v.hashes)
		}
	}
}

// golden is what the JavaScript computed for a set of files.
type golden struct {
	Comment      string       `json:"comment"`
	CodeQLAction string       `json:"codeqlAction"` // repository@commit
	Cases        []goldenCase `json:"cases"`
}

// goldenCase holds a file as text when it is valid UTF-8 and as base64
// otherwise, and the hash of each of its lines in order.
type goldenCase struct {
	Name   string   `json:"name"`
	Text   *string  `json:"text,omitempty"`
	Base64 string   `json:"base64,omitempty"`
	Hashes []string `json:"hashes"`
}

func (c goldenCase) content(t *testing.T) []byte {
	if c.Text != nil {
		return []byte(*c.Text)
	}
	b, err := base64.StdEncoding.DecodeString(c.Base64)
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	return b
}

// TestLineHashesGolden compares LineHashes with what codeql-action's
// JavaScript computed for the files in golden.json.
func TestLineHashesGolden(t *testing.T) {
	data, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Cases) < 300 {
		t.Fatalf("%s holds %d cases; it should hold hundreds", goldenPath, len(g.Cases))
	}
	lines := 0
	for _, c := range g.Cases {
		got := report.LineHashes(c.content(t))
		lines += len(got)
		if !reflect.DeepEqual(got, c.Hashes) {
			t.Errorf("%s: LineHashes differs from the JavaScript:\n%s", c.Name, diffHashes(got, c.Hashes))
		}
	}
	t.Logf("%d files, %d lines agree with %s", len(g.Cases), lines, g.CodeQLAction)
}

func diffHashes(got, want []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d lines, want %d\n", len(got), len(want))
	for i := 0; i < max(len(got), len(want)); i++ {
		g, w := "-", "-"
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			fmt.Fprintf(&b, "line %d: %s, want %s\n", i+1, g, w)
		}
	}
	return b.String()
}

// fpCase is a file to hash.
type fpCase struct {
	name    string
	content []byte
}

// oracleCases are the files compared with the JavaScript: the official
// vectors, every member of the rule fixtures, the demo project and
// random files. Big files (over the 64 KiB chunks in which Node reads
// files) are left out of the golden data to keep it small.
func oracleCases(t *testing.T, big bool) []fpCase {
	var cases []fpCase
	for i, v := range codeqlVectors {
		cases = append(cases, fpCase{fmt.Sprintf("codeql-vector/%d", i), []byte(v.input)})
	}
	fixtures, err := filepath.Glob("../../rules/testdata/*/*.txtar")
	if err != nil || len(fixtures) == 0 {
		t.Fatalf("no rule fixtures found (%v)", err)
	}
	for _, path := range fixtures {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(filepath.ToSlash(path), "../../")
		for _, f := range txtar.Parse(data).Files {
			if !strings.HasPrefix(f.Name, "@fixed/") {
				cases = append(cases, fpCase{name + "/" + f.Name, f.Data})
			}
		}
	}
	err = filepath.WalkDir("../../testdata/demo", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		cases = append(cases, fpCase{strings.TrimPrefix(filepath.ToSlash(path), "../../"), data})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cases = append(cases, specialCases()...)
	rng := rand.New(rand.NewPCG(2026, 6))
	for i := range 300 {
		cases = append(cases, fpCase{fmt.Sprintf("random/%03d", i), randomFile(rng)})
	}
	if big {
		cases = append(cases, bigCases()...)
	}
	return cases
}

// specialCases aim at the corners of the algorithm.
func specialCases() []fpCase {
	long := strings.Repeat("abcdefghij", 25)
	return []fpCase{
		{"special/only-newlines", []byte("\n\n\n\n")},
		{"special/only-blanks", []byte("  \t \n\t\t\n   ")},
		{"special/long-line", []byte(long + "\n" + long + "\n")},
		{"special/long-no-newline", []byte(long + long)},
		{"special/window-over-lines", []byte(strings.Repeat("a\n", 150))},
		{"special/repeated-120", []byte(strings.Repeat("ssl_ca = /etc/mysql/ca.pem\n", 120))},
		{"special/repeated-blank-separated", []byte(strings.Repeat("[mysqld]\n\n", 40))},
		{"special/cr-blank-lf", []byte("a\r \nb\r\t\nc\r\r\nd")},
		{"special/bom", []byte("\uFEFF[mysqld]\nssl=1\n")},
		{"special/astral", []byte("# 🔒🔒\n🔒=1\n" + strings.Repeat("🔒", 60) + "\n")},
		{"special/invalid-utf8", []byte("a\xE2\x82b\n\xED\xA0\x80\n\xF0\x9F\x94\n\xC0\xAF\xF4\x90\x80\x80\xFF\n\xE2")},
		{"special/u+ffff", []byte("a\uFFFFb\n\uFFFF\n")},
		{"special/nbsp", []byte("\u00A0a\u00A0\n\u3000b\n\v\fc\n")},
	}
}

// randomFile makes a small file of my.cnf-like, blank, repeated, long and
// odd lines with one kind of line break or a mix of them.
func randomFile(rng *rand.Rand) []byte {
	vocabulary := []string{
		"[mysqld]", "[client]", "[mariadb-10.11]", "ssl_ca = /etc/mysql/ca.pem", "ssl-cert=/etc/mysql/server-cert.pem",
		"tls_version=TLSv1.2,TLSv1.3", "ssl_cipher = ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384",
		"require_secure_transport = ON", "# comment", "; comment", "!include /etc/mysql/conf.d/tls.cnf",
		"!includedir /etc/mysql/conf.d/", "ssl-mode=VERIFY_IDENTITY # want TV101", `password="x y"`, "skip-ssl",
	}
	chars := []rune("aZ09=[]#;!-_.,:/\"' \t\t  é🔒中\u00A0")
	breaks := []string{"\n", "\r\n", "\r"}
	mode := rng.IntN(5) // 0-2: one kind of break, 3: mixed, 4: mixed with blanks between \r and \n
	var lines []string
	for range rng.IntN(12) {
		var line string
		switch k := rng.IntN(10); {
		case k < 4:
			line = strings.Repeat(" ", rng.IntN(3)) + vocabulary[rng.IntN(len(vocabulary))] + strings.Repeat("\t", rng.IntN(2))
		case k == 4:
			line = ""
		case k == 5:
			line = strings.Repeat([]string{" ", "\t"}[rng.IntN(2)], rng.IntN(6))
		case k == 6 && len(lines) > 0:
			line = lines[rng.IntN(len(lines))]
		case k == 7:
			line = randomText(rng, chars, 100+rng.IntN(50))
		default:
			line = randomText(rng, chars, rng.IntN(30))
		}
		lines = append(lines, line)
	}
	var b bytes.Buffer
	if rng.IntN(20) == 0 {
		b.WriteString("\uFEFF")
	}
	for i, line := range lines {
		b.WriteString(line)
		if i == len(lines)-1 && rng.IntN(3) == 0 {
			break // no final line break
		}
		switch {
		case mode < 3:
			b.WriteString(breaks[mode])
		case mode == 4 && rng.IntN(4) == 0:
			b.WriteString("\r \n")
		default:
			b.WriteString(breaks[rng.IntN(3)])
		}
	}
	data := b.Bytes()
	if rng.IntN(20) == 0 && len(data) > 0 {
		// Bytes that are not UTF-8: lone continuation bytes, cut sequences.
		bad := [][]byte{{0x80}, {0xE2, 0x82}, {0xF0, 0x9F}, {0xC3}, {0xFF}, {0xED, 0xA0, 0x80}}
		at := rng.IntN(len(data))
		data = append(data[:at:at], append(bad[rng.IntN(len(bad))], data[at:]...)...)
	}
	return data
}

func randomText(rng *rand.Rand, chars []rune, n int) string {
	r := make([]rune, n)
	for i := range r {
		r[i] = chars[rng.IntN(len(chars))]
	}
	return string(r)
}

// bigCases put line breaks, ill-formed and multi-byte sequences across
// the 64 KiB boundary at which Node reads a file in chunks.
func bigCases() []fpCase {
	const chunk = 64 << 10
	filler := func() []byte {
		return []byte(strings.Repeat(strings.Repeat("x", 40)+"\n", 2*chunk/41+1))
	}
	var cases []fpCase
	for _, tail := range []string{"\r\n", "\xE2\x82A", "\xF0\x9F\x94\x92", "\xE2\x82\xAC", "\xC3\r", "\r\r\n"} {
		for shift := 1; shift < len(tail); shift++ {
			data := filler()
			copy(data[chunk-shift:], tail)
			cases = append(cases, fpCase{fmt.Sprintf("big/%q@-%d", tail, shift), data})
		}
	}
	return cases
}

// javaScript bundles src/fingerprints.ts of the codeql-action checkout in
// TLSVET_CODEQL_ACTION and returns the bundle and the checkout's commit.
func javaScript(t *testing.T) (bundle, commit string) {
	dir := os.Getenv(oracleEnv)
	if dir == "" {
		t.Skip(howTo)
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("%s is set but node is not on PATH: %v", oracleEnv, err)
	}
	bundle = filepath.Join(t.TempDir(), "fingerprints.js")
	cmd := exec.Command(filepath.Join(dir, "node_modules", ".bin", "esbuild"), filepath.Join(dir, "src", "fingerprints.ts"),
		"--bundle", "--platform=node", "--format=cjs", "--log-level=warning", "--outfile="+bundle)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("bundling src/fingerprints.ts (did you run npm ci in %s?): %v\n%s", dir, err, out)
	}
	out, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatalf("git rev-parse in %s: %v", dir, err)
	}
	return bundle, strings.TrimSpace(string(out))
}

func runOracle(t *testing.T, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("node", append([]string{"testdata/fingerprints/oracle.js"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node oracle.js %s: %v\n%s", args[0], err, stderr.Bytes())
	}
	return out
}

// TestLineHashesCodeQLAction runs codeql-action's hash() over every case
// and compares each line with LineHashes; -update writes golden.json.
func TestLineHashesCodeQLAction(t *testing.T) {
	bundle, commit := javaScript(t)
	cases := oracleCases(t, true)
	type input struct {
		Name   string `json:"name"`
		Base64 string `json:"base64"`
	}
	var in []input
	for _, c := range cases {
		in = append(in, input{c.name, base64.StdEncoding.EncodeToString(c.content)})
	}
	inPath := filepath.Join(t.TempDir(), "cases.json")
	writeJSON(t, inPath, in)
	var js map[string][][2]any
	if err := json.Unmarshal(runOracle(t, "hash", bundle, inPath), &js); err != nil {
		t.Fatal(err)
	}
	g := golden{
		Comment:      "Line hashes computed by hash() in codeql-action's src/fingerprints.ts; regenerate with: " + oracleEnv + "=<checkout> go test ./internal/report -run TestLineHashesCodeQLAction -update",
		CodeQLAction: "github.com/github/codeql-action@" + commit,
	}
	lines := 0
	seen := map[string]bool{} // the golden data holds each content once
	for _, c := range cases {
		var want []string
		for i, lh := range js[c.name] {
			if n, _ := lh[0].(float64); int(n) != i+1 {
				t.Fatalf("%s: the JavaScript reported line %v as the %d-th", c.name, lh[0], i+1)
			}
			want = append(want, lh[1].(string))
		}
		got := report.LineHashes(c.content)
		lines += len(want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s (%q): LineHashes differs from the JavaScript:\n%s", c.name, c.content[:min(len(c.content), 80)], diffHashes(got, want))
		}
		if strings.HasPrefix(c.name, "big/") || seen[string(c.content)] {
			continue
		}
		seen[string(c.content)] = true
		gc := goldenCase{Name: c.name, Hashes: want}
		if utf8.Valid(c.content) {
			s := string(c.content)
			gc.Text = &s
		} else {
			gc.Base64 = base64.StdEncoding.EncodeToString(c.content)
		}
		g.Cases = append(g.Cases, gc)
	}
	t.Logf("%d files, %d lines compared with codeql-action@%s", len(cases), lines, commit)
	if *update && !t.Failed() {
		writeJSON(t, goldenPath, g)
		if fi, err := os.Stat(goldenPath); err != nil {
			t.Error(err)
		} else if fi.Size() > 300<<10 {
			t.Errorf("%s has %d bytes; keep it under 300 KB (fewer random files)", goldenPath, fi.Size())
		}
	}
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSARIFFingerprintsCodeQLAction hands tlsvet's SARIF to the action's
// addFingerprints, as upload-sarif does, with the files in a checkout: it
// must log no inconsistent fingerprint, and without tlsvet's fingerprints
// it must compute the same ones.
func TestSARIFFingerprintsCodeQLAction(t *testing.T) {
	bundle, _ := javaScript(t)
	root := t.TempDir()
	var ds []lint.Diagnostic
	for i, c := range oracleCases(t, false) {
		// A name with a blank and a # checks the URI decoding too.
		path := fmt.Sprintf("files/%d/a b#%d.cnf", i, i)
		if err := os.MkdirAll(filepath.Join(root, "files", fmt.Sprint(i)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(path)), c.content, 0o644); err != nil {
			t.Fatal(err)
		}
		f := source.NewFile(path, c.content)
		for line := 1; line <= f.LineCount(); line++ {
			start := f.LineStart(line)
			ds = append(ds, diag(holeRule, f.Span(start, min(start+1, len(f.Content))), "m"))
		}
	}
	var b bytes.Buffer
	if err := report.SARIF(&b, &report.Report{Diagnostics: ds, Rules: []*lint.Rule{holeRule}}); err != nil {
		t.Fatal(err)
	}
	ours := fingerprintsOf(t, b.Bytes())
	if len(ours) != len(ds) {
		t.Fatalf("%d results carry a fingerprint, want %d", len(ours), len(ds))
	}
	// Renaming the key hides tlsvet's fingerprints from the action.
	stripped := bytes.ReplaceAll(b.Bytes(), []byte(`"partialFingerprints"`), []byte(`"hiddenFingerprints"`))
	with, without := addFingerprints(t, bundle, root, b.Bytes()), addFingerprints(t, bundle, root, stripped)
	if len(with.Warnings) > 0 {
		t.Errorf("addFingerprints logged %d warnings on tlsvet's fingerprints, such as %s", len(with.Warnings), with.Warnings[0])
	}
	if got := fingerprintsOf(t, with.Log); !reflect.DeepEqual(got, ours) {
		t.Errorf("addFingerprints changed tlsvet's fingerprints")
	}
	computed := fingerprintsOf(t, without.Log)
	if len(computed) != len(ours) {
		t.Fatalf("addFingerprints computed %d fingerprints, want %d", len(computed), len(ours))
	}
	for i := range ours {
		if computed[i] != ours[i] {
			t.Errorf("result %d: tlsvet wrote %s, addFingerprints computes %s", i, ours[i], computed[i])
		}
	}
	t.Logf("%d results: addFingerprints agrees with every fingerprint", len(ours))
}

type addResult struct {
	Log      json.RawMessage
	Warnings []string
}

// addFingerprints runs the action's addFingerprints over a SARIF log.
func addFingerprints(t *testing.T, bundle, root string, log []byte) addResult {
	t.Helper()
	path := filepath.Join(t.TempDir(), "log.sarif")
	if err := os.WriteFile(path, log, 0o644); err != nil {
		t.Fatal(err)
	}
	var r addResult
	if err := json.Unmarshal(runOracle(t, "add", bundle, path, root), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// fingerprintsOf lists the primaryLocationLineHash of every result.
func fingerprintsOf(t *testing.T, data []byte) []string {
	t.Helper()
	var log struct {
		Runs []struct {
			Results []struct {
				PartialFingerprints map[string]string
			}
		}
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range log.Runs[0].Results {
		if h, ok := r.PartialFingerprints["primaryLocationLineHash"]; ok {
			out = append(out, h)
		}
	}
	return out
}
