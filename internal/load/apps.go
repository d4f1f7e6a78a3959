package load

import (
	"bytes"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/rootfs"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/appini"
	"github.com/tlsvet/tlsvet/parsers/connstr"
	"github.com/tlsvet/tlsvet/parsers/dockerfile"
	"github.com/tlsvet/tlsvet/parsers/envfile"
	"github.com/tlsvet/tlsvet/parsers/kube"
	"github.com/tlsvet/tlsvet/parsers/pki"
	"github.com/tlsvet/tlsvet/parsers/sqlrepl"
)

// Application files: .env, properties, YAML, JSON, TOML and Go files read
// for connection strings (parsers/connstr).

// appResult is what one application file gave.
type appResult struct {
	name     string
	file     *source.File
	kind     connstr.Kind
	res      *connstr.Result
	err      error
	comments []source.Span
	ini      *appini.File
	key      source.Span // a private key file: its first key block
	pki      *pki.File   // a certificate or key file, parsed
	sql      *sqlrepl.Result
}

// hints are byte strings one of which every connection string tlsvet
// reads contains, lower-cased: a file without any is not parsed, so that
// the JSON, YAML and Go files of a large repository cost a read and a
// scan; "percona" a compose file's Percona image. "ssl" covers .NET and ODBC strings (SslMode=, SSLMODE=), "tls" the
// Go driver's tls=, "trilogy" Rails' adapter.
var hints = [][]byte{[]byte("mysql"), []byte("mariadb"), []byte("percona"), []byte("@tcp("), []byte("@unix("), []byte("ssl"), []byte("tls"), []byte("trilogy")}

// pemBegin starts a PEM block: a YAML file holding one may be a Secret
// with a certificate or key (inline.go). In base64 ("LS0tLS1CRUdJTi") it
// holds "tls" once lower-cased, a hint already.
var pemBegin = []byte("-----BEGIN ")

// mayHold reports whether content may hold a connection string.
func mayHold(content []byte) bool {
	lower := bytes.ToLower(content)
	for _, h := range hints {
		if bytes.Contains(lower, h) {
			return true
		}
	}
	return false
}

// readApps reads and parses the application files in parallel.
func (b *builder) readApps(names []string) []appResult {
	// A chart's templates/ are Go templates that only helm renders, which
	// tlsvet never does: they are left out, with one note.
	exists := func(p string) bool { _, err := fs.Stat(b.opt.FS, p); return err == nil }
	var templates []string
	names = slices.DeleteFunc(slices.Clone(names), func(n string) bool {
		if isYAML(n) && kube.ChartTemplate(n, exists) {
			templates = append(templates, n)
			return true
		}
		return false
	})
	b.p.Notices = append(b.p.Notices, listNotice(templates, "file is a Helm chart template, which tlsvet does not render: not read",
		"files are Helm chart templates, which tlsvet does not render: not read")...)
	results := make([]appResult, len(names))
	parallel(len(names), func(i int) { results[i] = readApp(b.opt.FS, names[i], b.read[names[i]], b.env, b.opt.KeepComment) })
	return results
}

// appFiles are the files of the application results that were parsed.
func appFiles(rs []appResult) []*source.File {
	var out []*source.File
	for _, r := range rs {
		if r.file != nil {
			out = append(out, r.file)
		}
	}
	return out
}

// rootEnv reads the project's root .env, whose variables compose
// substitutes into the other files; nil when there is none.
func (b *builder) rootEnv() *connstr.Env {
	data, err := fs.ReadFile(b.opt.FS, ".env")
	if err != nil {
		return nil
	}
	return connstr.NewEnv(envfile.Parse(source.NewFile(".env", data)))
}

// readApp reads and scans one file; data are its bytes when the walk read
// them already.
func readApp(fsys fs.FS, name string, data []byte, env *connstr.Env, keep func([]byte) bool) appResult {
	r := appResult{name: name, kind: connstr.Detect(name)}
	if data == nil {
		var err error
		if data, err = fs.ReadFile(fsys, name); err != nil {
			r.err = err
			return r
		}
	}
	if KeyName(name) {
		r.file = source.NewFile(name, data)
		r.pki = pki.Read(r.file)
		r.key = keyBlock(r.file, r.pki)
		// Text before a PEM block is skipped by OpenSSL's readers, so a
		// directive may stand there.
		r.comments = lineComments(r.file, []string{"#"}, keep)
		return r
	}
	if k := appini.KindOf(name); k != appini.Unknown {
		r.file = source.NewFile(name, data)
		r.ini = appini.Parse(r.file, k)
		r.comments = lineComments(r.file, iniComments, keep)
		return r
	}
	if k := sqlrepl.Detect(name); k != sqlrepl.NotRead {
		readSQL(&r, k, data, keep)
		return r
	}
	if !mayHold(data) && !(isYAML(name) && bytes.Contains(data, pemBegin)) {
		return r
	}
	r.file = source.NewFile(name, data)
	r.res = connstr.Scan(r.file, r.kind, env)
	starts := commentStarts[r.kind]
	if dockerfile.Detect(name) {
		starts = []string{"#"}
	}
	r.comments = lineComments(r.file, starts, keep)
	return r
}

// commentStarts are what starts a whole-line comment in each kind: '#'
// (.env, YAML, TOML, properties, which also take '!'), '//' in Go; JSON
// has none.
var commentStarts = map[connstr.Kind][]string{
	connstr.EnvFile: {"#"}, connstr.YAML: {"#"}, connstr.SpringYAML: {"#"}, connstr.RailsDatabase: {"#"},
	connstr.TOML: {"#"}, connstr.Properties: {"#", "!"}, connstr.SpringProperties: {"#", "!"}, connstr.GoSource: {"//"},
}

// iniComments start a comment line in the INI kinds.
var iniComments = []string{"#", ";"}

// lineComments are the whole-line comments of f (lines starting with one
// of starts) that keep accepts, for suppression directives. Comments
// after a value are not looked for: telling them from a '#' inside a
// value needs each format's quoting, and a directive on its own line above
// the setting works in every format.
func lineComments(f *source.File, starts []string, keep func([]byte) bool) []source.Span {
	var out []source.Span
	c := f.Content
	for start := 0; start < len(c); {
		end := bytes.IndexByte(c[start:], '\n')
		if end < 0 {
			end = len(c)
		} else {
			end += start
		}
		line := c[start:end]
		trimmed := bytes.TrimLeft(line, " \t")
		off := start + len(line) - len(trimmed)
		for _, st := range starts {
			if bytes.HasPrefix(trimmed, []byte(st)) {
				text := bytes.TrimRight(c[off:end], "\r")
				if keep == nil || keep(text) {
					out = append(out, f.Span(off, off+len(text)))
				}
				break
			}
		}
		start = end + 1
	}
	return out
}

// strictKinds are the file kinds whose reading program refuses a file it
// cannot parse (compose an .env file, Spring its configuration, Rails its
// database.yml): their problems are TV001 findings. Elsewhere a YAML,
// JSON, TOML or Go file tlsvet cannot read as it expects gets one notice.
var strictKinds = map[connstr.Kind]bool{connstr.EnvFile: true, connstr.Properties: true, connstr.SpringProperties: true,
	connstr.SpringYAML: true, connstr.RailsDatabase: true}

// addApp adds one file's results.
func (b *builder) addApp(r appResult) {
	if r.err != nil && tooLargeScript(r) {
		b.p.Notices = append(b.p.Notices, model.Notice{Path: r.name, Message: "not read: " + rootfs.Reason(r.err) +
			"; replication statements in it are not checked"})
		return
	}
	if r.err != nil {
		// Reading goes on: the file is reported, as an option file is.
		f := source.NewFile(r.name, nil)
		b.files[f.Path] = f
		b.p.Problems = append(b.p.Problems, model.Problem{Span: f.Span(0, 0), Message: "cannot read: " + rootfs.Reason(r.err), Unread: true})
		return
	}
	if r.file != nil && KeyName(r.name) {
		if b.walked == nil {
			b.walked = map[string]walkedPKI{}
		}
		b.walked[r.name] = walkedPKI{r.file, r.pki}
		if r.key.IsValid() {
			// Key material: no snippet, message or fix may show it.
			r.file.MarkSecretLines(0, len(r.file.Content))
			b.files[r.file.Path] = r.file
			b.p.Comments = append(b.p.Comments, r.comments...)
			b.p.KeyFiles = append(b.p.KeyFiles, model.KeyFile{Span: r.key})
		}
		return
	}
	if r.sql != nil {
		b.addSQL(r)
		return
	}
	if r.ini != nil {
		b.files[r.file.Path] = r.file
		b.p.Comments = append(b.p.Comments, r.comments...)
		b.addINI(r.ini)
		for _, pr := range r.ini.Problems {
			if pr.Fatal {
				hideRest(r.file, pr.Span.Start)
				b.p.Problems = append(b.p.Problems, model.Problem{Span: pr.Span, Message: pr.Msg})
			}
		}
		return
	}
	if r.res == nil {
		return
	}
	f := r.file
	for i := range r.res.Strings {
		s := &r.res.Strings[i]
		var c *model.Connection
		var problem string
		switch cands := candidates(s, b.ecosystem(f.Path)); len(cands) {
		case 0:
			continue
		case 1:
			c, problem = connection(s, cands[0], r.kind == connstr.EnvFile)
		default:
			c = shared(s, cands)
			if c == nil {
				continue
			}
		}
		if problem != "" {
			b.p.Problems = append(b.p.Problems, model.Problem{Span: s.Span, Message: problem})
			continue
		}
		b.p.Connections = append(b.p.Connections, c)
	}
	if len(r.res.Settings) > 0 {
		b.p.Connections = append(b.p.Connections, railsConnections(f, r.res.Settings)...)
	}
	if len(r.res.Problems) > 0 {
		if strictKinds[r.kind] {
			for _, pr := range r.res.Problems {
				hideRest(f, pr.Span.Start)
				b.p.Problems = append(b.p.Problems, model.Problem{Span: pr.Span, Message: pr.Msg})
			}
		} else {
			pos := r.res.Problems[0].Span.StartPos()
			b.p.Foreign = append(b.p.Foreign, model.Notice{Path: f.Path, Message: "not read as " + r.kind.String() +
				": " + r.res.Problems[0].Msg + " at line " + strconv.Itoa(pos.Line)})
		}
	}
	if len(r.res.Unknown) > 0 {
		names := make([]string, len(r.res.Unknown))
		for i, u := range r.res.Unknown {
			names[i] = "${" + u.Name + "}"
		}
		what := "the value of " + names[0] + " is"
		if len(names) > 1 {
			what = "the values of " + strings.Join(names, ", ") + " are"
		}
		b.p.Notices = append(b.p.Notices, model.Notice{Path: f.Path, Note: true, Message: what +
			" unknown (no default, not set in the project's .env): the settings that use them are judged only for what an empty value does"})
	}
	// Every parsed file's comments count, so that a tlsvet:ignore above a
	// compose flag or a connection string is seen.
	b.files[f.Path] = f
	b.p.Comments = append(b.p.Comments, r.comments...)
}

// hideRest marks secret the text of f from off to the end of its line. A
// parser that stopped there could not tell what the rest of the line is:
// an unterminated quote opening a DSN with a password, the password of a
// YAML key or a Gitea PASSWD whose quote never closes. The snippet of the
// problem shows the line, so what the parser could not vouch for is
// hidden.
func hideRest(f *source.File, off int) {
	end := bytes.IndexByte(f.Content[min(off, len(f.Content)):], '\n')
	if end < 0 {
		end = len(f.Content)
	} else {
		end += off
	}
	f.MarkSecret(off, end)
}
