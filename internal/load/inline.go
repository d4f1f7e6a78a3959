package load

import (
	"sort"
	"strconv"
	"strings"

	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/kube"
	"github.com/tlsvet/tlsvet/parsers/pki"
	"github.com/tlsvet/tlsvet/parsers/yamlconf"
)

// Certificates and keys written inside YAML: the values of ConfigMaps and
// Secrets (a kubernetes.io/tls Secret's tls.crt, tls.key and ca.crt, an
// Opaque Secret's server-cert.pem), base64 in a Secret's data and plain in
// its stringData, and the PEM text of chart values (bitnami's tls.cert,
// tls.key, tls.ca). Each is read as a PKI file named by a pseudo path,
// "k8s/db.yaml:7:tls.crt" (inlineName), which a container's mount
// places at a container path (Deployment.Files) like a repository file,
// so the certificate rules run on it unchanged; every span it yields
// points into the YAML value (the exact lines of a block scalar, the
// whole scalar for base64).
// https://kubernetes.io/docs/concepts/configuration/secret/#tls-secrets

// inlinePKI is one such value.
type inlinePKI struct {
	view *source.File // the decoded text, under the pseudo path
	read *pki.File
	// to maps a span of view into the YAML file.
	to func(source.Span) source.Span
	// bad says why the value cannot be decoded at all ("" when it can).
	bad string
}

// inlineName is the pseudo path of the value n of key: the file, the
// value's first line and the key, "k8s/db.yaml:7:tls.crt". The object's name
// is left out: a secretName is masked as a secret in every output.
func inlineName(n *yamlconf.Node, key string) string {
	at, _ := n.ValueSpan(0, 0) // a block scalar's first line, not its indicator's
	return n.Span.File.Path + ":" + strconv.Itoa(at.StartLine()) + ":" + key
}

// addInline records the PKI text of the YAML value n of key (decoded
// text, base64 when the file holds it encoded, bad when that encoding is
// broken) and returns its pseudo path; "" for a template expression,
// whose text is unknown.
func (b *builder) addInline(key string, n *yamlconf.Node, text string, b64, bad bool) string {
	if n == nil || kube.HasTemplate(n.Value) {
		return ""
	}
	name := inlineName(n, key)
	in := &inlinePKI{view: source.NewFile(name, []byte(text))}
	if b64 {
		in.to = func(source.Span) source.Span { return n.Span }
	} else {
		in.to = func(sp source.Span) source.Span { m, _ := n.ValueSpan(sp.Start, sp.End); return m }
	}
	if bad {
		// The API server refuses such a Secret.
		in.bad = "the value is not valid base64, which the API server refuses"
	} else {
		in.read = pki.Read(in.view)
	}
	if strings.Contains(text, "PRIVATE KEY") {
		// Key material: no snippet may show a byte of it.
		n.Span.File.MarkSecretLines(n.Span.Start, n.Span.End)
	}
	if b.inline == nil {
		b.inline = map[string]*inlinePKI{}
	}
	b.inline[name] = in
	return name
}

// inlineKeys records the private keys written inline, for TV507: the
// YAML file holding one commits it.
func (b *builder) inlineKeys() {
	names := make([]string, 0, len(b.inline))
	for name := range b.inline {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		in := b.inline[name]
		if in.read == nil {
			continue
		}
		for _, bl := range in.read.Blocks {
			if bl.Key != nil && bl.Key.Private || bl.Kind == pki.PrivateKey {
				b.p.KeyFiles = append(b.p.KeyFiles, model.KeyFile{Span: in.to(bl.Span)})
				break
			}
		}
	}
}

// inlineObjects records the PKI values of the ConfigMaps and Secrets of
// a file.
func (b *builder) inlineObjects(kf *kube.File) {
	for _, o := range kf.Objects {
		for _, de := range o.Data {
			if de.Content == kube.PKI {
				b.addInline(de.Key, de.Value, de.Text, de.Base64, de.BadB64)
			}
		}
	}
}

// bitnamiTLS are the chart values that hold PEM text and the keys of the
// Secret bitnami/mysql and bitnami/mariadb make of them
// (templates/tls-secret.yaml), which the charts mount at
// /opt/bitnami/<flavour>/certs.
// https://github.com/bitnami/charts/blob/5165628ae06697f8f68a670bef7739d93c4b7f44/bitnami/mysql/templates/tls-secret.yaml
var bitnamiTLS = []struct {
	meaning kube.Meaning
	key     string
}{{kube.TLSCert, "tls.crt"}, {kube.TLSKey, "tls.key"}, {kube.TLSCA, "ca.crt"}}

// inlineValues records the PEM text of chart values, and returns the
// container paths where the chart's server finds it: only when the chart
// writes that text into its Secret, which bitnami's template does when
// TLS is enabled, no existing Secret is named, automatic generation is
// off and its engine is not "helm" (the default engine makes the chart
// generate its own certificate whatever tls.cert says).
func (b *builder) inlineValues(v *kube.Values) map[string]string {
	if !strings.HasPrefix(v.Chart.Name, "bitnami/") {
		return nil
	}
	names := map[string]string{}
	for _, t := range bitnamiTLS {
		s := v.Get(t.meaning)
		if s == nil || s.Value == nil || s.Value.Kind != yamlconf.Scalar || strings.TrimSpace(s.Value.Value) == "" {
			continue
		}
		if name := b.addInline(s.Key.Path, s.Value, s.Value.Value, false, false); name != "" {
			names[t.key] = name
		}
	}
	str := func(m kube.Meaning) (string, bool) {
		s := v.Get(m)
		if s == nil || s.Value == nil || s.Value.Kind != yamlconf.Scalar || s.Template {
			return "", s == nil
		}
		return s.Value.Value, true
	}
	enabled, _ := str(kube.TLSEnabled)
	existing, ok1 := str(kube.TLSSecret)
	auto, _ := str(kube.TLSAutoGen)
	engine, ok2 := str(kube.TLSAutoEngine)
	if len(names) == 0 || enabled != "true" || !ok1 || existing != "" || auto != "false" || !ok2 || engine == "" || engine == "helm" {
		return nil
	}
	dir := "/opt/bitnami/" + strings.TrimPrefix(v.Chart.Name, "bitnami/") + "/certs/"
	files := map[string]string{}
	for key, name := range names {
		files[dir+key] = name
	}
	return files
}

// inlineFile is the PKI file of an inline value: the YAML file holds it.
func (b *builder) inlineFile(in *inlinePKI, keys map[*model.KeyInfo]*pki.Key, certs map[*model.CertInfo]*pki.Cert) *model.PKIFile {
	at := in.to(in.view.Span(0, 0))
	if in.read == nil {
		return &model.PKIFile{File: at.File, At: at, Problems: []model.Refusal{{Span: at, Message: in.bad}}}
	}
	pf := pkiFile(at.File, in.read, in.to, keys, certs)
	pf.At = at
	return pf
}

// pkiFile is what rules read of one certificate or key file, read as
// read, its spans moved by to (into the YAML file for inline text); keys
// and certs remember the parsed objects for the comparisons rules ask for.
func pkiFile(f *source.File, read *pki.File, to func(source.Span) source.Span,
	keys map[*model.KeyInfo]*pki.Key, certs map[*model.CertInfo]*pki.Cert) *model.PKIFile {
	pf := &model.PKIFile{File: f, DER: read.DER}
	for _, pr := range read.Problems {
		if pr.Kind != pki.DERFile && pr.Kind != pki.TrailingData {
			pf.Problems = append(pf.Problems, model.Refusal{Span: to(pr.Span), Message: pr.Msg})
		}
	}
	for i := range read.Blocks {
		bl := &read.Blocks[i]
		switch {
		case bl.Cert != nil:
			ci := certInfo(bl.Cert, to(bl.Span))
			certs[ci] = bl.Cert
			pf.Certs = append(pf.Certs, ci)
		case bl.List != nil:
			pf.CRLs = append(pf.CRLs, crlInfo(bl.List, to(bl.Span)))
		case bl.Key != nil && bl.Key.Private:
			k := bl.Key
			ki := &model.KeyInfo{Span: to(bl.Span), KeyType: k.KeyType, Bits: k.Bits, Encrypted: k.Encrypted}
			keys[ki] = k
			pf.Keys = append(pf.Keys, ki)
		case bl.Request != nil:
			pf.CSR = true
		}
	}
	return pf
}
