package rules_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/linttest"
	"github.com/tlsvet/tlsvet/rules"
)

// TestChainFindingSeverities checks the severities fixtures cannot state:
// what stops TLS or every verification is an error; what only strict peers
// refuse, or what another setting may make up for, is a warning.
func TestChainFindingSeverities(t *testing.T) {
	for _, tc := range []struct {
		rule    *lint.Rule
		fixture string
		want    lint.Severity
	}{
		{rules.ChainOrder, "chain-order/ca-first.txtar", lint.Error},
		{rules.ChainOrder, "chain-order/out-of-order.txtar", lint.Warning},
		{rules.ChainOrder, "chain-order/old-mysql.txtar", lint.Error},
		{rules.UnhashedDirectory, "unhashed-directory/ca.txtar", lint.Error},
		{rules.UnhashedDirectory, "unhashed-directory/with-ca-file.txtar", lint.Warning},
	} {
		data, err := os.ReadFile(filepath.Join("testdata", tc.fixture))
		if err != nil {
			t.Fatal(err)
		}
		res := linttest.RunArchive(t, data, []*lint.Rule{tc.rule})
		if len(res.Diagnostics) != 1 {
			t.Errorf("%s: %d findings, want 1", tc.fixture, len(res.Diagnostics))
			continue
		}
		if got := res.Diagnostics[0].Severity; got != tc.want {
			t.Errorf("%s: severity %v, want %v", tc.fixture, got, tc.want)
		}
	}
}
