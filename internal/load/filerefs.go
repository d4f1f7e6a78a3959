package load

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/tlsvet/tlsvet/internal/facts"
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
		"admin_ssl_capath": "CA directory", "admin_ssl_crl": "CRL", "admin_ssl_crlpath": "CRL directory",
		"group_replication_recovery_ssl_cert": "replication client certificate",
		"group_replication_recovery_ssl_key":  "replication client key", "group_replication_recovery_ssl_ca": "CA",
		"group_replication_recovery_ssl_capath": "CA directory", "group_replication_recovery_ssl_crl": "CRL",
		"group_replication_recovery_ssl_crlpath": "CRL directory",
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
		if r.Assumed {
			// The server changes into its data directory at startup, before
			// it builds its TLS context, and opens relative paths there:
			// MySQL's mysqld_main calls my_setwd(mysql_real_data_home)
			// (https://github.com/mysql/mysql-server/blob/8.0/sql/mysqld.cc),
			// and MariaDB does so too (rules/oracle_relative_test.go).
			where := "which the server reads from its data directory"
			if !server {
				where = "which a client reads from its working directory"
			}
			r.How = fmt.Sprintf("%s is a relative path, %s; tlsvet took %s, beside %s, to be that file",
				strings.TrimSpace(s.Value), where, r.Path, s.KeySpan.File.Path)
		}
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
		// A connection's CA is its CA file, or its CA directory when it
		// names only that (sslcapath, MYSQL_ATTR_SSL_CAPATH…).
		role := "CA"
		if c.CADir {
			role = "CA directory"
		}
		files, how, name := b.containerOf(c.Span)
		c.Container = name
		add(c.CA, role, files, how, false)
		add(c.Cert, "client certificate", files, how, false)
		add(c.Key, "client key", files, how, false)
	}
	b.p.RefOf = make(map[*model.Setting]*model.FileRef, len(b.p.FileRefs))
	for i := range b.p.FileRefs {
		b.p.RefOf[b.p.FileRefs[i].Setting] = &b.p.FileRefs[i]
	}
}

// containerOf returns the repository files placed in the container whose
// environment holds span (a connection string), by container path, how
// that container is declared and its name; nothing when span is in none.
func (b *builder) containerOf(span source.Span) (files map[string]string, how, name string) {
	for _, e := range b.containerEnvs {
		if e.span.File == span.File && e.span.Start <= span.Start && span.End <= e.span.End {
			return e.files, e.how, e.name
		}
	}
	return nil, "", ""
}

// fileRef resolves the file setting s names. files are the repository
// files a deployment places in its container, by container path.
func (b *builder) fileRef(s *model.Setting, role string, files map[string]string, how string) model.FileRef {
	r := model.FileRef{Setting: s, Role: role}
	v := strings.TrimSpace(s.Value)
	v = strings.TrimPrefix(v, "file:") // Connector/J trust store URLs
	dir := strings.HasSuffix(role, "directory")
	exists := b.exists
	if dir {
		exists = b.isDir
	}
	if strings.HasPrefix(v, "/") {
		host, ok := mountedAt(files, path.Clean(v))
		if d, mounted := files[path.Clean(v)+"/"]; mounted && dir {
			host, ok = d, true // the directory itself is mounted
		}
		if ok {
			r.Expected = true
			if exists(host) || b.inline[host] != nil {
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
	if r.Expected && exists(beside) {
		r.Path, r.Assumed = beside, true
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

// isDir reports whether the root holds a directory at name.
func (b *builder) isDir(name string) bool {
	info, err := fs.Stat(b.opt.FS, name)
	return err == nil && info.IsDir()
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

// walkedPKI is a certificate or key file as the walk read and parsed it.
type walkedPKI struct {
	file *source.File
	read *pki.File
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
	var read *pki.File
	if w, ok := b.walked[name]; ok {
		f, read = w.file, w.read
	}
	if f == nil {
		data, err := fs.ReadFile(b.opt.FS, name)
		if err != nil {
			return nil
		}
		f = source.NewFile(name, data)
	}
	if read == nil {
		read = pki.Read(f)
	}
	pf := pkiFile(f, read, func(sp source.Span) source.Span { return sp }, keys, certs)
	pf.At = f.Span(0, 0)
	// A key file's bytes are secret: no snippet may show them.
	if len(pf.Keys) > 0 {
		f.MarkSecretLines(0, len(f.Content))
	}
	b.files[name] = f
	return pf
}

// readPKI reads the certificate and key files the file references
// resolved to (each once), keeping only what rules judge, and lists the
// CA and CRL directories they name.
func (b *builder) readPKI() {
	keys := map[*model.KeyInfo]*pki.Key{}
	certs := map[*model.CertInfo]*pki.Cert{}
	readFile := func(name string) *model.PKIFile {
		if pf := b.p.PKI[name]; pf != nil {
			return pf
		}
		var pf *model.PKIFile
		if in := b.inline[name]; in != nil {
			pf = b.inlineFile(in, keys, certs)
		} else {
			pf = b.repoPKI(name, keys, certs)
		}
		if pf == nil {
			return nil
		}
		if b.p.PKI == nil {
			b.p.PKI = map[string]*model.PKIFile{}
		}
		b.p.PKI[name] = pf
		return pf
	}
	for _, r := range b.p.FileRefs {
		switch {
		case r.Path == "":
		case strings.HasSuffix(r.Role, "directory"):
			b.readDir(r.Path, readFile)
		default:
			readFile(r.Path)
		}
	}
	b.p.Signs = func(parent, child *model.CertInfo) bool {
		p, c := certs[parent], certs[child]
		return p != nil && c != nil && p.Signs(c)
	}
	b.p.KeyMatches = func(k *model.KeyInfo, c *model.CertInfo) bool {
		pk, pc := keys[k], certs[c]
		return pk != nil && pc != nil && pk.Matches(pc)
	}
	b.p.CheckCert = CheckCert
	// The file each certificate came from gives a leaf its intermediates;
	// verdicts are kept, since rules ask again for every client program
	// and version (and may ask from parallel rules).
	fileOf := map[*model.CertInfo]*model.PKIFile{}
	for _, pf := range b.p.PKI {
		for _, c := range pf.Certs {
			fileOf[c] = pf
		}
	}
	type question struct {
		leaf  *model.CertInfo
		roots string
	}
	var mu sync.Mutex
	verdicts := map[question]string{}
	b.p.Untrusted = func(leaf *model.CertInfo, roots []*model.CertInfo) string {
		l := certs[leaf]
		if l == nil {
			return ""
		}
		q := question{leaf, fmt.Sprint(roots)}
		mu.Lock()
		v, ok := verdicts[q]
		mu.Unlock()
		if ok {
			return v
		}
		var rs, inter []*pki.Cert
		for _, r := range roots {
			if c := certs[r]; c != nil {
				rs = append(rs, c)
			}
		}
		if pf := fileOf[leaf]; pf != nil {
			for _, c := range pf.Certs {
				if c != leaf && certs[c] != nil {
					inter = append(inter, certs[c])
				}
			}
		}
		// Judged inside the leaf's validity, so that only the signatures
		// decide; expiry is TV501's.
		if _, err := pki.Verify(l, rs, inter, l.NotBefore.Add(l.NotAfter.Sub(l.NotBefore)/2)); err != nil {
			v = err.Error()
		}
		mu.Lock()
		verdicts[q] = v
		mu.Unlock()
		return v
	}
}

// certInfo is what rules judge of a certificate whose block is span.
func certInfo(c *pki.Cert, span source.Span) *model.CertInfo {
	return &model.CertInfo{Span: span, SubjectCN: c.SubjectCN, IssuerCN: c.IssuerCN, NotBefore: c.NotBefore,
		NotAfter: c.NotAfter, KeyType: c.KeyType, Bits: c.Bits, WeakSignature: c.WeakSignature, IsCA: c.IsCA,
		Subject: c.Subject, Issuer: c.Issuer, SubjectHash: c.SubjectHash, HasEKU: c.HasEKU,
		ServerAuth: c.ServerAuth, ClientAuth: c.ClientAuth, ExtKeyUsage: c.ExtKeyUsage,
		SelfSigned: c.SelfSigned, OwnSignature: c.OwnSignature, Parsed: c}
}

// CheckCert says what a client finds when it checks a server's
// certificate (Project.CheckCert): it works on the certificates of any
// project the loader read, so tlsvet negotiate can ask it of a server and
// a client read apart.
func CheckCert(q model.CertQuestion) facts.CertCheck {
	parsed := func(cs []*model.CertInfo) []*pki.Cert {
		var out []*pki.Cert
		for _, c := range cs {
			if p, ok := c.Parsed.(*pki.Cert); ok {
				out = append(out, p)
			}
		}
		return out
	}
	return pki.Check(pki.ServerChain(parsed(q.Cert), parsed(q.Store)), parsed(q.Roots), !q.RootsUnknown, q.Host, q.GoRules, q.At)
}

// crlInfo is what rules judge of a CRL whose block is span.
func crlInfo(l *pki.RevocationList, span source.Span) *model.CRLInfo {
	return &model.CRLInfo{Span: span, IssuerCN: l.IssuerCN, IssuerHash: l.IssuerHash, ThisUpdate: l.ThisUpdate, NextUpdate: l.NextUpdate}
}

// Limits on a CA or CRL directory: a repository's holds a handful of
// files; a hostile one must not make the run read thousands.
const (
	maxDirEntries = 1000     // names listed
	maxDirFiles   = 100      // files read
	maxDirBytes   = 16 << 20 // bytes read
)

// hashName matches the names OpenSSL's directory lookup opens:
// "<8 hex digits>.<n>" for certificates, ".r<n>" for CRLs
// (https://docs.openssl.org/3.0/man1/openssl-rehash/).
var hashName = regexp.MustCompile(`^[0-9a-f]{8}\.r?[0-9]+$`)

// readDir lists a CA or CRL directory (once) and reads its hash-named
// files and the certificate and CRL files beside them. Listing and reading
// go through the root file system like the walk: links are followed only
// while they stay inside the root, and only regular files are read.
func (b *builder) readDir(dir string, readFile func(string) *model.PKIFile) {
	if b.p.PKIDirs[dir] != nil {
		return
	}
	ents, err := fs.ReadDir(b.opt.FS, dir)
	if err != nil {
		return
	}
	d := &model.PKIDir{Files: map[string]*model.PKIFile{}}
	size := 0
	if len(ents) > maxDirEntries {
		ents, d.Capped = ents[:maxDirEntries], true
	}
	for _, e := range ents {
		if e.IsDir() {
			continue
		}
		name := e.Name()
		d.Names = append(d.Names, name)
		ext := strings.ToLower(path.Ext(name))
		if !hashName.MatchString(name) && ext != ".pem" && ext != ".crt" && ext != ".cer" && ext != ".crl" {
			continue
		}
		if len(d.Files) == maxDirFiles || size >= maxDirBytes {
			d.Capped = true
			break
		}
		if pf := readFile(path.Join(dir, name)); pf != nil {
			d.Files[name] = pf
			size += len(pf.File.Content)
		}
	}
	if b.p.PKIDirs == nil {
		b.p.PKIDirs = map[string]*model.PKIDir{}
	}
	b.p.PKIDirs[dir] = d
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
