package load

import (
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/pki"
)

// Files that settings name: certificates, keys, CAs and CRLs. A path in a
// container maps back to the repository file mounted or copied there; a
// relative path is looked up beside the file that names it, and the
// finding says that this file was assumed to be the deployed one; any
// other path is not in the repository. Nothing outside the root is read.

// serverFiles and clientFiles are the options that name files, by
// canonical name, and the role of the file.
var (
	serverFiles = map[string]string{
		"ssl_cert": "server certificate", "ssl_key": "server key", "ssl_ca": "CA", "ssl_capath": "CA directory",
		"ssl_crl": "CRL", "ssl_crlpath": "CRL directory",
		"admin_ssl_cert": "admin certificate", "admin_ssl_key": "admin key", "admin_ssl_ca": "CA",
		"group_replication_recovery_ssl_cert": "replication client certificate",
		"group_replication_recovery_ssl_key":  "replication client key", "group_replication_recovery_ssl_ca": "CA",
	}
	clientFiles = map[string]string{
		"ssl_ca": "CA", "ssl_capath": "CA directory", "ssl_cert": "client certificate", "ssl_key": "client key",
		"ssl_crl": "CRL", "ssl_crlpath": "CRL directory",
	}
)

// resolveFiles records every setting that names a file and where the
// file is in the repository.
func (b *builder) resolveFiles() {
	seen := map[*model.Setting]bool{}
	add := func(s *model.Setting, role string, files map[string]string, how string, server bool) {
		if s == nil || seen[s] || !s.HasValue || s.Unknown || strings.TrimSpace(s.Value) == "" || !s.KeySpan.IsValid() {
			return
		}
		seen[s] = true
		r := b.fileRef(s, role, files, how)
		if !server && r.Path == "" && !strings.HasPrefix(strings.TrimSpace(s.Value), "/") {
			// A client resolves a relative path against its working
			// directory, which the repository does not say.
			r.Expected = false
		}
		b.p.FileRefs = append(b.p.FileRefs, r)
	}
	for _, s := range b.p.Servers {
		var files map[string]string
		how := ""
		if d := s.Deployment; d != nil {
			files, how = d.Files, d.Kind+" "+d.Name
		}
		for _, name := range sortedKeys(serverFiles) {
			if set := s.Settings.Get(name); set != nil {
				add(set.Setting, serverFiles[name], files, how, true)
			}
		}
	}
	for _, c := range b.p.Clients {
		for _, name := range sortedKeys(clientFiles) {
			if set := c.Settings.Get(name); set != nil {
				add(set.Setting, clientFiles[name], nil, "", false)
			}
		}
	}
	for _, c := range b.p.Connections {
		add(c.CA, "CA", nil, "", false)
		add(c.Cert, "client certificate", nil, "", false)
		add(c.Key, "client key", nil, "", false)
	}
}

// fileRef resolves the file setting s names. files are the repository
// files a deployment places in its container, by container path.
func (b *builder) fileRef(s *model.Setting, role string, files map[string]string, how string) model.FileRef {
	r := model.FileRef{Setting: s, Role: role}
	v := strings.TrimSpace(s.Value)
	v = strings.TrimPrefix(v, "file:") // Connector/J trust store URLs
	if strings.HasPrefix(v, "/") {
		if host, ok := mountedAt(files, path.Clean(v)); ok {
			r.Expected = true
			if b.exists(host) || b.inline[host] != nil {
				r.Path, r.How = host, "placed at "+v+" by the "+how
			}
		}
		return r
	}
	if strings.Contains(v, "://") || strings.HasPrefix(v, "~") {
		return r
	}
	beside := path.Join(path.Dir(s.KeySpan.File.Path), v)
	r.Expected = !strings.HasPrefix(beside, "../")
	if r.Expected && b.exists(beside) {
		r.Path, r.Assumed = beside, true
		r.How = "a relative path, taken to be " + beside + " beside " + s.KeySpan.File.Path
	}
	return r
}

// mountedAt maps a container path to the repository file placed there:
// a file mounted or copied at that path, or inside a directory mounted
// or copied as a whole.
func mountedAt(files map[string]string, p string) (string, bool) {
	if host, ok := files[p]; ok {
		return host, true
	}
	for dir := path.Dir(p); dir != "/" && dir != "."; dir = path.Dir(dir) {
		if host, ok := files[dir+"/"]; ok {
			return path.Join(host, strings.TrimPrefix(p, dir+"/")), true
		}
	}
	return "", false
}

// exists reports whether the root holds a regular file at name.
func (b *builder) exists(name string) bool {
	info, err := fs.Stat(b.opt.FS, name)
	return err == nil && info.Mode().IsRegular()
}

// sortedKeys returns m's keys in order, for a stable order of records.
func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// repoPKI reads the repository file name as a PKI file; nil when it
// cannot be read.
func (b *builder) repoPKI(name string, keys map[*model.KeyInfo]*pki.Key, certs map[*model.CertInfo]*pki.Cert) *model.PKIFile {
	// A key or certificate file the walk read already is not read
	// again; one it could not read (too large) is not judged.
	f := b.files[name]
	if f != nil && b.unread(f) {
		return nil
	}
	if f == nil {
		data, err := fs.ReadFile(b.opt.FS, name)
		if err != nil {
			return nil
		}
		f = source.NewFile(name, data)
	}
	pf := pkiFile(f, pki.Read(f), func(sp source.Span) source.Span { return sp }, keys, certs)
	// A key file's bytes are secret: no snippet may show them.
	if len(pf.Keys) > 0 {
		f.MarkSecretLines(0, len(f.Content))
	}
	b.files[name] = f
	return pf
}

// readPKI reads the certificate and key files the file references
// resolved to (each once), keeping only what rules judge.
func (b *builder) readPKI() {
	keys := map[*model.KeyInfo]*pki.Key{}
	certs := map[*model.CertInfo]*pki.Cert{}
	for _, r := range b.p.FileRefs {
		if r.Path == "" || b.p.PKI[r.Path] != nil || strings.HasSuffix(r.Role, "directory") {
			continue
		}
		var pf *model.PKIFile
		if in := b.inline[r.Path]; in != nil {
			pf = b.inlineFile(in, keys, certs)
		} else {
			pf = b.repoPKI(r.Path, keys, certs)
		}
		if pf == nil {
			continue
		}
		if b.p.PKI == nil {
			b.p.PKI = map[string]*model.PKIFile{}
		}
		b.p.PKI[r.Path] = pf
	}
	b.p.KeyMatches = func(k *model.KeyInfo, c *model.CertInfo) bool {
		pk, pc := keys[k], certs[c]
		return pk != nil && pc != nil && pk.Matches(pc)
	}
	b.p.NameMismatch = func(c *model.CertInfo, host string, openssl bool) string {
		pc := certs[c]
		if pc == nil {
			return ""
		}
		check := pc.VerifyHostname
		if openssl {
			check = pc.VerifyHostnameOpenSSL
		}
		if err := check(host); err != nil {
			return err.Error()
		}
		return ""
	}
	b.p.Untrusted = func(leaf *model.CertInfo, roots []*model.CertInfo) string {
		l := certs[leaf]
		if l == nil {
			return ""
		}
		var rs, inter []*pki.Cert
		for _, r := range roots {
			if c := certs[r]; c != nil {
				rs = append(rs, c)
			}
		}
		for _, pf := range b.p.PKI {
			if slices.Contains(pf.Certs, leaf) {
				for _, c := range pf.Certs {
					if c != leaf && certs[c] != nil {
						inter = append(inter, certs[c])
					}
				}
			}
		}
		// Judged inside the leaf's validity, so that only the signatures
		// decide; expiry is TV501's.
		if _, err := pki.Verify(l, rs, inter, l.NotBefore.Add(l.NotAfter.Sub(l.NotBefore)/2)); err != nil {
			return err.Error()
		}
		return ""
	}
}

// unread reports whether f is a file the walk could not read (TV001 says
// why): its empty content is not the file's.
func (b *builder) unread(f *source.File) bool {
	for _, pr := range b.p.Problems {
		if pr.Unread && pr.Span.File == f {
			return true
		}
	}
	return false
}
