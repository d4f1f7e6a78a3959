// Package pki reads certificate, key, CSR and CRL files as MySQL and
// MariaDB find them on disk (PEM, or DER by mistake) and records where
// each block is, so that findings can point into the file.
//
// It never keeps or exposes key material: a private key is parsed only to
// learn its type, size and public half, then dropped; no exported field,
// String method or Problem holds key bytes, PEM bodies or file text.
// Values that refer to parsed data keep it behind unexported pointers,
// which fmt prints as addresses.
package pki

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"net"
	"slices"
	"time"

	"github.com/tlsvet/tlsvet/internal/source"
)

// File is what one file holds.
type File struct {
	Blocks   []Block
	Problems []Problem
	// DER is true when the file is one binary DER body, not PEM: OpenSSL's
	// PEM readers, which MySQL and MariaDB use for ssl_cert, ssl_key and
	// ssl_ca, do not read it.
	DER bool
}

// Kind is what a block holds.
type Kind int

const (
	Unknown Kind = iota
	Certificate
	CSR
	PrivateKey
	PublicKey
	CRL
)

var kindNames = [...]string{"unknown", "certificate", "certificate request", "private key", "public key", "CRL"}

func (k Kind) String() string { return kindNames[k] }

// Block is one PEM block or the DER body of the file. At most one of
// Cert, Request, Key and List is set, and only when the body parsed.
type Block struct {
	Span source.Span // BEGIN line to the end of the END line; the whole file for DER
	// Type is the PEM label ("CERTIFICATE"), or "" for DER and for a
	// label that is not upper-case letters, digits and spaces.
	Type    string
	Kind    Kind
	Cert    *Cert
	Request *Request
	Key     *Key
	List    *RevocationList
}

// Cert is a parsed certificate.
type Cert struct {
	Span      source.Span // its block
	SubjectCN string
	IssuerCN  string
	DNSNames  []string
	IPs       []net.IP
	NotBefore time.Time
	NotAfter  time.Time
	PublicKeyInfo
	// SignatureAlgorithm as crypto/x509 names it ("SHA256-RSA").
	SignatureAlgorithm string
	// WeakSignature is "SHA-1", "MD5" or "MD2" when the issuer signed
	// with that hash, else "".
	WeakSignature string
	IsCA          bool
	// Subject and Issuer are the distinguished names as RFC 4514 strings.
	Subject, Issuer string
	// SubjectHash is OpenSSL's hash of the subject (NameHash) in hex, the
	// name a hashed CA directory gives the certificate ("3387b84d");
	// "" when the name cannot be hashed.
	SubjectHash string
	// HasEKU is false when the certificate has no extended key usage
	// extension, which allows every usage (RFC 5280 section 4.2.1.12).
	// ServerAuth and ClientAuth say whether OpenSSL's sslserver and
	// sslclient purposes accept the extension (check_purpose_ssl_server in
	// crypto/x509/v3_purp.c also takes the two Server Gated Crypto usages,
	// and neither takes anyExtendedKeyUsage alone); ExtKeyUsage names the
	// usages, for messages.
	HasEKU, ServerAuth, ClientAuth bool
	ExtKeyUsage                    []string
	SelfIssued                     bool   // subject and issuer names are equal
	SubjectKeyID, AuthorityKeyID   string // hex, "" when absent
	// SelfSigned: OpenSSL takes it for self-signed without checking the
	// signature (X509_self_signed(x, 0), see selfSigned), so it never
	// looks for another issuer. OwnSignature: its own key verifies its
	// signature (checked for self-signed ones only; false for the rest).
	SelfSigned, OwnSignature bool

	x *x509.Certificate
}

// PublicKeyInfo describes a public key.
type PublicKeyInfo struct {
	KeyType string // "RSA", "ECDSA", "Ed25519", or "" when unknown
	Bits    int    // RSA modulus size or EC curve size; 0 when unknown
	Curve   string // "P-256" for ECDSA
}

// Request is a parsed certificate signing request.
type Request struct {
	SubjectCN string
	DNSNames  []string
	IPs       []net.IP
	PublicKeyInfo
}

// Key is a private or public key. For a private key only the public half
// is kept.
type Key struct {
	Private bool
	// Format is "PKCS#1", "PKCS#8", "SEC1" or "PKIX".
	Format string
	// Encrypted keys ("ENCRYPTED PRIVATE KEY", or a legacy
	// "Proc-Type: 4,ENCRYPTED" header) need a passphrase; their type and
	// size are known only from the legacy label ("RSA PRIVATE KEY").
	Encrypted bool
	PublicKeyInfo

	pub *publicKey
}

type publicKey struct{ k crypto.PublicKey }

// RevocationList is a parsed CRL.
type RevocationList struct {
	IssuerCN string
	// IssuerHash is OpenSSL's hash of the issuer name in hex, the name a
	// hashed CRL directory gives the list ("<hash>.r0"); "" when the name
	// cannot be hashed.
	IssuerHash string
	ThisUpdate time.Time
	NextUpdate time.Time // zero when absent
}

// ProblemKind sorts problems so that rules need not match messages.
type ProblemKind int

const (
	Empty        ProblemKind = iota + 1 // no bytes but white space
	NoPEM                               // text without any PEM block
	Truncated                           // BEGIN without END
	Malformed                           // bad base64, headers or END label
	TrailingData                        // non-blank bytes after the last block
	DERFile                             // the file is DER, not PEM
	Unparseable                         // the block's body is not a valid object of its label
)

// Problem is something wrong with the file. Msg never quotes the file.
type Problem struct {
	Kind ProblemKind
	Span source.Span
	Msg  string
}

func (p Problem) Error() string {
	pos := p.Span.StartPos()
	return fmt.Sprintf("%s:%d:%d: %s", p.Span.File.Path, pos.Line, pos.Col, p.Msg)
}

// Certs returns the parsed certificates in file order.
func (f *File) Certs() []*Cert {
	var cs []*Cert
	for _, b := range f.Blocks {
		if b.Cert != nil {
			cs = append(cs, b.Cert)
		}
	}
	return cs
}

// Keys returns the private keys in file order, encrypted ones included.
func (f *File) Keys() []*Key {
	var ks []*Key
	for _, b := range f.Blocks {
		if b.Key != nil && b.Key.Private {
			ks = append(ks, b.Key)
		}
	}
	return ks
}

var (
	beginMark = []byte("-----BEGIN ")
	endMark   = []byte("-----END ")
	dashes    = []byte("-----")
)

// Read reads f. Like OpenSSL's PEM reader (get_name in crypto/pem/pem_lib.c,
// https://github.com/openssl/openssl/blob/openssl-3.0.0/crypto/pem/pem_lib.c),
// it takes a block to start at a line beginning "-----BEGIN " and skips
// other text before and between blocks, as in bundles with comments;
// text after the last block is reported (TrailingData) because it often
// means a file was cut or concatenated badly, though OpenSSL ignores it.
//
// Read is linear in the file's size: each search for a marker starts
// where the previous one stopped or reuses its result.
func Read(f *source.File) *File {
	r := &File{}
	c := f.Content
	if len(bytes.TrimSpace(c)) == 0 {
		r.problem(Empty, f.Span(0, len(c)), "the file is empty")
		return r
	}
	if bytes.Index(c, beginMark) < 0 && c[0] == 0x30 {
		r.DER = true
		b := Block{Span: f.Span(0, len(c))}
		parseDER(r, &b, c)
		r.Blocks = append(r.Blocks, b)
		r.problem(DERFile, b.Span, "the file is DER (binary), not PEM: convert it with openssl x509 -inform der (or openssl pkey -inform der)")
		return r
	}
	pos := 0
	nextEnd := -2 // offset of the next "-----END " at a line start at or after pos; -1 none; -2 not searched
	for {
		b := markAt(c, pos, beginMark)
		if b < 0 {
			break
		}
		lineEnd := eol(c, b)
		label, ok := label(c[b+len(beginMark) : lineEnd])
		if !ok {
			r.problem(Malformed, f.Span(b, lineEnd), "a PEM BEGIN line without a closing \"-----\"")
			pos = lineEnd
			continue
		}
		if nextEnd != -1 && nextEnd < lineEnd {
			nextEnd = markAt(c, lineEnd, endMark)
		}
		if nextEnd < 0 {
			r.problem(Truncated, f.Span(b, len(c)), "a PEM block is truncated: BEGIN without END")
			return r
		}
		// A BEGIN before the END means this block lost its end.
		if nb := markAt(c[:nextEnd], lineEnd, beginMark); nb >= 0 {
			r.problem(Truncated, f.Span(b, nb), "a PEM block is truncated: another BEGIN comes before its END")
			pos = nb
			continue
		}
		end := eol(c, nextEnd)
		if end < len(c) && c[end] == '\r' {
			end++
		}
		if end < len(c) && c[end] == '\n' {
			end++
		}
		blk := Block{Span: f.Span(b, end), Type: label, Kind: kinds[label]}
		pos, nextEnd = end, -2
		p, rest := pem.Decode(c[b:end])
		if p == nil || len(bytes.TrimSpace(rest)) > 0 {
			r.problem(Malformed, blk.Span, "a PEM block cannot be decoded: bad base64, headers or END line")
			r.Blocks = append(r.Blocks, blk)
			continue
		}
		parsePEM(r, &blk, p)
		r.Blocks = append(r.Blocks, blk)
	}
	switch {
	case len(r.Blocks) == 0 && len(r.Problems) == 0:
		r.problem(NoPEM, f.Span(0, len(c)), "the file has no PEM block")
	case pos < len(c) && len(bytes.TrimSpace(c[pos:])) > 0 && len(r.Blocks) > 0:
		r.problem(TrailingData, f.Span(pos, len(c)), "data after the last PEM block")
	}
	return r
}

func (r *File) problem(k ProblemKind, s source.Span, msg string) {
	r.Problems = append(r.Problems, Problem{Kind: k, Span: s, Msg: msg})
}

// markAt returns the offset of the first mark at the start of a line at
// or after from, or -1.
func markAt(c []byte, from int, mark []byte) int {
	for from < len(c) {
		i := bytes.Index(c[from:], mark)
		if i < 0 {
			return -1
		}
		i += from
		if i == 0 || c[i-1] == '\n' || c[i-1] == '\r' {
			return i
		}
		from = i + 1
	}
	return -1
}

// eol returns the offset of the line terminator of the line holding i.
func eol(c []byte, i int) int {
	if j := bytes.IndexAny(c[i:], "\r\n"); j >= 0 {
		return i + j
	}
	return len(c)
}

// label returns the label of a BEGIN line after "-----BEGIN ", and
// whether the line is well formed. A label outside [A-Z0-9 ] (at most
// 64 bytes) is returned as "" so that no file text leaks through it.
func label(rest []byte) (string, bool) {
	l, ok := bytes.CutSuffix(bytes.TrimRight(rest, " \t"), dashes)
	if !ok {
		return "", false
	}
	if len(l) > 64 {
		return "", true
	}
	for _, ch := range l {
		if !(ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == ' ') {
			return "", true
		}
	}
	return string(l), true
}

func parsePEM(r *File, b *Block, p *pem.Block) {
	bad := func(what string) {
		r.problem(Unparseable, b.Span, "the "+what+" in this PEM block cannot be parsed")
	}
	legacyEncrypted := p.Headers["Proc-Type"] == "4,ENCRYPTED"
	switch p.Type {
	case "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE":
		der := p.Bytes
		if p.Type == "TRUSTED CERTIFICATE" {
			// OpenSSL appends its trust settings after the certificate.
			var v asn1.RawValue
			if _, err := asn1.Unmarshal(der, &v); err == nil {
				der = v.FullBytes
			}
		}
		x, err := x509.ParseCertificate(der)
		if err != nil {
			bad("certificate")
			return
		}
		b.Cert = newCert(x, b.Span)
	case "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST":
		x, err := x509.ParseCertificateRequest(p.Bytes)
		if err != nil {
			bad("certificate request")
			return
		}
		b.Request = &Request{SubjectCN: x.Subject.CommonName, DNSNames: x.DNSNames, IPs: x.IPAddresses, PublicKeyInfo: describe(x.PublicKey)}
	case "RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY":
		k := &Key{Private: true, Format: map[string]string{"RSA PRIVATE KEY": "PKCS#1", "EC PRIVATE KEY": "SEC1"}[p.Type]}
		if k.Format == "" {
			k.Format = "PKCS#8"
		}
		b.Key = k
		if legacyEncrypted || p.Type == "ENCRYPTED PRIVATE KEY" {
			k.Encrypted = true
			k.KeyType = map[string]string{"RSA PRIVATE KEY": "RSA", "EC PRIVATE KEY": "ECDSA"}[p.Type]
			return
		}
		pub, ok := privatePublic(p.Type, p.Bytes)
		if !ok {
			b.Key = nil
			bad("private key")
			return
		}
		k.setPublic(pub)
	case "PUBLIC KEY", "RSA PUBLIC KEY":
		var pub crypto.PublicKey
		var err error
		format := "PKIX"
		if p.Type == "RSA PUBLIC KEY" {
			format = "PKCS#1"
			pub, err = x509.ParsePKCS1PublicKey(p.Bytes)
		} else {
			pub, err = x509.ParsePKIXPublicKey(p.Bytes)
		}
		if err != nil {
			bad("public key")
			return
		}
		b.Key = &Key{Format: format}
		b.Key.setPublic(pub)
	case "X509 CRL":
		l, err := x509.ParseRevocationList(p.Bytes)
		if err != nil {
			bad("CRL")
			return
		}
		b.List = newList(l)
	}
}

func newList(l *x509.RevocationList) *RevocationList {
	r := &RevocationList{IssuerCN: l.Issuer.CommonName, ThisUpdate: l.ThisUpdate, NextUpdate: l.NextUpdate}
	if h, err := NameHash(l.RawIssuer); err == nil {
		r.IssuerHash = fmt.Sprintf("%08x", h)
	}
	return r
}

// kinds maps the PEM labels OpenSSL writes (crypto/pem/pem.h PEM_STRING_*)
// to what they hold.
var kinds = map[string]Kind{
	"CERTIFICATE": Certificate, "X509 CERTIFICATE": Certificate, "TRUSTED CERTIFICATE": Certificate,
	"CERTIFICATE REQUEST": CSR, "NEW CERTIFICATE REQUEST": CSR,
	"RSA PRIVATE KEY": PrivateKey, "EC PRIVATE KEY": PrivateKey, "PRIVATE KEY": PrivateKey, "ENCRYPTED PRIVATE KEY": PrivateKey,
	"PUBLIC KEY": PublicKey, "RSA PUBLIC KEY": PublicKey,
	"X509 CRL": CRL,
}

// parseDER tries each kind a DER file may hold.
func parseDER(r *File, b *Block, der []byte) {
	if x, err := x509.ParseCertificate(der); err == nil {
		b.Kind, b.Cert = Certificate, newCert(x, b.Span)
		return
	}
	if x, err := x509.ParseCertificateRequest(der); err == nil {
		b.Kind = CSR
		b.Request = &Request{SubjectCN: x.Subject.CommonName, DNSNames: x.DNSNames, IPs: x.IPAddresses, PublicKeyInfo: describe(x.PublicKey)}
		return
	}
	for _, t := range []struct{ label, format string }{{"PRIVATE KEY", "PKCS#8"}, {"RSA PRIVATE KEY", "PKCS#1"}, {"EC PRIVATE KEY", "SEC1"}} {
		if pub, ok := privatePublic(t.label, der); ok {
			b.Kind, b.Key = PrivateKey, &Key{Private: true, Format: t.format}
			b.Key.setPublic(pub)
			return
		}
	}
	if pub, err := x509.ParsePKIXPublicKey(der); err == nil {
		b.Kind, b.Key = PublicKey, &Key{Format: "PKIX"}
		b.Key.setPublic(pub)
		return
	}
	if l, err := x509.ParseRevocationList(der); err == nil {
		b.Kind = CRL
		b.List = newList(l)
	}
}

// privatePublic parses a private key of the given PEM label and returns
// only its public half; the private key goes out of scope here.
func privatePublic(label string, der []byte) (crypto.PublicKey, bool) {
	var priv any
	var err error
	switch label {
	case "RSA PRIVATE KEY":
		priv, err = x509.ParsePKCS1PrivateKey(der)
	case "EC PRIVATE KEY":
		priv, err = x509.ParseECPrivateKey(der)
	default:
		priv, err = x509.ParsePKCS8PrivateKey(der)
	}
	if err != nil {
		return nil, false
	}
	s, ok := priv.(crypto.Signer)
	if !ok {
		return nil, false
	}
	// Copy the public half through its encoding: Public returns a pointer
	// into the private key, which would keep it reachable.
	pkix, err := x509.MarshalPKIXPublicKey(s.Public())
	if err != nil {
		return nil, false
	}
	pub, err := x509.ParsePKIXPublicKey(pkix)
	return pub, err == nil
}

func (k *Key) setPublic(pub crypto.PublicKey) {
	k.pub = &publicKey{pub}
	k.PublicKeyInfo = describe(pub)
}

func describe(pub any) PublicKeyInfo {
	switch p := pub.(type) {
	case *rsa.PublicKey:
		return PublicKeyInfo{KeyType: "RSA", Bits: p.N.BitLen()}
	case *ecdsa.PublicKey:
		return PublicKeyInfo{KeyType: "ECDSA", Bits: p.Curve.Params().BitSize, Curve: p.Curve.Params().Name}
	case ed25519.PublicKey:
		return PublicKeyInfo{KeyType: "Ed25519", Bits: 256}
	}
	return PublicKeyInfo{}
}

func newCert(x *x509.Certificate, span source.Span) *Cert {
	c := &Cert{
		Span:               span,
		SubjectCN:          x.Subject.CommonName,
		IssuerCN:           x.Issuer.CommonName,
		DNSNames:           x.DNSNames,
		IPs:                x.IPAddresses,
		NotBefore:          x.NotBefore,
		NotAfter:           x.NotAfter,
		PublicKeyInfo:      describe(x.PublicKey),
		SignatureAlgorithm: x.SignatureAlgorithm.String(),
		IsCA:               x.BasicConstraintsValid && x.IsCA,
		HasEKU:             len(x.ExtKeyUsage)+len(x.UnknownExtKeyUsage) > 0,
		SelfIssued:         bytes.Equal(x.RawSubject, x.RawIssuer),
		SubjectKeyID:       hex.EncodeToString(x.SubjectKeyId),
		AuthorityKeyID:     hex.EncodeToString(x.AuthorityKeyId),
		Subject:            x.Subject.String(),
		Issuer:             x.Issuer.String(),
		SelfSigned:         selfSigned(x),
		OwnSignature:       selfSigned(x) && signatureFrom(x, x),
		x:                  x,
	}
	if h, err := NameHash(x.RawSubject); err == nil {
		c.SubjectHash = fmt.Sprintf("%08x", h)
	}
	switch x.SignatureAlgorithm {
	case x509.SHA1WithRSA, x509.DSAWithSHA1, x509.ECDSAWithSHA1:
		c.WeakSignature = "SHA-1"
	case x509.MD5WithRSA:
		c.WeakSignature = "MD5"
	case x509.MD2WithRSA:
		c.WeakSignature = "MD2"
	}
	for _, u := range x.ExtKeyUsage {
		switch u {
		case x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageNetscapeServerGatedCrypto, x509.ExtKeyUsageMicrosoftServerGatedCrypto:
			c.ServerAuth = true
		case x509.ExtKeyUsageClientAuth:
			c.ClientAuth = true
		}
		c.ExtKeyUsage = append(c.ExtKeyUsage, ekuNames[u])
	}
	for _, u := range x.UnknownExtKeyUsage {
		c.ExtKeyUsage = append(c.ExtKeyUsage, u.String())
	}
	return c
}

// ekuNames are the extended key usages as OpenSSL's configuration names
// them (x509v3_config(5)).
var ekuNames = map[x509.ExtKeyUsage]string{
	x509.ExtKeyUsageAny: "anyExtendedKeyUsage", x509.ExtKeyUsageServerAuth: "serverAuth",
	x509.ExtKeyUsageClientAuth: "clientAuth", x509.ExtKeyUsageCodeSigning: "codeSigning",
	x509.ExtKeyUsageEmailProtection: "emailProtection", x509.ExtKeyUsageIPSECEndSystem: "ipsecEndSystem",
	x509.ExtKeyUsageIPSECTunnel: "ipsecTunnel", x509.ExtKeyUsageIPSECUser: "ipsecUser",
	x509.ExtKeyUsageTimeStamping: "timeStamping", x509.ExtKeyUsageOCSPSigning: "OCSPSigning",
	x509.ExtKeyUsageMicrosoftServerGatedCrypto: "msSGC", x509.ExtKeyUsageNetscapeServerGatedCrypto: "nsSGC",
	x509.ExtKeyUsageMicrosoftCommercialCodeSigning: "msCodeCom", x509.ExtKeyUsageMicrosoftKernelCodeSigning: "1.3.6.1.4.1.311.61.1.1",
}

// selfSigned is OpenSSL 3's X509_self_signed(x, 0), which chain
// building asks first (build_chain in crypto/x509/x509_vfy.c): the
// EXFLAG_SS flag ossl_x509v3_cache_extensions sets when the subject and
// issuer names are equal, the authority key identifier does not contradict
// the subject key identifier and the signature's key type is the
// certificate's own; the signature is not checked
// (https://github.com/openssl/openssl/blob/openssl-3.0.0/crypto/x509/v3_purp.c).
// A certificate that merely has its CA's subject then passes for
// self-signed, and verification stops at "self-signed certificate".
// The authority key identifier's issuer and serial, which OpenSSL also
// compares, are not checked.
func selfSigned(x *x509.Certificate) bool {
	switch {
	case !sameName(x.RawSubject, x.RawIssuer):
		return false
	case len(x.AuthorityKeyId) > 0 && len(x.SubjectKeyId) > 0 && !bytes.Equal(x.AuthorityKeyId, x.SubjectKeyId):
		return false // X509_check_akid: X509_V_ERR_AKID_SKID_MISMATCH
	}
	// check_sig_alg_match: the signature's key type must be x's own.
	want := map[x509.PublicKeyAlgorithm][]x509.SignatureAlgorithm{
		x509.RSA:     {x509.MD5WithRSA, x509.SHA1WithRSA, x509.SHA256WithRSA, x509.SHA384WithRSA, x509.SHA512WithRSA, x509.SHA256WithRSAPSS, x509.SHA384WithRSAPSS, x509.SHA512WithRSAPSS},
		x509.ECDSA:   {x509.ECDSAWithSHA1, x509.ECDSAWithSHA256, x509.ECDSAWithSHA384, x509.ECDSAWithSHA512},
		x509.Ed25519: {x509.PureEd25519},
	}[x.PublicKeyAlgorithm]
	return want == nil || slices.Contains(want, x.SignatureAlgorithm)
}

// Matches reports whether k is the key of c's public key: a private key
// and the certificate it belongs to. It is false for an encrypted key,
// whose public half is unknown.
func (k *Key) Matches(c *Cert) bool {
	if k == nil || k.pub == nil || c == nil {
		return false
	}
	eq, ok := k.pub.k.(interface{ Equal(crypto.PublicKey) bool })
	return ok && eq.Equal(c.x.PublicKey)
}

func (k *Key) String() string {
	s := k.KeyType
	if s == "" {
		s = "unknown"
	}
	if k.Bits > 0 {
		s += fmt.Sprint("-", k.Bits)
	}
	what := "public key"
	if k.Private {
		what = "private key"
	}
	if k.Encrypted {
		what = "encrypted " + what
	}
	return s + " " + k.Format + " " + what
}
