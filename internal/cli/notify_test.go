package cli

import (
	"strings"
	"testing"
)

// TestOtherProgramsFilesAreQuiet: ProxySQL, OpenSSL, keyring and MaxScale
// files named *.cnf get no finding from any rule, only one notification,
// and the run passes even at --fail-on note.
func TestOtherProgramsFilesAreQuiet(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"proxysql.cnf":               "datadir=\"/var/lib/proxysql\"\nadmin_variables=\n{\n\tadmin_credentials=\"admin:admin\"\n}\nmysql_servers =\n(\n\t{ address=\"db1\" , port=3306 , use_ssl=1 }\n)\n",
		"certs/openssl.cnf":          "HOME = .\nRANDFILE = $ENV::HOME/.rnd\n[ req ]\ndistinguished_name = req_distinguished_name\nx509_extensions = v3_ca\n[ req_distinguished_name ]\ncommonName = MySQL CA\n[ v3_ca ]\nbasicConstraints = critical,CA:true\n",
		"component_keyring_file.cnf": "{\n  \"path\": \"/var/lib/mysql-keyring/component_keyring_file\",\n  \"read_only\": false\n}\n",
		"maxscale.cnf":               "[maxscale]\nthreads=auto\n[db1]\ntype=server\naddress=10.0.0.1\nssl=true\n",
	})
	code, out, _ := run(t, dir, "--enable", "TV", "--fail-on", "note", ".")
	want := "note: 4 files are not MySQL option files: certs/openssl.cnf (OpenSSL), component_keyring_file.cnf (JSON), maxscale.cnf (MaxScale), proxysql.cnf (libconfig)\n"
	if code != ExitClean || out != want {
		t.Errorf("exit %d, output:\n%s\nwant exit 0 and:\n%s", code, out, want)
	}
	// Naming one file (pre-commit) narrows the notification to it.
	want = "note: 1 file is not a MySQL option file: proxysql.cnf (libconfig)\n"
	if code, out, _ := run(t, dir, "proxysql.cnf"); code != ExitClean || out != want {
		t.Errorf("named proxysql.cnf: exit %d, output:\n%s\nwant exit 0 and:\n%s", code, out, want)
	}
}

// TestParseProblemOnce: a TV001 finding is not repeated as a notification;
// with TV001 disabled the problem is still told, as a notification that
// does not fail the run.
func TestParseProblemOnce(t *testing.T) {
	dir := writeFiles(t, map[string]string{"my.cnf": "ssl_ca=/etc/mysql/ca.pem\n[mysqld]\n"})
	code, out, _ := run(t, dir, ".")
	if code != ExitFindings || strings.Count(out, "[TV001 parse-error]") != 1 || strings.Contains(out, "my.cnf: warning:") {
		t.Errorf("exit %d, output:\n%s\nwant one TV001 finding and no repeat", code, out)
	}
	code, out, _ = run(t, dir, "--disable", "TV001", ".")
	if code != ExitClean || strings.Contains(out, "TV001") || strings.Count(out, "my.cnf: warning: option without preceding group") != 1 {
		t.Errorf("TV001 disabled: exit %d, output:\n%s\nwant the problem once as a notification", code, out)
	}
}

// TestNamedFilesNotRead: files named on the command line that tlsvet does
// not read are listed in one notification, which changes no exit status.
func TestNamedFilesNotRead(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"README.md":           "# readme\n",
		"deploy/values.yaml":  "tls: true\n",
		"templates/my.cnf.j2": "{{ ansible_managed | comment }}\n[mysqld]\nssl_ca = {{ mysql_ssl_ca }}\n",
	})
	code, out, _ := run(t, dir, "README.md", "deploy/values.yaml", "templates/my.cnf.j2")
	for _, want := range []string{
		"note: 1 file named on the command line was not read: README.md (not a name tlsvet reads)\n",
		"note: 1 file was read as a template (template lines skipped, templated values not judged): templates/my.cnf.j2\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code != ExitClean {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// TestHeaderlessFragment: a file without any group header (Vitess's
// config/mycnf/*.cnf) is a TV001 note, which does not fail the run; an
// option before the first of several groups stays a fatal error.
func TestHeaderlessFragment(t *testing.T) {
	dir := writeFiles(t, map[string]string{"config/mycnf/default.cnf": "# GTID\ngtid_mode = ON\nenforce_gtid_consistency\n"})
	code, out, _ := run(t, dir, ".")
	if code != ExitClean || !strings.Contains(out, "config/mycnf/default.cnf:2:1: note: the file has no [group] header") {
		t.Errorf("exit %d, output:\n%s\nwant exit 0 and a TV001 note", code, out)
	}
	write(t, dir, "config/mycnf/default.cnf", "gtid_mode = ON\n[mysqld]\nlog_bin\n")
	if code, out, _ := run(t, dir, "."); code != ExitFindings || !strings.Contains(out, "error: option without preceding group") {
		t.Errorf("exit %d, output:\n%s\nwant exit 1 and the fatal TV001", code, out)
	}
}
