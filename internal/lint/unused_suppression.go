package lint

// UnusedSuppression is reported by the engine itself (suppress.go), as
// staticcheck reports unused //lint:ignore directives.
var UnusedSuppression = &Rule{
	ID:       "TV000",
	Name:     "unused-suppression",
	Severity: Note,
	Tags:     []string{"maintainability"},
	Doc: Doc{
		Title: "A tlsvet:ignore comment matched nothing or gives no reason",
		Why: "A suppression hides a finding on its own line (a trailing comment) or on the line below " +
			"(a comment on a line of its own). Once the setting is fixed or moved, a stale suppression " +
			"would silently hide the next problem on that line, and a suppression without a reason tells " +
			"the next reader nothing about why the risk was accepted.",
		Fix: "Delete the comment when nothing is left to suppress, or write `# tlsvet:ignore ID -- reason` " +
			"directly above the line that has the finding.",
		Bad: "[mysqld]\n# tlsvet:ignore TV103\ntls_version=TLSv1.2,TLSv1.3\n",
		Good: "[mysqld]\n# tlsvet:ignore TV103 -- legacy JDBC clients until the 2027 upgrade\n" +
			"tls_version=TLSv1.1,TLSv1.2,TLSv1.3\n",
		Sources: []string{"https://staticcheck.dev/docs/configuration/#ignoring-problems"},
	},
}
