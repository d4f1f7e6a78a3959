package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Escape makes s safe to print on a line of a terminal or a CI log: C0
// and C1 control characters, DEL, invalid UTF-8 and the bidirectional
// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069, the
// "Trojan Source" characters, https://trojansource.codes) become visible
// escapes such as \x1b, \n and \u202e. A file name holding
// "\n::error ::x" then cannot start a line that the GitHub Actions runner
// reads as a workflow command, and ESC cannot start a terminal sequence.
// Everything tlsvet prints for people about a file goes through it.
func Escape(s string) string {
	i := strings.IndexFunc(s, unsafeRune)
	if i < 0 && utf8.ValidString(s) {
		return breakLegacyCommands(s)
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return breakLegacyCommands(b.String())
}

// legacyCommand is the prefix of the Actions runner's old workflow
// command syntax, "##[name]data", which the runner recognises anywhere
// in any line a job prints, not only at its start: ActionCommand.TryParse
// looks for it with IndexOf, and TryProcessCommand falls back to it for
// every line the "::" syntax does not parse. Its registered commands
// include error, add-mask and stop-commands, so a file name or a value
// holding "##[stop-commands]x" would forge an annotation or silence
// tlsvet's own annotations.
// https://github.com/actions/runner/blob/main/src/Runner.Common/ActionCommand.cs
// https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs
const legacyCommand = "##["

// breakLegacyCommands puts a WORD JOINER (U+2060), which takes no column
// and is not shown, between the two '#', so text looks the same and
// carets stay aligned.
func breakLegacyCommands(s string) string {
	if !strings.Contains(s, legacyCommand) {
		return s
	}
	return strings.ReplaceAll(s, legacyCommand, "#\u2060#[")
}

// encodeJSON writes v as indented JSON. "##[" can only stand inside a
// JSON string, where "#\u0023[" decodes to the same text but is no
// workflow command (see legacyCommand) when the report goes to a CI log.
func encodeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(bytes.ReplaceAll(buf.Bytes(), []byte(legacyCommand), []byte(`#\u0023[`)))
	return err
}

// unsafeRune reports the characters Escape escapes.
func unsafeRune(r rune) bool {
	return r < 0x20 || r == 0x7f || 0x80 <= r && r < 0xa0 ||
		0x202a <= r && r <= 0x202e || 0x2066 <= r && r <= 0x2069
}
