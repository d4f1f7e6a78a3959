package rules

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/lint"
)

// CertFileMissing notes a certificate, key, CA or CRL file that a setting
// names but the repository does not hold, so tlsvet cannot check it.
var CertFileMissing = &lint.Rule{
	ID:       "TV506",
	Name:     "cert-file-missing",
	Severity: lint.Note,
	Tags:     []string{"tls", "certificates"},
	Doc: lint.Doc{
		Title: "A certificate or key file the repository should hold is missing",
		Why: "tlsvet checks the certificates and keys a configuration names when the files are in the " +
			"repository: a container path maps back to the file a compose bind mount or a Dockerfile COPY " +
			"places there, and a relative path is looked up beside the file that names it. When that file is " +
			"not there, the configuration points at nothing the repository provides: either the path is " +
			"wrong (the server then starts without TLS, or refuses to start) or the file is provisioned at " +
			"deploy time and cannot be checked here. An absolute path no mount or copy maps to the " +
			"repository is taken to be provisioned elsewhere and is not noted.",
		Fix: "Nothing to fix when the file is provisioned at deploy time; otherwise correct the path.",
		Bad: "[mysqld]\nssl_cert=certs/server-cert.pem\nssl_key=certs/server-key.pem\n",
		Good: "-- my.cnf --\n[mysqld]\nssl_cert=certs/server-cert.pem\nssl_key=certs/server-key.pem\n" +
			"-- certs/server-cert.pem --\n(the certificate)\n-- certs/server-key.pem --\n(the key)\n",
		Sources: []string{
			"https://dev.mysql.com/doc/refman/8.4/en/using-encrypted-connections.html",
			"https://docs.docker.com/engine/storage/bind-mounts/",
		},
	},
	Run: runCertFileMissing,
}

func runCertFileMissing(pass *lint.Pass) {
	for _, r := range pass.Project.FileRefs {
		if r.Path != "" || !r.Expected {
			continue
		}
		pass.Report(lint.Diagnostic{Span: r.Setting.ValueOrKey(), Message: fmt.Sprintf(
			"the %s %s is not in the repository where this configuration puts it, so tlsvet cannot check it: "+
				"correct the path, or ignore this note if the file is provisioned at deploy time", r.Role, r.Setting.Value)})
	}
}
