package facts

import "testing"

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in       string
		flavor   Flavor
		min, max Version
		str      string
	}{
		{"mysql-8.0.36", MySQL, V(8, 0, 36), V(8, 0, 36), "MySQL 8.0.36"},
		{"mariadb-11.4", MariaDB, V(11, 4, 0), V(11, 4, Any), "MariaDB 11.4.x"},
		{"mysql-8", MySQL, V(8, 0, 0), V(8, Any, Any), "MySQL 8.x"},
		{"mysql-8.x", MySQL, V(8, 0, 0), V(8, Any, Any), "MySQL 8.x"},
		{"mysql-8.0.x", MySQL, V(8, 0, 0), V(8, 0, Any), "MySQL 8.0.x"},
		{"percona-8.0", Percona, V(8, 0, 0), V(8, 0, Any), "Percona Server 8.0.x"},
		{"tidb-v8.1.0", TiDB, V(8, 1, 0), V(8, 1, 0), "TiDB 8.1.0"},
		{"mysql", MySQL, V(0, 0, 0), maxVersion, "MySQL (any version)"},
		{"MariaDB", MariaDB, V(0, 0, 0), maxVersion, "MariaDB (any version)"},
		{"mysql:5.7", MySQL, V(5, 7, 0), V(5, 7, Any), "MySQL 5.7.x"},
		{"8.0.36", FlavorUnknown, V(8, 0, 36), V(8, 0, 36), "MySQL/MariaDB 8.0.36"},
		{"mysql:8.0.36-debian", MySQL, V(8, 0, 36), V(8, 0, 36), "MySQL 8.0.36"},
		{"mariadb:11.4.2-jammy", MariaDB, V(11, 4, 2), V(11, 4, 2), "MariaDB 11.4.2"},
	}
	for _, tt := range tests {
		got, err := ParseTarget(tt.in)
		if err != nil {
			t.Errorf("ParseTarget(%q): %v", tt.in, err)
			continue
		}
		if got.Flavor != tt.flavor || got.Min != tt.min || got.Max != tt.max {
			t.Errorf("ParseTarget(%q) = %v %v–%v, want %v %v–%v", tt.in, got.Flavor, got.Min, got.Max, tt.flavor, tt.min, tt.max)
		}
		if got.String() != tt.str {
			t.Errorf("ParseTarget(%q).String() = %q, want %q", tt.in, got.String(), tt.str)
		}
		if got.Spec != tt.in {
			t.Errorf("ParseTarget(%q).Spec = %q", tt.in, got.Spec)
		}
	}
	for _, bad := range []string{"", "oracle-8.0", "mysql-8.0.x.1", "mysql-abc", "mysql-x", "mysql-8.0.-1"} {
		if _, err := ParseTarget(bad); err == nil {
			t.Errorf("ParseTarget(%q) succeeded, want error", bad)
		}
	}
}

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in       string
		flavor   Flavor
		min, max Version
	}{
		{"8.0.36", FlavorUnknown, V(8, 0, 36), V(8, 0, 36)},
		{"8.0", FlavorUnknown, V(8, 0, 0), V(8, 0, Any)},
		{"8", FlavorUnknown, V(8, 0, 0), V(8, Any, Any)},
		{"5.7.44-log", FlavorUnknown, V(5, 7, 44), V(5, 7, 44)},
		{"10.11.9-MariaDB", MariaDB, V(10, 11, 9), V(10, 11, 9)},
		{"10.11.9-MariaDB-1:10.11.9+maria~ubu2204", MariaDB, V(10, 11, 9), V(10, 11, 9)},
		{"5.5.5-10.11.9-MariaDB-log", MariaDB, V(10, 11, 9), V(10, 11, 9)},
		{"8.0.36-28", Percona, V(8, 0, 36), V(8, 0, 36)},
		{"8.0.35-27.1", Percona, V(8, 0, 35), V(8, 0, 35)},
		{"8.0.36-0ubuntu0.22.04.1", FlavorUnknown, V(8, 0, 36), V(8, 0, 36)},
		{"8.0.36-debug", FlavorUnknown, V(8, 0, 36), V(8, 0, 36)},
		{"5.7.25-TiDB-v7.5.0", TiDB, V(7, 5, 0), V(7, 5, 0)},
		{"v8.1.0", FlavorUnknown, V(8, 1, 0), V(8, 1, 0)},
	}
	for _, tt := range tests {
		got, err := ParseVersion(tt.in)
		if err != nil {
			t.Errorf("ParseVersion(%q): %v", tt.in, err)
			continue
		}
		if got.Flavor != tt.flavor || got.Min != tt.min || got.Max != tt.max {
			t.Errorf("ParseVersion(%q) = %v %v–%v, want %v %v–%v", tt.in, got.Flavor, got.Min, got.Max, tt.flavor, tt.min, tt.max)
		}
	}
	for _, bad := range []string{"", "latest", "lts", "x.0"} {
		if _, err := ParseVersion(bad); err == nil {
			t.Errorf("ParseVersion(%q) succeeded, want error", bad)
		}
	}
}

func TestGroupTarget(t *testing.T) {
	tests := []struct {
		group  string
		ok     bool
		flavor Flavor
		min    Version
	}{
		{"mysqld-8.0", true, MySQL, V(8, 0, 0)},
		{"MySQLd-8.0", true, MySQL, V(8, 0, 0)},
		{"mysqld-5.7", true, MySQL, V(5, 7, 0)},
		{"mariadb-10.11", true, MariaDB, V(10, 11, 0)},
		{"mariadbd-10.11", true, MariaDB, V(10, 11, 0)},
		{"mysqld-10.6", true, MariaDB, V(10, 6, 0)},
		{"mysqld-26.7", true, MySQL, V(26, 7, 0)},
		{"mysqld", false, 0, Version{}},
		{"mysqld-8", false, 0, Version{}},
		{"mysqld-8.0.36", false, 0, Version{}},
		{"client-mariadb", false, 0, Version{}},
		{"mysqld_safe", false, 0, Version{}},
	}
	for _, tt := range tests {
		got, ok := GroupTarget(tt.group)
		if ok != tt.ok {
			t.Errorf("GroupTarget(%q) ok = %v, want %v", tt.group, ok, tt.ok)
			continue
		}
		if ok && (got.Flavor != tt.flavor || got.Min != tt.min || got.Max != V(tt.min.Major, tt.min.Minor, Any)) {
			t.Errorf("GroupTarget(%q) = %v (%v–%v)", tt.group, got, got.Min, got.Max)
		}
	}
}

func TestVersionOrder(t *testing.T) {
	if !V(8, 0, 9).Less(V(8, 0, 10)) || V(8, 0, 10).Less(V(8, 0, 9)) {
		t.Error("patch numbers must compare numerically")
	}
	if V(5, 7, 44).Compare(V(8, 0, 0)) != -1 || V(8, 4, 0).Compare(V(8, 4, 0)) != 0 || V(9, 0, 0).Compare(V(8, 4, 5)) != 1 {
		t.Error("Compare")
	}
	if got := V(8, 0, 28).String(); got != "8.0.28" {
		t.Errorf("String() = %q", got)
	}
	if got := (V(8, 0, 28)).Prev(); got != V(8, 0, 27) {
		t.Errorf("prev = %v", got)
	}
	if got := (V(8, 1, 0)).Prev(); got != V(8, 0, Any) {
		t.Errorf("prev = %v", got)
	}
}

func TestTargetPredicates(t *testing.T) {
	m80, _ := ParseTarget("mysql-8.0")
	m8036, _ := ParseTarget("mysql-8.0.36")
	if !m80.AnyAtLeast(V(8, 0, 28)) || m80.AllAtLeast(V(8, 0, 28)) || !m80.AnyBelow(V(8, 0, 28)) || m80.AllBelow(V(8, 0, 28)) {
		t.Error("mysql-8.0 straddles 8.0.28")
	}
	if !m8036.AllAtLeast(V(8, 0, 28)) || m8036.AnyBelow(V(8, 0, 28)) || !m8036.AllBelow(V(8, 4, 0)) {
		t.Error("mysql-8.0.36 is after 8.0.28 and before 8.4.0")
	}
	if !m80.Known() || !m80.VersionKnown() || m80.Exact() || !m8036.Exact() {
		t.Error("Known/VersionKnown/Exact")
	}
	bare, _ := ParseTarget("mysql")
	if !bare.Known() || bare.VersionKnown() {
		t.Error("a bare flavour is known but has no version")
	}
	if (Target{Max: maxVersion}).Known() {
		t.Error("the empty target (any flavour, any version) is not known")
	}
	pc, _ := ParseTarget("percona-8.0")
	if !pc.MySQLFamily() || !m80.MySQLFamily() {
		t.Error("Percona and MySQL are the MySQL family")
	}
	if md, _ := ParseTarget("mariadb-11.4"); md.MySQLFamily() {
		t.Error("MariaDB is not the MySQL family")
	}
	r := Target{Flavor: MySQL, Min: V(8, 0, 16), Max: V(8, 0, 27)}
	if got := r.String(); got != "MySQL 8.0.16–8.0.27" {
		t.Errorf("String() = %q", got)
	}
	if got := (Target{Flavor: MariaDB, Min: V(10, 6, 16), Max: maxVersion}).String(); got != "MariaDB 10.6.16 or later" {
		t.Errorf("String() = %q", got)
	}
}

func TestFlavorNames(t *testing.T) {
	for _, tt := range []struct {
		f            Flavor
		id, title    string
		parseAliases []string
	}{
		{MySQL, "mysql", "MySQL", []string{"mysql", "MySQL", "mysqld"}},
		{MariaDB, "mariadb", "MariaDB", []string{"mariadb", "mariadbd"}},
		{Percona, "percona", "Percona Server", []string{"percona", "ps"}},
		{TiDB, "tidb", "TiDB", []string{"tidb"}},
	} {
		if tt.f.String() != tt.id || tt.f.Title() != tt.title {
			t.Errorf("%d: String %q Title %q", tt.f, tt.f.String(), tt.f.Title())
		}
		for _, a := range tt.parseAliases {
			if f, ok := ParseFlavor(a); !ok || f != tt.f {
				t.Errorf("ParseFlavor(%q) = %v, %v", a, f, ok)
			}
		}
	}
}

func TestNumberingFlavor(t *testing.T) {
	for v, want := range map[Version]Flavor{
		V(5, 7, 44): MySQL, V(8, 4, 0): MySQL, V(9, 5, 0): MySQL, V(10, 11, 9): MariaDB,
		V(12, 0, 0): MariaDB, V(26, 7, 0): MySQL,
	} {
		if got := NumberingFlavor(v); got != want {
			t.Errorf("NumberingFlavor(%v) = %v, want %v", v, got, want)
		}
	}
}
