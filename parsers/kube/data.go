package kube

import (
	"encoding/base64"
	"path"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/parsers/dsn"
	"github.com/tlsvet/tlsvet/parsers/yamlconf"
)

// Content is what a ConfigMap or Secret value, or a literal, holds.
type Content uint8

const (
	Other      Content = iota
	OptionFile         // my.cnf text
	DSN                // a connection string
	PKI                // a certificate, key, CA bundle or CRL
)

// DataEntry is one key of a ConfigMap's or Secret's data, stringData or
// binaryData.
type DataEntry struct {
	Key     string
	KeyNode *yamlconf.Node
	Value   *yamlconf.Node
	// Text is the value; for a Secret's data (and binaryData), base64
	// decoded: its positions are then only Value.Span (Base64 true), and
	// no fix can be made inside it.
	Text    string
	Base64  bool
	BadB64  bool // data that is not valid base64: Text is empty
	Content Content
	// Field is "data", "stringData" or "binaryData". A stringData key
	// overrides the same data key when the Secret is written.
	// https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/secret-v1/
	Field string
}

func readData(root *yamlconf.Node, secret bool) []*DataEntry {
	var out []*DataEntry
	for _, field := range []string{"data", "stringData", "binaryData"} {
		m := get(root, field)
		if m == nil || m.Kind != yamlconf.Mapping {
			continue
		}
		// A Secret's data and every binaryData are base64; a ConfigMap's
		// data is plain text.
		// https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/config-map-v1/
		b64 := field == "binaryData" || secret && field == "data"
		for _, kv := range m.Pairs {
			k, v := scalarNode(kv.Key), scalarNode(kv.Value)
			if k == nil || v == nil {
				continue
			}
			e := &DataEntry{Key: k.Value, KeyNode: k, Value: v, Text: v.Value, Base64: b64, Field: field}
			if b64 {
				dec, err := base64.StdEncoding.DecodeString(stripSpace(v.Value))
				e.Text, e.BadB64 = string(dec), err != nil
				if err != nil {
					e.Text = ""
				}
			}
			e.Content = Classify(e.Key, e.Text)
			if secret && e.Content != OptionFile && e.Content != DSN {
				// A Secret's value is a secret by definition; option files
				// and DSNs are masked by their own readers, which know
				// where the password is.
				v.Span.File.MarkSecretLines(v.Span.Start, v.Span.End)
			}
			out = append(out, e)
		}
	}
	return out
}

// pkiExts are the extensions of certificate, key and CRL files.
var pkiExts = map[string]bool{".pem": true, ".crt": true, ".cer": true, ".key": true, ".der": true, ".crl": true}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
}

// Classify tells an option file, a DSN or PKI material from other text,
// by key name and content: a key ending in .cnf (my.cnf, mysqld.cnf,
// 99-extra.cnf) or text whose first group is one MySQL/MariaDB programs
// read is an option file; a key named like a certificate or key file
// (the tls.crt, tls.key and ca.crt of a kubernetes.io/tls Secret,
// server-cert.pem) or text holding a PEM BEGIN line is PKI; a one-line
// value some MySQL/MariaDB driver reads as a connection string
// (dsn.Candidates, no ecosystem hint) is a DSN.
// https://kubernetes.io/docs/concepts/configuration/secret/#tls-secrets
func Classify(key, text string) Content {
	if strings.HasSuffix(strings.ToLower(path.Base(key)), ".cnf") || firstGroupIsMySQL(text) {
		return OptionFile
	}
	if pkiExts[strings.ToLower(path.Ext(key))] || strings.Contains(text, "-----BEGIN ") {
		return PKI
	}
	if t := strings.TrimSpace(text); t != "" && !strings.ContainsAny(t, "\n") && dsn.Candidates(t, 0) != nil {
		return DSN
	}
	return Other
}

// firstGroupIsMySQL reports text whose first line that is not blank, a
// comment or template syntax is a [group] header MySQL or MariaDB
// programs read ([mysqld], [client], [mariadb], [galera]…).
func firstGroupIsMySQL(text string) bool {
	for line := range strings.SplitSeq(text, "\n") {
		l := strings.TrimSpace(line)
		if l == "" || l[0] == '#' || l[0] == ';' || strings.HasPrefix(l, "{{") || strings.HasPrefix(l, "{%") {
			continue
		}
		end := strings.IndexByte(l, ']')
		return l[0] == '[' && end > 0 && facts.GroupReaders(l[1:end]) != 0
	}
	return false
}

// Kustomization is a kustomization.yaml document.
// https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/configmapgenerator/
type Kustomization struct {
	Doc        *yamlconf.Document
	Namespace  string
	Generators []*Generator
}

// Generator is one configMapGenerator or secretGenerator entry.
type Generator struct {
	Node     *yamlconf.Node
	Secret   bool
	Name     string
	Files    []GenFile
	Literals []Literal
	Envs     []*yamlconf.Node // env files: KEY=VALUE lines
}

// GenFile is a "files" entry: "path" (key = the file's base name) or
// "key=path". Path is relative to the kustomization's directory.
type GenFile struct {
	Node      *yamlconf.Node
	Key, Path string
	Content   Content // OptionFile or PKI when the key says so (.cnf, .pem); DSN never
}

// Literal is a "literals" entry "KEY=VALUE"; ValueAt is where VALUE starts
// in Node.Value (for Node.ValueSpan).
type Literal struct {
	Node       *yamlconf.Node
	Key, Value string
	ValueAt    int
	Content    Content
}

func readKustomization(d *yamlconf.Document, root *yamlconf.Node) *Kustomization {
	k := &Kustomization{Doc: d, Namespace: scalar(get(root, "namespace"))}
	for _, field := range []string{"configMapGenerator", "secretGenerator"} {
		for _, g := range items(get(root, field)) {
			gen := &Generator{Node: g, Secret: field == "secretGenerator", Name: scalar(get(g, "name"))}
			for _, f := range items(get(g, "files")) {
				if f.Kind != yamlconf.Scalar {
					continue
				}
				gf := GenFile{Node: f, Path: f.Value, Key: path.Base(f.Value)}
				if key, p, ok := strings.Cut(f.Value, "="); ok {
					gf.Key, gf.Path = key, p
				}
				if c := Classify(gf.Key, ""); c == OptionFile || c == PKI {
					gf.Content = c
				}
				gen.Files = append(gen.Files, gf)
			}
			for _, l := range items(get(g, "literals")) {
				if l.Kind != yamlconf.Scalar {
					continue
				}
				key, val, _ := strings.Cut(l.Value, "=")
				lit := Literal{Node: l, Key: key, Value: val, ValueAt: min(len(key)+1, len(l.Value)), Content: Classify(key, val)}
				if gen.Secret && lit.Content != OptionFile && lit.Content != DSN {
					sp, _ := l.ValueSpan(lit.ValueAt, len(l.Value))
					l.Span.File.MarkSecret(sp.Start, sp.End)
				}
				gen.Literals = append(gen.Literals, lit)
			}
			for _, e := range items(get(g, "envs")) {
				if e.Kind == yamlconf.Scalar {
					gen.Envs = append(gen.Envs, e)
				}
			}
			k.Generators = append(k.Generators, gen)
		}
	}
	return k
}
