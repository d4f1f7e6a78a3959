package load

import (
	"math/rand"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
)

// TestEmbedded: my.cnf text in a YAML literal block is read at the YAML
// file's own offsets, so findings and fixes land inside the block.
func TestEmbedded(t *testing.T) {
	text := "image:\n  tag: 11.4.3\nprimary:\n  configuration: |-\n    [mysqld]\n    tls_version = TLSv1.0,TLSv1.2 # é\n    ssl_key_password = hunter22\nother: x\n"
	f := source.NewFile("values.yaml", []byte(text))
	start := strings.Index(text, "    [mysqld]")
	end := strings.Index(text, "other:")
	r := embedded(f, start, end, nil)
	if len(r.Groups) != 1 || r.Groups[0].Name != "mysqld" || r.Groups[0].Span.File != f {
		t.Fatalf("groups %+v", r.Groups)
	}
	if len(r.Entries) != 2 {
		t.Fatalf("entries %+v", r.Entries)
	}
	e := r.Entries[0]
	if e.KeySpan.File != f || e.KeySpan.Text() != "tls_version" || e.ValueSpan.Text() != "TLSv1.0,TLSv1.2" {
		t.Errorf("entry spans %q %q", e.KeySpan.Text(), e.ValueSpan.Text())
	}
	if p := e.ValueSpan.StartPos(); p.Line != 6 || p.Col != 19 {
		t.Errorf("value at %d:%d, want 6:19", p.Line, p.Col)
	}
	pw := strings.Index(text, "hunter22")
	if !f.HasSecret(pw, pw+8) {
		t.Error("the password in the block is not marked secret on the YAML file")
	}
}

// TestBlockStylesPositions: my.cnf text in every literal block style of a
// chart's values, after non-ASCII text, is read at the values file's own
// line and column.
func TestBlockStylesPositions(t *testing.T) {
	for _, style := range []string{"|", "|-", "|+", "|2", "|4-"} {
		indent, col := "    ", 19 // "|2": two more than the parent's two
		if style == "|4-" {
			indent, col = "      ", 21
		}
		text := "image:\n  repository: bitnami/mysql # é ü\n  tag: 8.0.36\nprimary:\n  configuration: " + style + "\n" +
			indent + "# données: ☃\n" + indent + "[mysqld]\n" + indent + "tls_version = TLSv1.1,TLSv1.2\n"
		p, err := Load(Options{FS: fstest.MapFS{"values.yaml": {Data: []byte(text)}}, Paths: []string{"."}})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Servers) == 0 {
			t.Errorf("%s: no server", style)
			continue
		}
		set := p.Servers[0].Settings.Get("tls_version")
		if set == nil {
			t.Errorf("%s: no tls_version", style)
			continue
		}
		pos := set.ValueSpan.StartPos()
		if set.ValueSpan.Text() != "TLSv1.1,TLSv1.2" || pos.Line != 8 || pos.Col != col {
			t.Errorf("%s: value %q at %d:%d, want line 8 column %d", style, set.ValueSpan.Text(), pos.Line, pos.Col, col)
		}
	}
}

// TestLinkNearest: a host name that several Kubernetes workloads declare
// links a client to those declared closest to it, not to all of them.
func TestLinkNearest(t *testing.T) {
	workload := func(name string) string {
		return "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: " + name + "\nspec:\n  template:\n    spec:\n      containers:\n" +
			"        - name: mysql\n          image: mysql:8.0.36\n          args: [\"--skip-ssl\"]\n"
	}
	app := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n" +
		"        - name: app\n          image: shop:1\n          env:\n            - name: DB_DSN\n              value: \"app@tcp(db:3306)/x?tls=preferred\"\n"
	fsys := fstest.MapFS{
		"one/k8s/db.yaml":   {Data: []byte(workload("db"))},
		"one/k8s/app.yaml":  {Data: []byte(app)},
		"two/k8s/db.yaml":   {Data: []byte(workload("db"))},
		"two/k8s/app.yaml":  {Data: []byte(app)},
		"shared/db-a.yaml":  {Data: []byte(workload("db"))},
		"shared/db-b.yaml":  {Data: []byte(workload("db"))},
		"shared/x/app.yaml": {Data: []byte(app)},
	}
	p, err := Load(Options{FS: fsys, Paths: []string{"."}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, l := range p.Links {
		got[l.Client.Span.File.Path] = append(got[l.Client.Span.File.Path], l.Server.Deployment.Span.File.Path)
	}
	want := map[string][]string{
		"one/k8s/app.yaml":  {"one/k8s/db.yaml"},
		"two/k8s/app.yaml":  {"two/k8s/db.yaml"},
		"shared/x/app.yaml": {"shared/db-a.yaml", "shared/db-b.yaml"}, // equally near: both
	}
	for client, servers := range want {
		g := got[client]
		slices.Sort(g)
		if !slices.Equal(g, servers) {
			t.Errorf("%s links to %q, want %q", client, g, servers)
		}
	}
}

// TestNearIndex compares the index with its definition, a scan of every
// candidate (nearestByScan), on random trees of compose services and
// Kubernetes workloads of one host name.
func TestNearIndex(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	dirs := []string{".", "a", "a/b", "a/b/c", "a/x", "k8s", "k8s/prod", "k8s/dev/db", "z/y/x/w"}
	for round := 0; round < 300; round++ {
		var cands []*model.Deployment
		for range r.Intn(6) {
			kind := "Kubernetes container"
			if r.Intn(2) == 0 {
				kind = "compose service"
			}
			f := source.NewFile(path.Join(dirs[r.Intn(len(dirs))], "f.yaml"), nil)
			cands = append(cands, &model.Deployment{Kind: kind, Name: "db", Span: source.Span{File: f}})
		}
		ix := newNearIndex(cands, func(d *model.Deployment) *model.Deployment { return d })
		for _, d := range dirs {
			name := path.Join(d, "app.env")
			got, want := ix.nearest(name), nearestByScan(cands, name)
			if !slices.Equal(got, want) {
				t.Fatalf("%s among %s: %s, want %s", name, deps(cands), deps(got), deps(want))
			}
		}
	}
}

// nearestByScan is nearIndex.nearest's definition: of the candidates a
// file at name may reach (sameProject), those whose directory shares the
// most leading directories with name's.
func nearestByScan(cands []*model.Deployment, name string) []*model.Deployment {
	shared := func(a, b string) int {
		if a == "." || b == "." {
			return 0
		}
		as, bs := strings.Split(a, "/"), strings.Split(b, "/")
		n := 0
		for n < len(as) && n < len(bs) && as[n] == bs[n] {
			n++
		}
		return n
	}
	var out []*model.Deployment
	best := -1
	for _, d := range cands {
		if !sameProject(d, name) {
			continue
		}
		switch n := shared(path.Dir(d.Span.File.Path), path.Dir(name)); {
		case n > best:
			out, best = append(out[:0], d), n
		case n == best:
			out = append(out, d)
		}
	}
	return out
}

func deps(ds []*model.Deployment) string {
	var s []string
	for _, d := range ds {
		s = append(s, d.Kind+"@"+d.Span.File.Path)
	}
	return "[" + strings.Join(s, " ") + "]"
}
