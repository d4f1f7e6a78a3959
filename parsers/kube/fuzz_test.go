package kube

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/yamlconf"
)

var seeds = []string{
	"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  my.cnf: |\n    [mysqld]\n    ssl=1\n",
	"apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {a.cnf: W2NsaWVudF0K, b: '%%%'}\nstringData: {u: 'mysql://h/x?tls=true'}\n",
	"apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      volumes: [{name: v, configMap: {name: c, items: [{key: k, path: p}]}}]\n      containers:\n      - {name: x, image: 'mysql:8', args: ['$(A)', '$$', '$(', '$(B)x'], env: [{name: A, value: a}, {name: B, valueFrom: {}}], volumeMounts: [{name: v, mountPath: /m, subPath: p}]}\n",
	"apiVersion: batch/v1\nkind: CronJob\nspec: {jobTemplate: {spec: {template: {spec: {initContainers: [{command: [a, *x]}]}}}}}\n",
	"configMapGenerator:\n- name: c\n  files: [my.cnf, k=a/b.cnf]\n  literals: [A=b, =, C]\n",
	"image: {tag: 11.4.3}\nprimary:\n  configuration: >\n    [mysqld]\n    {{- if .Values.x }}\n    a=b\n    {{ else }}\n    {% endif %}\n",
	"apiVersion: moco.cybozu.com/v1beta2\nkind: MySQLCluster\nspec: {podTemplate: {spec: {containers: [{name: mysqld, image: m:8}]}}}\n",
	"a: &a {apiVersion: v1, kind: Pod, spec: {containers: [&c {name: c}]}}\nb: *a\n",
	"apiVersion: v1\nkind: Pod\nspec: {containers: [{args: [\"\\u00e9$(X)\\t\"]}]}\n",
}

func FuzzRead(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, name := range []string{"x.yaml", "kustomization.yaml"} {
			r := yamlconf.Parse(source.NewFile(name, b), yamlconf.Options{MaxAliasNodes: 1000})
			check(t, r.File, Read(r))
		}
	})
}

// check asserts what holds for every file: nodes lie in the file, an
// unexpanded argument is its node's value, guards lie in order inside
// their text, and MountedKeys only names mounted volumes.
func check(t *testing.T, f *source.File, k *File) {
	t.Helper()
	in := func(n *yamlconf.Node) {
		if n != nil && (n.Span.File != f || n.Span.Start < 0 || n.Span.Start > n.Span.End || n.Span.End > len(f.Content)) {
			t.Fatalf("span %d-%d outside the file", n.Span.Start, n.Span.End)
		}
	}
	for _, o := range k.Objects {
		in(o.NameNode)
		for _, d := range o.Data {
			in(d.KeyNode)
			in(d.Value)
			if !d.Base64 && d.Text != d.Value.Value {
				t.Fatalf("plain data %q read as %q", d.Value.Value, d.Text)
			}
		}
		for _, c := range o.Containers {
			in(c.Image)
			for _, a := range append(append([]Arg{}, c.Command...), c.Args...) {
				in(a.Node)
				if !a.Expanded && a.Text != a.Node.Value {
					t.Fatalf("unexpanded arg %q read as %q", a.Node.Value, a.Text)
				}
			}
			for _, m := range c.Mounted {
				if m.Mount.Volume == nil || m.Object == "" {
					t.Fatalf("mounted key without a volume: %+v", m)
				}
			}
		}
	}
	for _, v := range k.Values {
		for _, s := range v.Settings {
			in(s.Value)
			last := 0
			for _, g := range s.Guards {
				n := len(s.Value.Value)
				if g.Open[0] < last || g.Open[1] > n || g.Body[0] > g.Body[1] || g.Body[1] > n || g.Close[0] > g.Close[1] {
					t.Fatalf("guard %+v out of order in %d bytes", g, n)
				}
				last = g.Open[1]
				if sp, _ := s.Value.ValueSpan(g.Open[0], g.Open[1]); sp.End > len(f.Content) {
					t.Fatalf("guard span %d-%d", sp.Start, sp.End)
				}
			}
		}
	}
}

// Hostile input stays linear: one argument of many unclosed "$(", an
// option text of many template lines, many containers.
func TestHostileLinear(t *testing.T) {
	const n = 200000
	big := []string{
		"apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - env: [{name: A, value: x}]\n    args: [\"" + strings.Repeat("$(", n) + "\", \"" + strings.Repeat("$(A)", n) + "\"]\n",
		"primary:\n  configuration: |\n" + strings.Repeat("    {{- if x }}\n    {{ else }}\n", n/40) + "\n", // yamlconf refuses more braces
		// Every mount lists every item of its volume: 10^4 × 2·10^4 keys unbounded.
		"apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: c\n    volumeMounts:\n" + strings.Repeat("    - name: v\n      mountPath: /m\n", n/20) +
			"  volumes:\n  - name: v\n    configMap:\n      name: c\n      items:\n" + strings.Repeat("      - key: k\n        path: p\n", n/10),
	}
	for i, s := range big {
		start := time.Now()
		r := yamlconf.Parse(source.NewFile("x.yaml", []byte(s)), yamlconf.Options{})
		k := Read(r)
		for _, o := range k.Objects {
			for _, c := range o.Containers {
				if len(c.Mounted) > 1<<20 || i == 2 && !c.MountedCut {
					t.Fatalf("input %d: %d mounted keys, cut %v", i, len(c.Mounted), c.MountedCut)
				}
			}
		}
		if len(k.Objects)+len(k.Values) == 0 {
			t.Fatalf("input %d: nothing read; problems %v", i, r.Problems)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("input %d (%d bytes) took %v", i, len(s), d)
		}
	}
	// Env values doubling at each step: 2^40 bytes if expanded in full.
	var laughs strings.Builder
	laughs.WriteString("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - env:\n    - {name: V0, value: xxxxxxxxxxxxxxxx}\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&laughs, "    - {name: V%d, value: \"$(V%d)$(V%d)\"}\n", i, i-1, i-1)
	}
	laughs.WriteString("    args: [\"$(V40)\"]\n")
	start := time.Now()
	c := Read(yamlconf.Parse(source.NewFile("x.yaml", []byte(laughs.String())), yamlconf.Options{})).Objects[0].Containers[0]
	if d := time.Since(start); d > 10*time.Second || !c.Args[0].Unknown || c.Args[0].Text != "$(V40)" {
		t.Fatalf("env laughs: %v, arg %q…", d, c.Args[0].Text[:min(20, len(c.Args[0].Text))])
	}
	start = time.Now()
	if g := Guards(strings.Repeat("{{ if x }}\n", n) + strings.Repeat("{{ end }}\n", n)); len(g) != n || g[0].Close[0] < 0 {
		t.Fatalf("nested guards: %d", len(g))
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("%d nested guards took %v", n, d)
	}
}
