package facts

import "testing"

func TestGroupSuffix(t *testing.T) {
	tests := []struct {
		group, base, suffix string
		ok                  bool
	}{
		{"client.ssl", "client", ".ssl", true},
		{"client_ssl", "client", "_ssl", true},
		{"mysqld-ssl", "mysqld", "-ssl", true},
		{"mysqld.ssl", "mysqld", ".ssl", true},
		{"mysqldump_x", "mysqldump", "_x", true}, // the longest group wins
		{"mariadb-11.8-ssl", "mariadb-11.8", "-ssl", true},
		{"mysqld-8.0", "", "", false}, // versioned, not suffixed
		{"mysqld-v8", "", "", false},
		{"client", "", "", false},
		{"client-server", "", "", false}, // a group of its own
		{"client.", "", "", false},       // a separator and nothing after it
		{"myapp_client", "", "", false},
		{"mysqld_safe_x", "", "", false},
	}
	for _, tt := range tests {
		base, suffix, ok := GroupSuffix(tt.group)
		if ok != tt.ok || ok && (base != tt.base || suffix != tt.suffix) {
			t.Errorf("GroupSuffix(%q) = %q, %q, %v; want %q, %q, %v", tt.group, base, suffix, ok, tt.base, tt.suffix, tt.ok)
		}
	}
}

func TestReleased(t *testing.T) {
	series := func(s string) Target {
		tg, err := ParseTarget(s)
		if err != nil {
			t.Fatal(err)
		}
		return tg
	}
	tests := []struct {
		in    Target
		min   Version
		shown string
	}{
		{series("mariadb-10.5"), V(10, 5, 4), "MariaDB 10.5.x"},
		{series("mysql-8"), V(8, 0, 11), "MySQL 8.x"},
		{series("mysql-5.7"), V(5, 7, 9), "MySQL 5.7.x"},
		{series("mariadb-10.5.1"), V(10, 5, 1), "MariaDB 10.5.1"}, // named: kept
		{series("mariadb-12.1"), V(12, 1, 0), "MariaDB 12.1.x"},   // no GA known
		{series("mysql"), V(0, 0, 0), "MySQL (any version)"},
	}
	for _, tt := range tests {
		got := Released(tt.in)
		if got.Min != tt.min || got.String() != tt.shown {
			t.Errorf("Released(%v) = %v from %v, want %q from %v", tt.in, got, got.Min, tt.shown, tt.min)
		}
	}
	// Every row is a release of the series it names and cites its notes.
	for _, r := range firstGA {
		if r.source == "" || r.v.Patch == 0 {
			t.Errorf("%v %v: no source or not a patch release", r.flavor, r.v)
		}
	}
}
