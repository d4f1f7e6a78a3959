package cli

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/corpus"
)

// runNamed checks the named paths of dir, as the focused run does or
// reading the whole root, and returns the exit code, the JSON report and
// the allocations the run made.
func runNamed(t *testing.T, dir string, wholeRoot bool, args ...string) (int, string, uint64) {
	t.Helper()
	var out, errb bytes.Buffer
	c := &Command{Stdout: &out, Stderr: &errb, Dir: dir, Getenv: func(string) string { return "" }, wholeRoot: wholeRoot}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	code := c.Main(append([]string{"--format", "json", "--max-findings", "0"}, args...))
	runtime.ReadMemStats(&after)
	if code == ExitUsage {
		t.Fatalf("%q: exit %d: %s", args, code, errb.String())
	}
	return code, out.String(), after.Mallocs - before.Mallocs
}

// optionFiles lists the option files (*.cnf) below dir, root-relative.
func optionFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && strings.HasSuffix(p, ".cnf") {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(out)
	return out
}

// TestFocusedRunIsExact names files as pre-commit does and requires the
// report of the focused run (load.Options.Focus: only the server units
// that read the named files) to equal, byte for byte, the report of a
// run that reads the whole root, under both report scopes. On the
// option-file corpus the focused run must also be the cheap one.
func TestFocusedRunIsExact(t *testing.T) {
	if testing.Short() {
		t.Skip("generates corpora and checks them many times")
	}
	type tree struct {
		name   string
		gen    func(t *testing.T, dir string) error
		cheap  bool     // the focused run reads a small part of the root
		always []string // named in every set, besides random option files
		from   string   // the random option files lie below this directory ("" for anywhere)
	}
	trees := []tree{
		{"option files", func(_ *testing.T, dir string) error { _, err := corpus.Generate(dir, 1000, 1); return err }, true, nil, ""},
		{"certificates (shared file names: the whole root)", func(_ *testing.T, dir string) error { _, err := corpus.GenerateCerts(dir, 300, 1); return err }, false, nil, ""},
		{"every kind, a compose file named (the whole root)", func(_ *testing.T, dir string) error { _, err := corpus.GenerateMixed(dir, 600, 1); return err }, false,
			[]string{"mix1/prj0003/compose.yaml"}, ""},
		// Deployment files that place none of the named files leave the
		// focus alone.
		{"every kind, option files named", func(_ *testing.T, dir string) error { _, err := corpus.GenerateMixed(dir, 600, 1); return err }, true,
			nil, "mix0/"},
		{"include shapes", shapesWith(nil, nil), false, nil, ""},
		// Two servers name one certificate: findings on it name both
		// readers, so naming one server's file reads the whole root.
		{"a shared certificate", shapesWith(map[string]string{
			"s1/my.cnf":        "[mysqld]\nssl_cert=../certs/server.pem\nssl_key=../certs/server.pem\n",
			"s2/my.cnf":        "[mysqld]\nssl_cert=../certs/server.pem\ntls_version=TLSv1.3\n",
			"certs/server.pem": "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n",
		}, nil), false, []string{"s1/my.cnf"}, ""},
		// Symbolic links: a directory linked inside the root (not walked,
		// a notice), a file reached through a link (read once, under its
		// real path), an include through a linked directory.
		{"symbolic links", shapesWith(map[string]string{
			"m/my.cnf": "[mysqld]\n!include ../la/conf.d/10-tls.cnf\nssl_cipher=RC4-SHA\n",
		}, map[string]string{"la": "a", "m/alias.cnf": "my.cnf", "n/tls.cnf": "../shared/tls.cnf"}), false, []string{"m/my.cnf"}, ""},
		// A compose file that mounts its own directory, or the root, places
		// the option files in it.
		{"a directory mounted whole", shapesWith(map[string]string{
			"p/compose.yaml": "services:\n  db:\n    image: mysql:8.0.36\n    volumes:\n      - .:/etc/mysql/conf.d\n",
			"p/tls.cnf":      "[mysqld]\ntls_version=TLSv1\n",
			"compose.yaml":   "services:\n  db:\n    image: mariadb:10.11\n    volumes: [\".:/etc/mysql\"]\n",
		}, nil), false, nil, "p/"},
	}
	for _, tr := range trees {
		t.Run(tr.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := tr.gen(t, dir); err != nil {
				t.Fatal(err)
			}
			files := slices.DeleteFunc(optionFiles(t, dir), func(f string) bool { return !strings.HasPrefix(f, tr.from) })
			r := rand.New(rand.NewSource(1))
			for set := 0; set < 6; set++ {
				named := slices.Clone(tr.always)
				for k := 0; k < 5 && len(files) > 0; k++ {
					named = append(named, files[r.Intn(len(files))])
				}
				if set == 5 && len(files) > 1 {
					named = files // every option file
				}
				for _, scope := range []string{"changed", "named"} {
					args := append([]string{"--report", scope}, named...)
					wc, whole, wa := runNamed(t, dir, true, args...)
					fc, focused, fa := runNamed(t, dir, false, args...)
					if wc != fc || whole != focused {
						t.Fatalf("%s %q: the focused run differs (exit %d, want %d):\n%s", scope, named, fc, wc, diffLines(whole, focused))
					}
					if tr.cheap && set < 5 && fa*4 > wa {
						t.Errorf("%s %q: the focused run made %d allocations, the whole-root run %d: it did not focus", scope, named, fa, wa)
					}
				}
			}
		})
	}
}

// shapesWith writes includeShapes, then files (name → text) and symbolic
// links (name → target).
func shapesWith(files, links map[string]string) func(t *testing.T, dir string) error {
	return func(t *testing.T, dir string) error {
		for name, text := range includeShapes {
			write(t, dir, name, text)
		}
		for name, text := range files {
			write(t, dir, name, text)
		}
		for link, target := range links {
			p := filepath.Join(dir, filepath.FromSlash(link))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.Symlink(target, p); err != nil {
				return err
			}
		}
		return nil
	}
}

// includeShapes are include graphs whose focused reading could go wrong:
// a fragment included by a file elsewhere, a chain, a cycle, a directory
// read as one unit without an includer, an absolute include, one that
// climbs out of its directory, a path with a comment in it, the last line
// without a newline, CRLF lines, and two servers naming one certificate.
var includeShapes = map[string]string{
	"a/my.cnf":                      "[mysqld]\nssl_cert=server.pem\n!include ../shared/tls.cnf\n!includedir conf.d\n",
	"a/conf.d/10-tls.cnf":           "[mysqld]\ntls_version=TLSv1,TLSv1.2\n",
	"a/conf.d/20-more.cnf":          "[mysqld]\n!include ../../chain/one.cnf\nssl_cipher=RC4-MD5\n",
	"a/conf.d/notes.txt":            "!include ../../b/my.cnf\n",
	"shared/tls.cnf":                "[mysqld]\nrequire_secure_transport=ON\n",
	"chain/one.cnf":                 "[mysqld]\n!include two.cnf\n",
	"chain/two.cnf":                 "[mysqld]\n!include one.cnf\ntls_version=TLSv1.1\n",
	"b/my.cnf":                      "[mysqld]\nssl_cert=b-server.pem\n!include /etc/mysql/conf.d/x.cnf\n[client]\nssl-mode=DISABLED\n",
	"c/mysql.conf.d/mysqld.cnf":     "[mysqld]\ntls_version=TLSv1.2,TLSv1.3\n",
	"c/mysql.conf.d/tls.cnf":        "[mysqld]\nssl_cipher=ECDHE-RSA-AES128-GCM-SHA256:DES-CBC3-SHA\n",
	"c/mysql.conf.d/client.cnf":     "[client]\nssl-mode=PREFERRED\ntls-version=TLSv1\n",
	"d/my.cnf":                      "[mysqld]\n!include tls.cnf # the comment is part of the path\n!include   tls.cnf   \r\n!includedir sub",
	"d/tls.cnf":                     "[mysqld]\r\ntls_version=TLSv1.3\r\n",
	"d/sub/x.cnf":                   "[mysqld]\nssl_cipher=NULL-MD5\n",
	"d/subx.cnf":                    "[mysqld]\ntls_version=\n",
	"e/my.cnf":                      "[mysqld]\n!include ~/.my.cnf\n!include ../../outside.cnf\ntls_version=TLSv1.0\n",
	"f/deep/deeper/my.cnf":          "[client]\nssl-mode=VERIFY_IDENTITY\n!include ../../../a/conf.d/10-tls.cnf\n",
	"g/my.cnf.j2":                   "[mysqld]\ntls_version={{ tls }}\nssl_cipher=RC4-SHA\n",
	"a/server.pem":                  "not a certificate\n",
	"h/mysqld_safe.cnf":             "[mysqld_safe]\nssl_cert=/x.pem\n",
	"i/my.cnf":                      "[mysqld]\n! includedir  conf.d\n",
	"i/conf.d/only.cnf":             "[mysqld]\ntls_version=TLSv1.2, TLSv1.3\n",
	"j/nested/a.cnf":                "[mysqld]\n!include ../b.cnf\n",
	"j/b.cnf":                       "[mysqld]\nssl_cipher=EXP-RC4-MD5\n",
	"k/conf.d/looks-included.cnf":   "[mysqld]\ntls_version=TLSv1.1\n",
	"k/conf.d/also.cnf":             "[mysqld]\nssl_cert=\n",
	"l/includes-nothing-really.cnf": "[mysqld]\n#!include ../k/conf.d/also.cnf\nskip-ssl\n",
}

// diffLines shows the first lines on which a and b differ.
func diffLines(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < max(len(al), len(bl)) && len(out) < 10; i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, fmt.Sprintf("line %d:\n  whole:   %s\n  focused: %s", i+1, x, y))
		}
	}
	return strings.Join(out, "\n")
}
