package rules

import (
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// Sources for TV410.
const (
	srcGRSSL      = "https://dev.mysql.com/doc/refman/8.0/en/group-replication-secure-socket-layer-support-ssl.html"
	srcGRRecovery = "https://dev.mysql.com/doc/refman/8.0/en/group-replication-configuring-ssl-for-recovery.html"
	srcGRVars     = "https://dev.mysql.com/doc/refman/8.0/en/group-replication-system-variables.html"
)

// GroupReplicationTLS is TV410.
var GroupReplicationTLS = &lint.Rule{
	ID:               "TV410",
	Name:             "group-replication-tls",
	Severity:         lint.Warning,
	SecuritySeverity: "6.5",
	Tags:             []string{"security", "tls", "group-replication"},
	Doc: lint.Doc{
		Title: "Group Replication traffic is unencrypted or its recovery does not authenticate the donor",
		Why: "Group Replication has two channels of its own, and neither uses TLS by default. " +
			"`group_replication_ssl_mode` (default DISABLED) secures group communication between members; " +
			"`group_replication_recovery_use_ssl` (default OFF) secures distributed recovery, in which a " +
			"joining member copies the missing data from a donor. Server TLS settings (`ssl_cert`, " +
			"`require_secure_transport`) do not switch either on. The rule reports, on a MySQL server that " +
			"configures Group Replication:\n\n" +
			"- `group_replication_ssl_mode=DISABLED`, or unset, while the file configures TLS material " +
			"(server or recovery certificates, or recovery TLS): group messages, including every transaction, " +
			"go between members in plaintext;\n" +
			"- recovery certificates configured while `group_replication_recovery_use_ssl` is OFF;\n" +
			"- `group_replication_recovery_use_ssl=ON` without `group_replication_recovery_ssl_verify_server_cert=ON` " +
			"and a CA (`group_replication_recovery_ssl_ca` or `_capath`): recovery is encrypted but the joiner " +
			"accepts any donor certificate, so an attacker in the middle can feed it data and read the " +
			"recovery user's credentials.\n\n" +
			"An unset variable may still be set by SET PERSIST in `mysqld-auto.cnf`, which MySQL Shell uses " +
			"when it creates an InnoDB Cluster; those messages say so. " +
			"With the MySQL communication stack (8.0.27+) and group_replication_ssl_mode not DISABLED, the " +
			"recovery TLS options secure group communication too.",
		Fix: "Set `group_replication_ssl_mode=VERIFY_IDENTITY` (or at least REQUIRED) on every member, and " +
			"`group_replication_recovery_use_ssl=ON`, `group_replication_recovery_ssl_verify_server_cert=ON` with " +
			"`group_replication_recovery_ssl_ca`.",
		Bad: "[mysqld]\nplugin_load_add=group_replication.so\ngroup_replication_group_name=aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\n" +
			"group_replication_ssl_mode=REQUIRED\ngroup_replication_recovery_use_ssl=ON\n",
		Good: "[mysqld]\nplugin_load_add=group_replication.so\ngroup_replication_group_name=aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\n" +
			"group_replication_ssl_mode=VERIFY_IDENTITY\ngroup_replication_recovery_use_ssl=ON\n" +
			"group_replication_recovery_ssl_verify_server_cert=ON\ngroup_replication_recovery_ssl_ca=/etc/mysql/ca.pem\n",
		Sources: []string{srcGRSSL, srcGRRecovery, srcGRVars, "https://dev.mysql.com/doc/refman/8.0/en/persisted-system-variables.html"},
	},
	Run: runGroupReplicationTLS,
}

// grRecoveryMaterial are the recovery TLS options that show recovery is meant
// to use TLS (srcGRRecovery).
var grRecoveryMaterial = []string{"group_replication_recovery_ssl_ca", "group_replication_recovery_ssl_capath",
	"group_replication_recovery_ssl_cert", "group_replication_recovery_ssl_key"}

func runGroupReplicationTLS(pass *lint.Pass) {
	for _, s := range pass.Project.Servers {
		if s.Target.Flavor == facts.MariaDB || s.Target.Flavor == facts.TiDB {
			continue // Group Replication is MySQL's (and Percona Server's)
		}
		var first *model.Setting
		for _, o := range optionsReadBy(s.Options, facts.MySQLServer) {
			if strings.HasPrefix(o.Name, "group_replication_") {
				first = o
				break
			}
		}
		if first == nil {
			continue
		}
		judgeGroupReplication(pass, s, first)
	}
}

// persisted qualifies a claim about an unset Group Replication variable:
// SET PERSIST keeps values in mysqld-auto.cnf, read after the option files,
// and MySQL Shell sets these variables that way
// (https://dev.mysql.com/doc/refman/8.0/en/persisted-system-variables.html).
const persisted = " (unless SET PERSIST, which MySQL Shell uses, stored another value in mysqld-auto.cnf)"

// judgeGroupReplication reports the three cases of TV410's Doc for one server.
func judgeGroupReplication(pass *lint.Pass, s *model.Server, first *model.Setting) {
	get := func(n string) *model.Setting {
		if set := s.Settings.Get(n); set != nil {
			return set.Setting
		}
		return nil
	}
	var recMaterial *model.Setting
	for _, n := range grRecoveryMaterial {
		if o := get(n); o != nil && hasValue(o) && recMaterial == nil {
			recMaterial = o
		}
	}
	useSSL := get("group_replication_recovery_use_ssl")
	recoveryTLS := false
	if useSSL != nil {
		recoveryTLS, _ = boolValue(useSSL)
	}

	// Group communication: DISABLED is the default (srcGRSSL).
	material := recMaterial
	if recoveryTLS && material == nil {
		material = useSSL
	}
	for _, n := range []string{"ssl_cert", "ssl_key", "ssl_ca"} {
		if o := get(n); o != nil && hasValue(o) && material == nil {
			material = o
		}
	}
	switch mode := get("group_replication_ssl_mode"); {
	case mode != nil && strings.EqualFold(strings.TrimSpace(mode.Value), "DISABLED"):
		pass.Reportf(mode.Span(), "%s: group communication between members, every transaction included, goes "+
			"in plaintext; set group_replication_ssl_mode=VERIFY_IDENTITY (or REQUIRED) on every member", optText(mode))
	case mode == nil && material != nil:
		pass.Reportf(first.KeySpan, "group_replication_ssl_mode is not set, so it is DISABLED%s: group communication "+
			"between members, every transaction included, goes in plaintext although %s configures TLS; set "+
			"group_replication_ssl_mode=VERIFY_IDENTITY (or REQUIRED) on every member", persisted, material.Key)
	}

	// Distributed recovery (srcGRRecovery, srcGRVars).
	switch {
	case !recoveryTLS && recMaterial != nil:
		at, unless := recMaterial.KeySpan, persisted
		if useSSL != nil {
			at, unless = useSSL.Span(), ""
		}
		pass.Reportf(at, "%s is set but group_replication_recovery_use_ssl is OFF%s, so distributed recovery copies "+
			"data and the recovery user's credentials in plaintext; set group_replication_recovery_use_ssl=ON",
			recMaterial.Key, unless)
	case recoveryTLS:
		verify := get("group_replication_recovery_ssl_verify_server_cert")
		verifyOn := false
		if verify != nil {
			verifyOn, _ = boolValue(verify)
		}
		ca := get("group_replication_recovery_ssl_ca")
		if ca == nil || !hasValue(ca) {
			ca = get("group_replication_recovery_ssl_capath")
		}
		hasCA := ca != nil && hasValue(ca)
		switch {
		case !verifyOn:
			pass.Reportf(useSSL.Span(), "distributed recovery is encrypted but group_replication_recovery_ssl_verify_server_cert "+
				"is OFF, so a joining member accepts any donor's certificate and an attacker in the middle can read "+
				"the recovery credentials and feed it data; set group_replication_recovery_ssl_verify_server_cert=ON%s",
				caHint(hasCA))
		case !hasCA:
			pass.Reportf(verify.Span(), "%s without group_replication_recovery_ssl_ca or _capath: there is no CA to "+
				"check the donor's certificate against; set group_replication_recovery_ssl_ca", optText(verify))
		}
	}
}

func caHint(hasCA bool) string {
	if hasCA {
		return ""
	}
	return " and group_replication_recovery_ssl_ca"
}
