package mycnf

import (
	"fmt"
	"testing"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct {
		key  string
		want Name
	}{
		{"ssl", Name{Canonical: "ssl"}},
		{"ssl-ca", Name{Canonical: "ssl_ca"}},
		{"tls_version", Name{Canonical: "tls_version"}},
		{"skip-ssl", Name{Canonical: "ssl", Skip: true}},
		{"disable_ssl", Name{Canonical: "ssl", Skip: true}},
		{"enable-ssl", Name{Canonical: "ssl", Enable: true}},
		{"maximum-max_connections", Name{Canonical: "max_connections", Maximum: true}},
		{"loose_tls-version", Name{Canonical: "tls_version", Loose: true}},
		{"loose-skip-SSL", Name{Canonical: "SSL", Loose: true, Skip: true}},
		// Only the innermost prefix acts (handle_options() restarts its
		// prefix loop after each removal and acts on the one that found
		// the option); loose is sticky.
		{"skip-loose-ssl", Name{Canonical: "ssl", Loose: true}},
		{"skip-enable-ssl", Name{Canonical: "ssl", Enable: true}},
		{"enable-skip-ssl", Name{Canonical: "ssl", Skip: true}},
		{"autoset-max_connections", Name{Canonical: "max_connections", Autoset: true}},
		// MySQL compares prefixes byte by byte.
		{"LOOSE-ssl", Name{Canonical: "LOOSE_ssl"}},
		{"skipssl", Name{Canonical: "skipssl"}},
		{"skip-", Name{Canonical: "", Skip: true}},
		{"skip", Name{Canonical: "skip"}},
		{"", Name{}},
	} {
		if got := Normalize(tc.key); got != tc.want {
			t.Errorf("Normalize(%q) = %+v, want %+v", tc.key, got, tc.want)
		}
	}
}

func TestGetopt(t *testing.T) {
	known := map[string]bool{"skip_name_resolve": true, "ssl": true, "name_resolve": true}
	maria := Getopt{FoldCase: true, Autoset: true, Known: func(s string) bool { return known[s] }}
	mysql := Getopt{Known: maria.Known}
	for _, tc := range []struct {
		g    Getopt
		key  string
		want Name
	}{
		{mysql, "skip-name-resolve", Name{Canonical: "skip_name_resolve"}}, // an option of its own
		{mysql, "loose-skip-name-resolve", Name{Canonical: "skip_name_resolve", Loose: true}},
		{mysql, "skip-ssl", Name{Canonical: "ssl", Skip: true}},
		{mysql, "SKIP-ssl", Name{Canonical: "SKIP_ssl"}},
		{mysql, "autoset-ssl", Name{Canonical: "autoset_ssl"}}, // MySQL has no autoset prefix
		{maria, "SKIP-SSL", Name{Canonical: "ssl", Skip: true}},
		{maria, "Loose-Skip-Name-Resolve", Name{Canonical: "skip_name_resolve", Loose: true}},
		{maria, "loose-unknown-thing", Name{Canonical: "unknown_thing", Loose: true}},
	} {
		if got := tc.g.Normalize(tc.key); got != tc.want {
			t.Errorf("%s Normalize(%q) = %+v, want %+v", name(tc.g), tc.key, got, tc.want)
		}
	}
}

func name(g Getopt) string { return fmt.Sprintf("FoldCase=%v", g.FoldCase) }
