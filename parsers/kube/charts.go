package kube

import (
	"strconv"
	"strings"

	"github.com/tlsvet/tlsvet/parsers/yamlconf"
)

// Meaning is what a chart or resource key sets.
type Meaning uint8

const (
	Image           Meaning = iota + 1 // a full image reference
	ImageRegistry                      // parts of a reference split over keys
	ImageRepository                    //
	ImageTag                           //
	ServerVersion                      // a version given as such (not an image tag)
	OptionText                         // my.cnf text
	OptionKeys                         // a ConfigMap name whose keys are option names (MOCO)
	OptionConfigMap                    // a ConfigMap replacing OptionText
	ExtraFlags                         // server command-line flags in one string
	Args                               // container args (a list)
	Command                            // container command (a list)
	TLSEnabled                         // bool
	TLSRequired                        // bool: only TLS connections
	TLSSelfSigned                      // bool: self-signed certificates, weaker verification
	TLSSecret                          // a Secret holding the server certificate and key
	TLSCASecret                        // a Secret holding the CA
	TLSCertFile                        // file names inside TLSSecret
	TLSKeyFile                         //
	TLSCAFile                          //
	Unsafe                             // bool: allows unsafe settings; for PXC it turns TLS off
	UnsafeTLS                          // bool: must be true to run with TLS disabled
)

// Chart is a chart's values or an operator's resource: how to recognise it
// and what its keys mean.
type Chart struct {
	Name   string // "bitnami/mysql", "PerconaXtraDBCluster"...
	Flavor string // "mysql", "mariadb", "percona-xtradb-cluster"; "" when decided per file
	// APIGroup and Kind recognise a custom resource (apiVersion's group);
	// empty for Helm values, which are recognised by holding any of Marks.
	APIGroup, Kind string
	Marks          []string
	Keys           []Key
	Source         string // where the keys are documented
}

// Key is one key path (dot-separated mapping keys; "name[=x]" selects the
// item of a list whose name is x) and its meaning.
type Key struct {
	Path    string
	Meaning Meaning
}

// bitnamiKeys are the keys of bitnami/mysql and bitnami/mariadb, which
// share their layout. tls.* since mysql chart 12.1.0 (bitnami/charts
// commit 151c51cc2f) and mariadb chart 20.1.0 (13c518ffc9).
var bitnamiKeys = []Key{
	{"image.registry", ImageRegistry}, {"image.repository", ImageRepository}, {"image.tag", ImageTag},
	{"primary.configuration", OptionText}, {"secondary.configuration", OptionText},
	{"primary.existingConfigmap", OptionConfigMap}, {"secondary.existingConfigmap", OptionConfigMap},
	{"primary.extraFlags", ExtraFlags}, {"secondary.extraFlags", ExtraFlags},
	{"primary.args", Args}, {"secondary.args", Args}, {"primary.command", Command}, {"secondary.command", Command},
	{"tls.enabled", TLSEnabled}, {"tls.existingSecret", TLSSecret},
	{"tls.certFilename", TLSCertFile}, {"tls.certKeyFilename", TLSKeyFile}, {"tls.certCAFilename", TLSCAFile},
}

var bitnamiMarks = []string{"primary.configuration", "secondary.configuration", "primary.extraFlags", "primary.existingConfigmap"}

// Charts is the table Read recognises documents by. Custom resources come
// first: their apiVersion and kind are certain, values are recognised by
// their keys.
var Charts = []Chart{
	{Name: "InnoDBCluster", Flavor: "mysql", APIGroup: "mysql.oracle.com", Kind: "InnoDBCluster",
		Keys: []Key{{"spec.version", ServerVersion}, {"spec.imageRepository", ImageRepository}, {"spec.mycnf", OptionText},
			{"spec.tlsUseSelfSigned", TLSSelfSigned}, {"spec.tlsSecretName", TLSSecret}, {"spec.tlsCASecretName", TLSCASecret}},
		Source: "https://github.com/mysql/mysql-operator/blob/e80768ea0e50e3e3ae86fad8b4167db833be3d53/helm/mysql-operator/crds/crd.yaml"},
	{Name: "PerconaXtraDBCluster", Flavor: "percona-xtradb-cluster", APIGroup: "pxc.percona.com", Kind: "PerconaXtraDBCluster",
		Keys: []Key{{"spec.pxc.image", Image}, {"spec.pxc.configuration", OptionText}, {"spec.tls.enabled", TLSEnabled},
			{"spec.sslSecretName", TLSSecret}, {"spec.allowUnsafeConfigurations", Unsafe}, {"spec.unsafeFlags.tls", UnsafeTLS}},
		Source: "https://github.com/percona/percona-xtradb-cluster-operator/blob/main/deploy/cr.yaml"},
	{Name: "MariaDB", Flavor: "mariadb", APIGroup: "k8s.mariadb.com", Kind: "MariaDB",
		Keys: []Key{{"spec.image", Image}, {"spec.myCnf", OptionText}, {"spec.myCnfConfigMapKeyRef.name", OptionConfigMap},
			{"spec.tls.enabled", TLSEnabled}, {"spec.tls.required", TLSRequired},
			{"spec.tls.serverCertSecretRef.name", TLSSecret}, {"spec.tls.serverCASecretRef.name", TLSCASecret}},
		Source: "https://github.com/mariadb-operator/mariadb-operator/blob/583d2bf3ffd61f76205c5fc4957143018a378046/api/v1alpha1/mariadb_types.go"},
	{Name: "MySQLCluster", Flavor: "mysql", APIGroup: "moco.cybozu.com", Kind: "MySQLCluster",
		Keys:   []Key{{"spec.podTemplate.spec.containers[=mysqld].image", Image}, {"spec.mysqlConfigMapName", OptionKeys}},
		Source: "https://github.com/cybozu-go/moco/blob/2002045335d28bc71652e651f1ea095494f37152/docs/usage.md"},
	{Name: "bitnami/mariadb", Flavor: "mariadb", Marks: bitnamiMarks, Keys: bitnamiKeys,
		Source: "https://github.com/bitnami/charts/blob/f9616f75d7915a7ba95008e49b2a71a3e3739c1f/bitnami/mariadb/values.yaml"},
	{Name: "bitnami/mysql", Flavor: "mysql", Marks: bitnamiMarks, Keys: bitnamiKeys,
		Source: "https://github.com/bitnami/charts/blob/f9616f75d7915a7ba95008e49b2a71a3e3739c1f/bitnami/mysql/values.yaml"},
	{Name: "percona/pxc-db", Flavor: "percona-xtradb-cluster", Marks: []string{"pxc.configuration", "pxc.image"},
		Keys: []Key{{"pxc.image", Image}, {"pxc.image.repository", ImageRepository}, {"pxc.image.tag", ImageTag},
			{"pxc.configuration", OptionText}, {"tls.enabled", TLSEnabled}, {"secrets.tls.cluster", TLSSecret},
			{"allowUnsafeConfigurations", Unsafe}, {"unsafeFlags.tls", UnsafeTLS}},
		Source: "https://github.com/percona/percona-helm-charts/blob/00361ed8994f17dd70f17194d2300bc6109f0570/charts/pxc-db/values.yaml"},
	{Name: "mysql/mysql-innodbcluster", Flavor: "mysql", Marks: []string{"serverConfig.mycnf", "tls.useSelfSigned"}, // serverVersion alone is too common a key
		Keys: []Key{{"image.registry", ImageRegistry}, {"image.repository", ImageRepository}, {"serverVersion", ServerVersion}, {"serverConfig.mycnf", OptionText}, {"tls.useSelfSigned", TLSSelfSigned},
			{"tls.serverCertAndPKsecretName", TLSSecret}, {"tls.caSecretName", TLSCASecret}},
		Source: "https://github.com/mysql/mysql-operator/blob/037b7adde4d887b0a7b6ab6c6fd867108021de05/helm/mysql-innodbcluster/values.yaml"},
}

// Values is a document recognised as a chart's values or a resource.
type Values struct {
	Doc   *yamlconf.Document
	Chart *Chart
	// ChartBy says why this chart among those the keys fit ("kind",
	// "image.repository", "image.tag major 11", "default"): bitnami/mysql
	// and bitnami/mariadb have the same keys.
	ChartBy string
	// Subchart is the top-level key the values sit under in a parent
	// chart's values ("mariadb:" for a dependency on bitnami/mariadb);
	// "" when they are the document's root. Key paths are relative to it.
	// https://helm.sh/docs/chart_template_guide/subcharts_and_globals/#overriding-values-from-a-parent-chart
	Subchart string
	Settings []Setting
}

// Setting is one key of the chart's table present in the document.
type Setting struct {
	Key     Key
	KeyNode *yamlconf.Node
	Value   *yamlconf.Node
	// Template marks a scalar holding a Helm/Jinja expression: its value
	// is unknown. For OptionText see Guards.
	Template bool
	Guards   []Guard // OptionText: template control lines and what they guard
}

// Get returns the first setting with meaning m, nil if none.
func (v *Values) Get(m Meaning) *Setting {
	for i := range v.Settings {
		if v.Settings[i].Key.Meaning == m {
			return &v.Settings[i]
		}
	}
	return nil
}

// ImageRef returns the image reference the settings give: a full
// reference, or [registry/]repository[:tag] joined from its parts (each
// part's position is its own setting's); "" when no repository is set
// (the chart's default image, not in this file), or only a tag: then the
// tag alone.
func (v *Values) ImageRef() string {
	if s := v.Get(Image); s != nil {
		return scalar(s.Value)
	}
	ref := ""
	if s := v.Get(ImageRepository); s != nil {
		ref = scalar(s.Value)
		if r := v.Get(ImageRegistry); r != nil && scalar(r.Value) != "" && ref != "" {
			ref = scalar(r.Value) + "/" + ref
		}
	}
	if t := v.Get(ImageTag); t != nil && scalar(t.Value) != "" {
		if ref == "" {
			return scalar(t.Value)
		}
		ref += ":" + scalar(t.Value)
	}
	return ref
}

// recognise matches a document against Charts: a resource by its kind,
// values by their keys at the root or else under one top-level key (a
// subchart's values in its parent's file).
func recognise(d *yamlconf.Document, root *yamlconf.Node, api, kind string) *Values {
	if v := recogniseAt(d, root, api, kind, ""); v != nil || kind != "" {
		return v
	}
	for _, kv := range root.Pairs {
		k := scalarNode(kv.Key)
		if val := deref(kv.Value); k != nil && val != nil && val.Kind == yamlconf.Mapping {
			if v := recogniseAt(d, val, "", "", k.Value); v != nil {
				return v
			}
		}
	}
	return nil
}

func recogniseAt(d *yamlconf.Document, root *yamlconf.Node, api, kind, subchart string) *Values {
	group, _, _ := strings.Cut(api, "/")
	for i := range Charts {
		c := &Charts[i]
		by := "kind"
		if c.Kind != "" {
			if c.Kind != kind || c.APIGroup != group {
				continue
			}
		} else {
			if kind != "" || !hasAny(root, c.Marks) {
				continue
			}
			var ok bool
			if by, ok = pickFlavor(root, c, subchart); !ok {
				continue
			}
		}
		v := &Values{Doc: d, Chart: c, ChartBy: by, Subchart: subchart}
		for _, k := range c.Keys {
			kv := lookup(root, k.Path)
			if kv == nil {
				continue
			}
			val := deref(kv.Value)
			if k.Meaning == Image && (val == nil || val.Kind != yamlconf.Scalar) {
				continue // pxc.image as a mapping: its repository and tag keys
			}
			s := Setting{Key: k, KeyNode: deref(kv.Key), Value: val}
			if val != nil && val.Kind == yamlconf.Scalar {
				s.Template = HasTemplate(val.Value)
				if k.Meaning == OptionText {
					s.Guards = Guards(val.Value)
				}
			}
			v.Settings = append(v.Settings, s)
		}
		return v
	}
	return nil
}

// pickFlavor decides between charts of the same keys (bitnami/mysql and
// bitnami/mariadb): by the image repository's name, else by the subchart
// key's, else by the tag's major version (MariaDB's are 10 and up,
// MySQL's 9 and below), else MySQL. It reports false when c is not the
// chart chosen.
func pickFlavor(root *yamlconf.Node, c *Chart, subchart string) (string, bool) {
	if !strings.HasPrefix(c.Name, "bitnami/") {
		return "keys", true
	}
	mariadb, by := false, "default"
	repo := strings.ToLower(scalar(at(root, "image", "repository")))
	tag := scalar(at(root, "image", "tag"))
	switch {
	case strings.Contains(repo, "mariadb"):
		mariadb, by = true, "image.repository"
	case strings.Contains(repo, "mysql"):
		by = "image.repository"
	case strings.Contains(strings.ToLower(subchart), "mariadb"):
		mariadb, by = true, "subchart key"
	case strings.Contains(strings.ToLower(subchart), "mysql"):
		by = "subchart key"
	case tag != "":
		major, _, _ := strings.Cut(tag, ".")
		if n, err := strconv.Atoi(major); err == nil {
			mariadb, by = n >= 10, "image.tag major "+major
		}
	}
	return by, mariadb == (c.Flavor == "mariadb")
}

func hasAny(root *yamlconf.Node, paths []string) bool {
	for _, p := range paths {
		if lookup(root, p) != nil {
			return true
		}
	}
	return false
}

// lookup follows a key path of the table; "containers[=x]" selects the
// item of the list containers whose name is x.
func lookup(n *yamlconf.Node, keyPath string) *yamlconf.Pair {
	segs := strings.Split(keyPath, ".")
	for i, seg := range segs {
		name, sel, hasSel := strings.Cut(seg, "[=")
		kv := pair(n, name)
		if kv == nil {
			return nil
		}
		if hasSel {
			sel = strings.TrimSuffix(sel, "]")
			var found *yamlconf.Node
			for _, it := range items(kv.Value) {
				if scalar(get(it, "name")) == sel {
					found = it
				}
			}
			if found == nil {
				return nil
			}
			if i == len(segs)-1 {
				return &yamlconf.Pair{Key: kv.Key, Value: found}
			}
			n = found
			continue
		}
		if i == len(segs)-1 {
			return kv
		}
		n = deref(kv.Value)
	}
	return nil
}
