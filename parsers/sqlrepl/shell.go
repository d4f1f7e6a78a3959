package sqlrepl

import (
	"bytes"

	"github.com/tlsvet/tlsvet/internal/source"
)

// ParseShell reads the SQL a shell script feeds the mysql or mariadb
// client: the body of a heredoc (<<EOF, <<-EOF, <<'EOF', <<"EOF") on a
// line that runs the client (its words name mysql or mariadb, as in
// `mysql -uroot <<EOF`, `"${mysql[@]}" <<-EOSQL` or the official images'
// docker_process_sql), and a quoted -e/--execute argument on such a line.
// Shell syntax is read only that far: a script that builds its SQL in
// variables is not followed. Whole-line # comments are not SQL and are
// skipped. Result.Comments is empty: a script's comments are its lines.
func ParseShell(f *source.File) *Result {
	r := &Result{}
	c := f.Content
	for pos := 0; pos < len(c); {
		end := lineEnd(c, pos)
		line := c[pos:end]
		trimmed := bytes.TrimLeft(line, " \t")
		if len(trimmed) == 0 || trimmed[0] == '#' || !runsClient(line) {
			pos = end + 1
			continue
		}
		next := end + 1
		if h := bytes.Index(line, []byte("<<")); h >= 0 && (h+2 >= len(line) || line[h+2] != '<') {
			if start, stop, after, ctx, ok := heredoc(c, pos+h+2, end); ok {
				r.parse(f, start, stop, ctx, noComments)
				next = after
			}
		}
		for _, a := range executeArgs(c, pos, end) {
			r.parse(f, a.start, a.end, a.ctx, noComments)
			next = max(next, a.end+1)
		}
		pos = next
	}
	return r
}

// noComments keeps no SQL comment: the loader reads a script's whole-line
// comments itself.
func noComments([]byte) bool { return false }

// runsClient reports whether a line's words name the client.
func runsClient(line []byte) bool {
	l := bytes.ToLower(line)
	return bytes.Contains(l, []byte("mysql")) || bytes.Contains(l, []byte("mariadb")) || bytes.Contains(l, []byte("docker_process_sql"))
}

// lineEnd is the offset of the '\n' ending the line at pos, or len(c).
func lineEnd(c []byte, pos int) int {
	if i := bytes.IndexByte(c[pos:], '\n'); i >= 0 {
		return pos + i
	}
	return len(c)
}

// heredoc reads the delimiter word after "<<" at i (on the line ending at
// eol) and finds the body: from the next line to the line that is the
// delimiter (after leading tabs for <<-). It returns the body's bounds,
// where reading goes on, and how the shell treats the body.
func heredoc(c []byte, i, eol int) (start, stop, after int, ctx Context, ok bool) {
	strip := false
	if i < eol && c[i] == '-' {
		strip, i = true, i+1
	}
	for i < eol && (c[i] == ' ' || c[i] == '\t') {
		i++
	}
	ctx = Heredoc
	var word []byte
	switch {
	case i < eol && (c[i] == '\'' || c[i] == '"'):
		e := bytes.IndexByte(c[i+1:eol], c[i])
		if e < 0 {
			return 0, 0, 0, 0, false
		}
		word, ctx = c[i+1:i+1+e], Plain
	case i < eol && c[i] == '\\':
		j := i + 1
		for j < eol && wordByte(c[j]) {
			j++
		}
		word, ctx = c[i+1:j], Plain
	default:
		j := i
		for j < eol && (wordByte(c[j]) || c[j] == '-' || c[j] == '.') {
			j++
		}
		word = c[i:j]
	}
	if len(word) == 0 {
		return 0, 0, 0, 0, false
	}
	start = min(eol+1, len(c))
	for pos := start; pos < len(c); {
		e := lineEnd(c, pos)
		l := bytes.TrimRight(c[pos:e], "\r")
		if strip {
			l = bytes.TrimLeft(l, "\t")
		}
		if bytes.Equal(l, word) {
			return start, pos, e + 1, ctx, true
		}
		pos = e + 1
	}
	// No end line: the shell reads the body to the end of the file.
	return start, len(c), len(c), ctx, true
}

// arg is a quoted -e argument's text.
type arg struct {
	start, end int
	ctx        Context
}

// executeArgs finds the quoted arguments of -e and --execute on the line
// [pos, eol); a double-quoted one may run over several lines.
func executeArgs(c []byte, pos, eol int) []arg {
	var out []arg
	for i := pos; i < eol; i++ {
		if c[i] != '-' || i > pos && c[i-1] != ' ' && c[i-1] != '\t' {
			continue
		}
		j := i + 1
		switch {
		case j < eol && c[j] == 'e':
			j++
		case bytes.HasPrefix(c[j:eol], []byte("-execute")):
			j += len("-execute")
			if j < eol && c[j] == '=' {
				j++
			}
		default:
			continue
		}
		for j < eol && (c[j] == ' ' || c[j] == '\t') {
			j++
		}
		if j >= eol || c[j] != '"' && c[j] != '\'' {
			continue
		}
		q := c[j]
		k := j + 1
		for k < len(c) && c[k] != q {
			if q == '"' && c[k] == '\\' {
				k++
			}
			k++
		}
		if k >= len(c) {
			return out // never closed: the shell would not run it
		}
		ctx := DoubleQuoted
		if q == '\'' {
			ctx = SingleQuoted
		}
		out = append(out, arg{j + 1, k, ctx})
		i = k
		if k >= eol {
			break
		}
	}
	return out
}
