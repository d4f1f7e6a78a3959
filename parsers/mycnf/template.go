package mycnf

import (
	"bytes"
	"regexp"
)

// Configuration management renders many option files from templates:
// Jinja ({{ x }}, {% if %}, {# #}; Ansible, Salt), Go templates ({{ .X }};
// Helm), ERB and EPP (<%= @x %>, <% if %>; Chef, Puppet) and sed
// placeholders (__SSL_CA__). With Options.Templates the reader skips the
// lines that are template syntax and marks values holding a template
// expression (Entry.Template): what they render to is unknown. Real option
// files have no such text, so they read the same either way (the
// differential test checks it on every fixture).

// placeholder is a sed-style placeholder: __NAME__ in capitals.
var placeholder = regexp.MustCompile(`__[A-Z][A-Z0-9_]*__`)

var templateOpeners = [][]byte{[]byte("{{"), []byte("{%"), []byte("<%")}

// hasTemplate reports a template expression in s.
func hasTemplate(s []byte) bool {
	for _, o := range templateOpeners {
		if bytes.Contains(s, o) {
			return true
		}
	}
	return bytes.Contains(s, []byte("__")) && placeholder.Match(s)
}

// templateLine reports an option line (content without leading space)
// that is template syntax rather than an option: a tag or expression
// where the key would be ({% if %}, {{ key }}={{ value }}, <% end %>), a
// Jinja comment, or a placeholder alone on its line.
func templateLine(c []byte) bool {
	key := c
	if i := bytes.IndexByte(c, '='); i >= 0 {
		key = c[:i]
	}
	return bytes.HasPrefix(c, []byte("{#")) || hasTemplate(key)
}
