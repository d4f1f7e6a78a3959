package facts

import "fmt"

// CertCheck is what one client's checks of the server certificate find.
// facts does no cryptography: the caller reads the certificates and
// answers for that client, against what it trusts (its CA, or the system
// store) and for the name it checks.
type CertCheck struct {
	// Chain: Yes when the chain the server sends leads to a certificate
	// the client trusts, No when it does not (Untrusted then says why in
	// OpenSSL's words: "self-signed certificate in certificate chain",
	// "unable to get local issuer certificate"), Maybe when what the client
	// trusts is not known (the system store).
	Chain     Tri
	Untrusted string
	// Expired is OpenSSL's "certificate has expired" or "certificate is
	// not yet valid" when a certificate of the chain is outside its
	// validity ("" otherwise); LeafExpired when the server's own is.
	Expired     string
	LeafExpired bool
	// Misnamed says why the certificate does not name the host the client
	// connects to, by the family's rules (Go: subject alternative names
	// only; OpenSSL: the CN too when there is no DNS SAN); "" when it does.
	Misnamed string
}

// CertProblem is what a client refused of the server certificate.
type CertProblem uint8

// Certificate problems.
const (
	CertOK        CertProblem = iota
	CertUntrusted             // it does not chain to what the client trusts
	CertExpired               // it, or a certificate of its chain, is outside its validity
	CertMisnamed              // it does not name the host
)

// certStep is one of a client's checks of the certificate, in the order
// the client runs them.
type certStep struct {
	problem CertProblem
	fails   Tri
	why     string
}

// verify applies the client's checks of the server certificate to an
// agreed handshake. Which checks run: the chain and the validity when
// the mode verifies, or for Connector/C whenever a CA is given (it sets
// SSL_VERIFY_PEER then; observed, config 26: --ssl-ca with the wrong CA
// fails without --ssl-verify-server-cert); the host name in
// VERIFY_IDENTITY. Their order decides the error:
//   - crypto/tls checks the leaf's validity, then the host name, then builds
//     the chain (x509.Certificate.Verify,
//     https://github.com/golang/go/blob/go1.26.0/src/crypto/x509/verify.go;
//     observed, config 26: tls=true reports the missing IP SAN, not the
//     unknown authority);
//   - OpenSSL builds the chain, then checks the validity of each
//     certificate in it (X509_verify_cert,
//     https://github.com/openssl/openssl/blob/openssl-3.0.0/crypto/x509/x509_vfy.c;
//     observed, config 13: the expired certificate with the wrong CA gives
//     "self-signed certificate in certificate chain"); libmysqlclient and
//     Connector/C compare the host name after the handshake (config 26:
//     "Validation of SSL server certificate failed").
//
// A MariaDB 11.4+ client that verifies only by default, without a CA,
// accepts a certificate it cannot verify when the authentication plugin
// is MitM-safe (MDB-ZERO).
func (n *nego) verify(o Outcome, mode TLSMode) Outcome {
	c := n.c
	if !mode.verifies() && !(c.CA && c.Family == ClientMariaDB) {
		if mode != ModeDisabled {
			o.Steps = append(o.Steps, "the client does not verify the server certificate")
		}
		return o
	}
	if c.Family == ClientMariaDB && c.Mode == ModeDefault && !c.CA {
		if mitmSafePlugins[c.Plugin] {
			o.Steps = append(o.Steps, fmt.Sprintf("MariaDB 11.4+ verifies by default, and accepts a certificate it cannot verify because %s is MitM-safe (SrcMDBZero)", c.Plugin))
			return o
		}
		if c.Cert == nil || c.Cert.Chain != Yes {
			return cannot(fmt.Sprintf("MariaDB 11.4+ verifies by default against the system store; it accepts a self-signed certificate only with a MitM-safe authentication plugin (mysql_native_password, ed25519, parsec), and the plugin is %s",
				orDefault(c.Plugin, "unknown")))
		}
	}
	against := map[bool]string{true: "its CA", false: "the system store"}[c.CA]
	k := c.Cert
	if k == nil {
		o.Steps = append(o.Steps, "the client verifies the server certificate against "+against)
		why := "whether the client accepts the server certificate cannot be told: the certificate, or the CA it is checked against, is not in the repository"
		o.Class, o.Why = CannotTell, why
		return o
	}
	name := mode == ModeVerifyIdentity
	checks := n.certSteps(*k, name)
	o.Steps = append(o.Steps, fmt.Sprintf("the client checks the server certificate against %s%s", against,
		map[bool]string{true: ", and that it names " + fmt.Sprintf("%q", c.Host)}[name]))
	unknown := ""
	for _, s := range checks {
		switch s.fails {
		case Maybe:
			if unknown == "" {
				unknown = s.why
			}
		case Yes:
			o.Steps = append(o.Steps, "it fails: "+s.why)
			return n.rejected(o, s, unknown)
		}
	}
	if unknown != "" {
		o.Class, o.Why = CannotTell, "whether the client accepts the server certificate cannot be told: "+unknown
		return o
	}
	o.Steps = append(o.Steps, "the certificate passes the client's checks")
	return o
}

// certSteps lists the client's checks in the order its library runs them.
func (n *nego) certSteps(k CertCheck, name bool) []certStep {
	chain := certStep{CertUntrusted, No, ""}
	switch k.Chain {
	case No:
		chain.fails, chain.why = Yes, k.Untrusted
	case Maybe:
		chain.fails, chain.why = Maybe, "whether the system store trusts the certificate's issuer is not known"
	}
	expired := certStep{CertExpired, No, ""}
	if k.Expired != "" {
		expired.fails, expired.why = Yes, k.Expired
	}
	named := certStep{CertMisnamed, No, ""}
	if name && k.Misnamed != "" {
		named.fails, named.why = Yes, k.Misnamed
	}
	if n.c.Family == ClientGo {
		leaf := certStep{CertExpired, No, ""}
		if k.LeafExpired {
			leaf = expired
		}
		return []certStep{leaf, named, chain, expired}
	}
	return []certStep{chain, expired, named}
}

// rejected is the failure of check s, in the client's words. unknown is
// an earlier check whose result is not known: the client may report that
// one instead, so the words are left out.
func (n *nego) rejected(o Outcome, s certStep, unknown string) Outcome {
	o.Class, o.CertProblem, o.CertWhy, o.Why, o.Cipher, o.CipherWhy = CertificateRejected, s.problem, s.why, s.why, "", ""
	switch n.c.Family {
	case ClientMariaDB:
		why := s.why
		if s.problem == CertMisnamed {
			why = "Validation of SSL server certificate failed"
		}
		o.Code, o.Error = ErrSSLConnection, "ERROR 2026 (HY000): TLS/SSL error: "+why
	case ClientMySQL:
		o.Code = ErrSSLConnection
	case ClientGo:
		// crypto/tls's CertificateVerificationError wraps x509's error
		// (https://github.com/golang/go/blob/go1.26.0/src/crypto/tls/common.go).
		switch s.problem {
		case CertUntrusted:
			o.Error = "tls: failed to verify certificate: x509: certificate signed by unknown authority"
		case CertExpired:
			o.Error = "tls: failed to verify certificate: x509: certificate has expired or is not yet valid"
		case CertMisnamed:
			o.Error = "tls: failed to verify certificate: " + s.why
		}
	}
	if unknown != "" {
		o.Error = ""
		o.Why += " (unless the client first fails because " + unknown + ")"
	}
	return o
}

// rejectedAnyway turns an outcome the model cannot tell (the protocols,
// the cipher, whether the server has TLS) into CertificateRejected when
// the client verifies and would reject the certificate: a verifying client
// never falls back to plaintext, so it fails either way, on the handshake
// or on the certificate. Not when the client might not use TLS at all (a
// local socket of a family whose behaviour there is unknown) or the mode
// is unknown. The words are left out: which failure comes first is not
// known.
func (n *nego) rejectedAnyway(o Outcome) Outcome {
	c := n.c
	mode, _, ok := n.mode()
	switch {
	case !ok || !mode.verifies() || c.Cert == nil:
		return o
	case c.Transport != TransportTCP && c.Family != ClientMySQL && c.Family != ClientMariaDB:
		return o
	case c.Family == ClientMariaDB && c.Mode == ModeDefault && !c.CA:
		return o // MitM-safe plugins (verify)
	}
	r := n.verify(Outcome{Class: Agree, Certificate: true}, mode)
	if r.Class != CertificateRejected {
		return o
	}
	r.Error = ""
	r.Why += " (unless the handshake fails first: " + o.Why + ")"
	r.Steps = append(o.Steps, r.Steps...)
	return r
}
