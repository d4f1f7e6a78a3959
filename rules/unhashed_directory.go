package rules

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// UnhashedDirectory reports a CA or CRL directory whose certificates or
// CRLs OpenSSL cannot find because they lack hash-named links.
var UnhashedDirectory = &lint.Rule{
	ID:               "TV513",
	Name:             "unhashed-directory",
	Severity:         lint.Error,
	SecuritySeverity: "5.3",
	Tags:             []string{"tls", "certificates"},
	Doc: lint.Doc{
		Title: "A CA or CRL directory lacks OpenSSL's hash links",
		Why: "OpenSSL never lists the directory that ssl_capath or ssl_crlpath names: when it needs an issuer " +
			"it opens the file named after the hash of the issuer's subject, \"<hash>.0\" (\"<hash>.r0\" for " +
			"CRLs), and nothing else. A directory of ca.pem files without those links, which openssl rehash " +
			"(or c_rehash) creates, is as good as empty: verification fails with ERROR 2026 (\"self-signed " +
			"certificate in certificate chain\" when the peer sends its CA, else \"unable to get local issuer " +
			"certificate\"), or with CRL checking on, \"unable to get certificate CRL\". Links made " +
			"on one machine go stale when a certificate is replaced, since the hash changes with its subject.",
		Fix:  "Run openssl rehash (c_rehash) on the directory and commit the links, or name the CA file in ssl_ca (the CRL file in ssl_crl).",
		Bad:  "-- my.cnf --\n[client]\nssl-capath=certs\n-- certs/ca.pem --\n!pki cert cn=Example_CA ca=yes key=ca\n",
		Good: "-- my.cnf --\n[client]\nssl-capath=certs\n-- certs/ca.pem --\n!pki cert cn=Example_CA ca=yes key=ca\n-- certs/e338247c.0 --\n!pki cert cn=Example_CA ca=yes key=ca\n",
		Sources: []string{
			"https://docs.openssl.org/3.0/man1/openssl-rehash/",
			"https://docs.openssl.org/3.0/man3/SSL_CTX_load_verify_locations/",
			"https://docs.openssl.org/3.0/man3/X509_LOOKUP_hash_dir/",
		},
	},
	Requires: []*lint.Analysis{fileReadersAnalysis},
	Run:      runUnhashedDirectory,
}

// hashedName matches the names OpenSSL's directory lookup opens.
var hashedName = regexp.MustCompile(`^[0-9a-f]{8}\.r?[0-9]+$`)

func runUnhashedDirectory(pass *lint.Pass) {
	p := pass.Project
	// alongside maps a directory setting to the file setting read with it
	// (ssl_capath to ssl_ca), whose CAs or CRLs OpenSSL still finds.
	alongside := map[*model.Setting]*model.Setting{}
	pair := func(s model.Settings) {
		for dir, file := range map[string]string{"ssl_capath": "ssl_ca", "ssl_crlpath": "ssl_crl"} {
			if d, f := s.Get(dir), s.Get(file); d != nil && f != nil {
				alongside[d.Setting] = f.Setting
			}
		}
	}
	for _, s := range p.Servers {
		pair(s.Settings)
	}
	for _, c := range p.Clients {
		pair(c.Settings)
	}
	for _, r := range p.FileRefs {
		d := p.PKIDirs[r.Path]
		if d == nil {
			continue
		}
		crl := r.Role == "CRL directory"
		var missing []string
		var related []lint.Related
		seen := map[string]bool{}
		// Hash-named files are checked too: a link left from a replaced
		// certificate holds one whose hash is no longer its name.
		for _, name := range sortedFiles(d) {
			f := d.Files[name]
			if crl {
				for _, l := range f.CRLs {
					if l.IssuerHash == "" || seen["r"+l.IssuerHash] {
						continue
					}
					seen["r"+l.IssuerHash] = true
					if !findable(d, l.IssuerHash+".r", func(f *model.PKIFile) bool { return len(f.CRLs) > 0 }) {
						missing = append(missing, fmt.Sprintf("the CRL of %s in %s as %s.r0", cnOr(l.IssuerCN), name, l.IssuerHash))
						related = append(related, lint.Related{Span: l.Span, Message: "a CRL OpenSSL cannot find"})
					}
				}
				continue
			}
			for _, c := range f.Certs {
				if c.SubjectHash == "" || seen[c.Subject] {
					continue
				}
				seen[c.Subject] = true
				subject := c.Subject
				if !findable(d, c.SubjectHash+".", func(f *model.PKIFile) bool { return holdsSubject(f, subject) }) {
					missing = append(missing, fmt.Sprintf("%s in %s as %s.0", certName(c), name, c.SubjectHash))
					related = append(related, lint.Related{Span: c.Span, Message: "a certificate OpenSSL cannot find"})
				}
			}
		}
		if len(missing) == 0 {
			continue
		}
		more := ""
		if len(missing) > 3 {
			missing, related, more = missing[:3], related[:3], fmt.Sprintf(" and %d more", len(missing)-3)
		}
		// A peer that sends its CA (OpenSSL servers complete their chain
		// from ssl_ca) gets the first text, one that does not the second.
		what, failure := "certificates by the hash of their subject", `"self-signed certificate in certificate chain" or "unable to get local issuer certificate"`
		if crl {
			what, failure = "CRLs by the hash of their issuer", `"unable to get certificate CRL"`
		}
		effect := "verifying the server fails with ERROR 2026"
		if readersOf(pass, r.Setting).server() {
			effect = "the server refuses the client certificates it verifies"
		}
		diag := lint.Diagnostic{Span: r.Setting.ValueOrKey(), Related: related}
		if f := alongside[r.Setting]; f != nil {
			// The file setting may hold what the directory lacks.
			diag.Severity = lint.Warning
			effect += " unless " + f.Key + " holds them"
		}
		diag.Message = fmt.Sprintf("the %s %s has no OpenSSL hash link for %s%s: OpenSSL opens a directory's %s only, "+
			"so it never finds them and %s (%s); run openssl rehash %s and commit the links, or name the file in %s",
			r.Role, r.Path, strings.Join(missing, ", "), more, what, effect, failure, r.Path,
			strings.TrimSuffix(r.Setting.Key, "path"))
		pass.Report(diag)
	}
}

// findable reports whether OpenSSL's lookup of prefix ("3387b84d." or
// "3387b84d.r") reaches a file that match accepts: it opens prefix0,
// prefix1… and stops at the first name missing (get_cert_by_subject in
// crypto/x509/by_dir.c). A file the listing did not read counts as a match.
func findable(d *model.PKIDir, prefix string, match func(*model.PKIFile) bool) bool {
	names := map[string]bool{}
	for _, n := range d.Names {
		names[n] = true
	}
	for i := 0; names[fmt.Sprint(prefix, i)]; i++ {
		if f := d.Files[fmt.Sprint(prefix, i)]; f == nil || match(f) {
			return true
		}
	}
	return false
}

func holdsSubject(f *model.PKIFile, subject string) bool {
	for _, c := range f.Certs {
		if c.Subject == subject {
			return true
		}
	}
	return false
}

func sortedFiles(d *model.PKIDir) []string {
	names := make([]string, 0, len(d.Files))
	for n := range d.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
