package pki

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/tlsvet/tlsvet/internal/source"
)

// FuzzRead checks that Read never panics, that every span lies in the
// file, that blocks are in order and do not overlap, that a PEM block's
// span starts with its BEGIN line, and that Verify and the host name
// checks never panic on what Read returns.
func FuzzRead(f *testing.F) {
	keys(f)
	ca := caTmpl("CA")
	ca.SignatureAlgorithm = x509.SHA1WithRSA
	cert := issue(f, ca, ca, &rsaCA.PublicKey, rsaCA)
	crl, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{Number: big.NewInt(1), ThisUpdate: t0, NextUpdate: t1}, caCertX(f, cert), rsaCA)
	if err != nil {
		f.Fatal(err)
	}
	csr, _ := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "r"}}, ecKey)
	sec1, _ := x509.MarshalECPrivateKey(ecKey)
	for _, s := range [][]byte{
		nil, []byte(" \n"), []byte("text\n"), cert, cert[:len(cert)/2], append(cert[:len(cert)/2:len(cert)/2], cert...),
		bytes.ReplaceAll(cert, []byte("\n"), []byte("\r\n")), append(append([]byte{}, cert...), "junk"...),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1}),
		pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00"}, Bytes: []byte{1}}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: csr}),
		pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: crl}),
		pem.EncodeToMemory(&pem.Block{Type: "TRUSTED CERTIFICATE", Bytes: append(caCertX(f, cert).Raw, 0x30, 0)}),
		caCertX(f, cert).Raw, []byte("-----BEGIN CERTIFICATE\n"), []byte("-----BEGIN A-----\n-----BEGIN B-----\n-----END B-----\n"),
	} {
		f.Add(s)
	}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, b []byte) {
		file := source.NewFile("f.pem", b)
		r := Read(file)
		in := func(what string, s source.Span) {
			if s.File != file || s.Start < 0 || s.Start > s.End || s.End > len(b) {
				t.Fatalf("%s span %d-%d out of file (len %d)", what, s.Start, s.End, len(b))
			}
		}
		for _, p := range r.Problems {
			in("problem", p.Span)
		}
		last := 0
		for _, blk := range r.Blocks {
			in("block", blk.Span)
			if blk.Span.Start < last {
				t.Fatalf("block at %d overlaps the one ending at %d", blk.Span.Start, last)
			}
			last = blk.Span.End
			if !r.DER && !strings.HasPrefix(blk.Span.Text(), "-----BEGIN ") {
				t.Fatalf("block does not start with BEGIN")
			}
		}
		certs := r.Certs()
		for _, c := range certs {
			_, _ = Verify(c, certs, certs, at)
			_ = c.VerifyHostname("db.example.com")
			_ = c.VerifyHostnameOpenSSL("db.example.com")
			for _, k := range r.Keys() {
				k.Matches(c)
			}
		}
	})
}
