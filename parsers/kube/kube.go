// Package kube reads Kubernetes manifests, Kustomize files, Helm values and
// database operators' custom resources from a parsed YAML file
// (parsers/yamlconf) and returns what matters to a MySQL/MariaDB TLS check,
// each with its node (and so its exact span): ConfigMap and Secret keys
// holding option files or DSNs, containers with their image, command and
// args per element, env, and mounts linked to the ConfigMap keys they
// mount; Kustomize generators; and the image, option-file text, extra
// flags and TLS switches of the common charts and operators, found by the
// keys a document holds rather than by its file name.
//
// Nothing is evaluated: Helm and Jinja template expressions are reported
// as unknown, and a container's $(VAR) references are expanded only from
// literal env values, the result marked inexact.
package kube

import (
	"path"
	"strings"

	"github.com/tlsvet/tlsvet/parsers/yamlconf"
)

// File is what Read found in one YAML file.
type File struct {
	Objects        []*Object        // documents with apiVersion and kind
	Kustomizations []*Kustomization // kustomization.yaml documents
	Values         []*Values        // chart values and operator resources recognised by their keys
}

// Object is one Kubernetes object.
type Object struct {
	Doc        *yamlconf.Document
	APIVersion string
	Kind       string
	Name       string
	Namespace  string         // "" when the manifest leaves it to the deploy
	NameNode   *yamlconf.Node // metadata.name; nil if absent
	Data       []*DataEntry   // ConfigMap and Secret
	Containers []*Container   // workloads: init containers first, as they run
	Volumes    []*Volume      // workloads
}

// Read extracts what r's documents hold, and marks a Secret's values as
// secret in r.File. It never fails; documents it does not know are left
// out. Work is linear in the nodes of r (aliases expanded within
// yamlconf's budget); what could grow faster is bounded per file (limits).
func Read(r *yamlconf.Result) *File {
	out := &File{}
	kust := isKustomization(r.File.Path)
	lim := newLimits()
	for _, d := range r.Docs {
		root := deref(d.Root)
		if root == nil || root.Kind != yamlconf.Mapping {
			continue
		}
		api, kind := scalar(get(root, "apiVersion")), scalar(get(root, "kind"))
		// A kustomize Component holds generators too.
		// https://kubectl.docs.kubernetes.io/guides/config_management/components/
		isKust := kind == "Kustomization" || kind == "Component" && strings.HasPrefix(api, "kustomize.config.k8s.io/")
		if isKust || kust && api == "" && kind == "" {
			out.Kustomizations = append(out.Kustomizations, readKustomization(d, root))
			continue
		}
		if api != "" && kind != "" {
			out.Objects = append(out.Objects, readObject(d, root, api, kind, lim))
		}
		if v := recognise(d, root, api, kind); v != nil {
			out.Values = append(out.Values, v)
		}
	}
	return out
}

func isKustomization(p string) bool {
	switch path.Base(p) {
	case "kustomization.yaml", "kustomization.yml", "Kustomization":
		return true
	}
	return false
}

func readObject(d *yamlconf.Document, root *yamlconf.Node, api, kind string, lim *limits) *Object {
	o := &Object{Doc: d, APIVersion: api, Kind: kind}
	meta := get(root, "metadata")
	o.NameNode = scalarNode(get(meta, "name"))
	o.Name = scalar(o.NameNode)
	o.Namespace = scalar(get(meta, "namespace"))
	switch kind {
	case "ConfigMap", "Secret":
		o.Data = readData(root, kind == "Secret")
	default:
		if spec := podSpec(root, kind); spec != nil {
			o.Volumes = readVolumes(get(spec, "volumes"))
			o.Containers = readContainers(spec, o.Volumes, lim)
		}
	}
	return o
}

// podSpec returns the pod spec of a workload: a Pod's spec, a pod
// template's (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job), a
// CronJob's job template's.
// https://kubernetes.io/docs/concepts/workloads/pods/#pod-templates
func podSpec(root *yamlconf.Node, kind string) *yamlconf.Node {
	switch kind {
	case "Pod":
		return get(root, "spec")
	case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job":
		return at(root, "spec", "template", "spec")
	case "CronJob":
		return at(root, "spec", "jobTemplate", "spec", "template", "spec")
	case "PodTemplate":
		return at(root, "template", "spec")
	}
	return nil
}

// ServiceNames returns the DNS names by which pods reach a Service: its
// name (same namespace), name.namespace, name.namespace.svc and the fully
// qualified name with the default cluster domain; only the bare name when
// the namespace is not written.
// https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/#namespaces-of-services
func (o *Object) ServiceNames() []string {
	if o.Kind != "Service" || o.Name == "" {
		return nil
	}
	if o.Namespace == "" {
		return []string{o.Name}
	}
	n := o.Name + "." + o.Namespace
	return []string{o.Name, n, n + ".svc", n + ".svc.cluster.local"}
}

// ChartTemplate reports whether p (slash-separated) lies in a Helm chart's
// templates/ directory, that is under a "templates" directory whose parent
// holds Chart.yaml (exists answers for a path): such files are Go
// templates, not YAML, until Helm renders them.
// https://helm.sh/docs/topics/charts/#the-chart-file-structure
func ChartTemplate(p string, exists func(string) bool) bool {
	for dir := path.Dir(p); dir != "." && dir != "/" && dir != ""; dir = path.Dir(dir) {
		if path.Base(dir) == "templates" && exists(path.Join(path.Dir(dir), "Chart.yaml")) {
			return true
		}
	}
	return false
}

// deref follows an alias; nil for nil or an unexpanded alias.
func deref(n *yamlconf.Node) *yamlconf.Node {
	if n != nil && n.Kind == yamlconf.Alias {
		return n.Target
	}
	return n
}

// get returns the value of key k in mapping m, nil if absent. A repeated
// key gives the last value: kubectl's default strict field validation
// refuses such an object, and the warn and ignore modes keep the last
// (https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation);
// yamlconf reports the duplicate.
func get(m *yamlconf.Node, k string) *yamlconf.Node {
	kv := pair(m, k)
	if kv == nil {
		return nil
	}
	return deref(kv.Value)
}

func pair(m *yamlconf.Node, k string) *yamlconf.Pair {
	m = deref(m)
	if m == nil || m.Kind != yamlconf.Mapping {
		return nil
	}
	for i := len(m.Pairs) - 1; i >= 0; i-- {
		if key := deref(m.Pairs[i].Key); key != nil && key.Kind == yamlconf.Scalar && key.Value == k {
			return &m.Pairs[i]
		}
	}
	return nil
}

// at follows a path of mapping keys.
func at(m *yamlconf.Node, keys ...string) *yamlconf.Node {
	for _, k := range keys {
		m = get(m, k)
	}
	return m
}

func scalarNode(n *yamlconf.Node) *yamlconf.Node {
	if n = deref(n); n != nil && n.Kind == yamlconf.Scalar {
		return n
	}
	return nil
}

// scalar returns a scalar's value, "" for anything else or null.
func scalar(n *yamlconf.Node) string {
	if n = scalarNode(n); n == nil || n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

// items returns a sequence's items (aliases followed), nil otherwise.
func items(n *yamlconf.Node) []*yamlconf.Node {
	if n = deref(n); n == nil || n.Kind != yamlconf.Sequence {
		return nil
	}
	out := make([]*yamlconf.Node, 0, len(n.Items))
	for _, it := range n.Items {
		if it = deref(it); it != nil {
			out = append(out, it)
		}
	}
	return out
}

// HasTemplate reports a Helm (Go template) or Jinja expression or tag in
// s: what it renders to is unknown.
func HasTemplate(s string) bool {
	return strings.Contains(s, "{{") || strings.Contains(s, "{%")
}
