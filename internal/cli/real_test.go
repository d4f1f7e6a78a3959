package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRealFilesAreQuiet: files shaped like the stock Debian MariaDB
// configuration (my.cnf including /etc/mysql/mariadb.conf.d/, whose
// 50-server.cnf keeps TLS commented out and ends with an empty
// [mariadb-10.5] group), a ProxySQL config and an OpenSSL req config
// (testdata/real) get no warning and no error: only notes and
// information.
func TestRealFilesAreQuiet(t *testing.T) {
	src := filepath.Join(repoRoot(t), "testdata", "real")
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, target := range [][]string{nil, {"--target", "mariadb-11.8.3"}, {"--target", "mariadb-10.11.19"}} {
		code, out, stderr := run(t, dir, append([]string{"--format", "json"}, target...)...)
		if code != ExitClean || stderr != "" {
			t.Fatalf("%v: exit %d, stderr %q\n%s", target, code, stderr, out)
		}
		var doc struct {
			Findings []struct {
				Rule     string `json:"rule"`
				Severity string `json:"severity"`
				Message  string `json:"message"`
			} `json:"findings"`
			Notifications []struct {
				Message string `json:"message"`
				Level   string `json:"level"`
			} `json:"notifications"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		for _, f := range doc.Findings {
			if f.Severity != "note" {
				t.Errorf("%v: %s %s: %s", target, f.Severity, f.Rule, f.Message)
			}
		}
		foreign := false
		for _, n := range doc.Notifications {
			if n.Level != "note" {
				t.Errorf("%v: notification %s: %s", target, n.Level, n.Message)
			}
			foreign = foreign || strings.Contains(n.Message, "openssl/req.cnf (OpenSSL), proxysql/proxysql.cnf (libconfig)")
		}
		if !foreign {
			t.Errorf("%v: no notification lists the OpenSSL and ProxySQL files: %+v", target, doc.Notifications)
		}
	}
}
