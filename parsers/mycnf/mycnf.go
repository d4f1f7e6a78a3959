// Package mycnf reads MySQL/MariaDB option files (my.cnf) the way the
// servers and clients read them, keeping byte spans for every group, option,
// include directive and comment.
//
// The scanner follows search_default_file_with_ext() and remove_end_comment()
// in mysys/my_default.cc (MySQL,
// https://github.com/mysql/mysql-server/blob/8.0/mysys/my_default.cc) and
// mysys/my_default.c (MariaDB), which share the same code:
//
//   - a file is read with fgets() into a 4096-byte buffer, so a line longer
//     than 4094 bytes is cut and its rest is read as the next line;
//     a NUL byte ends the line for every string function that follows;
//   - "whitespace" is my_isspace() of latin1: TAB, LF, VT, FF, CR, space and
//     0xA0, so a trailing UTF-8 "à" (C3 A0) loses its last byte;
//   - a line whose first non-space byte is '#' or ';' is a comment; '#' also
//     starts a comment anywhere outside quotes, ';' never does;
//   - "[name]" starts a group; text after the first ']' is ignored; a '['
//     without ']' is fatal; an option before the first group is fatal;
//   - "!include path" and "!includedir dir" need whitespace after the
//     keyword; the path runs to the end of the line (no quotes, no comments);
//   - "key = value": the key ends at the first '=', both sides are trimmed,
//     one pair of matching quotes is removed, and the escapes \n \t \r \b \s
//     \" \' \\ are replaced (an unknown \x keeps its backslash);
//   - "key value" without '=' is one option named "key value";
//   - a UTF-8 byte-order mark is not skipped, so a file starting with one
//     fails with "Found option without preceding group".
//
// Deliberate differences from MySQL are listed at Read, plus one in the
// scanner: for "  = x" (an empty key after leading whitespace) MySQL's key
// trimming runs past the start of the key and passes garbage on; tlsvet
// keeps an empty key. The differential test against my_print_defaults
// asserts each difference.
package mycnf

import (
	"io/fs"
	"strconv"

	"github.com/tlsvet/tlsvet/internal/source"
)

// Options control file access. Paths are root-relative slash paths.
type Options struct {
	// FS is rooted at the scanned root: a rootfs.FS in the CLI, which
	// confines reads to the root and also resolves symbolic links (a file
	// reached through links is read once, under its real path; a link
	// leaving the root is Problem Escapes); fstest.MapFS or txtar in
	// tests. When nil, os.DirFS(RootDir) is used.
	FS fs.FS
	// AllowOutside reads absolute and ../ include targets that lie outside
	// the root from the operating system; their File.Path is then the
	// absolute OS path. Without it such targets get Problem Outside.
	AllowOutside bool
	// RootDir is the absolute OS path of the root. It maps an absolute
	// include target inside the root back to a root-relative path, and
	// locates ../ targets when AllowOutside is set.
	RootDir string
	// Cache, when set, shares *source.File values between Read calls.
	Cache *Cache
	// KeepComment, when set, says which comments Result.Comments keeps,
	// from their text (marker included); nil keeps every one. The CLI
	// keeps those that may hold a suppression directive: a span per
	// comment line made a 4 MiB comment-only file cost 250 MB.
	KeepComment func(text []byte) bool
	// MaxExpansions bounds the included files read for one top file,
	// counting each time a file is included (0: DefaultMaxExpansions).
	MaxExpansions int
	// Templates reads template syntax (Jinja, Go templates, ERB,
	// __PLACEHOLDER__) as such: a line that is template syntax is skipped
	// and a value holding a template expression is marked Entry.Template.
	// MySQL has no such reading; without it the reader is MySQL's.
	Templates bool
}

// DefaultMaxExpansions is the include budget of one top file. Real
// configurations include tens of files; the budget only stops fan-out.
const DefaultMaxExpansions = 10000

// Result is everything read from one top file and the files it includes.
type Result struct {
	Files    []*source.File // top file first, then included files in read order (each once)
	Groups   []Group        // every group header in read order
	Entries  []Entry        // every option line in the order the program sees them, included files spliced in place
	Includes []Include      // every !include / !includedir directive in read order
	Comments []source.Span  // every comment ('#' or ';' line, inline '#', '#' after a group header), marker included
	Errors   []Error        // what MySQL's option reader reports as an error, and files that could not be read
	// Templates are the files in which Options.Templates met template
	// syntax, in read order.
	Templates []string
}

// Group is a "[name]" header.
type Group struct {
	// Name as MySQL keeps it: the bytes between '[' and the first ']',
	// trailing whitespace removed, leading whitespace kept ("[ client]" is
	// the group " client", which no program reads).
	Name   string
	Span   source.Span // Name
	Header source.Span // the whole "[...]"
}

// Is reports whether a program that reads group name reads g. Group names
// match the way find_type() compares them: whole names, case-insensitive
// under latin1 case folding (so "[MySQLd]" is read by mysqld).
// https://dev.mysql.com/doc/refman/8.0/en/option-files.html ("Option group
// names are not case-sensitive").
func (g *Group) Is(name string) bool { return GroupNameEqual(g.Name, name) }

// Entry is one option line.
type Entry struct {
	Group     *Group      // the group it is in; points into Result.Groups; never nil
	Key       string      // as written, e.g. "loose_tls-version"
	KeySpan   source.Span //
	HasValue  bool        // false for a bare option (no '=')
	Value     string      // after quote removal and escapes: what my_print_defaults prints after '='
	ValueSpan source.Span // the value as written, quotes included; empty at the value position when the value is empty
	Quote     byte        // '\'' or '"' when a pair of quotes was removed, else 0
	Comment   source.Span // trailing inline '#' comment on the same line (zero Span if none)
	// Template: the value holds a template expression (Options.Templates),
	// so what the program will read is unknown.
	Template bool
}

// Arg returns the entry as the program receives it: "--key" or
// "--key=value". my_print_defaults prints exactly this.
func (e *Entry) Arg() string {
	if !e.HasValue {
		return "--" + e.Key
	}
	return "--" + e.Key + "=" + e.Value
}

// IncludeProblem says why an include directive did not read (all) its files.
type IncludeProblem uint8

const (
	None IncludeProblem = iota
	// Missing: the !include file does not exist. MySQL ignores it silently.
	Missing
	// DirMissing: the !includedir directory does not exist or is not a
	// directory. MySQL reports "Can't read dir" and stops reading the file
	// holding the directive; in the top file that is fatal.
	DirMissing
	// Outside: the target lies outside the scanned root (or in a home
	// directory, "~/...") and was not read.
	Outside
	// Cycle: the file is already being read further up the include chain.
	// tlsvet stops here; MySQL re-reads it until the nesting limit.
	Cycle
	// Unreadable: the file exists but could not be read (see Errors).
	// MySQL ignores an unreadable included file silently.
	Unreadable
	// Depth: the directive is in a file nested maxIncludeDepth levels deep;
	// MySQL skips it with a warning.
	Depth
	// NotFile: the !include target is a directory. MySQL opens it, reads
	// nothing and goes on.
	NotFile
	// Escapes: the target, or a file in the directory, is a symbolic link
	// that leaves the root or is absolute (see Include.Links); not read.
	Escapes
	// TooMany: the top file's include budget (Options.MaxExpansions) is
	// spent; the rest is not read.
	TooMany
)

var problemNames = [...]string{"none", "missing", "directory missing", "outside root", "include cycle", "unreadable", "nesting too deep", "not a file", "symlink leaves root", "include expansion too large"}

func (p IncludeProblem) String() string {
	if int(p) < len(problemNames) {
		return problemNames[p]
	}
	return "unknown"
}

// Include is one !include or !includedir directive.
type Include struct {
	Dir        bool        // !includedir
	Target     string      // as written (trailing whitespace removed)
	TargetSpan source.Span //
	Span       source.Span // the whole directive, '!' included
	// Opened is the path MySQL opens. It differs from Target only when the
	// directive is on a line without a newline (the last line of a file, or
	// a line cut at 4094 bytes): get_argument() assumes fgets() left a '\n'
	// and drops the last character.
	Opened  string
	Files   []string // paths actually read (for a dir: the *.cnf files, sorted)
	Skipped []string // files in an included dir not read because their names do not end in ".cnf"
	Links   []string // with Problem Escapes: each link not followed ("symbolic link a -> /b leads outside …")
	Problem IncludeProblem
}

// Error is a problem that makes MySQL's option reader complain, or a file
// that could not be read.
type Error struct {
	Span source.Span // zero when the top file itself could not be read
	Path string      // the file the error is in
	Msg  string
	// Fatal errors make the program abort ("Fatal error in defaults
	// handling"): every error in the top file. An error in an included file
	// only ends the reading of that file; MySQL ignores the failure and
	// carries on with the including file.
	Fatal bool
	// IO marks a file tlsvet could not read (permissions, I/O). For an
	// included file MySQL prints nothing: it skips files it cannot open.
	IO bool
	// Headerless marks an option before the first group in a file that
	// has no group header at all: a fragment that a tool places under a
	// group (Vitess concatenates config/mycnf/*.cnf under [mysqld]).
	Headerless bool
}

func (e Error) Error() string {
	if e.Span.IsValid() {
		p := e.Span.StartPos()
		return e.Path + ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col) + ": " + e.Msg
	}
	return e.Path + ": " + e.Msg
}

// InGroups returns the entries of the groups a program reading groups
// sees, in order: what my_print_defaults prints for these group names.
func (r *Result) InGroups(groups ...string) []*Entry {
	var out []*Entry
	for i := range r.Entries {
		e := &r.Entries[i]
		for _, g := range groups {
			if e.Group.Is(g) {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// Fatal reports whether the option reader aborts on this result.
func (r *Result) Fatal() bool {
	for _, e := range r.Errors {
		if e.Fatal {
			return true
		}
	}
	return false
}

// Parse scans one file. Include directives are listed in Result.Includes
// but not followed. Errors in f are fatal, as in a top file.
func Parse(f *source.File) *Result {
	r := &reader{res: &Result{Files: []*source.File{f}}}
	r.scan(f, location{path: f.Path}, 0)
	r.finish()
	return r.res
}

// ParseTemplate is Parse for text that may hold template syntax (a
// chart's my.cnf block): template lines are skipped and templated values
// are unknown, as Options.Templates reads them.
func ParseTemplate(f *source.File) *Result {
	r := &reader{opt: Options{Templates: true}, res: &Result{Files: []*source.File{f}}}
	r.scan(f, location{path: f.Path}, 0)
	r.finish()
	return r.res
}

// GroupNameEqual compares two group names the way find_type() does with
// my_charset_latin1: byte by byte after latin1 upper-casing.
func GroupNameEqual(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if latin1Upper(a[i]) != latin1Upper(b[i]) {
			return false
		}
	}
	return true
}

// latin1Upper is to_upper_latin1 from strings/ctype-latin1.cc: ASCII
// letters and 0xE0-0xFE except 0xF7 (division sign) move down by 0x20.
func latin1Upper(c byte) byte {
	if 'a' <= c && c <= 'z' || 0xE0 <= c && c <= 0xFE && c != 0xF7 {
		return c - 0x20
	}
	return c
}
