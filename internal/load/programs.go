package load

import (
	"slices"

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
}

// servers builds one Server per server version and group suffix the file
// can be read by. A versioned group ([mysqld-8.0], [mariadb-10.11]) says
// which versions read that group; it pins no version for the server
// reading [mysqld]. So a configured target (--target, .tlsvet.toml) is
// never replaced: where a versioned group with options covers part of it,
// that part is one more variant, which reads the group too. Without a
// configured target each versioned group with options makes a variant;
// an empty one ([mariadb-10.5] at the end of Debian's 50-server.cnf) says
// nothing. Ranges start at their series' first GA release (facts.Released).
func servers(of *model.OptionFile, targets []facts.Target, by string) []*model.Server {
	var versioned []*model.Group
	mariadbOnly, has := false, false
	used := map[*model.Group]bool{}
	for _, o := range of.Options {
		used[o.Group] = true
	}
	for _, g := range of.Groups {
		if g.Readers&serverPrograms == 0 {
			continue
		}
		has = true
		if g.Readers&serverPrograms == facts.MariaDBServer {
			mariadbOnly = true
		}
		if _, ok := facts.GroupTarget(g.Name); ok && used[g] {
			versioned = append(versioned, g)
		}
	}
	if !has {
		return nil
	}
	var vs []variant
	if len(targets) == 0 {
		seen := map[string]bool{}
		for _, g := range versioned {
			t, _ := facts.GroupTarget(g.Name)
			if !seen[t.String()] {
				seen[t.String()] = true
				vs = append(vs, variant{target: facts.Released(t), by: "group [" + g.Written + "]"})
			}
		}
		if len(vs) == 0 {
			vs = append(vs, unknownVersion(mariadbOnly))
		}
	}
	for _, ct := range targets {
		ct = facts.Released(ct)
		covered := false
		seen := map[string]bool{}
		for _, g := range versioned {
			gt, _ := facts.GroupTarget(g.Name)
			n, ok := intersect(ct, gt)
			if n = facts.Released(n); !ok || seen[n.String()] {
				continue
			}
			seen[n.String()] = true
			vs = append(vs, variant{target: n, by: by + " and group [" + g.Written + "]"})
			covered = covered || n.Min == ct.Min && n.Max == ct.Max
		}
		if !covered {
			vs = append(vs, variant{target: ct, by: by})
		}
	}
	var out []*model.Server
	sfx, list := suffixes(of, serverPrograms)
	for _, suffix := range list {
		for _, v := range vs {
			s := &model.Server{File: of, Target: v.target, TargetBy: v.by}
			s.Groups, s.Options, s.Settings = collect(of, func(g *model.Group) bool {
				if g.Readers&serverPrograms == 0 || !readsFlavor(g.Readers, v.target.Flavor, facts.MySQLServer, facts.MariaDBServer) ||
					sfx[g] != "" && sfx[g] != suffix {
					return false
				}
				gt, ok := facts.GroupTarget(g.Name)
				return !ok || contains(gt, v.target)
			})
			if suffix == "" || len(s.Groups) > 0 {
				out = append(out, s)
			}
		}
	}
	of.Servers = out
	return out
}

// clients builds one Client per configured target (or one of unknown
// version) and group suffix from the groups client programs read
// ([client-server] is read by MariaDB clients and servers alike).
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
		vs = append(vs, variant{target: facts.Released(t), by: by})
	}
	if len(vs) == 0 {
		vs = append(vs, unknownVersion(mariadbOnly))
	}
	var out []*model.Client
	sfx, list := suffixes(of, clientPrograms)
	for _, suffix := range list {
		for _, v := range vs {
			c := &model.Client{File: of, Target: v.target, TargetBy: v.by}
			c.Groups, c.Options, c.Settings = collect(of, func(g *model.Group) bool {
				return g.Readers&clientPrograms != 0 && (sfx[g] == "" || sfx[g] == suffix) &&
					readsFlavor(g.Readers, v.target.Flavor, facts.MySQLClient, facts.MariaDBClient)
			})
			if suffix == "" || len(c.Groups) > 0 {
				out = append(out, c)
			}
		}
	}
	of.Clients = out
	return out
}

// maxSuffixes bounds the programs made for group suffixes: a file with
// thousands of [client.N] groups must not cost thousands of passes over
// its options. The suffixes past the bound share one program.
const maxSuffixes = 8

// suffixes gives the --defaults-group-suffix of each group progs read
// ([client.ssl]: ".ssl"; "" for a plain group) and the suffixes under
// which programs read the file: "" first, then each suffix. A program
// started with a suffix reads the plain groups and the suffixed ones, so
// each suffix is a program of its own.
func suffixes(of *model.OptionFile, progs facts.Program) (map[*model.Group]string, []string) {
	sfx := map[*model.Group]string{}
	list := []string{""}
	for _, g := range of.Groups {
		if g.Readers&progs == 0 {
			continue
		}
		_, s, ok := facts.GroupSuffix(g.Name)
		if !ok {
			continue
		}
		if !slices.Contains(list, s) {
			if len(list) > maxSuffixes {
				s = list[maxSuffixes]
			} else {
				list = append(list, s)
			}
		}
		sfx[g] = s
	}
	return sfx, list
}

// contains reports whether every version of inner lies in outer.
func contains(outer, inner facts.Target) bool {
	n, ok := intersect(inner, outer)
	return ok && n.Min == inner.Min && n.Max == inner.Max
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
func collect(of *model.OptionFile, keep func(*model.Group) bool) ([]*model.Group, []*model.Setting, model.Settings) {
	var gs []*model.Group
	for _, g := range of.Groups {
		if keep(g) {
			gs = append(gs, g)
		}
	}
	var opts []*model.Setting
	set := model.Settings{}
	for _, o := range of.Options {
		if !keep(o.Group) {
			continue
		}
		opts = append(opts, o)
		if prev := set[o.Name]; prev != nil {
			// In place: copying Earlier for each repeat was O(n²).
			prev.Earlier = append(prev.Earlier, prev.Setting)
			prev.Setting = o
		} else {
			set[o.Name] = &model.Final{Setting: o}
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
