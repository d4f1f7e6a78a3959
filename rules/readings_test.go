package rules

import (
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/model"
)

// opts builds client options of one [client] group from "name[=value]"
// lines as my_getopt would split them ("skip-ssl" → ssl, Skip).
func opts(lines ...string) []*model.Setting {
	g := &model.Group{Name: "client", Readers: facts.Clients}
	var out []*model.Setting
	for _, l := range lines {
		key, val, has := strings.Cut(l, "=")
		o := &model.Setting{Group: g, Key: key, HasValue: has, Value: val}
		name := strings.ReplaceAll(key, "-", "_")
		for _, p := range []string{"loose_", "skip_", "disable_"} {
			if rest, ok := strings.CutPrefix(name, p); ok {
				name = rest
				o.Loose = o.Loose || p == "loose_"
				o.Skip = p != "loose_"
			}
		}
		o.Name = name
		out = append(out, o)
	}
	return out
}

// TestReadMySQLClient follows MySQL's sslopt-case.h in read order.
func TestReadMySQLClient(t *testing.T) {
	my57, my80 := facts.Exact(facts.MySQL, facts.V(5, 7, 44)), facts.Exact(facts.MySQL, facts.V(8, 0, 36))
	for _, tc := range []struct {
		piece    facts.Target
		lines    []string
		mode     model.Mode
		by       string // key of the deciding option, "" for the default
		runs     bool
		fallback bool
	}{
		{my80, nil, model.ModePreferred, "", true, true},
		{my80, []string{"ssl-ca=/ca.pem"}, model.ModeVerifyCA, "ssl-ca", true, false},
		{my80, []string{"ssl-mode=required", "ssl-ca=/ca.pem"}, model.ModeRequired, "ssl-mode", true, false},
		{my80, []string{"ssl-ca=/ca.pem", "ssl-mode=PREFERRED"}, model.ModePreferred, "ssl-mode", true, true},
		{my80, []string{"ssl-mode=VERIFY"}, 0, "", false, false},                // the client exits (TV006)
		{my80, []string{"skip-ssl"}, model.ModePreferred, "", false, true},      // removed in 8.0 (TV004)
		{my80, []string{"loose-skip-ssl"}, model.ModePreferred, "", true, true}, // ignored with a warning
		{my57, []string{"skip-ssl", "ssl-ca=/ca.pem"}, model.ModeVerifyCA, "ssl-ca", true, false},
		{my57, []string{"ssl-ca=/ca.pem", "skip-ssl"}, model.ModeDisabled, "skip-ssl", true, false},
		{my57, []string{"ssl"}, model.ModeRequired, "ssl", true, false},
		{my57, []string{"ssl-mode=VERIFY_CA", "ssl"}, model.ModeVerifyCA, "ssl-mode", true, false},
		{my57, []string{"ssl-verify-server-cert", "skip-ssl-verify-server-cert"}, model.ModeVerifyCA, "skip-ssl-verify-server-cert", true, false},
	} {
		r := readMySQLClient(opts(tc.lines...), tc.piece)
		by := ""
		if r.By != nil {
			by = r.By.Key
		}
		if r.Runs != tc.runs || tc.runs && (r.Mode != tc.mode || by != tc.by || r.PlaintextFallback != tc.fallback) {
			t.Errorf("%s %q: got runs=%v mode=%v by=%q fallback=%v, want runs=%v mode=%v by=%q fallback=%v",
				tc.piece, tc.lines, r.Runs, r.Mode, by, r.PlaintextFallback, tc.runs, tc.mode, tc.by, tc.fallback)
		}
	}
}

// TestReadMariaDBClient follows the MariaDB client: --ssl on by default from
// 10.10, verification on by default from 11.4, TLS options re-enabling --ssl.
func TestReadMariaDBClient(t *testing.T) {
	m106, m1011, m114 := facts.Exact(facts.MariaDB, facts.V(10, 6, 20)), facts.Exact(facts.MariaDB, facts.V(10, 11, 9)),
		facts.Exact(facts.MariaDB, facts.V(11, 4, 5))
	for _, tc := range []struct {
		piece                 facts.Target
		lines                 []string
		mode                  model.Mode
		fallback, chain, runs bool
	}{
		{m106, nil, model.ModeDisabled, false, false, true},
		{m1011, nil, model.ModePreferred, true, false, true},
		{m114, nil, model.ModeVerifyIdentity, false, true, true},
		{m1011, []string{"ssl-ca=/ca.pem"}, model.ModePreferred, true, true, true},
		{m1011, []string{"ssl-verify-server-cert"}, model.ModeVerifyIdentity, false, true, true},
		{m114, []string{"disable-ssl-verify-server-cert"}, model.ModePreferred, true, false, true},
		{m1011, []string{"skip-ssl", "ssl-cert=/c.pem"}, model.ModePreferred, true, false, true},
		{m1011, []string{"ssl-cert=/c.pem", "ssl=0"}, model.ModeDisabled, false, false, true},
		{m1011, []string{"ssl-fp=AB:CD"}, model.ModeVerifyIdentity, false, true, true},
		{m1011, []string{"ssl-mode=REQUIRED"}, 0, false, false, false}, // unknown variable
	} {
		r := readMariaDBClient(opts(tc.lines...), tc.piece)
		if r.Runs != tc.runs || tc.runs && (r.Mode != tc.mode || r.PlaintextFallback != tc.fallback || r.VerifiesChain != tc.chain) {
			t.Errorf("%s %q: got runs=%v mode=%v fallback=%v chain=%v, want runs=%v mode=%v fallback=%v chain=%v",
				tc.piece, tc.lines, r.Runs, r.Mode, r.PlaintextFallback, r.VerifiesChain, tc.runs, tc.mode, tc.fallback, tc.chain)
		}
	}
}

// TestJudge checks when a finding that holds on some pieces is reported
// and how the pieces are named.
func TestJudge(t *testing.T) {
	mariadb := facts.FullRange(facts.MariaDB)
	unknown := facts.FullRange(facts.FlavorUnknown)
	pieces := func(t facts.Target) []facts.Target {
		var out []facts.Target
		for _, r := range flavourRanges(t, []*model.Group{{Readers: facts.Clients}}, facts.MySQLClient, facts.MariaDBClient) {
			out = append(out, cutAt(r, []facts.Version{facts.V(10, 10, 0), facts.V(11, 4, 0)})...)
		}
		return out
	}
	before114 := func(p facts.Target) bool { return p.Flavor == facts.MariaDB && p.Max.Less(facts.V(11, 4, 0)) }
	for _, tc := range []struct {
		name   string
		target facts.Target
		hit    func(facts.Target) bool
		want   []string // Where of each reported finding
	}{
		{"some versions, flavour known", mariadb, before114, []string{"MariaDB before 11.4"}},
		{"some versions, nothing known", unknown, before114, nil},
		{"every MySQL version", unknown, func(p facts.Target) bool { return p.Flavor == facts.MySQL }, []string{"MySQL"}},
		{"everywhere", unknown, func(facts.Target) bool { return true }, []string{""}},
		{"from 11.4", mariadb, func(p facts.Target) bool { return !p.Min.Less(facts.V(11, 4, 0)) }, []string{"MariaDB 11.4 and later"}},
	} {
		ps := pieces(tc.target)
		js := judge(tc.target, ps, func(i int) (bool, int, struct{}, bool) { return true, 0, struct{}{}, tc.hit(ps[i]) })
		var got []string
		for _, j := range js {
			got = append(got, j.Where)
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}
