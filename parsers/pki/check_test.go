package pki

import (
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/oracle"
)

// TestCheck: what a client finds of the chain a server sends, and that
// the words for an untrusted or expired chain are openssl verify's for
// the same chain.
func TestCheck(t *testing.T) {
	openssl := oracle.Require(t, "openssl", "openssl")
	tl := newTwoLevels(t)
	rootT, root, interT, inter, interKey := tl.rootT, tl.root, tl.interT, tl.inter, tl.interKey
	leafT := tmpl("db.example.com")
	leafT.DNSNames = []string{"db.example.com"}
	leafT.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	leaf := one(t, issue(t, leafT, interT, &rsaKey.PublicKey, interKey))
	cnT := tmpl("db.example.com")
	cnOnly := one(t, issue(t, cnT, rootT, &rsaKey.PublicKey, rsaCA))
	selfT := tmpl("self")
	self := one(t, issue(t, selfT, selfT, &rsaKey.PublicKey, rsaKey))
	otherT := caTmpl("Other")
	other := one(t, issue(t, otherT, otherT, &interKey.PublicKey, interKey))

	if got := ServerChain([]*Cert{leaf}, []*Cert{other, inter, root}); len(got) != 3 || got[1] != inter || got[2] != root {
		t.Errorf("ServerChain from the store: %d certificates", len(got))
	}
	if got := ServerChain([]*Cert{leaf, inter}, []*Cert{root}); len(got) != 2 {
		t.Errorf("ServerChain of a chain file: %d certificates, want the file's 2", len(got))
	}
	if got := ServerChain([]*Cert{leaf}, []*Cert{other}); len(got) != 1 {
		t.Errorf("ServerChain without the issuer: %d certificates, want the leaf", len(got))
	}

	for _, tc := range []struct {
		name        string
		sent, roots []*Cert
		known       bool
		host        string
		goRules     bool
		at          time.Time
		want        facts.CertCheck
	}{
		{"trusted", []*Cert{leaf, inter}, []*Cert{root}, true, "db.example.com", true, at, facts.CertCheck{Chain: facts.Yes}},
		{"the root sent, the wrong CA", []*Cert{leaf, inter, root}, []*Cert{other}, true, "", false, at,
			facts.CertCheck{Chain: facts.No, Untrusted: "self-signed certificate in certificate chain"}},
		{"the leaf only", []*Cert{leaf}, []*Cert{other}, true, "", false, at,
			facts.CertCheck{Chain: facts.No, Untrusted: "unable to get local issuer certificate"}},
		{"self-signed", []*Cert{self}, []*Cert{root}, true, "", false, at,
			facts.CertCheck{Chain: facts.No, Untrusted: "self-signed certificate"}},
		{"expired", []*Cert{leaf, inter}, []*Cert{root}, true, "", false, t1.Add(time.Hour),
			facts.CertCheck{Chain: facts.Yes, Expired: "certificate has expired", LeafExpired: true}},
		{"not yet valid", []*Cert{leaf, inter}, []*Cert{root}, true, "", false, t0.Add(-time.Hour),
			facts.CertCheck{Chain: facts.Yes, Expired: "certificate is not yet valid", LeafExpired: true}},
		{"the system store", []*Cert{leaf, inter}, nil, false, "", false, at, facts.CertCheck{Chain: facts.Maybe}},
		{"go: another name", []*Cert{leaf, inter}, []*Cert{root}, true, "db", true, at,
			facts.CertCheck{Chain: facts.Yes, Misnamed: "x509: certificate is valid for db.example.com, not db"}},
		{"go: the CN is not a name", []*Cert{cnOnly}, []*Cert{root}, true, "db.example.com", true, at,
			facts.CertCheck{Chain: facts.Yes, Misnamed: "x509: certificate relies on legacy Common Name field, use SANs instead"}},
		{"openssl: the CN without DNS SANs", []*Cert{cnOnly}, []*Cert{root}, true, "db.example.com", false, at,
			facts.CertCheck{Chain: facts.Yes}},
	} {
		got := Check(tc.sent, tc.roots, tc.known, tc.host, tc.goRules, tc.at)
		if got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
		if !tc.known || tc.host != "" {
			continue
		}
		// openssl verify with the chain sent as -untrusted and the roots
		// as -CAfile: its error text is the one Check gives.
		dir := t.TempDir()
		write := func(name string, cs []*Cert) string { return writePEM(t, dir, name, cs) }
		args := []string{"verify", "-attime", strconv.FormatInt(tc.at.Unix(), 10), "-CAfile", write("ca.pem", tc.roots)}
		if len(tc.sent) > 1 {
			args = append(args, "-untrusted", write("sent.pem", tc.sent[1:]))
		}
		out, _ := exec.Command(openssl, append(args, write("leaf.pem", tc.sent[:1]))...).CombinedOutput()
		want := tc.want.Untrusted
		if want == "" {
			want = tc.want.Expired
		}
		if want == "" && !strings.Contains(string(out), ": OK") || want != "" && !strings.Contains(string(out), "error") ||
			want != "" && !strings.Contains(string(out), ": "+want+"\n") {
			t.Errorf("%s: openssl verify says %q, Check %+v", tc.name, out, got)
		}
	}
}
