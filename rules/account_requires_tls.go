package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
)

// AccountRequiresTLS reports a connection that logs in as an account whose
// REQUIRE clause it cannot meet: no TLS for REQUIRE SSL, no client
// certificate for REQUIRE X509, ISSUER or SUBJECT.
var AccountRequiresTLS = &lint.Rule{
	ID:               "TV411",
	Name:             "account-requires-tls",
	Severity:         lint.Error,
	SecuritySeverity: "5.3",
	Tags:             []string{"tls", "accounts"},
	Doc: lint.Doc{
		Title: "A client cannot meet its account's REQUIRE clause",
		Why: "CREATE USER … REQUIRE SSL refuses a login that is not encrypted, and REQUIRE X509 (ISSUER, " +
			"SUBJECT) one without a client certificate the server can verify: the client fails with ERROR 1045 " +
			"(28000): Access denied, which says nothing about TLS. An application whose connection string turns TLS " +
			"off, or names no client certificate, never logs in as that account.",
		Fix: "Let the connection use TLS (REQUIRE SSL) and give it a client certificate and key (REQUIRE X509), " +
			"or loosen the account's requirement.",
		Bad: "-- initdb/10-users.sql --\nCREATE USER 'shop'@'%' IDENTIFIED BY 'x' REQUIRE SSL;\n" +
			"-- app.env --\nDB_DSN=\"shop@tcp(db:3306)/shop?tls=false\"\n",
		Good: "-- initdb/10-users.sql --\nCREATE USER 'shop'@'%' IDENTIFIED BY 'x' REQUIRE SSL;\n" +
			"-- app.env --\nDB_DSN=\"shop@tcp(db:3306)/shop?tls=true\"\n",
		Sources: []string{
			"https://dev.mysql.com/doc/refman/8.4/en/create-user.html#create-user-tls",
			"https://mariadb.com/kb/en/securing-connections-for-client-and-server/#requiring-tls",
		},
	},
	Run: runAccountRequiresTLS,
}

func runAccountRequiresTLS(pass *lint.Pass) {
	for _, a := range accountRequirements(pass.Project.Accounts) {
		for _, c := range pass.Project.Connections {
			if c.User == "" || c.User != a.User || c.Mode == model.ModeUnknown || c.Transport != model.TCP {
				continue
			}
			var what string
			at := c.Span
			switch {
			case !c.Encrypts:
				what = "does not use TLS"
				if c.By != nil {
					at = c.By.ValueOrKey()
				}
			case a.cert && c.Cert == nil:
				what = "names no client certificate"
			default:
				continue
			}
			pass.Report(lint.Diagnostic{Span: at, Message: fmt.Sprintf(
				"%s logs in as %s, which %s makes REQUIRE %s, but the connection %s: the server refuses the login with "+
					"ERROR 1045 (28000): Access denied; %s", c.Driver, a.User, a.Statement, a.Require, what, accountAdvice(a.cert, what)),
				Related: []lint.Related{{Span: a.RequireSpan, Message: "the account's requirement"}}})
		}
	}
}

// userRequirement is what every account of one user requires.
type userRequirement struct {
	model.AccountTLS      // the account with the weakest requirement, for messages
	cert             bool // every account requires a client certificate
}

// accountRequirements is, per user, the weakest requirement among its
// accounts ('app'@'%', 'app'@'10.%'…), each account as its last statement
// leaves it (CREATE USER … REQUIRE SSL, then ALTER USER … REQUIRE NONE):
// which account a login matches depends on the client's address, which
// the repository does not say. A user with an account that requires no TLS
// is left out.
func accountRequirements(accounts []model.AccountTLS) []userRequirement {
	type key struct{ user, host string }
	last := map[key]model.AccountTLS{}
	var keys []key
	for _, a := range accounts {
		k := key{a.User, strings.ToLower(a.Host)}
		if _, seen := last[k]; !seen {
			keys = append(keys, k)
		}
		last[k] = a
	}
	var out []userRequirement
	index := map[string]int{}
	none := map[string]bool{} // users with an account that requires no TLS
	for _, k := range keys {
		a := last[k]
		req := strings.ToUpper(a.Require)
		cert := strings.Contains(req, "X509") || strings.Contains(req, "ISSUER") || strings.Contains(req, "SUBJECT")
		i, seen := index[a.User]
		switch {
		case !seen:
			index[a.User] = len(out)
			out = append(out, userRequirement{a, cert})
		case out[i].cert && !cert:
			out[i] = userRequirement{a, false}
		}
		if req == "" || req == "NONE" {
			none[a.User] = true
		}
	}
	return slices.DeleteFunc(out, func(u userRequirement) bool { return none[u.User] })
}

func accountAdvice(cert bool, what string) string {
	if what == "does not use TLS" {
		if cert {
			return "let it use TLS with a client certificate and key the server's CA signed"
		}
		return "let it use TLS"
	}
	return "give it a client certificate and key the server's CA signed"
}
