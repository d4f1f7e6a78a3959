package connstr

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Container is the syntax of the value that holds a string: how its
// bytes are written in the file.
type Container uint8

// The containers.
const (
	EnvUnquoted      Container = iota + 1 // .env: KEY=value
	EnvDouble                             // .env: KEY="value"
	EnvSingle                             // .env: KEY='value'
	PropertiesValue                       // Java .properties value
	YAMLPlain                             // YAML plain scalar
	YAMLSingle                            // YAML 'single-quoted'
	YAMLDouble                            // YAML "double-quoted"
	YAMLLiteral                           // YAML | block scalar
	YAMLFolded                            // YAML > block scalar
	JSONString                            // JSON "string"
	TOMLBasic                             // TOML "basic string"
	TOMLLiteral                           // TOML 'literal string'
	TOMLMultiBasic                        // TOML """multi-line basic"""
	TOMLMultiLiteral                      // TOML '''multi-line literal'''
	GoInterpreted                         // Go "interpreted string literal"
	GoRaw                                 // Go `raw string literal`
)

var containerNames = [...]string{"", "unquoted .env value", "double-quoted .env value", "single-quoted .env value",
	"properties value", "YAML plain scalar", "YAML single-quoted scalar", "YAML double-quoted scalar",
	"YAML literal block", "YAML folded block", "JSON string", "TOML basic string", "TOML literal string",
	"TOML multi-line basic string", "TOML multi-line literal string", "Go string literal", "Go raw string literal"}

func (c Container) String() string {
	if int(c) < len(containerNames) {
		return containerNames[c]
	}
	return "unknown container"
}

// Quote spells decoded text as it must be written inside c, to replace
// an exact span of a value (String.SpanOf, String.ParamSpan), which may
// sit anywhere in the value. ok is false when c cannot hold the text
// safely at an unknown place in the value (a line break in a plain YAML
// scalar, a quote in a single-quoted .env value before a backslash): the
// caller then offers no fix.
func (c Container) Quote(text string) (src string, ok bool) {
	if !utf8.ValidString(text) {
		return "", false
	}
	switch c {
	case EnvUnquoted:
		// Unquoted values are trimmed and cut at " #" and at the line end;
		// '$' interpolates.
		if strings.ContainsAny(text, "\n\r") || strings.Contains(text, " #") || strings.Contains(text, "\t#") ||
			text != strings.TrimSpace(text) || text != "" && strings.ContainsAny(text[:1], "#'\"") {
			return "", false
		}
		return strings.ReplaceAll(text, "$", "$$"), true
	case EnvDouble:
		// compose-go's double-quoted escapes (see parsers/envfile).
		return escapeWith(text, map[rune]string{'\\': `\\`, '"': `\"`, '$': "$$", '\n': `\n`, '\r': `\r`, '\t': `\t`}, nil), true
	case EnvSingle:
		// Only \' is an escape, and the closing-quote scan pairs every
		// backslash: a backslash before a quote or at the end cannot be
		// written.
		if strings.Contains(text, `\'`) || strings.HasSuffix(text, `\`) {
			return "", false
		}
		return strings.ReplaceAll(text, "'", `\'`), true
	case PropertiesValue:
		// Properties.load escapes; non-ASCII as \uXXXX, which both
		// ISO-8859-1 (Properties.load(InputStream)) and UTF-8 readers
		// (Spring Boot) decode alike. A leading blank would be dropped.
		var b strings.Builder
		for i, r := range text {
			switch {
			case r == '\\':
				b.WriteString(`\\`)
			case r == '\n':
				b.WriteString(`\n`)
			case r == '\r':
				b.WriteString(`\r`)
			case r == '\t':
				b.WriteString(`\t`)
			case r == '\f':
				b.WriteString(`\f`)
			case i == 0 && r == ' ':
				b.WriteString(`\ `)
			case r < 0x20 || r > 0x7e:
				for _, u := range utf16Units(r) {
					fmt.Fprintf(&b, `\u%04X`, u)
				}
			default:
				b.WriteRune(r)
			}
		}
		return b.String(), true
	case YAMLPlain:
		// Anything that could end the scalar, start a comment, or be read
		// as flow syntax is refused (the scalar may be inside [...]).
		if text == "" || hasControl(text) || strings.ContainsAny(text, "\n\r\t,[]{}") || strings.Contains(text, ": ") ||
			strings.HasSuffix(text, ":") || strings.Contains(text, " #") ||
			text != strings.TrimSpace(text) || strings.ContainsAny(text[:1], "-?:&*!|>'\"%@`#") {
			return "", false
		}
		return text, true
	case YAMLSingle:
		if strings.ContainsAny(text, "\n\r") || hasControl(text) {
			return "", false
		}
		return strings.ReplaceAll(text, "'", "''"), true
	case YAMLDouble:
		return escapeWith(text, map[rune]string{'\\': `\\`, '"': `\"`, '\n': `\n`, '\r': `\r`, '\t': `\t`}, func(r rune) string {
			return fmt.Sprintf(`\x%02X`, r)
		}), true
	case YAMLLiteral, YAMLFolded:
		// Without the block's indentation a line break cannot be written;
		// a folded block also reads leading blanks differently.
		if strings.ContainsAny(text, "\n\r") || hasControl(text) || c == YAMLFolded && strings.HasPrefix(text, " ") {
			return "", false
		}
		return text, true
	case JSONString:
		return escapeWith(text, map[rune]string{'\\': `\\`, '"': `\"`, '\n': `\n`, '\r': `\r`, '\t': `\t`}, func(r rune) string {
			return fmt.Sprintf(`\u%04x`, r)
		}), true
	case TOMLBasic, TOMLMultiBasic:
		esc := map[rune]string{'\\': `\\`, '"': `\"`, '\n': `\n`, '\r': `\r`, '\t': `\t`}
		if c == TOMLMultiBasic {
			delete(esc, '\n')
		}
		return escapeWith(text, esc, func(r rune) string { return fmt.Sprintf(`\u%04X`, r) }), true
	case TOMLLiteral:
		if strings.ContainsAny(text, "'\n\r") || hasControl(text) {
			return "", false
		}
		return text, true
	case TOMLMultiLiteral:
		if strings.Contains(text, "'''") || strings.HasSuffix(text, "'") || strings.HasPrefix(text, "\n") || hasControl(strings.ReplaceAll(text, "\n", "")) {
			return "", false
		}
		return text, true
	case GoInterpreted:
		q := strconv.Quote(text)
		return q[1 : len(q)-1], true
	case GoRaw:
		if strings.ContainsAny(text, "`\r") {
			return "", false
		}
		return text, true
	}
	return "", false
}

// escapeWith writes text with the runes of esc replaced, and other
// control characters (when ctl is given) spelled by ctl; without ctl
// they stay as they are.
func escapeWith(text string, esc map[rune]string, ctl func(rune) string) string {
	var b strings.Builder
	for _, r := range text {
		if e, ok := esc[r]; ok {
			b.WriteString(e)
		} else if ctl != nil && (r < 0x20 || r == 0x7f) {
			b.WriteString(ctl(r))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return true
		}
	}
	return false
}

// utf16Units returns r as UTF-16 code units (a surrogate pair above the
// Basic Multilingual Plane), for \uXXXX escapes.
func utf16Units(r rune) []rune {
	if r < 0x10000 {
		return []rune{r}
	}
	r -= 0x10000
	return []rune{0xD800 + r>>10, 0xDC00 + r&0x3FF}
}
