// Package pkitest makes the certificates, keys, signing requests and CRLs
// of test fixtures from one-line directives, so that no fixture holds a
// static PEM that ages or a key that leaks: dates are fixed or relative to
// a clock the test injects, and keys are made afresh in each test process.
//
// A line whose first non-blank text is
//
//	!pki KIND key=value ...
//
// is replaced by the PEM it describes, every line indented like the
// directive (so it works inside a YAML literal block); consecutive
// directives make a bundle or a chain. "!pki64 KIND ..." anywhere on a line
// is replaced, to the end of the line, by the base64 of the bytes (a
// Secret's data field). KINDs and their keys:
//
//	cert  cn= dns=a,b ip=addr,addr key=NAME keytype=T issuer=FILE ca=yes
//	      from=DATE until=DATE sig=sha256|sha1 eku=server,client serial=N
//	      format=pem|der|truncated
//	key   key=NAME keytype=T format=pkcs8|pkcs1|sec1|der|encrypted|encrypted-pkcs8
//	csr   cn= dns= key=NAME keytype=T
//	crl   issuer=FILE from=DATE until=DATE format=pem|der|truncated
//
// T is rsa-1024, rsa-2048 (the default), rsa-4096, p256, p384 or ed25519.
// A key NAME (default "leaf") is one key in the whole test process, so a
// certificate and a key file that name the same key match and two names do
// not. issuer= names another file (beside this one, else from the root)
// whose first directive is a certificate; without it a certificate signs
// itself. DATE is YYYY-MM-DD or relative to
// the clock: "now", "-2d", "+10d", "+1y", "-3h". A certificate is valid
// from 2020-01-01 until 2120-01-01 unless it says otherwise. Encrypted keys
// use the passphrase "tlsvet".
package pkitest

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"hash/fnv"
	"math/big"
	"net"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Passphrase encrypts the keys of format encrypted and encrypted-pkcs8.
const Passphrase = "tlsvet"

// Expand returns files with every directive replaced by what it describes,
// judged at now; files without directives are returned unchanged.
func Expand(files map[string][]byte, now time.Time) (map[string][]byte, error) {
	g := &gen{files: files, now: now, made: map[string]*made{}, busy: map[string]bool{}}
	out := make(map[string][]byte, len(files))
	for name, data := range files {
		if !bytes.Contains(data, []byte("!pki")) {
			out[name] = data
			continue
		}
		b, err := g.expand(name, data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = b
	}
	return out, nil
}

type gen struct {
	files map[string][]byte
	now   time.Time
	made  map[string]*made // by file and directive index
	busy  map[string]bool  // directives being made, to catch issuer cycles
}

// made is what one directive produced.
type made struct {
	out    []byte // the bytes that replace the directive, before indentation
	binary bool   // out is DER, not PEM text
	cert   *x509.Certificate
	key    crypto.Signer
}

// directive is one parsed "!pki" line.
type directive struct {
	kind string
	args map[string]string
	b64  bool
}

func (g *gen) expand(name string, data []byte) ([]byte, error) {
	var out bytes.Buffer
	idx := 0
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		body := bytes.TrimRight(line, "\r\n")
		eol := line[len(body):]
		at, b64 := directiveAt(body)
		if at < 0 {
			if bytes.Contains(body, []byte("!pki ")) {
				return nil, fmt.Errorf("%q: !pki must start its line (use !pki64 inside a value)", body)
			}
			out.Write(line)
			continue
		}
		m, err := g.make(name, idx)
		if err != nil {
			return nil, fmt.Errorf("directive %d: %w", idx+1, err)
		}
		idx++
		if b64 {
			out.Write(body[:at])
			out.WriteString(base64.StdEncoding.EncodeToString(m.out))
			out.Write(eol)
			continue
		}
		indent := body[:at]
		if m.binary {
			if len(indent) > 0 {
				return nil, fmt.Errorf("binary output cannot be indented")
			}
			out.Write(m.out)
			continue
		}
		for _, l := range bytes.SplitAfter(m.out, []byte("\n")) {
			if len(l) == 0 {
				continue
			}
			out.Write(indent)
			out.Write(bytes.TrimSuffix(l, []byte("\n")))
			out.Write(eol)
		}
	}
	return out.Bytes(), nil
}

// directiveAt returns where a directive starts in line, or -1, and whether
// it is a base64 one.
func directiveAt(line []byte) (int, bool) {
	if i := bytes.Index(line, []byte("!pki64 ")); i >= 0 {
		return i, true
	}
	t := bytes.TrimLeft(line, " \t")
	if bytes.HasPrefix(t, []byte("!pki ")) {
		return len(line) - len(t), false
	}
	return -1, false
}

// directives returns the directives of a file in order.
func (g *gen) directives(name string) ([]directive, error) {
	data, ok := g.files[name]
	if !ok {
		return nil, fmt.Errorf("no file %q", name)
	}
	var ds []directive
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		at, b64 := directiveAt([]byte(line))
		if at < 0 {
			continue
		}
		fields := strings.Fields(line[at:])
		if len(fields) < 2 {
			return nil, fmt.Errorf("%q: no kind", line)
		}
		d := directive{kind: fields[1], args: map[string]string{}, b64: b64}
		for _, f := range fields[2:] {
			k, v, ok := strings.Cut(f, "=")
			if !ok {
				return nil, fmt.Errorf("%q: %q is not key=value", line, f)
			}
			d.args[k] = v
		}
		ds = append(ds, d)
	}
	return ds, nil
}

// make produces directive idx of file name, once.
func (g *gen) make(name string, idx int) (*made, error) {
	id := name + "#" + strconv.Itoa(idx)
	if m := g.made[id]; m != nil {
		return m, nil
	}
	if g.busy[id] {
		return nil, fmt.Errorf("issuer cycle through %s", name)
	}
	g.busy[id] = true
	defer delete(g.busy, id)
	ds, err := g.directives(name)
	if err != nil {
		return nil, err
	}
	if idx >= len(ds) {
		return nil, fmt.Errorf("%s has no directive %d", name, idx+1)
	}
	d := ds[idx]
	var m *made
	switch d.kind {
	case "cert":
		m, err = g.cert(name, idx, d)
	case "key":
		m, err = keyFile(d)
	case "csr":
		m, err = csr(d)
	case "crl":
		m, err = g.crl(name, idx, d)
	default:
		err = fmt.Errorf("unknown kind %q", d.kind)
	}
	if err != nil {
		return nil, err
	}
	for k := range d.args {
		if !known[d.kind][k] {
			return nil, fmt.Errorf("%s: unknown key %q", d.kind, k)
		}
	}
	g.made[id] = m
	return m, nil
}

var known = map[string]map[string]bool{
	"cert": set("cn", "dns", "ip", "key", "keytype", "issuer", "ca", "from", "until", "sig", "eku", "serial", "format"),
	"key":  set("key", "keytype", "format"),
	"csr":  set("cn", "dns", "key", "keytype"),
	"crl":  set("issuer", "from", "until", "format"),
}

func set(keys ...string) map[string]bool {
	m := map[string]bool{}
	for _, k := range keys {
		m[k] = true
	}
	return m
}

// sibling resolves a file name a directive of file from names: beside
// from when such a file exists, else from the archive's root.
func (g *gen) sibling(from, name string) string {
	if p := path.Join(path.Dir(from), name); g.files[p] != nil {
		return p
	}
	return name
}

// issuer returns the first certificate directive of file, made.
func (g *gen) issuer(file string) (*made, error) {
	ds, err := g.directives(file)
	if err != nil {
		return nil, fmt.Errorf("issuer: %w", err)
	}
	for i, d := range ds {
		if d.kind == "cert" {
			return g.make(file, i)
		}
	}
	return nil, fmt.Errorf("issuer %s holds no cert directive", file)
}

func (g *gen) cert(name string, idx int, d directive) (*made, error) {
	key, err := namedKey(d)
	if err != nil {
		return nil, err
	}
	from, until, err := g.validity(d)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(d.args["serial"], name, idx),
		Subject:      pkix.Name{CommonName: d.args["cn"]},
		NotBefore:    from,
		NotAfter:     until,
		DNSNames:     list(d.args["dns"]),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	if _, ok := key.(*rsa.PrivateKey); ok {
		tmpl.KeyUsage |= x509.KeyUsageKeyEncipherment
	}
	for _, s := range list(d.args["ip"]) {
		ip := net.ParseIP(s)
		if ip == nil {
			return nil, fmt.Errorf("ip %q", s)
		}
		tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
	}
	if d.args["ca"] == "yes" {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature
	}
	for _, e := range list(d.args["eku"]) {
		switch e {
		case "server":
			tmpl.ExtKeyUsage = append(tmpl.ExtKeyUsage, x509.ExtKeyUsageServerAuth)
		case "client":
			tmpl.ExtKeyUsage = append(tmpl.ExtKeyUsage, x509.ExtKeyUsageClientAuth)
		default:
			return nil, fmt.Errorf("eku %q", e)
		}
	}
	parent, signer := tmpl, key
	if is := d.args["issuer"]; is != "" {
		p, err := g.issuer(g.sibling(name, is))
		if err != nil {
			return nil, err
		}
		parent, signer = p.cert, p.key
	}
	if tmpl.SignatureAlgorithm, err = sigAlg(d.args["sig"], signer); err != nil {
		return nil, err
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), signer)
	if err != nil {
		return nil, err
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	out, err := encode("CERTIFICATE", der, d.args["format"])
	if err != nil {
		return nil, err
	}
	return &made{out: out, binary: d.args["format"] == "der", cert: c, key: key}, nil
}

func sigAlg(sig string, signer crypto.Signer) (x509.SignatureAlgorithm, error) {
	switch sig {
	case "", "sha256":
		return x509.UnknownSignatureAlgorithm, nil // the key's default
	case "sha1":
		switch signer.(type) {
		case *rsa.PrivateKey:
			return x509.SHA1WithRSA, nil
		case *ecdsa.PrivateKey:
			return x509.ECDSAWithSHA1, nil
		}
	}
	return 0, fmt.Errorf("sig %q is not available for %T", sig, signer)
}

func csr(d directive) (*made, error) {
	key, err := namedKey(d)
	if err != nil {
		return nil, err
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject:  pkix.Name{CommonName: d.args["cn"]},
		DNSNames: list(d.args["dns"]),
	}, key)
	if err != nil {
		return nil, err
	}
	return &made{out: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}), key: key}, nil
}

func (g *gen) crl(name string, idx int, d directive) (*made, error) {
	is, err := g.issuer(g.sibling(name, d.args["issuer"]))
	if err != nil {
		return nil, err
	}
	from, until, err := g.validity(d)
	if err != nil {
		return nil, err
	}
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
		Number: serial("", name, idx), ThisUpdate: from, NextUpdate: until,
	}, is.cert, is.key)
	if err != nil {
		return nil, err
	}
	out, err := encode("X509 CRL", der, d.args["format"])
	if err != nil {
		return nil, err
	}
	return &made{out: out, binary: d.args["format"] == "der"}, nil
}

func keyFile(d directive) (*made, error) {
	key, err := namedKey(d)
	if err != nil {
		return nil, err
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	var block *pem.Block
	switch d.args["format"] {
	case "", "pkcs8":
		block = &pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}
	case "der":
		return &made{out: pkcs8, binary: true, key: key}, nil
	case "pkcs1":
		k, ok := key.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("pkcs1 needs an RSA key")
		}
		block = &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}
	case "sec1":
		k, ok := key.(*ecdsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("sec1 needs an EC key")
		}
		b, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			return nil, err
		}
		block = &pem.Block{Type: "EC PRIVATE KEY", Bytes: b}
	case "encrypted":
		block, err = legacyEncrypted(key)
	case "encrypted-pkcs8":
		block, err = encryptedPKCS8(pkcs8)
	default:
		return nil, fmt.Errorf("key format %q", d.args["format"])
	}
	if err != nil {
		return nil, err
	}
	return &made{out: pem.EncodeToMemory(block), key: key}, nil
}

// legacyEncrypted writes a traditional key with OpenSSL's "Proc-Type:
// 4,ENCRYPTED" header (RFC 1421 style, AES-256-CBC, key from MD5 of the
// passphrase and IV as OpenSSL's EVP_BytesToKey does).
func legacyEncrypted(key crypto.Signer) (*pem.Block, error) {
	var typ string
	var der []byte
	switch k := key.(type) {
	case *rsa.PrivateKey:
		typ, der = "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k)
	case *ecdsa.PrivateKey:
		b, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			return nil, err
		}
		typ, der = "EC PRIVATE KEY", b
	default:
		return nil, fmt.Errorf("a legacy encrypted key must be RSA or EC")
	}
	// Deprecated (insecure), but this format is what the fixture is about.
	return x509.EncryptPEMBlock(rand.Reader, typ, der, []byte(Passphrase), x509.PEMCipherAES256)
}

var (
	oidPBES2      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidHMACSHA256 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidAES256CBC  = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
)

type algorithm struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

// encryptedPKCS8 writes an "ENCRYPTED PRIVATE KEY" (RFC 5958 §3) with
// PBES2, PBKDF2-HMAC-SHA256 and AES-256-CBC (RFC 8018), what "openssl
// pkcs8 -topk8 -v2 aes-256-cbc" writes.
func encryptedPKCS8(pkcs8 []byte) (*pem.Block, error) {
	salt, iv := make([]byte, 16), make([]byte, aes.BlockSize)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	if _, err := rand.Read(iv); err != nil {
		return nil, err
	}
	const iter = 2048
	k, err := pbkdf2.Key(sha256.New, Passphrase, salt, iter, 32)
	if err != nil {
		return nil, err
	}
	b, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	pad := aes.BlockSize - len(pkcs8)%aes.BlockSize
	plain := append(bytes.Clone(pkcs8), bytes.Repeat([]byte{byte(pad)}, pad)...)
	enc := make([]byte, len(plain))
	cipher.NewCBCEncrypter(b, iv).CryptBlocks(enc, plain)
	raw := func(v any) (asn1.RawValue, error) {
		b, err := asn1.Marshal(v)
		return asn1.RawValue{FullBytes: b}, err
	}
	kdfParams, err := raw(struct {
		Salt []byte
		Iter int
		PRF  algorithm
	}{salt, iter, algorithm{Algorithm: oidHMACSHA256, Parameters: asn1.NullRawValue}})
	if err != nil {
		return nil, err
	}
	ivParam, err := raw(iv)
	if err != nil {
		return nil, err
	}
	params, err := raw(struct{ KDF, Enc algorithm }{
		algorithm{oidPBKDF2, kdfParams}, algorithm{oidAES256CBC, ivParam},
	})
	if err != nil {
		return nil, err
	}
	der, err := asn1.Marshal(struct {
		Alg  algorithm
		Data []byte
	}{algorithm{oidPBES2, params}, enc})
	if err != nil {
		return nil, err
	}
	return &pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der}, nil
}

// encode writes der in a format: PEM, raw DER, or a PEM cut short.
func encode(typ string, der []byte, format string) ([]byte, error) {
	p := pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
	switch format {
	case "", "pem":
		return p, nil
	case "der":
		return der, nil
	case "truncated":
		lines := bytes.SplitAfter(p, []byte("\n"))
		return bytes.Join(lines[:len(lines)/2], nil), nil
	}
	return nil, fmt.Errorf("format %q", format)
}

var (
	keysMu sync.Mutex
	keys   = map[string]crypto.Signer{}
)

// namedKey returns the process-wide key a directive names.
func namedKey(d directive) (crypto.Signer, error) {
	name, typ := d.args["key"], d.args["keytype"]
	if name == "" {
		name = "leaf"
	}
	if typ == "" {
		typ = "rsa-2048"
	}
	keysMu.Lock()
	defer keysMu.Unlock()
	id := name + "/" + typ
	if k := keys[id]; k != nil {
		return k, nil
	}
	var k crypto.Signer
	var err error
	switch typ {
	case "rsa-1024":
		k, err = rsa.GenerateKey(rand.Reader, 1024)
	case "rsa-2048":
		k, err = rsa.GenerateKey(rand.Reader, 2048)
	case "rsa-4096":
		k, err = rsa.GenerateKey(rand.Reader, 4096)
	case "p256":
		k, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "p384":
		k, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case "ed25519":
		_, k, err = ed25519.GenerateKey(rand.Reader)
	default:
		return nil, fmt.Errorf("keytype %q", typ)
	}
	if err != nil {
		return nil, err
	}
	keys[id] = k
	return k, nil
}

// validity reads a directive's from= and until= (thisUpdate and
// nextUpdate for a CRL).
func (g *gen) validity(d directive) (from, until time.Time, err error) {
	if from, err = g.date(d.args["from"], "2020-01-01"); err == nil {
		until, err = g.date(d.args["until"], "2120-01-01")
	}
	return from, until, err
}

// date reads a DATE against the clock.
func (g *gen) date(s, def string) (time.Time, error) {
	if s == "" {
		s = def
	}
	if s == "now" {
		return g.now, nil
	}
	if s[0] == '-' || s[0] == '+' {
		n, err := strconv.Atoi(s[1 : len(s)-1])
		if err != nil {
			return time.Time{}, fmt.Errorf("date %q", s)
		}
		if s[0] == '-' {
			n = -n
		}
		switch s[len(s)-1] {
		case 'h':
			return g.now.Add(time.Duration(n) * time.Hour), nil
		case 'd':
			return g.now.AddDate(0, 0, n), nil
		case 'y':
			return g.now.AddDate(n, 0, 0), nil
		}
		return time.Time{}, fmt.Errorf("date %q", s)
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: %w", s, err)
	}
	return t, nil
}

// serial is the given number or one derived from the directive's place, so
// that two certificates of one fixture never share a serial.
func serial(s, name string, idx int) *big.Int {
	if n, ok := new(big.Int).SetString(s, 10); ok {
		return n
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%s#%d", name, idx)
	return new(big.Int).SetUint64(h.Sum64() >> 1)
}

func list(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
