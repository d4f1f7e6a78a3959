package cli

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/linttest"
	"github.com/tlsvet/tlsvet/internal/load"
	"github.com/tlsvet/tlsvet/internal/rootfs"
)

// TestFixtureSecretsInNoOutput runs tlsvet over every rule fixture and
// the bundled demo and greps every output for every secret the readers
// marked in them (passwords in option files, connection strings, .env,
// properties, YAML, JSON, Go and INI files; the lines of the private keys
// the fixtures generate), and for the private keys found in the fixtures'
// text whether a reader marked them or not (PEM body lines in a key file
// or a YAML value, a Secret's base64 key and the PEM it decodes to):
// text, JSON, SARIF, GitHub,
// --diff (stdout and stderr), a written baseline and --fix's messages. The
// secrets are taken from the readers themselves, so a new reader's
// passwords are covered as soon as it marks them; a fixture's password
// that no reader marks shows up as a finding of the text it leaks into
// only if it is long enough to be told from ordinary words (5 bytes).
func TestFixtureSecretsInNoOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every fixture through every output")
	}
	paths, err := filepath.Glob(filepath.Join(repoRoot(t), "rules", "testdata", "*", "*.txtar"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	checked, withKeys, inYAML, inBase64 := 0, 0, 0, 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files := map[string]string{}
		for _, f := range linttest.Archive(t, data).Files {
			if !strings.HasPrefix(f.Name, "@fixed/") {
				files[f.Name] = string(f.Data)
			}
		}
		dir := writeFiles(t, files)
		secrets := markedSecrets(t, dir)
		bodies, yaml, b64 := keyBodies(files)
		if yaml {
			inYAML++
		}
		if b64 {
			inBase64++
		}
		secrets = append(secrets, bodies...)
		if len(secrets) == 0 {
			continue
		}
		checked++
		if keyLinesMarked(files, secrets) {
			withKeys++
		}
		outputs := map[string]string{}
		for _, format := range []string{"text", "json", "sarif", "github"} {
			_, outputs[format], outputs[format+" stderr"] = run(t, dir, "--format", format, ".")
		}
		_, outputs["--diff"], outputs["--diff stderr"] = run(t, dir, "--diff", ".")
		base := filepath.Join(t.TempDir(), "base.json")
		_, _, outputs["baseline stderr"] = run(t, dir, "baseline", "write", base, ".")
		b, _ := os.ReadFile(base)
		outputs["baseline"] = string(b)
		_, outputs["--fix"], outputs["--fix stderr"] = run(t, dir, "--fix", ".")
		for name, out := range outputs {
			for _, s := range secrets {
				if strings.Contains(out, s) {
					t.Errorf("%s: %s shows the secret %q", filepath.Base(filepath.Dir(p))+"/"+filepath.Base(p), name, s)
				}
			}
		}
	}
	t.Logf("%d fixtures hold secrets, %d of them private keys", checked, withKeys)
	if inYAML < 2 || inBase64 < 2 {
		t.Errorf("%d fixtures write a private key in YAML and %d in base64: inline keys are not covered", inYAML, inBase64)
	}
	if withKeys < 2 {
		t.Errorf("only %d fixtures hold a private key the readers mark: the key rules are not covered", withKeys)
	}
	if checked < 10 {
		t.Errorf("only %d fixtures hold a secret the readers mark: the test checks too little", checked)
	}
}

// markedSecrets loads dir as the CLI does and returns the text of every
// secret the readers marked, at least 5 bytes long.
func markedSecrets(t *testing.T, dir string) []string {
	t.Helper()
	fsys, err := rootfs.Open(dir, rootfs.DefaultMaxFileSize)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	p, err := load.Load(load.Options{FS: fsys, RootDir: dir, Paths: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range p.Files {
		for _, r := range f.SecretRanges(0, len(f.Content)) {
			if s := string(f.Content[r[0]:r[1]]); len(strings.Trim(s, "*\"' ")) >= 5 {
				out = append(out, strings.Trim(s, "\"' "))
			}
		}
	}
	return out
}

// keyLinesMarked reports whether a secret is a body line of a private key
// in one of the files.
func keyLinesMarked(files map[string]string, secrets []string) bool {
	for _, f := range files {
		if !strings.Contains(f, "PRIVATE KEY-----") {
			continue
		}
		for _, s := range secrets {
			if len(s) >= 40 && strings.Contains(f, s) {
				return true
			}
		}
	}
	return false
}

// keyBodies returns the private key text of files, found without the
// readers: every body line of a PEM private key (indented in a YAML block
// or not), and every base64 word that decodes to one, with a part of it
// (an output may cut a long value) and the body lines it decodes to. It
// reports whether a key is written in a YAML file and whether one is
// base64.
func keyBodies(files map[string]string) (bodies []string, yaml, b64 bool) {
	pemBodies := func(text string) []string {
		var out []string
		in := false
		for line := range strings.SplitSeq(text, "\n") {
			l := strings.TrimSpace(line)
			switch {
			case strings.HasPrefix(l, "-----BEGIN ") && strings.Contains(l, "PRIVATE KEY"):
				in = true
			case strings.HasPrefix(l, "-----END "):
				in = false
			case in && len(l) >= 40 && !strings.Contains(l, ":"):
				out = append(out, l)
			}
		}
		return out
	}
	for name, text := range files {
		found := pemBodies(text)
		for word := range strings.FieldsSeq(text) {
			if len(word) < 80 {
				continue
			}
			dec, err := base64.StdEncoding.DecodeString(word)
			if err != nil || !strings.Contains(string(dec), "PRIVATE KEY-----") {
				continue
			}
			b64 = true
			found = append(found, word, word[20:60])
			found = append(found, pemBodies(string(dec))...)
		}
		if len(found) > 0 && (strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) {
			yaml = true
		}
		bodies = append(bodies, found...)
	}
	return bodies, yaml, b64
}
