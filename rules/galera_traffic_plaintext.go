package rules

import (
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
)

// Sources for the Galera rules.
const (
	srcPXC80Encrypt = "https://docs.percona.com/percona-xtradb-cluster/8.0/encrypt-traffic.html"
	srcPXC57Vars    = "https://docs.percona.com/percona-xtradb-cluster/5.7/wsrep-system-index.html"
	srcPXC80Vars    = "https://docs.percona.com/percona-xtradb-cluster/8.0/wsrep-system-index.html"
	srcPXC80SST     = "https://docs.percona.com/percona-xtradb-cluster/8.0/xtrabackup-sst.html"
	srcGaleraSSL    = "https://galeracluster.com/library/documentation/ssl-config.html"
	srcGaleraParse  = "https://github.com/codership/galera/blob/4.x/galerautils/src/gu_config.cpp"
	srcMDBSocketSSL = "https://mariadb.com/docs/galera-cluster/reference/wsrep-variable-details/socket.ssl"
	srcMDBWsrepSSL  = "https://mariadb.com/docs/galera-cluster/reference/wsrep-variable-details/wsrep_ssl_mode"
	srcMDBESCluster = "https://mariadb.com/docs/galera-cluster/galera-security/mariadb-enterprise-cluster-security"
	srcMDBSecGalera = "https://mariadb.com/kb/en/securing-communications-in-galera-cluster/"
	srcMDBSSTScript = "https://github.com/MariaDB/server/blob/10.11/scripts/wsrep_sst_mariabackup.sh"
	srcMDEV25359    = "https://github.com/MariaDB/server/commit/fd9ca569f2"
)

// GaleraTrafficPlaintext is TV409.
var GaleraTrafficPlaintext = &lint.Rule{
	ID:               "TV409",
	Name:             "galera-traffic-plaintext",
	Severity:         lint.Warning,
	SecuritySeverity: "7.5",
	Tags:             []string{"security", "tls", "galera"},
	Doc: lint.Doc{
		Title: "Galera write-sets, IST or SST travel between the nodes in plaintext",
		Why: "Galera replicates every write-set, and sends incremental (IST) and full (SST) state transfers, " +
			"over its own channels, not over client connections: `ssl_cert` and `require_secure_transport` do " +
			"not protect them. Unencrypted, anyone on the network reads every row, and anyone who can reach " +
			"the cluster ports can join as a node and receive a full copy of the data by triggering an SST.\n\n" +
			"The rule runs only on a server that configures Galera (`wsrep_on`, `wsrep_provider` or " +
			"`wsrep_cluster_address`, without `wsrep_on=OFF` or `wsrep_provider=none`) and reads each " +
			"distribution by its own meaning:\n\n" +
			"- **Percona XtraDB Cluster** (recognised by a `pxc-*`/`pxc_strict_mode` option, a `galera3`/`galera4` " +
			"provider path or a Percona target): `pxc-encrypt-cluster-traffic=ON` configures `socket.ssl_*` and " +
			"`[sst] encrypt=4` from the server's `ssl-ca`/`ssl-cert`/`ssl-key`. It is ON by default from PXC 8.0 " +
			"and OFF by default in PXC 5.7. When it is OFF, write-sets and IST are encrypted only by " +
			"`socket.ssl_key`/`socket.ssl_cert` in `wsrep_provider_options`, and SST only by `[sst] encrypt=4` " +
			"(`encrypt=0`, the default, sends it in clear). With the version unknown and the variable unset, " +
			"the rule assumes 8.0 and stays silent.\n" +
			"- **MariaDB and Codership Galera**: `socket.ssl` defaults to NO; setting `socket.ssl_key` and " +
			"`socket.ssl_cert` in `wsrep_provider_options` turns TLS on, and `socket.ssl=no` turns it off. " +
			"MariaDB Enterprise Server's `wsrep_ssl_mode=SERVER|SERVER_X509` uses the server's certificates " +
			"instead (SERVER is its default from ES 10.6; Community Server has no such variable, so an unset " +
			"`wsrep_ssl_mode` is read as PROVIDER and the message says so). `[sst] encrypt=0` asks for a " +
			"plaintext SST unless an `[sst] ssl-mode` other than DISABLED selects the newer TLS settings " +
			"(MDEV-25359); other MariaDB SST settings depend on the SST method and are not judged.\n\n" +
			"When neither the options nor the provider path name the distribution, MariaDB/Codership is " +
			"assumed and the message says so. Findings inside `wsrep_provider_options` point at the exact " +
			"parameter in the quoted list.",
		Fix: "Percona XtraDB Cluster: set `pxc-encrypt-cluster-traffic=ON` with the same `ssl-ca`, `ssl-cert` and " +
			"`ssl-key` on every node. MariaDB/Codership Galera: add `socket.ssl_key`, `socket.ssl_cert` and " +
			"`socket.ssl_ca` to `wsrep_provider_options` (or `wsrep_ssl_mode=SERVER_X509` on MariaDB Enterprise " +
			"Server), and encrypt the SST method as well.",
		Bad: "[mysqld]\nwsrep_on=ON\nwsrep_provider=/usr/lib/galera4/libgalera_smm.so\n" +
			"wsrep_cluster_address=gcomm://10.0.0.1,10.0.0.2,10.0.0.3\npxc_strict_mode=ENFORCING\n" +
			"pxc-encrypt-cluster-traffic=OFF\n",
		Good: "[mysqld]\nwsrep_on=ON\nwsrep_provider=/usr/lib/galera4/libgalera_smm.so\n" +
			"wsrep_cluster_address=gcomm://10.0.0.1,10.0.0.2,10.0.0.3\npxc_strict_mode=ENFORCING\n" +
			"pxc-encrypt-cluster-traffic=ON\nssl-ca=/etc/mysql/certs/ca.pem\n" +
			"ssl-cert=/etc/mysql/certs/server-cert.pem\nssl-key=/etc/mysql/certs/server-key.pem\n",
		Sources: []string{srcPXC80Encrypt, srcPXC57Vars, srcPXC80Vars, srcPXC80SST, srcGaleraSSL, srcGaleraParse,
			srcMDBSocketSSL, srcMDBWsrepSSL, srcMDBESCluster, srcMDBSecGalera, srcMDBSSTScript, srcMDEV25359},
	},
	Run: runGaleraTrafficPlaintext,
}

// galeraKind is the distribution whose meaning a server's wsrep settings have.
type galeraKind uint8

const (
	galeraAssumed galeraKind = iota // nothing says which: MariaDB/Codership meaning, said in the message
	galeraMariaDB                   // MariaDB or Codership Galera
	galeraPXC                       // Percona XtraDB Cluster
)

// galeraServer is a server that configures Galera.
type galeraServer struct {
	Kind galeraKind
	// ByPath: only the provider's package path said which distribution
	// this is, which a message then says.
	ByPath bool
	Anchor *model.Setting // where a finding about a missing setting points
	// Params are wsrep_provider_options split into Galera parameters.
	Params []model.ProviderOption
	SST    []*model.Setting // the [sst] group's options, read by the SST scripts
}

// readGalera returns nil when s does not run Galera.
func readGalera(s *model.Server) *galeraServer {
	var anchor *model.Setting
	for _, n := range []string{"wsrep_cluster_address", "wsrep_provider", "wsrep_on"} {
		if set := s.Settings.Get(n); set != nil {
			anchor = set.Setting
			break
		}
	}
	if anchor == nil {
		return nil
	}
	if on := s.Settings.Get("wsrep_on"); on != nil {
		if v, ok := boolValue(on.Setting); ok && !v {
			return nil
		}
	}
	prov := s.Settings.Get("wsrep_provider")
	if prov != nil && strings.EqualFold(strings.TrimSpace(prov.Value), "none") {
		return nil // MariaDB's default: no provider, no replication
	}
	g := &galeraServer{Anchor: anchor}
	g.Kind, g.ByPath = galeraKindOf(s, prov)
	if po := s.Settings.Get("wsrep_provider_options"); po != nil {
		g.Params = po.ProviderOptions()
	}
	for _, o := range s.File.Options {
		if o.Group != nil && o.Group.Name == "sst" {
			g.SST = append(g.SST, o)
		}
	}
	return g
}

// galeraKindOf decides PXC or MariaDB/Codership, options and groups first.
// Package paths come last, as a hint: PXC installs /usr/lib/galera4/ and
// /usr/lib64/galera4/ (8.0,
// https://docs.percona.com/percona-xtradb-cluster/8.0/configure-nodes.html) and
// /usr/lib/galera3/ (5.7); MariaDB's packages use /usr/lib/galera/ or
// /usr/lib64/galera-4/, but a hand-installed Codership galera-3 may use
// galera3/ too.
func galeraKindOf(s *model.Server, prov *model.Final) (kind galeraKind, byPath bool) {
	for _, o := range s.Options {
		if strings.HasPrefix(o.Name, "pxc_") {
			return galeraPXC, false
		}
	}
	switch s.Target.Flavor {
	case facts.Percona:
		return galeraPXC, false
	case facts.MariaDB:
		return galeraMariaDB, false
	}
	if s.Settings.Get("wsrep_ssl_mode") != nil {
		return galeraMariaDB, false
	}
	for _, gr := range s.Groups {
		if gr.Readers&facts.Servers == facts.MariaDBServer {
			return galeraMariaDB, false
		}
	}
	if prov != nil {
		p := prov.Value
		switch {
		case strings.Contains(p, "/galera3/") || strings.Contains(p, "/galera4/"):
			return galeraPXC, true
		case strings.Contains(p, "/galera/") || strings.Contains(p, "/galera-"):
			return galeraMariaDB, true
		}
	}
	return galeraAssumed, false
}

// providerTLS reports whether Galera's own TLS is on: socket.ssl_key and
// socket.ssl_cert set and no socket.ssl=no (galera ssl-config; socket.ssl
// defaults to NO and is implied by a key and certificate). off is the
// socket.ssl=no parameter when there is one.
func (g *galeraServer) providerTLS() (on bool, off *model.ProviderOption) {
	if p := model.LastProviderOption(g.Params, "socket.ssl"); p != nil && falseWord(p.Value) {
		return false, p
	}
	key := model.LastProviderOption(g.Params, "socket.ssl_key")
	cert := model.LastProviderOption(g.Params, "socket.ssl_cert")
	return key != nil && key.Value != "" && cert != nil && cert.Value != "", nil
}

// falseWord is how Galera's gu::Config reads a false boolean (no, false, off, 0).
func falseWord(v string) bool {
	switch strings.ToLower(v) {
	case "no", "false", "off", "0":
		return true
	}
	return false
}

// sstOption returns the last [sst] option named name, or nil.
func (g *galeraServer) sstOption(name string) *model.Setting {
	for i := len(g.SST) - 1; i >= 0; i-- {
		if g.SST[i].Name == name {
			return g.SST[i]
		}
	}
	return nil
}

func runGaleraTrafficPlaintext(pass *lint.Pass) {
	for _, s := range pass.Project.Servers {
		g := readGalera(s)
		switch {
		case g == nil:
		case g.Kind == galeraPXC:
			judgePXC(pass, s, g)
		default:
			judgeGalera(pass, s, g)
		}
	}
}

// judgePXC: pxc-encrypt-cluster-traffic=ON encrypts write-sets, IST and SST
// (srcPXC80Encrypt); ON by default from 8.0 (srcPXC80Vars), OFF in 5.7
// (srcPXC57Vars). When OFF, socket.ssl_* and [sst] encrypt decide.
func judgePXC(pass *lint.Pass, s *model.Server, g *galeraServer) {
	var at source.Span
	var what string
	if set := s.Settings.Get("pxc_encrypt_cluster_traffic"); set != nil {
		on, valid := boolValue(set.Setting)
		if on || !valid {
			return
		}
		at, what = set.Setting.Span(), optText(set.Setting)+" turns Percona XtraDB Cluster's traffic encryption off"
	} else {
		if !s.Target.MySQLFamily() || !s.Target.VersionKnown() || !s.Target.AllBelow(facts.V(8, 0, 0)) {
			return // 8.0 and later encrypt by default; an unknown version is assumed to be one of them
		}
		at = g.Anchor.KeySpan
		what = "Percona XtraDB Cluster 5.7 leaves pxc-encrypt-cluster-traffic OFF by default"
	}
	var clear []string
	if on, _ := g.providerTLS(); !on {
		clear = append(clear, "write-sets", "IST")
	}
	// [sst] encrypt: 0 (the default) is plaintext; 4 is TLS, and PXC 5.7's
	// older 1–3 encrypt too (srcPXC80SST).
	if e := g.sstOption("encrypt"); e == nil || strings.TrimSpace(e.Value) == "0" || strings.TrimSpace(e.Value) == "" {
		clear = append(clear, "SST")
	}
	if len(clear) == 0 {
		return
	}
	verb := "go"
	if len(clear) == 1 {
		verb = "goes"
	}
	by := ""
	if g.ByPath {
		by = " (Percona XtraDB Cluster recognised by its provider path " + s.Settings.Get("wsrep_provider").Value + ")"
	}
	pass.Reportf(at, "%s, so %s %s between the nodes in plaintext%s; set pxc-encrypt-cluster-traffic=ON "+
		"with the same ssl-ca, ssl-cert and ssl-key on every node", what, andList(clear), verb, by)
}

// judgeGalera reads MariaDB/Codership Galera: wsrep_ssl_mode=SERVER* uses the
// server's TLS (srcMDBWsrepSSL); otherwise socket.ssl_* decide (srcGaleraSSL,
// srcMDBSocketSSL).
func judgeGalera(pass *lint.Pass, s *model.Server, g *galeraServer) {
	mode := s.Settings.Get("wsrep_ssl_mode")
	if mode != nil {
		switch strings.ToUpper(strings.TrimSpace(mode.Value)) {
		case "SERVER", "SERVER_X509":
			return
		}
	}
	var notes []string
	if g.Kind == galeraAssumed {
		notes = append(notes, "assuming MariaDB or Codership Galera: no pxc-* option or provider path says "+
			"Percona XtraDB Cluster, which encrypts by default from 8.0")
	}
	if mode == nil {
		notes = append(notes, "MariaDB Enterprise Server 10.6 and later default to wsrep_ssl_mode=SERVER, "+
			"which uses the server's certificates instead")
	}
	note := ""
	if len(notes) > 0 {
		note = " (" + strings.Join(notes, "; ") + ")"
	}
	on, off := g.providerTLS()
	switch {
	case off != nil:
		at := source.Span{File: off.KeySpan.File, Start: off.KeySpan.Start, End: max(off.KeySpan.End, off.ValueSpan.End)}
		pass.Reportf(at, "socket.ssl=%s turns Galera's TLS off, so write-sets and IST go between the nodes "+
			"in plaintext%s; remove it and set socket.ssl_key, socket.ssl_cert and socket.ssl_ca", off.Value, note)
	case !on:
		at, what := g.Anchor.KeySpan, "no wsrep_provider_options set socket.ssl_key and socket.ssl_cert"
		if po := s.Settings.Get("wsrep_provider_options"); po != nil {
			at, what = po.ValueOrKey(), "wsrep_provider_options sets no socket.ssl_key and socket.ssl_cert"
		}
		pass.Reportf(at, "%s, so Galera sends write-sets and IST "+
			"between the nodes in plaintext%s; add socket.ssl_key, socket.ssl_cert and socket.ssl_ca", what, note)
	}
	// [sst] encrypt=0, the scripts' default, is no encryption (srcMDBSSTScript);
	// a new-style [sst] ssl-mode other than DISABLED encrypts regardless
	// (MDEV-25359, srcMDEV25359).
	if e := g.sstOption("encrypt"); e != nil && strings.TrimSpace(e.Value) == "0" {
		if m := g.sstOption("ssl_mode"); m == nil || strings.EqualFold(strings.TrimSpace(m.Value), "DISABLED") {
			pass.Reportf(e.Span(), "%s in [sst] sends state snapshots (SST) in plaintext; "+
				"set encrypt=4 with ssl-ca, ssl-cert and ssl-key in [sst]", optText(e))
		}
	}
}

// andList joins words as prose: "a", "a and b", "a, b and c".
func andList(ws []string) string {
	if len(ws) < 2 {
		return strings.Join(ws, "")
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
}
