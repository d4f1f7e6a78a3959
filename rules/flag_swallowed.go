package rules

import (
	"fmt"

	"github.com/tlsvet/tlsvet/internal/lint"
)

// FlagSwallowed reports a command-line option that takes a value and,
// written without one, takes the next option as its value.
var FlagSwallowed = &lint.Rule{
	ID:               "TV010",
	Name:             "flag-swallowed",
	Severity:         lint.Error,
	SecuritySeverity: "5.3",
	Tags:             []string{"correctness", "tls"},
	Doc: lint.Doc{
		Title: "A command-line option takes the next option as its value",
		Why: "mysqld reads an option that requires a value and is written without `=` as taking the next " +
			"argument, whatever it is: in a compose or Kubernetes list such as " +
			"`[\"--log-error-verbosity\", \"--require_secure_transport=ON\"]` the server sets " +
			"log_error_verbosity to the text `--require_secure_transport=ON` (and refuses to start when that " +
			"is not a valid value) or, for a string option, starts with it silently — and " +
			"require_secure_transport is never set, so plaintext logins keep working. The second setting is " +
			"lost either way.",
		Fix:  "Give the first option its value (`--log-error-verbosity=2`) or remove it.",
		Bad:  "-- compose.yaml --\nservices:\n  db:\n    image: mysql:8.0.36\n    command: [\"--log-error-verbosity\", \"--require_secure_transport=ON\"]\n",
		Good: "-- compose.yaml --\nservices:\n  db:\n    image: mysql:8.0.36\n    command: [\"--log-error-verbosity=2\", \"--require_secure_transport=ON\"]\n",
		Sources: []string{
			"https://dev.mysql.com/doc/refman/8.4/en/command-line-options.html",
			"https://github.com/mysql/mysql-server/blob/8.4/mysys/my_getopt.cc",
		},
	},
	Run: runFlagSwallowed,
}

func runFlagSwallowed(pass *lint.Pass) {
	for _, d := range pass.Project.Deployments {
		for _, sw := range d.Swallowed {
			pass.Report(lint.Diagnostic{
				Span: sw.Option.KeySpan,
				Message: fmt.Sprintf("--%s takes a value and is written without one, so the server takes the next "+
					"argument %q as its value: that setting is lost; give --%s its value or remove it",
					sw.Option.Key, sw.Lost, sw.Option.Key),
				Related: []lint.Related{{Span: sw.LostSpan, Message: "the option the server never sees"}},
			})
		}
	}
}
