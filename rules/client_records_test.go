package rules_test

import (
	"testing"
	"testing/fstest"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/load"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/rules"
)

// TestClientRecords: a [client] group becomes the same record as a
// connection string, per client program and version piece.
func TestClientRecords(t *testing.T) {
	fsys := fstest.MapFS{"my.cnf": {Data: []byte("[client]\nssl-mode=REQUIRED\nssl-ca=/etc/ca.pem\n\n[mysql]\nssl-mode=VERIFY_IDENTITY\n")}}
	tg, _ := facts.ParseTarget("mysql-8.0.36")
	p, err := load.Load(load.Options{FS: fsys, Paths: []string{"."}, Targets: []facts.Target{tg}, TargetBy: "--target"})
	if err != nil {
		t.Fatal(err)
	}
	recs := rules.ClientRecords(p)
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2 (every client program, and mysql)", len(recs))
	}
	generic, mysql := recs[0], recs[1]
	if generic.Where != "[client]" || generic.Mode != model.ModeRequired || !generic.Explicit() || generic.By.Key != "ssl-mode" ||
		generic.CA == nil || generic.VerifiesChain || !generic.Encrypts {
		t.Errorf("[client]: %+v", generic)
	}
	if mysql.Where != "[client] [mysql]" || mysql.Mode != model.ModeVerifyIdentity || !mysql.VerifiesHost {
		t.Errorf("[mysql]: %+v", mysql)
	}
}
