package facts

import (
	"reflect"
	"testing"
)

func mustTarget(t *testing.T, s string) Target {
	t.Helper()
	tg, err := ParseTarget(s)
	if err != nil {
		t.Fatalf("ParseTarget(%q): %v", s, err)
	}
	return tg
}

func TestParseProtocol(t *testing.T) {
	tests := []struct {
		f    Flavor
		tok  string
		want Protocol
		ok   bool
	}{
		{MySQL, "TLSv1", TLSv10, true},
		{MySQL, "tlsv1.2", TLSv12, true},
		{MySQL, "TLSv1.0", 0, false}, // MySQL has no TLSv1.0 token
		{Percona, "TLSv1.0", 0, false},
		{MariaDB, "TLSv1.0", TLSv10, true},
		{MariaDB, "tlsv1.3", TLSv13, true},
		{MariaDB, "TLSv1", 0, false}, // observed: MariaDB refuses to start
		{TiDB, "TLSv1.0", TLSv10, true},
		{TiDB, "TLSv1", 0, false},
		{FlavorUnknown, "TLSv1", TLSv10, true},
		{FlavorUnknown, "TLSv1.0", TLSv10, true},
		{MySQL, "TLSv1.4", 0, false},
		{MySQL, "TLS1.2", 0, false},
		{MySQL, " TLSv1.3", 0, false}, // a leading space is not trimmed by MySQL
		{MySQL, "", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseProtocol(tt.f, tt.tok)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseProtocol(%v, %q) = %v, %v; want %v, %v", tt.f, tt.tok, got, ok, tt.want, tt.ok)
		}
	}
	if p, ok := AnyProtocol("TLSv1"); !ok || p != TLSv10 {
		t.Error("AnyProtocol(TLSv1)")
	}
	if p, ok := AnyProtocol("TLSv1.0"); !ok || p != TLSv10 {
		t.Error("AnyProtocol(TLSv1.0)")
	}
}

func TestSpell(t *testing.T) {
	for _, tt := range []struct {
		p    Protocol
		f    Flavor
		want string
	}{
		{TLSv10, MySQL, "TLSv1"}, {TLSv10, Percona, "TLSv1"}, {TLSv10, MariaDB, "TLSv1.0"},
		{TLSv10, TiDB, "TLSv1.0"}, {TLSv11, MySQL, "TLSv1.1"}, {TLSv13, MariaDB, "TLSv1.3"},
	} {
		if got := tt.p.Spell(tt.f); got != tt.want {
			t.Errorf("%v.Spell(%v) = %q, want %q", tt.p, tt.f, got, tt.want)
		}
		// Every spelling parses back in its own flavour.
		if back, ok := ParseProtocol(tt.f, tt.p.Spell(tt.f)); !ok || back != tt.p {
			t.Errorf("ParseProtocol(%v, %q) does not round-trip", tt.f, tt.p.Spell(tt.f))
		}
	}
	if !(TLSv10 < TLSv11 && TLSv11 < TLSv12 && TLSv12 < TLSv13) {
		t.Error("protocols must be ordered")
	}
}

func TestSupports(t *testing.T) {
	tests := []struct {
		target string
		p      Protocol
		want   Tri
	}{
		{"mysql-8.0.36", TLSv10, No},
		{"mysql-8.0.27", TLSv10, Yes},
		{"mysql-8.0", TLSv10, Maybe},
		{"mysql-8.0", TLSv13, Maybe}, // from 8.0.16
		{"mysql-8.0.16", TLSv13, Yes},
		{"mysql-8.0.15", TLSv13, No},
		{"mysql-5.7", TLSv13, No},
		{"mysql-5.7.44", TLSv12, Yes},
		{"mysql-5.7", TLSv12, Maybe}, // from 5.7.10
		{"mysql-5.6.46", TLSv12, Yes},
		{"mysql-5.6.45", TLSv12, No},
		{"mysql-8.4", TLSv11, No},
		{"mysql-8.4", TLSv12, Yes},
		{"mysql-9.x", TLSv10, No},
		{"mysql-26.7.0", TLSv13, Yes},
		{"percona-8.0.36", TLSv11, No},
		{"mysql-8", TLSv11, Maybe},
		{"mysql", TLSv10, Maybe},
		{"mariadb-11.4", TLSv10, Yes}, // still supported, with a warning
		{"mariadb-10.11", TLSv13, Yes},
		{"tidb-v7.5.0", TLSv10, Yes},
		{"tidb-v8.1.0", TLSv10, No},
		{"tidb-v8.1.0", TLSv12, Yes},
		{"8.0.36", TLSv11, No},       // unknown flavour, MySQL numbering
		{"10.11.9", TLSv11, Yes},     // unknown flavour, MariaDB numbering
		{"5.7.44-log", TLSv13, No},   // unknown flavour, MySQL numbering
		{"8.0.20-28", TLSv13, Yes},   // Percona-style suffix
		{"8.0.26", TLSv10, Yes},      // deprecated, still supported
		{"v8.1.0", TLSv12, Yes},      // image tag with v
		{"mysql-8.0.28", TLSv11, No}, // removal release
	}
	for _, tt := range tests {
		tg, err := ParseTarget(tt.target)
		if err != nil {
			tg, err = ParseVersion(tt.target)
		}
		if err != nil {
			t.Fatalf("%q: %v", tt.target, err)
		}
		if got := Supports(tg, tt.p); got != tt.want {
			t.Errorf("Supports(%s, %v) = %v, want %v", tt.target, tt.p, got, tt.want)
		}
	}
	// A range spanning MySQL and MariaDB numbering with an unknown flavour.
	wide := Target{Min: V(8, 0, 0), Max: V(11, Any, Any)}
	if got := Supports(wide, TLSv10); got != Maybe {
		t.Errorf("Supports(8.0–11.x, TLSv1.0) = %v, want maybe", got)
	}
}

func TestDeprecated(t *testing.T) {
	tests := []struct {
		target string
		p      Protocol
		want   Tri
	}{
		{"mysql-8.0.26", TLSv10, Yes},
		{"mysql-8.0.27", TLSv11, Yes},
		{"mysql-8.0.25", TLSv10, No},
		{"mysql-8.0.28", TLSv10, No}, // removed, not deprecated
		{"mysql-8.0", TLSv10, Maybe},
		{"mysql-5.7.35", TLSv10, Yes},
		{"mysql-5.7.34", TLSv10, No},
		{"mysql-5.7", TLSv11, Maybe},
		{"mysql-8.0.12", TLSv10, No}, // 5.7.35's deprecation does not reach back into 8.0
		{"mysql-8.0", TLSv12, No},
		{"mariadb-10.6.16", TLSv11, Yes},
		{"mariadb-10.6.15", TLSv11, No},
		{"mariadb-10.6", TLSv10, Maybe},
		{"mariadb-10.11.6", TLSv10, Yes},
		{"mariadb-11.4", TLSv11, Yes},
		{"mariadb-10.9", TLSv10, No},
		{"tidb-v7.6.0", TLSv11, Yes},
		{"tidb-v8.0.0", TLSv11, No},
	}
	for _, tt := range tests {
		if got := Deprecated(mustTarget(t, tt.target), tt.p); got != tt.want {
			t.Errorf("Deprecated(%s, %v) = %v, want %v", tt.target, tt.p, got, tt.want)
		}
	}
}

func TestDefaultProtocols(t *testing.T) {
	tests := []struct {
		target string
		want   []Protocol
		exact  bool
		legacy Tri
	}{
		{"mysql-8.0.36", protos12to13, true, No},
		{"mysql-8.4", protos12to13, true, No},
		{"mysql-8.0.20", protos10to13, true, Yes},
		{"mysql-8.0.10", protos10to12, true, Yes},
		{"mysql-8.0", protos10to13, false, Maybe},
		{"mysql-5.7.44", protos10to12, true, Yes},
		{"mysql-5.6.20", []Protocol{TLSv10}, true, Yes},
		{"mariadb-10.6.15", protos11to13, true, Yes},
		{"mariadb-10.6.16", protos12to13, true, No},
		{"mariadb-10.11.5", protos11to13, true, Yes},
		{"mariadb-10.11.6", protos12to13, true, No},
		{"mariadb-11.0.3", protos11to13, true, Yes},
		{"mariadb-11.0.4", protos12to13, true, No},
		{"mariadb-10.11", protos11to13, false, Maybe},
		{"mariadb-11.4", protos12to13, true, No},
		{"tidb-v7.5.0", protos11to13, true, Yes},
		{"tidb-v8.1.0", protos12to13, true, No},
		{"percona-8.0.36", protos12to13, true, No},
	}
	for _, tt := range tests {
		tg := mustTarget(t, tt.target)
		got, exact := DefaultProtocols(tg)
		if !reflect.DeepEqual(got, tt.want) || exact != tt.exact {
			t.Errorf("DefaultProtocols(%s) = %v, %v; want %v, %v", tt.target, got, exact, tt.want, tt.exact)
		}
		if l := DefaultHasLegacy(tg); l != tt.legacy {
			t.Errorf("DefaultHasLegacy(%s) = %v, want %v", tt.target, l, tt.legacy)
		}
	}
}

func TestProtocolLifecycle(t *testing.T) {
	l := ProtocolLifecycle(MySQL, TLSv10)
	if l.Deprecated != V(8, 0, 26) || l.Removed != V(8, 0, 28) || l.Source == "" {
		t.Errorf("MySQL TLSv1 lifecycle = %+v", l)
	}
	if got := ProtocolLifecycle(Percona, TLSv11); got.Removed != V(8, 0, 28) {
		t.Errorf("Percona follows MySQL: %+v", got)
	}
	if got := ProtocolLifecycle(MySQL, TLSv13); got.Added != V(8, 0, 16) {
		t.Errorf("MySQL TLSv1.3 added = %v", got.Added)
	}
	if got := ProtocolLifecycle(MariaDB, TLSv10); !got.Removed.IsZero() {
		t.Errorf("MariaDB never removed TLSv1.0: %+v", got)
	}
	if !ProtocolLifecycle(MySQL, 0).Absent {
		t.Error("protocol 0 is absent")
	}
	for _, f := range []Flavor{MySQL, MariaDB, TiDB} {
		for _, p := range Protocols {
			if ProtocolLifecycle(f, p).Source == "" {
				t.Errorf("%v %v: lifecycle without a source", f, p)
			}
		}
	}
}
