// Package secret is tlsvet's one definition of a secret-bearing option
// name. Parsers use it to mark the bytes of secret values on their
// source.File; every output (snippets, messages, fixes, diffs, baseline
// fingerprints, SARIF line hashes) then hides the marked bytes.
package secret

// words are the name parts that say an option holds a secret: password
// and passwd (client option files), MariaDB's ssl_passphrase
// (https://mariadb.com/kb/en/ssl-tls-system-variables/#ssl_passphrase),
// and what applications' groups add: ssl-key-pass, ssl-pass, pwd,
// secret, token.
var words = []string{"pass", "pwd", "secret", "token", "credential"}

// Name reports whether an option named name holds a secret. Case and
// '-' versus '_' do not matter. It matches on parts of the name, so
// loose-password, ssl_key_pass and db-secret-key all count; ssl-key,
// ssl_cert and ssl-ca are paths and do not. Parsers call it for every
// option line, so it neither allocates nor lower-cases the name.
func Name(name string) bool {
	for i := 0; i < len(name); i++ {
		switch name[i] | 0x20 { // ASCII lower case; no other byte becomes a letter
		case 'p', 's', 't', 'c':
			for _, w := range words {
				if hasPrefixFold(name[i:], w) {
					return true
				}
			}
		}
	}
	return false
}

// Reference reports whether a key named name holds the name of a secret
// kept elsewhere, not the secret: compose's services.*.secrets list
// (https://docs.docker.com/reference/compose-file/services/#secrets),
// Kubernetes' secretName and secretKeyRef, a chart's existingSecret.
// Case and '-' versus '_' do not matter.
func Reference(name string) bool {
	var b []byte
	for i := 0; i < len(name); i++ {
		if c := name[i]; c != '-' && c != '_' {
			b = append(b, c|0x20)
		}
	}
	switch string(b) {
	case "secrets", "secretname", "secretkeyref", "secretref", "existingsecret":
		return true
	}
	return false
}

// hasPrefixFold reports whether s starts with the lower-case ASCII word w,
// ignoring case.
func hasPrefixFold(s, w string) bool {
	if len(s) < len(w) {
		return false
	}
	for j := 0; j < len(w); j++ {
		if s[j]|0x20 != w[j] {
			return false
		}
	}
	return true
}
