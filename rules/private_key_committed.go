package rules

import (
	"github.com/tlsvet/tlsvet/internal/lint"
)

// PrivateKeyCommitted reports a private key that git tracks.
var PrivateKeyCommitted = &lint.Rule{
	ID:               "TV507",
	Name:             "private-key-committed",
	Severity:         lint.Warning,
	SecuritySeverity: "7.5",
	Tags:             []string{"security", "certificates"},
	Doc: lint.Doc{
		Title: "A private key is tracked in the repository",
		Why: "A private key in git is shared with everyone who can read the repository, its forks and its " +
			"history, and stays there after the file is deleted: anyone holding it can impersonate the server " +
			"(or the client whose certificate it belongs to). tlsvet reads `.git/index` directly, so a key " +
			"that is only staged is reported before it is committed. Keys for tests and local development " +
			"are fine to keep: suppress the finding with a reason (`tlsvet:ignore TV507 -- test fixture`) in " +
			"`.tlsvet.toml` or the baseline.",
		Fix: "Remove the key from the repository (and from its history if it was ever pushed), rotate it, and " +
			"provision it at deploy time from a secret store (a Kubernetes Secret, Vault, the CI's secrets).",
		Bad:  "-- .gitignore --\n*.log\n-- certs/client.p12 --\n(a PKCS#12 bundle with its key)\n",
		Good: "-- .gitignore --\n*.p12\n-- certs/client.p12 --\n(a PKCS#12 bundle with its key)\n",
		Sources: []string{
			"https://git-scm.com/docs/index-format",
			"https://docs.github.com/en/code-security/secret-scanning/introduction/about-secret-scanning",
		},
	},
	Run: runPrivateKeyCommitted,
}

func runPrivateKeyCommitted(pass *lint.Pass) {
	for _, k := range pass.Project.KeyFiles {
		if k.Tracked {
			pass.Reportf(k.Span, "%s holds a private key and is %s: everyone who can read the repository can "+
				"impersonate its owner; remove it, rotate the key and provision it from a secret store",
				k.Span.File.Path, k.How)
		}
	}
}
