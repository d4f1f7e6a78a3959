package pki

import (
	"time"

	"github.com/tlsvet/tlsvet/internal/facts"
)

// ServerChain is the chain an OpenSSL-based server sends: the
// certificates of its certificate file when it holds more than one; else
// the leaf and the chain OpenSSL builds to it from the server's own CA
// store (ssl_ca), root included, because neither MySQL nor MariaDB sets
// SSL_MODE_NO_AUTO_CHAIN (ssl_add_cert_chain,
// https://github.com/openssl/openssl/blob/openssl-3.0.0/ssl/statem/statem_lib.c).
// Observed: a client without the CA reports "self-signed certificate in
// certificate chain" (docs/mariadb-observations.md, config 26).
func ServerChain(file, store []*Cert) []*Cert {
	if len(file) != 1 || len(store) == 0 {
		return file
	}
	var roots []*Cert
	for _, c := range store {
		if c.SelfSigned {
			roots = append(roots, c)
		}
	}
	chain, err := build(file[0], roots, store, nil)
	if err != nil {
		return file
	}
	return chain
}

// Check is what a client finds when it checks chain sent (leaf first) at
// time at: whether it leads to one of roots (rootsKnown false: the client
// trusts a store that is not known), the first certificate outside its
// validity, and whether the leaf names host ("": not checked), by Go's
// rules when goRules, else OpenSSL's.
func Check(sent, roots []*Cert, rootsKnown bool, host string, goRules bool, at time.Time) facts.CertCheck {
	var k facts.CertCheck
	if len(sent) == 0 {
		return k
	}
	leaf := sent[0]
	checked := sent
	switch chain, err := build(leaf, roots, sent[1:], nil); {
	case !rootsKnown:
		k.Chain = facts.Maybe
	case err == nil:
		k.Chain, checked = facts.Yes, chain
	default:
		k.Chain, k.Untrusted = facts.No, untrusted(sent)
	}
	for _, c := range checked {
		switch {
		case at.Before(c.x.NotBefore):
			k.Expired = "certificate is not yet valid"
		case at.After(c.x.NotAfter):
			k.Expired = "certificate has expired"
		default:
			continue
		}
		k.LeafExpired = c == leaf
		break
	}
	if host != "" {
		check := leaf.VerifyHostnameOpenSSL
		if goRules {
			check = leaf.VerifyHostname
		}
		if err := check(host); err != nil {
			k.Misnamed = err.Error()
		}
	}
	return k
}

// untrusted is OpenSSL's error for a chain sent that leads to no trusted
// certificate (https://docs.openssl.org/3.0/man3/X509_STORE_CTX_get_error/):
// X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT when the leaf is self-signed,
// X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN when the chain sent ends in a
// self-signed certificate, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
// otherwise.
func untrusted(sent []*Cert) string {
	chain, _ := build(sent[0], nil, sent[1:], nil)
	switch last := chain[len(chain)-1]; {
	case !last.SelfSigned:
		return "unable to get local issuer certificate"
	case len(chain) == 1:
		return "self-signed certificate"
	}
	return "self-signed certificate in certificate chain"
}
