package load

import (
	"slices"
	"testing"
	"testing/fstest"

	"github.com/tlsvet/tlsvet/parsers/mycnf"
)

// TestFocusedSelects: which option files a focused run reads.
// (internal/cli's TestFocusedRunIsExact checks that its report is the
// whole-root run's.)
func TestFocusedSelects(t *testing.T) {
	files := map[string]string{
		"a/my.cnf":              "[mysqld]\n!include ../shared/tls.cnf\n!includedir conf.d\n",
		"a/conf.d/10-tls.cnf":   "[mysqld]\ntls_version=TLSv1.2\n",
		"a/conf.d/skip.txt":     "",
		"shared/tls.cnf":        "[mysqld]\nrequire_secure_transport=ON\n",
		"f/my.cnf":              "[client]\n!include ../a/conf.d/10-tls.cnf\n",
		"c/my.cnf.d/one.cnf":    "[mysqld]\ntls_version=TLSv1.3\n",
		"c/my.cnf.d/two.cnf":    "[client]\nssl-mode=REQUIRED\n",
		"d/alone.cnf":           "[mysqld]\n",
		"e/abs.cnf":             "[mysqld]\n!include /etc/mysql/x.cnf\n",
		"g/last.cnf":            "[mysqld]\n!include ../d/alone.cnfX", // the last byte is dropped
		"h/comment.cnf":         "[mysqld]\n#!include ../d/alone.cnf\n",
		"i/app.env":             "DB=app@tcp(db)/x\n",
		"j/not-a-directive.cnf": "[mysqld]\n!includes ../d/alone.cnf\n",
	}
	fsys := fstest.MapFS{}
	for n, s := range files {
		fsys[n] = &fstest.MapFile{Data: []byte(s)}
	}
	pick := func(focus []string, extra fstest.MapFS) ([]string, bool) {
		t.Helper()
		f := fsys
		if extra != nil {
			f = fstest.MapFS{}
			for k, v := range fsys {
				f[k] = v
			}
			for k, v := range extra {
				f[k] = v
			}
		}
		opt := Options{FS: f, Paths: []string{"."}, Focus: focus}
		w, _, err := walk(opt)
		if err != nil {
			t.Fatal(err)
		}
		contents := readAllIn(opt.FS, byDir(w.names))
		texts := make([][]byte, len(w.names))
		for i, n := range w.names {
			texts[i] = contents[n]
		}
		sel, _, ok := focused(opt, w, &mycnf.Cache{}, texts)
		return sel, ok
	}
	for _, tc := range []struct {
		focus []string
		want  []string
	}{
		// A fragment: its includer's unit, and every other unit reading it.
		{[]string{"a/conf.d/10-tls.cnf"}, []string{"a/conf.d/10-tls.cnf", "a/my.cnf", "f/my.cnf", "shared/tls.cnf"}},
		// A top file: its includes, and (widened) the others reading them.
		{[]string{"f/my.cnf"}, []string{"a/conf.d/10-tls.cnf", "a/my.cnf", "f/my.cnf", "shared/tls.cnf"}},
		// A file of a .d directory no scanned file includes: the directory is one server.
		{[]string{"c/my.cnf.d/two.cnf"}, []string{"c/my.cnf.d/one.cnf", "c/my.cnf.d/two.cnf"}},
		{[]string{"d/alone.cnf"}, []string{"d/alone.cnf", "g/last.cnf"}},
		{[]string{"e/abs.cnf"}, []string{"e/abs.cnf"}},
		{[]string{"c"}, []string{"c/my.cnf.d/one.cnf", "c/my.cnf.d/two.cnf"}},
	} {
		sel, ok := pick(tc.focus, nil)
		if !ok || !slices.Equal(sel, tc.want) {
			t.Errorf("focus %q: %q (focused %v), want %q", tc.focus, sel, ok, tc.want)
		}
	}
	if _, ok := pick([]string{"i/app.env"}, nil); ok {
		t.Error("a named application file: focused, want the whole root")
	}
	// Deployment files: a whole-root run when one may place a selected file.
	for _, tc := range []struct {
		name, text string
		whole      bool
	}{
		{"compose.yaml", "services:\n  db:\n    image: mysql:8.0\n", false},
		{"compose.yaml", "services:\n  db:\n    volumes:\n      - ./d:/etc/mysql/conf.d\n", true},
		{"sub/compose.yaml", "services:\n  db:\n    volumes: [\"../d/alone.cnf:/etc/mysql/my.cnf\"]\n", true},
		{"sub/compose.yaml", "services:\n  db:\n    volumes: [\"../dd/alone.cnf:/etc/mysql/my.cnf\"]\n", false},
		{"d/compose.yaml", "services:\n  db:\n    volumes:\n      - .:/etc/mysql/conf.d\n", true},
		{"compose.yaml", "services:\n  db:\n    volumes: [\".:/etc/mysql\"]\n", true},
		{"x/y/compose.yaml", "services:\n  db:\n    volumes:\n      - ../../:/etc/mysql\n", true},
		{"d/compose.yaml", "services:\n  db:\n    build: ../x/y\n", false},
		{"Dockerfile", "FROM mysql:8.0\nCOPY . /etc/mysql/\n", true},
		{"other/Dockerfile", "FROM mysql:8.0\nCOPY my.cnf /etc/mysql/\n", false},
		{"k8s/kustomization.yaml", "configMapGenerator:\n- name: db\n  files:\n  - ../g/last.cnf\n", true},
		{"k8s/db.json", "{\"kind\": \"ConfigMap\", \"data\": {\"my.cnf\": \"[mysqld]\"}}", false},
	} {
		_, ok := pick([]string{"d/alone.cnf"}, fstest.MapFS{tc.name: {Data: []byte(tc.text)}})
		if ok == tc.whole {
			t.Errorf("%s %q: focused %v, want %v", tc.name, tc.text, ok, !tc.whole)
		}
	}
}
