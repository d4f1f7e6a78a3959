package pki

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/md5"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"errors"
	"net"
	"strings"
	"time"
)

// Reason sorts verification failures the way OpenSSL's verify errors do,
// so that a finding can name the client's error.
type Reason int

const (
	Expired          Reason = iota + 1 // X509_V_ERR_CERT_HAS_EXPIRED
	NotYetValid                        // X509_V_ERR_CERT_NOT_YET_VALID
	UnknownAuthority                   // X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY and kin
	BadSignature                       // X509_V_ERR_CERT_SIGNATURE_FAILURE
)

var reasonText = [...]string{"", "certificate has expired", "certificate is not yet valid", "unable to get local issuer certificate", "certificate signature failure"}

// VerifyError says why a chain does not verify and which certificate is at
// fault.
type VerifyError struct {
	Reason Reason
	Cert   *Cert
}

func (e *VerifyError) Error() string {
	return reasonText[e.Reason] + " (subject CN " + quoteCN(e.Cert.SubjectCN) + ")"
}

func quoteCN(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// maxDepth bounds chain building, like OpenSSL's default verify depth (100)
// but far below it: real MySQL chains have two or three certificates.
const maxDepth = 10

// Verify builds a chain from leaf to one of roots through intermediates
// and checks it at time at. It does its own chain building rather than
// call x509.Certificate.Verify because Go refuses SHA-1 signatures since
// Go 1.18 (https://go.dev/doc/go1.18#sha1), and whether OpenSSL does
// depends on the security level (OpenSSL 3 counts a SHA-1 signature as 63
// bits, so only level 0 accepts it; openssl_test.go checks this): a weak
// signature is judged separately, from WeakSignature.
// Like OpenSSL, an issuer must be a CA (basic constraints) when it is a
// version 3 certificate; name constraints and path lengths are not checked.
//
// On success chain runs from leaf to root. On failure err is a
// *VerifyError and chain holds the part that was built.
func Verify(leaf *Cert, roots, intermediates []*Cert, at time.Time) (chain []*Cert, err error) {
	chain, err = build(leaf, roots, intermediates, nil)
	if err != nil {
		return chain, err
	}
	for _, c := range chain {
		switch {
		case at.Before(c.x.NotBefore):
			return chain, &VerifyError{NotYetValid, c}
		case at.After(c.x.NotAfter):
			return chain, &VerifyError{Expired, c}
		}
	}
	return chain, nil
}

func build(c *Cert, roots, intermediates []*Cert, seen []*Cert) ([]*Cert, error) {
	chain := append(seen[:len(seen):len(seen)], c)
	for _, r := range roots {
		if bytes.Equal(r.x.Raw, c.x.Raw) {
			return chain, nil
		}
	}
	var fail *VerifyError
	if len(chain) <= maxDepth {
		for _, pool := range [][]*Cert{roots, intermediates} {
			for _, p := range pool {
				if !bytes.Equal(p.x.RawSubject, c.x.RawIssuer) || in(chain, p) {
					continue
				}
				if !signedBy(c.x, p.x) {
					fail = &VerifyError{BadSignature, c}
					continue
				}
				full, err := build(p, roots, intermediates, chain)
				if err == nil {
					return full, nil
				}
				if fail == nil || len(full) > len(chain)+1 {
					chain, fail = full, err.(*VerifyError)
				}
			}
		}
	}
	if fail == nil {
		fail = &VerifyError{UnknownAuthority, c}
	}
	return chain, fail
}

func in(chain []*Cert, c *Cert) bool {
	for _, x := range chain {
		if bytes.Equal(x.x.Raw, c.x.Raw) {
			return true
		}
	}
	return false
}

// signedBy reports whether parent signed c and may sign certificates.
func signedBy(c, parent *x509.Certificate) bool {
	err := c.CheckSignatureFrom(parent)
	var weak x509.InsecureAlgorithmError
	if !errors.As(err, &weak) {
		return err == nil
	}
	if parent.Version == 3 && !(parent.BasicConstraintsValid && parent.IsCA) {
		return false
	}
	return weakSignatureFrom(c, parent)
}

// signatureFrom reports whether parent's key verifies c's signature,
// whatever parent may sign.
func signatureFrom(c, parent *x509.Certificate) bool {
	err := parent.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature)
	var weak x509.InsecureAlgorithmError
	if errors.As(err, &weak) {
		return weakSignatureFrom(c, parent)
	}
	return err == nil
}

// Signs reports whether parent signed c and may sign certificates: the
// link a chain file needs between each certificate and the next.
func (c *Cert) Signs(child *Cert) bool {
	return sameName(c.x.RawSubject, child.x.RawIssuer) && signedBy(child.x, c.x)
}

// sameName compares names as X509_NAME_cmp does: by canonical encoding.
func sameName(a, b []byte) bool {
	ca, err1 := canonicalName(a)
	cb, err2 := canonicalName(b)
	return err1 == nil && err2 == nil && bytes.Equal(ca, cb)
}

// weakSignatureFrom checks a SHA-1 or MD5 signature, which Go refuses, by hand.
func weakSignatureFrom(c, parent *x509.Certificate) bool {
	var h crypto.Hash
	switch c.SignatureAlgorithm {
	case x509.SHA1WithRSA, x509.ECDSAWithSHA1:
		h = crypto.SHA1
	case x509.MD5WithRSA:
		h = crypto.MD5
	default:
		return false
	}
	var d []byte
	if h == crypto.SHA1 {
		s := sha1.Sum(c.RawTBSCertificate)
		d = s[:]
	} else {
		s := md5.Sum(c.RawTBSCertificate)
		d = s[:]
	}
	switch pub := parent.PublicKey.(type) {
	case *rsa.PublicKey:
		return c.SignatureAlgorithm != x509.ECDSAWithSHA1 && rsa.VerifyPKCS1v15(pub, h, d, c.Signature) == nil
	case *ecdsa.PublicKey:
		return c.SignatureAlgorithm == x509.ECDSAWithSHA1 && ecdsa.VerifyASN1(pub, d, c.Signature)
	}
	return false
}

// VerifyHostname checks host against c the way Go's crypto/tls does: DNS
// names and IP addresses in the subject alternative names only. Go has
// ignored the Common Name since Go 1.15
// (https://go.dev/doc/go1.15#commonname), so go-sql-driver/mysql clients
// never match it.
func (c *Cert) VerifyHostname(host string) error {
	return c.x.VerifyHostname(host)
}

// VerifyHostnameOpenSSL checks host the way OpenSSL's X509_check_host and
// X509_check_ip_asc do with default flags, which libmysqlclient and
// MariaDB Connector/C use: an IP address matches IP SANs only; a name
// matches DNS SANs and, only when the certificate has no DNS SAN at all,
// the subject Common Name
// (https://docs.openssl.org/3.0/man3/X509_check_host/, "X509_CHECK_FLAG_ALWAYS_CHECK_SUBJECT").
// Wildcards follow Go's rules (a whole left-most label), stricter than
// OpenSSL's default, which also allows partial wildcards ("w*.example.com").
func (c *Cert) VerifyHostnameOpenSSL(host string) error {
	if net.ParseIP(strings.Trim(host, "[]")) != nil || len(c.x.DNSNames) > 0 || c.x.Subject.CommonName == "" {
		return c.x.VerifyHostname(host)
	}
	cn := *c.x
	cn.DNSNames = []string{c.x.Subject.CommonName}
	return cn.VerifyHostname(host)
}
