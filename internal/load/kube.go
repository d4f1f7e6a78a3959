package load

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/compose"
	"github.com/tlsvet/tlsvet/parsers/connstr"
	"github.com/tlsvet/tlsvet/parsers/kube"
	"github.com/tlsvet/tlsvet/parsers/mycnf"
	"github.com/tlsvet/tlsvet/parsers/yamlconf"
)

// Kubernetes manifests and Helm values (parsers/kube): a container whose
// image is a MySQL-family server, with its args and the ConfigMap keys it
// mounts where the image reads option files; the values of the common
// charts (bitnami/mysql and mariadb, the operators), with the my.cnf text
// they carry read at the values file's own positions.

// generated is a repository file a Kustomize generator makes a
// ConfigMap or Secret key of.
type generated struct {
	key, host string // the key, and the file as a root-relative path
}

// kubeDeclared reads the YAML files that are not compose files as
// Kubernetes manifests and chart values.
func (b *builder) kubeDeclared(files []*source.File, mounted map[string]bool) []declared {
	var reads []*kube.File
	for _, f := range files {
		if compose.Detect(f.Path) || !isYAML(f.Path) {
			continue
		}
		yr := yamlconf.Parse(f, yamlconf.Options{})
		kf := kube.Read(yr)
		reads = append(reads, kf)
		if len(kf.Objects)+len(kf.Values)+len(kf.Kustomizations) > 0 {
			b.duplicates(yr)
		}
	}
	// ConfigMaps and Secrets by name, for the containers that mount them,
	// in whichever file they are.
	data := map[string]*kube.Object{}
	for _, kf := range reads {
		b.inlineObjects(kf)
		for _, o := range kf.Objects {
			if len(o.Data) > 0 {
				data[o.Kind+"/"+o.Name] = o
			}
		}
	}
	// Kustomize generators: ConfigMaps and Secrets made of repository
	// files, relative to the kustomization's directory.
	gens := map[string][]generated{}
	for _, kf := range reads {
		for _, k := range kf.Kustomizations {
			dir := path.Dir(k.Doc.Span.File.Path)
			for _, g := range k.Generators {
				kind := "ConfigMap/"
				if g.Secret {
					kind = "Secret/"
				}
				for _, gf := range g.Files {
					if host := path.Join(dir, gf.Path); !strings.HasPrefix(host, "../") {
						gens[kind+g.Name] = append(gens[kind+g.Name], generated{gf.Key, host})
					}
				}
			}
		}
	}
	var out []declared
	for _, kf := range reads {
		for _, v := range kf.Values {
			if d, ok := b.chartValues(v); ok {
				out = append(out, d)
			}
		}
		for _, o := range kf.Objects {
			for _, c := range o.Containers {
				if d, ok := b.container(o, c, data, gens, mounted); ok {
					out = append(out, d)
				}
			}
		}
	}
	return out
}

// isYAML reports whether name is a YAML file.
func isYAML(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// chartFlavors are the flavours of the charts' servers.
var chartFlavors = map[string]facts.Flavor{"mysql": facts.MySQL, "mariadb": facts.MariaDB, "percona-xtradb-cluster": facts.Percona}

// chartValues is the server a chart's values declare.
func (b *builder) chartValues(v *kube.Values) (declared, bool) {
	dep := &model.Deployment{Kind: "Helm values", Name: v.Chart.Name, Span: v.Doc.Span}
	d := declared{dep: dep}
	if ref := v.ImageRef(); ref != "" {
		if img, ok := facts.ParseImage(ref); ok {
			iv := facts.ResolveImage(img)
			d.target, d.known = iv.Target, iv.Basis != facts.TagUnknown
			dep.Image, dep.ImageBy = ref, "image "+iv.Phrase
			if s := v.Get(kube.ImageTag); s != nil {
				dep.ImageSpan = s.Value.Span
			}
		}
	}
	if fl, ok := chartFlavors[v.Chart.Flavor]; !d.known && ok {
		d.target, d.known = facts.FullRange(fl), true
		dep.ImageBy = v.Chart.Name + " values (version unknown)"
	}
	dep.Files = b.inlineValues(v)
	for _, s := range v.Settings {
		if s.Key.Meaning != kube.OptionText || s.Value == nil {
			continue
		}
		if r := b.embeddedNode(s.Value); r != nil {
			d.files = append(d.files, r)
		}
	}
	return d, len(d.files) > 0
}

// embeddedNode reads the my.cnf text of a YAML literal block scalar at
// the file's own positions (embedded); template control lines ({{- if }},
// {% endif %}) are left out, so the settings they guard are read as
// written. Another scalar style is not read: its lines are joined or
// escaped, and the reading of those needs the decoded text.
func (b *builder) embeddedNode(n *yamlconf.Node) *mycnf.Result {
	if n.Kind == yamlconf.Scalar && n.Style == yamlconf.Folded && strings.Contains(strings.TrimSpace(n.Span.Text()), "\n") {
		// YAML folds the lines into one. MySQL reads a group header and
		// ignores the rest of its line (search_default_file_with_ext in
		// https://github.com/mysql/mysql-server/blob/8.4/mysys/my_default.cc;
		// my_print_defaults prints nothing for "[mysqld] tls_version=TLSv1.2"),
		// and an option before any header stops the program.
		effect := "MySQL reads the group header and ignores the rest of that line, so none of its settings is set"
		if !strings.HasPrefix(strings.TrimSpace(n.Value), "[") {
			effect = "the server stops with \"Found option without preceding group\""
		}
		b.p.Problems = append(b.p.Problems, model.Problem{Span: n.Span, Message: "option file in a folded block " +
			"scalar (>): YAML joins its lines into one, so the server receives \"" + firstWords(n.Value) +
			"…\" on a single line: " + effect + "; write it as a literal block (|)"})
		return nil
	}
	if n.Kind != yamlconf.Scalar || n.Style != yamlconf.Literal || n.Value == "" {
		return nil
	}
	sp, _ := n.ValueSpan(0, len(n.Value))
	for _, g := range kube.Guards(n.Value) {
		if g.Expr || g.Body[1] <= g.Body[0] {
			continue
		}
		if body, _ := n.ValueSpan(g.Body[0], g.Body[1]); body.IsValid() {
			b.p.Conditions = append(b.p.Conditions, model.Condition{Span: body, When: g.Cond})
		}
	}
	return embedded(sp.File, sp.Start, sp.End, func(line []byte) bool {
		t := strings.TrimSpace(string(line))
		return strings.HasPrefix(t, "{{") || strings.HasPrefix(t, "{%")
	})
}

// container is the server a workload's container runs, if its image is one.
func (b *builder) container(o *kube.Object, c *kube.Container, data map[string]*kube.Object,
	gens map[string][]generated, mounted map[string]bool) (declared, bool) {
	files := kubePlaced(c, data, gens, b.inline)
	// A connection string in the container's environment names files at
	// its container paths.
	for _, e := range c.Env {
		if e.Value != nil {
			b.containerEnvs = append(b.containerEnvs, containerEnv{e.Value.Span, files, o.Name + "/" + c.Name,
				"Kubernetes container " + o.Name + "/" + c.Name})
		}
	}
	b.kubeRouter(o, c, files, gens)
	if c.Image == nil {
		return declared{}, false
	}
	img, ok := facts.ParseImage(c.Image.Value)
	if !ok {
		return declared{}, false
	}
	iv := facts.ResolveImage(img)
	dep := &model.Deployment{Kind: "Kubernetes container", Name: o.Name + "/" + c.Name, Hosts: workloadHosts(o),
		Span: c.Image.Span, Image: c.Image.Value, ImageSpan: c.Image.Span, ImageBy: "image " + iv.Phrase, Files: files}
	d := declared{dep: dep, target: iv.Target, known: iv.Basis != facts.TagUnknown}
	args := c.Args
	if c.HasCommand {
		args = append(append([]kube.Arg(nil), c.Command...), c.Args...)
	}
	d.flags, dep.Swallowed = argFlags(args)
	if len(args) > 0 && args[0].Node != nil {
		d.flagsAt = args[0].Node.Span
	}
	for _, mk := range c.Mounted {
		kind := "ConfigMap/"
		if mk.Secret {
			kind = "Secret/"
		}
		for _, g := range gens[kind+mk.Object] {
			if mk.Key != "" && g.key != mk.Key {
				continue
			}
			p := mk.Path
			if mk.Key == "" {
				p = strings.TrimSuffix(mk.Path, "/") + "/" + g.key
			}
			if kube.Classify(g.key, "") == kube.PKI {
				continue // placed by kubePlaced
			}
			if reads, _, _ := facts.ReadsOptionFile(img, iv.Target, p, false); reads {
				if _, err := fs.Stat(b.opt.FS, g.host); err == nil {
					mounted[g.host] = true
					d.files = append(d.files, b.readOption(g.host))
				}
			}
		}
		obj := data[kind+mk.Object]
		if obj == nil {
			continue
		}
		for _, de := range obj.Data {
			if mk.Key != "" && de.Key != mk.Key {
				continue
			}
			p := mk.Path
			if mk.Key == "" {
				p = strings.TrimSuffix(mk.Path, "/") + "/" + de.Key
			}
			if de.Content != kube.OptionFile || de.Base64 {
				continue
			}
			if reads, _, why := facts.ReadsOptionFile(img, iv.Target, p, false); !reads {
				dep.Ignored = append(dep.Ignored, model.IgnoredFile{Span: mk.Mount.PathNode.Span, Path: p, Reason: why})
				continue
			}
			if r := b.embeddedNode(de.Value); r != nil {
				d.files = append(d.files, r)
			}
		}
	}
	return d, len(d.flags) > 0 || len(d.files) > 0 || d.known
}

// kubePlaced maps the container paths of container c to the certificate
// and key files its mounts place there: keys of Kustomize-generated
// ConfigMaps and Secrets (repository files) and certificates written in
// ConfigMap and Secret values (inline, by pseudo path).
func kubePlaced(c *kube.Container, data map[string]*kube.Object, gens map[string][]generated,
	inline map[string]*inlinePKI) map[string]string {
	var files map[string]string
	for _, mk := range c.Mounted {
		kind := "ConfigMap/"
		if mk.Secret {
			kind = "Secret/"
		}
		at := func(key string) string {
			if mk.Key == "" {
				return path.Clean(strings.TrimSuffix(mk.Path, "/") + "/" + key)
			}
			return path.Clean(mk.Path)
		}
		for _, g := range gens[kind+mk.Object] {
			if (mk.Key == "" || g.key == mk.Key) && kube.Classify(g.key, "") == kube.PKI {
				placed(&files, at(g.key), g.host, false)
			}
		}
		if obj := data[kind+mk.Object]; obj != nil {
			for _, de := range obj.Data {
				if name := inlineName(de.Value, de.Key); (mk.Key == "" || de.Key == mk.Key) && de.Content == kube.PKI && inline[name] != nil {
					placed(&files, at(de.Key), name, false)
				}
			}
		}
	}
	return files
}

// argFlags reads the server options of a container's arguments, each a
// list element: "--name=value", "--name value" for an option that takes
// a value (and the swallow pitfall when that value is another option).
func argFlags(args []kube.Arg) ([]*model.Setting, []model.Swallow) {
	cw := make([]cmdWord, len(args))
	for i, a := range args {
		cw[i] = cmdWord{text: a.Text, skip: a.Node == nil || a.Template}
		if a.Node != nil {
			cw[i].span, cw[i].spanOf, cw[i].quote = a.Node.Span, spanOfArg(a), quoteFor(a.Node)
		}
	}
	return commandFlags(cw, "command-line flag in a Kubernetes list element")
}

// spanOfArg maps a range of an argument's text to the file; an argument
// that $(VAR) expansion changed maps nowhere exactly.
func spanOfArg(a kube.Arg) func(i, j int) (source.Span, bool) {
	return func(i, j int) (source.Span, bool) {
		if a.Expanded || a.Unknown {
			return a.Node.Span, false
		}
		return a.Node.ValueSpan(i, j)
	}
}

// quoteFor spells text inside the YAML scalar n.
func quoteFor(n *yamlconf.Node) func(string) (string, bool) {
	c := map[yamlconf.Style]connstr.Container{yamlconf.Plain: connstr.YAMLPlain, yamlconf.SingleQuoted: connstr.YAMLSingle,
		yamlconf.DoubleQuoted: connstr.YAMLDouble, yamlconf.Literal: connstr.YAMLLiteral, yamlconf.Folded: connstr.YAMLFolded}[n.Style]
	return c.Quote
}

// firstWords is the start of a text for a message, at most 40 bytes and
// never cutting a UTF-8 sequence.
func firstWords(s string) string {
	if len(s) <= 40 {
		return strings.TrimSpace(s)
	}
	i := 40
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i]
}

// workloadHosts are the names a workload is usually reached by: a Service
// named as the workload (the headless Service of a StatefulSet), in its
// namespace's DNS forms
// (https://kubernetes.io/docs/concepts/services-networking/dns-pod-service/).
func workloadHosts(o *kube.Object) []string {
	ns := o.Namespace
	if ns == "" {
		ns = "default"
	}
	n := o.Name + "." + ns
	return []string{o.Name, n, n + ".svc", n + ".svc.cluster.local"}
}

// duplicates says, once per key, which value of a key written twice in a
// manifest or values file tlsvet reads: the last, as kubectl's warn and
// ignore field validation keep it; its default strict validation refuses
// the object (https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation).
func (b *builder) duplicates(r *yamlconf.Result) {
	for _, p := range r.Problems {
		if p.Kind != yamlconf.DuplicateKey {
			continue
		}
		at, first := p.Span.StartPos(), p.Related.StartPos()
		b.p.Notices = append(b.p.Notices, model.Notice{Path: r.File.Path, Note: true, Message: fmt.Sprintf(
			"key %q is written twice (lines %d and %d): tlsvet reads the last, as kubectl's warn and ignore field "+
				"validation do; its default strict validation refuses the object", p.Span.Text(), first.Line, at.Line)})
	}
}
