package kube

import (
	"path"
	"strings"

	"github.com/tlsvet/tlsvet/parsers/yamlconf"
)

// Container is one container of a pod spec.
// https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Container
type Container struct {
	Name  string
	Init  bool           // an init container
	Node  *yamlconf.Node // the container's mapping
	Image *yamlconf.Node // nil if absent
	// Command replaces the image's ENTRYPOINT and Args its CMD; a
	// container with Command set bypasses the image's entrypoint script.
	// https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#notes
	Command, Args       []Arg
	HasCommand, HasArgs bool // the key is present (an empty list still overrides)
	Env                 []Env
	EnvFrom             []EnvFrom
	Mounts              []*Mount
	// Mounted are the ConfigMap and Secret keys the mounts make visible,
	// with their container paths (see mounted); MountedCut when the
	// file's limit left some out.
	Mounted    []MountedKey
	MountedCut bool
}

// Arg is one element of command or args.
type Arg struct {
	Node *yamlconf.Node
	// Text is the element after $(VAR) expansion. When Expanded is false
	// it equals Node.Value, and Node.ValueSpan maps it to the file.
	Text     string
	Expanded bool // a $(VAR) or $$ was replaced: positions inside are approximate
	// Unknown marks a $(VAR) whose value is not in the manifest (valueFrom,
	// or a name envFrom may define); it is left as written in Text.
	Unknown  bool
	Template bool // holds a Helm/Jinja expression
}

// Env is one env entry.
type Env struct {
	Name      string
	NameNode  *yamlconf.Node
	Value     *yamlconf.Node // nil with valueFrom or no value
	ValueFrom bool           // the value comes from a Secret, ConfigMap or field: unknown here
}

// EnvFrom is one envFrom source: every key of a ConfigMap or Secret
// becomes a variable (with Prefix).
type EnvFrom struct {
	Node   *yamlconf.Node
	Secret bool
	Name   string
	Prefix string
}

// Mount is a volumeMount.
type Mount struct {
	Node      *yamlconf.Node
	Name      string
	MountPath string
	SubPath   string
	PathNode  *yamlconf.Node // mountPath
	Volume    *Volume        // nil when the pod has no volume of that name
}

// Volume is a pod volume backed by a ConfigMap or Secret (other volumes
// keep only their name).
type Volume struct {
	Node   *yamlconf.Node
	Name   string
	Secret bool
	Object string // the ConfigMap or Secret name; "" for other volumes
	Items  []Item // nil: every key, as a file named after it
}

// Item maps one key of a ConfigMap or Secret volume to a relative path.
type Item struct {
	Key, Path string
	Node      *yamlconf.Node
}

// MountedKey is a ConfigMap or Secret key as a container sees it.
type MountedKey struct {
	Mount  *Mount
	Secret bool
	Object string
	Key    string // "": every key of Object, each a file in the directory Path
	Path   string // the file's path in the container (the directory for every key)
}

// limits bound, per file, work that can grow faster than the file.
type limits struct {
	// expansion is the bytes $(VAR) expansion may still insert: values
	// that reference each other twice over double at each step (a
	// "billion laughs" through env). A reference past it stays unexpanded
	// and unknown.
	expansion int
	// mounted is the volume items mount resolution may still visit: every
	// mount of a volume of many items lists them all. Past it, further
	// keys are left out of Container.Mounted.
	mounted int
}

func newLimits() *limits { return &limits{expansion: 1 << 20, mounted: 1 << 20} }

func readContainers(spec *yamlconf.Node, vols []*Volume, lim *limits) []*Container {
	// Volume names are unique in a valid pod; the first one is kept.
	byName := make(map[string]*Volume, len(vols))
	for _, v := range vols {
		if _, dup := byName[v.Name]; !dup {
			byName[v.Name] = v
		}
	}
	var out []*Container
	for _, k := range []string{"initContainers", "containers"} {
		for _, c := range items(get(spec, k)) {
			if c.Kind == yamlconf.Mapping {
				out = append(out, readContainer(c, k == "initContainers", byName, lim))
			}
		}
	}
	return out
}

func readContainer(n *yamlconf.Node, init bool, vols map[string]*Volume, lim *limits) *Container {
	c := &Container{Node: n, Init: init, Name: scalar(get(n, "name")), Image: scalarNode(get(n, "image"))}
	for _, e := range items(get(n, "env")) {
		v := Env{NameNode: scalarNode(get(e, "name")), Value: scalarNode(get(e, "value")), ValueFrom: get(e, "valueFrom") != nil}
		v.Name = scalar(v.NameNode)
		c.Env = append(c.Env, v)
	}
	for _, e := range items(get(n, "envFrom")) {
		ef := EnvFrom{Node: e, Prefix: scalar(get(e, "prefix"))}
		if r := get(e, "configMapRef"); r != nil {
			ef.Name = scalar(get(r, "name"))
		} else if r := get(e, "secretRef"); r != nil {
			ef.Secret, ef.Name = true, scalar(get(r, "name"))
		}
		c.EnvFrom = append(c.EnvFrom, ef)
	}
	c.HasCommand, c.HasArgs = pair(n, "command") != nil, pair(n, "args") != nil
	look := lookupIn(c.envMap(lim), len(c.EnvFrom) > 0, lim)
	c.Command = readArgs(get(n, "command"), look)
	c.Args = readArgs(get(n, "args"), look)
	for _, m := range items(get(n, "volumeMounts")) {
		mt := &Mount{Node: m, Name: scalar(get(m, "name")), PathNode: scalarNode(get(m, "mountPath")), SubPath: scalar(get(m, "subPath"))}
		mt.MountPath, mt.Volume = scalar(mt.PathNode), vols[mt.Name]
		c.Mounts = append(c.Mounts, mt)
	}
	c.Mounted, c.MountedCut = mounted(c.Mounts, lim)
	return c
}

// envVal is a variable's value for expansion; known false for valueFrom.
type envVal struct {
	val   string
	known bool
}

// envMap is the container's env by name, the last entry winning. A value
// is expanded from the entries before it, as the kubelet does; one that
// keeps an unknown reference is unknown.
// https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/
func (c *Container) envMap(lim *limits) map[string]envVal {
	m := make(map[string]envVal, len(c.Env))
	for _, e := range c.Env {
		if e.Name == "" {
			continue
		}
		v := envVal{scalar(e.Value), !e.ValueFrom}
		if v.known && strings.IndexByte(v.val, '$') >= 0 {
			var unknown bool
			v.val, _, unknown = Expand(v.val, lookupIn(m, len(c.EnvFrom) > 0, lim))
			v.known = !unknown
		}
		m[e.Name] = v
	}
	return m
}

// lookupIn is Expand's lookup over env; with envFrom, an undefined name
// may be defined there: unknown. Each value it gives is charged to lim.
func lookupIn(env map[string]envVal, envFrom bool, lim *limits) func(string) (string, bool, bool) {
	return func(name string) (string, bool, bool) {
		v, ok := env[name]
		switch {
		case !ok:
			return "", false, envFrom
		case !v.known || len(v.val) > lim.expansion:
			return "", false, true
		}
		lim.expansion -= len(v.val)
		return v.val, true, false
	}
}

func readArgs(n *yamlconf.Node, lookup func(string) (string, bool, bool)) []Arg {
	var out []Arg
	for _, it := range items(n) {
		if it.Kind != yamlconf.Scalar {
			continue
		}
		a := Arg{Node: it, Text: it.Value, Template: HasTemplate(it.Value)}
		if strings.IndexByte(it.Value, '$') >= 0 {
			var changed bool
			a.Text, changed, a.Unknown = Expand(it.Value, lookup)
			a.Expanded = changed
		}
		out = append(out, a)
	}
	return out
}

// Expand expands $(VAR) references in s as the kubelet does for command
// and args: "$$" reads as "$", "$(NAME)" as the variable's value when
// lookup knows it, and an undefined reference is kept as written.
// lookup returns the value, whether it is defined with a known value, and
// whether the reference is unknown (defined elsewhere: valueFrom, envFrom).
// Expand reports whether anything was replaced and whether an unknown
// reference was kept.
// https://github.com/kubernetes/kubernetes/blob/v1.31.0/third_party/forked/golang/expansion/expand.go
func Expand(s string, lookup func(string) (val string, ok, unknown bool)) (out string, changed, unknown bool) {
	var b strings.Builder
	last, noClose := 0, false
	for i := 0; i+1 < len(s); i++ {
		if s[i] != '$' {
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteString(s[last:i])
			b.WriteByte('$')
			changed = true
			last = i + 2
			i++
		case '(':
			if noClose {
				continue
			}
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				noClose = true // no later "$(" can close either: no rescan for each
				continue
			}
			name := s[i+2 : i+2+end]
			v, ok, unk := lookup(name)
			if unk {
				unknown = true
			}
			b.WriteString(s[last:i])
			if ok {
				b.WriteString(v)
				changed = true
			} else {
				b.WriteString(s[i : i+3+end])
			}
			last = i + 3 + end
			i = last - 1
		}
	}
	if !changed {
		return s, false, unknown
	}
	b.WriteString(s[last:])
	return b.String(), true, unknown
}

func readVolumes(n *yamlconf.Node) []*Volume {
	var out []*Volume
	for _, v := range items(n) {
		vol := &Volume{Node: v, Name: scalar(get(v, "name"))}
		src := get(v, "configMap")
		if s := get(v, "secret"); s != nil {
			src, vol.Secret = s, true
			vol.Object = scalar(get(s, "secretName"))
		} else {
			vol.Object = scalar(get(src, "name"))
		}
		for _, it := range items(get(src, "items")) {
			vol.Items = append(vol.Items, Item{Key: scalar(get(it, "key")), Path: scalar(get(it, "path")), Node: it})
		}
		out = append(out, vol)
	}
	return out
}

// mounted returns the ConfigMap and Secret keys mounts make visible, with
// their container paths. With subPath the mount is the one file (a key,
// or an item's path) named by it; without, the volume's items, or every
// key, appear in mountPath.
// https://kubernetes.io/docs/concepts/configuration/configmap/#using-configmaps-as-files-from-a-pod
func mounted(mounts []*Mount, lim *limits) (keys []MountedKey, cut bool) {
	var out []MountedKey
	for _, m := range mounts {
		v := m.Volume
		if v == nil || v.Object == "" || m.MountPath == "" {
			continue
		}
		if lim.mounted -= 1 + len(v.Items); lim.mounted < 0 {
			return out, true
		}
		k := MountedKey{Mount: m, Secret: v.Secret, Object: v.Object}
		switch {
		case m.SubPath != "" && v.Items == nil:
			k.Key, k.Path = m.SubPath, m.MountPath
			out = append(out, k)
		case m.SubPath != "":
			for _, it := range v.Items {
				if path.Clean(it.Path) == path.Clean(m.SubPath) {
					k.Key, k.Path = it.Key, m.MountPath
					out = append(out, k)
				}
			}
		case v.Items == nil:
			k.Path = m.MountPath
			out = append(out, k)
		default:
			for _, it := range v.Items {
				k.Key, k.Path = it.Key, path.Join(m.MountPath, it.Path)
				out = append(out, k)
			}
		}
	}
	return out, false
}
