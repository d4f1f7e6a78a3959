// Package dockerfile reads Dockerfiles and Containerfiles with exact byte
// spans: the stages and their base images (ARG defaults substituted), the
// files COPY and ADD put into the image, the CMD and ENTRYPOINT
// arguments, ENV values, and the files RUN writes from a plain literal
// (printf, echo, heredocs), so that an option file built into an image is
// checked with that image's server version.
//
// It follows the Dockerfile reference
// (https://docs.docker.com/reference/dockerfile/) and BuildKit's parser,
// github.com/moby/buildkit v0.32.2 frontend/dockerfile/parser
// (parser.go, line_parsers.go, split_command.go, directives.go) and
// frontend/dockerfile/shell/lex.go for word processing:
//
//   - Parser directives ("# escape=`") are read only before the first
//     instruction, comment or blank line; the escape token is \ or `.
//   - A line whose last non-blank character is the escape token (not
//     itself escaped) continues on the next line; the token, the blanks
//     after it and the line break are dropped and the lines are joined
//     with nothing between them. Comment lines and blank lines inside a
//     continued instruction are skipped.
//   - RUN, COPY and ADD in shell form take heredocs: a word
//     "[fd]<<[-]NAME" reads the following lines up to a line NAME; "<<-"
//     strips leading tabs; a quoted NAME disables expansion.
//   - CMD, ENTRYPOINT, RUN, COPY and ADD take a JSON array of strings
//     (exec form); any other text is shell form.
//   - FROM, COPY and ADD split their arguments on blanks before quotes are
//     removed; ENV and ARG split on blanks outside quotes. $NAME and
//     ${NAME} are substituted from ARG and ENV, with the ${NAME:-word}
//     and ${NAME-word} forms; only ARGs declared before the first FROM
//     apply to FROM lines.
//
// BuildKit stops at the first error; this package reports a Problem and
// goes on with the next instruction. Every scan is linear in the file's
// size, so a 10 MB line or endless continuations cost no more than their
// bytes.
package dockerfile

import (
	"fmt"
	"path"
	"strings"

	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/internal/textmap"
)

// Detect reports whether a file's name marks it as a Dockerfile:
// Dockerfile, Containerfile, *.Dockerfile, Dockerfile.* or
// *.containerfile, in any case. name is a slash path.
func Detect(name string) bool {
	base := strings.ToLower(path.Base(name))
	switch {
	case base == "dockerfile", base == "containerfile":
		return true
	case strings.HasPrefix(base, "dockerfile.") && len(base) > len("dockerfile."):
		return true
	case strings.HasSuffix(base, ".dockerfile") && len(base) > len(".dockerfile"),
		strings.HasSuffix(base, ".containerfile") && len(base) > len(".containerfile"):
		return true
	}
	return false
}

// File is what one Dockerfile holds.
type File struct {
	Source *source.File
	Escape byte  // the escape token: '\\' or '`'
	Args   []Arg // ARGs before the first FROM: the only ones FROM lines see
	Stages []*Stage
	// Problems are lines BuildKit would reject; reading goes on after them.
	Problems []Problem
}

// Problem is a malformed line.
type Problem struct {
	Span source.Span
	Msg  string
}

func (p Problem) Error() string {
	pos := p.Span.StartPos()
	return fmt.Sprintf("%s:%d:%d: %s", p.Span.File.Path, pos.Line, pos.Col, p.Msg)
}

// Word is one argument after quote removal, escapes and substitution.
type Word struct {
	Text string
	Span source.Span // the word as written
	// Literal is true when Text is exactly the text under Span: no quotes,
	// escapes, substitutions or line continuations inside it.
	Literal bool
	// Unknown is true when Text depends on a value only known at build or
	// run time (an ARG without default, a shell variable or command); the
	// unresolved references are kept in Text as written.
	Unknown bool
	m       textmap.Map
	// subst are the ranges of Text substituted from a variable: their
	// text is not in the word at all, so no range touching them is exact.
	subst [][2]int
}

// Sub returns the span in the file of Text[start:end] and whether it maps
// exactly (see textmap): a range that cuts an escape takes all of it and
// is not exact, nor is one that touches a substituted variable.
func (w *Word) Sub(start, end int) (source.Span, bool) {
	s, e := w.m.Range(start, end)
	exact := w.m.Exact(start, end)
	for _, r := range w.subst {
		if start <= r[1] && r[0] <= end && (start < end || r[0] < r[1]) {
			exact = false
		}
	}
	return w.Span.File.Span(s, e), exact
}

// Map returns Text's decoded-to-file map, for composing with the map of
// a part decoded again.
func (w *Word) Map() textmap.Map { return w.m }

// Arg is an ARG declaration.
type Arg struct {
	Name       string
	NameSpan   source.Span
	HasDefault bool
	Default    Word
}

// Env is one ENV variable.
type Env struct {
	Key     string
	KeySpan source.Span
	Value   Word
}

// Stage is one FROM and the instructions up to the next.
type Stage struct {
	Span source.Span // the FROM instruction
	// Image is the base image with global ARGs substituted: a reference
	// such as "mysql:5.7.44", or the name of an earlier stage (see Base).
	Image    Word
	Platform *Word // --platform, if given
	Name     string
	NameSpan source.Span // the name after AS, if any
	// Base is the index of the earlier stage Image names, or -1.
	Base   int
	Args   []Arg
	Env    []Env
	Copies []*Copy
	// Cmd and Entrypoint are the last of each in the stage, or nil: the
	// base image's or base stage's then apply, except that an ENTRYPOINT
	// clears an inherited CMD
	// (https://docs.docker.com/reference/dockerfile/#understand-how-cmd-and-entrypoint-interact).
	Cmd, Entrypoint *Command
	// Files are the files RUN writes from its command line or a heredoc,
	// and COPY/ADD heredocs, in order.
	Files []*WrittenFile
}

// Copy is a COPY or ADD instruction.
type Copy struct {
	Add  bool
	Span source.Span
	// From is the --from value: a stage name or index, an image or a
	// named context. Its sources are not repository files.
	From    *Word
	Sources []*CopySource
	Dest    Word
	// DestIsDir: the destination ends in "/" or there are several
	// sources, so each source lands inside it under its base name
	// (https://docs.docker.com/reference/dockerfile/#destination). A
	// single source that is a directory also copies into Dest, which only
	// the build context tells.
	DestIsDir bool
	Exec      bool // written as a JSON array
}

// CopySource is one source of a COPY or ADD.
type CopySource struct {
	Path Word
	// Context is true when Path names files of the build context: no
	// --from, no URL or Git source, no heredoc.
	Context bool
	// ContextPath is the slash path, relative to the root of the build
	// context, that the builder reads for Path: cleaned, with leading
	// "/" and "../" removed, so it never leaves the context ("." for the
	// root). Absolute sources are resolved from the context root
	// (moby/moby#4592, fixed by moby/moby#5762).
	ContextPath string
	// OutsideContext: Path climbs above the build context ("../x"). The
	// reference says "you can't use COPY ../something /something"; the
	// legacy builder refuses it, while BuildKit reads ContextPath, "x" at
	// the context root (docker/docs#19500). Never resolve Path itself.
	OutsideContext bool
	Absolute       bool         // Path starts with "/"
	Remote         bool         // an ADD URL or Git repository
	Heredoc        *WrittenFile // a "<<EOF" source: the text is the file
}

// Command is a CMD or ENTRYPOINT.
type Command struct {
	Span source.Span
	// Exec is true for the JSON-array form; in shell form the text runs
	// under "/bin/sh -c" and Args is its split on blanks and quotes, for
	// reading options only.
	Exec bool
	Args []Word
}

// WrittenFile is a file an instruction writes from text in the
// Dockerfile: "RUN printf '...' > path", "RUN echo ... >> path", a
// heredoc fed to cat or tee, or "COPY <<EOF path".
type WrittenFile struct {
	Span   source.Span // the command that writes it
	Path   Word
	Append bool   // >> or tee -a: the text is added to the file
	Via    string // "printf", "echo", "cat", "tee", "COPY" or "ADD"
	// Content is the text written. Known is false when it depends on the
	// shell (echo with backslashes), variables, printf conversions or
	// command substitution; Why then says which.
	Content string
	Known   bool
	Why     string
	m       textmap.Map
}

// ContentSpan returns the span in the file of Content[start:end] and
// whether it maps exactly. A printf "\n" is two source bytes for one
// decoded byte: a range that cuts it is widened and not exact.
func (w *WrittenFile) ContentSpan(start, end int) (source.Span, bool) {
	s, e := w.m.Range(start, end)
	return w.Span.File.Span(s, e), w.Known && w.m.Exact(start, end)
}

// ContentMap returns Content's decoded-to-file map.
func (w *WrittenFile) ContentMap() textmap.Map { return w.m }
