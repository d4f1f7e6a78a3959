package lint

import (
	"fmt"
	"strings"
)

// DocsBaseURL is where the generated rule pages live.
const DocsBaseURL = "https://github.com/tlsvet/tlsvet/blob/main/docs/rules/"

// HelpURI is the rule's documentation page.
func (r *Rule) HelpURI() string { return DocsBaseURL + r.ID + ".md" }

// Markdown renders the rule's documentation page: docs/rules/<ID>.md,
// `tlsvet explain` and SARIF help.markdown all come from it.
func (r *Rule) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s %s\n\n", r.ID, r.Name)
	fmt.Fprintf(&b, "%s.\n\n", r.Doc.Title)
	fmt.Fprintf(&b, "Default severity: **%s**", r.Severity)
	if r.SecuritySeverity != "" {
		fmt.Fprintf(&b, " · security severity %s", r.SecuritySeverity)
	}
	if len(r.Tags) > 0 {
		fmt.Fprintf(&b, " · tags: %s", strings.Join(r.Tags, ", "))
	}
	b.WriteString("\n\n## Why\n\n")
	b.WriteString(strings.TrimSpace(r.Doc.Why))
	b.WriteString("\n\n## Bad\n\n")
	writeExample(&b, r.Doc.Bad)
	b.WriteString("\n## Good\n\n")
	writeExample(&b, r.Doc.Good)
	b.WriteString("\n## Fix\n\n")
	b.WriteString(strings.TrimSpace(r.Doc.Fix))
	b.WriteString("\n\n## Suppress\n\n")
	fmt.Fprintf(&b, "`# tlsvet:ignore %s -- reason` on the line above the finding, or `disable = [%q]` under `[rules]` in `.tlsvet.toml`.\n", r.ID, r.ID)
	if len(r.Doc.Sources) > 0 {
		b.WriteString("\n## Sources\n\n")
		for _, s := range r.Doc.Sources {
			fmt.Fprintf(&b, "- <%s>\n", s)
		}
	}
	return b.String()
}

// writeExample renders an example: a plain my.cnf, or a txtar archive
// whose members are shown one by one.
func writeExample(b *strings.Builder, ex string) {
	if !strings.HasPrefix(ex, "-- ") {
		fmt.Fprintf(b, "```ini\n%s```\n", ensureNL(ex))
		return
	}
	for _, part := range strings.Split(ex, "\n-- ") {
		part = strings.TrimPrefix(part, "-- ")
		name, body, _ := strings.Cut(part, " --\n")
		lang := "ini"
		switch name[strings.LastIndex(name, "."):] {
		case ".toml":
			lang = "toml"
		case ".yaml", ".yml":
			lang = "yaml"
		case ".pem", ".crt", ".key", ".der", ".crl":
			lang = "text"
		case ".sql":
			lang = "sql"
		case ".sh":
			lang = "sh"
		}
		if strings.HasPrefix(body, "!pki ") { // a hashed directory's "e338247c.0"
			lang = "text"
		}
		fmt.Fprintf(b, "`%s`:\n```%s\n%s```\n", name, lang, ensureNL(body))
	}
	if strings.Contains(ex, "!pki ") {
		b.WriteString("\nA line `!pki cert …`, `!pki key …`, `!pki csr …` or `!pki crl …` stands for the PEM of a certificate, key, " +
			"signing request or CRL with those properties (the rule's tests generate it; `from`/`until` are its validity).\n")
	}
}

func ensureNL(s string) string {
	if !strings.HasSuffix(s, "\n") {
		return s + "\n"
	}
	return s
}
