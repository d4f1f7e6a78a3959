package load

import (
	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/model"
)

const (
	serverPrograms = facts.MySQLServer | facts.MariaDBServer
	clientPrograms = facts.MySQLClient | facts.MariaDBClient
)

// variant is one program version that reads an option file.
type variant struct {
	target facts.Target
	by     string
	group  *model.Group // the versioned group that defines it, if any
}

// servers builds one Server per server version the file can be read by:
// each versioned group ([mysqld-8.0], [mariadb-10.11]) is read only by that
// version, so it makes its own variant together with the unversioned server
// groups; without versioned groups there is one variant per configured
// target, or one of unknown version. A configured target narrows a
// versioned group's range when the two overlap.
func servers(of *model.OptionFile, targets []facts.Target, by string) []*model.Server {
	var generic, versioned []*model.Group
	mariadbOnly := false
	for _, g := range of.Groups {
		if g.Readers&serverPrograms == 0 {
			continue
		}
		if g.Readers&serverPrograms == facts.MariaDBServer {
			mariadbOnly = true
		}
		if _, ok := facts.GroupTarget(g.Name); ok {
			versioned = append(versioned, g)
		} else {
			generic = append(generic, g)
		}
	}
	if len(generic)+len(versioned) == 0 {
		return nil
	}
	var vs []variant
	seen := map[string]bool{}
	for _, g := range versioned {
		t, _ := facts.GroupTarget(g.Name)
		if seen[t.String()] {
			continue
		}
		seen[t.String()] = true
		v := variant{target: t, by: "group [" + g.Written + "]", group: g}
		for _, ct := range targets {
			if n, ok := intersect(ct, t); ok {
				v.target, v.by = n, by+" and group ["+g.Written+"]"
				break
			}
		}
		vs = append(vs, v)
	}
	for _, ct := range targets {
		covered := false
		for _, v := range vs {
			if _, ok := intersect(ct, v.target); ok {
				covered = true
			}
		}
		if !covered {
			vs = append(vs, variant{target: ct, by: by})
		}
	}
	if len(vs) == 0 {
		vs = append(vs, unknownVersion(mariadbOnly))
	}
	var out []*model.Server
	for _, v := range vs {
		s := &model.Server{File: of, Target: v.target, TargetBy: v.by}
		s.Groups, s.Options, s.Settings = collect(of, func(g *model.Group) bool {
			if g.Readers&serverPrograms == 0 || !readsFlavor(g.Readers, v.target.Flavor, facts.MySQLServer, facts.MariaDBServer) {
				return false
			}
			gt, ok := facts.GroupTarget(g.Name)
			if !ok {
				return true
			}
			_, overlap := intersect(gt, v.target)
			return overlap
		})
		out = append(out, s)
	}
	of.Servers = out
	return out
}

// clients builds one Client per configured target (or one of unknown
// version) from the groups client programs read ([client-server] is read
// by MariaDB clients and servers alike).
func clients(of *model.OptionFile, targets []facts.Target, by string) []*model.Client {
	has, mariadbOnly := false, false
	for _, g := range of.Groups {
		if g.Readers&clientPrograms != 0 {
			has = true
			if g.Readers&clientPrograms == facts.MariaDBClient {
				mariadbOnly = true
			}
		}
	}
	if !has {
		return nil
	}
	vs := []variant{}
	for _, t := range targets {
		vs = append(vs, variant{target: t, by: by})
	}
	if len(vs) == 0 {
		vs = append(vs, unknownVersion(mariadbOnly))
	}
	var out []*model.Client
	for _, v := range vs {
		c := &model.Client{File: of, Target: v.target, TargetBy: v.by}
		c.Groups, c.Options, c.Settings = collect(of, func(g *model.Group) bool {
			return g.Readers&clientPrograms != 0 &&
				readsFlavor(g.Readers, v.target.Flavor, facts.MySQLClient, facts.MariaDBClient)
		})
		out = append(out, c)
	}
	of.Clients = out
	return out
}

// unknownVersion is the variant when nothing says which version reads a
// file: any version of any flavour, or of MariaDB when only MariaDB reads
// the groups.
func unknownVersion(mariadbOnly bool) variant {
	if mariadbOnly {
		return variant{target: facts.FullRange(facts.MariaDB)}
	}
	return variant{target: facts.FullRange(facts.FlavorUnknown)}
}

// readsFlavor reports whether a group read by readers is read by a program
// of flavour f (any flavour when f is unknown).
func readsFlavor(readers facts.Program, f facts.Flavor, mysql, mariadb facts.Program) bool {
	switch f {
	case facts.MariaDB:
		return readers&mariadb != 0
	case facts.MySQL, facts.Percona:
		return readers&mysql != 0
	}
	return true
}

// collect gathers the groups that keep() accepts and their options in read
// order; the last occurrence of an option wins.
func collect(of *model.OptionFile, keep func(*model.Group) bool) ([]*model.Group, []*model.Option, model.Settings) {
	var gs []*model.Group
	for _, g := range of.Groups {
		if keep(g) {
			gs = append(gs, g)
		}
	}
	var opts []*model.Option
	set := model.Settings{}
	for _, o := range of.Options {
		if !keep(o.Group) {
			continue
		}
		opts = append(opts, o)
		if prev := set[o.Name]; prev != nil {
			// In place: copying Earlier for each repeat was O(n²).
			prev.Earlier = append(prev.Earlier, prev.Option)
			prev.Option = o
		} else {
			set[o.Name] = &model.Setting{Option: o}
		}
	}
	return gs, opts, set
}

// intersect returns the versions both targets cover. MySQL and Percona
// share version numbers and groups ([mysqld-8.0] is read by Percona 8.0).
func intersect(a, b facts.Target) (facts.Target, bool) {
	fa, fb := a.Flavor, b.Flavor
	family := func(f facts.Flavor) facts.Flavor {
		if f == facts.Percona {
			return facts.MySQL
		}
		return f
	}
	if fa != facts.FlavorUnknown && fb != facts.FlavorUnknown && family(fa) != family(fb) {
		return facts.Target{}, false
	}
	t := a
	if fa == facts.FlavorUnknown || fa == facts.MySQL && fb == facts.Percona {
		t.Flavor = fb
	}
	if b.Min.Compare(t.Min) > 0 {
		t.Min = b.Min
	}
	if b.Max.Compare(t.Max) < 0 {
		t.Max = b.Max
	}
	if t.Min.Compare(t.Max) > 0 {
		return facts.Target{}, false
	}
	if a.Spec != "" {
		t.Spec = a.Spec
	}
	return t, true
}
