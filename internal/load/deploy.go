package load

import (
	"path"
	"slices"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/mycnf"
)

// Servers declared by deployment files (compose services, Dockerfiles,
// Kubernetes containers, Helm values): each reader finds the image, the
// command-line options and the option files the server reads; here they
// become one model.Server, so every server rule runs on it with the
// image's version. The command line is read after the files, as mysqld
// does: it wins.

// declared is a server a deployment file declares, as its reader found it.
type declared struct {
	dep    *model.Deployment
	target facts.Target // from the image, when known
	known  bool
	// files are the option files the server reads, in its read order:
	// mounted or copied repository files, my.cnf text embedded in YAML.
	files []*mycnf.Result
	// flags are the command-line options in order; flagsAt is where the
	// command line is written (the command: key, the CMD line).
	flags   []*model.Setting
	flagsAt source.Span
}

// addDeclared builds the server of d.
func (b *builder) addDeclared(d declared) {
	b.p.Deployments = append(b.p.Deployments, d.dep)
	b.files[d.dep.Span.File.Path] = d.dep.Span.File
	of := &model.OptionFile{File: d.dep.Span.File}
	for _, r := range d.files {
		b.addProblems(r)
		b.addContent(of, r)
	}
	if len(d.flags) > 0 {
		g := &model.Group{Name: "mysqld", Written: "command line", Span: d.flagsAt, Readers: facts.GroupReaders("mysqld")}
		of.Groups = append(of.Groups, g)
		for _, f := range d.flags {
			f.Group = g
			of.Options = append(of.Options, f)
		}
	}
	if len(of.Options) == 0 && !d.known {
		return // nothing to judge: no version, no settings
	}
	targets, by := b.opt.Targets, b.opt.TargetBy
	if d.known {
		targets, by = []facts.Target{d.target}, d.dep.ImageBy
	}
	of.Files = append([]*source.File{d.dep.Span.File}, of.Files...)
	srvs := servers(of, targets, by)
	for _, s := range srvs {
		s.Deployment = d.dep
	}
	b.files[d.dep.Span.File.Path] = d.dep.Span.File
	b.p.OptionFiles = append(b.p.OptionFiles, of)
	b.p.Servers = append(b.p.Servers, srvs...)
}

// flagSetting is a command-line option --key[=value] as a setting. The
// key is given without its dashes; spans are in the deployment file.
func flagSetting(key string, keySpan source.Span, hasValue bool, value string, valueSpan source.Span, origin model.Origin) *model.Setting {
	n := mycnf.Normalize(key)
	return &model.Setting{Origin: origin, Key: key, Name: n.Canonical, Loose: n.Loose, Skip: n.Skip, Enable: n.Enable,
		Maximum: n.Maximum, HasValue: hasValue, Value: value, KeySpan: keySpan, ValueSpan: valueSpan}
}

// cmdWord is one word of a container's command line (a Dockerfile exec
// form's string, a Kubernetes args element): its text after the format's
// own expansion, the word as written, how a range of the text maps to the
// file and how a value is spelled inside it.
type cmdWord struct {
	text   string
	skip   bool // templated or known only at run time: not read
	span   source.Span
	spanOf func(i, j int) (source.Span, bool)
	quote  func(text string) (string, bool)
}

// commandFlags reads the server options of a command line's words:
// "--name=value", "--name" alone, and "--name value" for an option that
// takes a value, with the pitfall of that value being another option
// (TV010). A flag and its value in two words cannot be removed by an edit
// of one word, so such a setting offers no removal.
func commandFlags(words []cmdWord, syntax string) ([]*model.Setting, []model.Swallow) {
	var flags []*model.Setting
	var swallowed []model.Swallow
	for i := 0; i < len(words); i++ {
		w := &words[i]
		if w.skip || !strings.HasPrefix(w.text, "--") || len(w.text) == 2 {
			continue
		}
		name, value, inline := strings.Cut(w.text[2:], "=")
		keySpan, _ := w.spanOf(2, 2+len(name))
		o := &argOrigin{syntax: syntax, spanOf: w.spanOf, quote: w.quote, removal: w.span}
		switch {
		case inline:
			o.valueStart = 3 + len(name)
			vs, _ := w.spanOf(o.valueStart, len(w.text))
			flags = append(flags, flagSetting(name, keySpan, true, value, vs, o))
		case facts.TakesValue(name) && i+1 < len(words) && words[i+1].spanOf != nil:
			next := &words[i+1]
			o.spanOf, o.quote, o.valueStart, o.removal = next.spanOf, next.quote, 0, source.Span{}
			vs, _ := next.spanOf(0, len(next.text))
			set := flagSetting(name, keySpan, true, next.text, vs, o)
			flags = append(flags, set)
			if strings.HasPrefix(next.text, "-") {
				swallowed = append(swallowed, model.Swallow{Option: set, Lost: next.text, LostSpan: next.span})
			}
			i++
		default:
			flags = append(flags, flagSetting(name, keySpan, false, "", keySpan.File.Span(keySpan.End, keySpan.End), o))
		}
	}
	return flags, swallowed
}

// argOrigin is the origin of a command-line option inside a deployment
// file: its value maps to the file through the container's quoting
// (spanOf over the decoded argument), and a new value is spelled by
// quote. An option written as a whole argument is removed with it.
type argOrigin struct {
	syntax string
	// valueStart is the decoded argument offset of the value's first byte.
	valueStart int
	spanOf     func(i, j int) (source.Span, bool)
	quote      func(text string) (string, bool)
	removal    source.Span
}

// Syntax implements model.Origin.
func (o *argOrigin) Syntax() string { return o.syntax }

// Offset implements model.Origin.
func (o *argOrigin) Offset(s *model.Setting, i int) (int, bool) {
	sp, exact := o.spanOf(o.valueStart, o.valueStart+i)
	return sp.End, exact
}

// Spell implements model.Origin: a value in the command line's quoting.
// A value with blanks would split a shell-form command: not spelled.
func (o *argOrigin) Spell(s *model.Setting, v string) (string, bool) {
	if _, exact := o.spanOf(o.valueStart, o.valueStart+len(s.Value)); !exact || strings.ContainsAny(v, " \t\n'\"\\") {
		return "", false
	}
	return o.quote(v)
}

// Removal implements model.Origin.
func (o *argOrigin) Removal(*model.Setting) (source.Span, bool) {
	return o.removal, o.removal.IsValid()
}

// embedded reads my.cnf text written inside another file (a YAML literal
// block scalar), whose lines are the file's bytes [start, end) at their
// own indentation: MySQL skips leading blanks on every line, so the
// bytes are read as they stand, with every other byte of the file
// blanked, and every span then points into the real file. Lines skip
// reports (template control lines) are blanked too; skip may be nil.
func embedded(real *source.File, start, end int, skip func(line []byte) bool) *mycnf.Result {
	view := make([]byte, len(real.Content))
	for i, c := range real.Content {
		switch {
		case i >= start && i < end:
			view[i] = c
		case c == '\n':
			view[i] = '\n'
		default:
			view[i] = ' '
		}
	}
	if skip != nil {
		for ls := start; ls < end; {
			le := ls
			for le < end && view[le] != '\n' {
				le++
			}
			if skip(view[ls:le]) {
				for k := ls; k < le; k++ {
					view[k] = ' '
				}
			}
			ls = le + 1
		}
	}
	vf := source.NewFile(real.Path, view)
	r := mycnf.ParseTemplate(vf)
	for _, sec := range vf.SecretRanges(0, len(view)) {
		real.MarkSecret(sec[0], sec[1])
	}
	return moveSpans(r, vf, real, func(sp source.Span) source.Span { sp.File = real; return sp })
}

// link records which connections reach which declared servers: a host
// that names a compose service of the same project (the compose file's
// directory, where its .env and env_files live too), or, with a
// namespace, a Kubernetes service (name, name.namespace,
// name.namespace.svc.cluster.local). A host that names a MySQL Router
// deployment reaches its routes (router.go): those whose bind_port is the
// connection's port, when both are known; a PASSTHROUGH route passes the
// connection's TLS on to the servers its destinations name.
func (b *builder) link() {
	servers := map[string][]*model.Server{}
	seen := map[*model.Deployment]bool{}
	for _, s := range b.p.Servers {
		d := s.Deployment
		if d == nil || seen[d] {
			continue
		}
		seen[d] = true
		for _, h := range d.Hosts {
			servers[strings.ToLower(h)] = append(servers[strings.ToLower(h)], s)
		}
	}
	routes := map[string][]*model.Route{}
	var routerLegs []routerLeg
	for _, r := range b.p.Routes {
		for _, h := range r.Deployment.Hosts {
			routes[strings.ToLower(h)] = append(routes[strings.ToLower(h)], r)
		}
		for _, dst := range r.Destinations {
			for _, s := range servers[strings.ToLower(dst)] {
				if sameProject(s.Deployment, r.Deployment.Span.File.Path) {
					r.Servers = append(r.Servers, s)
					routerLegs = append(routerLegs, routerLeg{r, dst, s})
				}
			}
		}
	}
	b.linkRouterLegs(routerLegs)
	if len(servers)+len(routes) == 0 {
		return
	}
	// Indexed on first use: most host names are asked for once or never.
	serverIx, routeIx := map[string]*nearIndex[*model.Server]{}, map[string]*nearIndex[*model.Route]{}
	nearServers := func(host string) *nearIndex[*model.Server] {
		if serverIx[host] == nil {
			serverIx[host] = newNearIndex(servers[host], func(s *model.Server) *model.Deployment { return s.Deployment })
		}
		return serverIx[host]
	}
	nearRoutes := func(host string) *nearIndex[*model.Route] {
		if routeIx[host] == nil {
			routeIx[host] = newNearIndex(routes[host], func(r *model.Route) *model.Deployment { return r.Deployment })
		}
		return routeIx[host]
	}
	for _, c := range b.p.Connections {
		if c.Transport != model.TCP || c.Host == "" || !c.Span.IsValid() {
			continue
		}
		host, port := strings.ToLower(c.Host), c.Port
		if h, p, ok := strings.Cut(host, ":"); ok {
			host, port = h, p
		}
		for _, s := range nearServers(host).nearest(c.Span.File.Path) {
			why := "host " + c.Host + " is the " + s.Deployment.Kind + " " + s.Deployment.Name
			b.p.Links = append(b.p.Links, model.Link{Client: c, Server: s, Reason: why})
		}
		for _, r := range nearRoutes(host).nearest(c.Span.File.Path) {
			if port != "" && r.Port != "" && port != r.Port {
				continue
			}
			why := "host " + c.Host + " is the " + r.Deployment.Kind + " " + r.Deployment.Name + ", route [" + r.Name + "]"
			if r.Accept != model.AcceptPassthrough || r.Stops != "" {
				b.p.Links = append(b.p.Links, model.Link{Client: c, Route: r, Reason: why})
				continue
			}
			for _, s := range r.Servers {
				b.p.Links = append(b.p.Links, model.Link{Client: c, Server: s, Route: r, Reason: why +
					", PASSTHROUGH to the " + s.Deployment.Kind + " " + s.Deployment.Name})
			}
		}
	}
}

// routerLeg is a server a MySQL Router route's destinations name.
type routerLeg struct {
	route  *model.Route
	dst    string
	server *model.Server
}

// linkRouterLegs links Router's own leg to each server its routes name:
// the route's server_ssl_* settings are a client (addINI, routerLegs) of
// that server.
// A file that two Router deployments run gives each pair once.
func (b *builder) linkRouterLegs(legs []routerLeg) {
	type pair struct {
		c *model.Connection
		s *model.Server
	}
	seen := map[pair]bool{}
	for _, l := range legs {
		c := b.routerLegs[l.route.Header]
		if c == nil || seen[pair{c, l.server}] {
			continue
		}
		seen[pair{c, l.server}] = true
		why := "MySQL Router route [" + l.route.Name + "] of the " + l.route.Deployment.Kind + " " + l.route.Deployment.Name +
			" connects to " + l.dst + ", the " + l.server.Deployment.Kind + " " + l.server.Deployment.Name
		b.p.Links = append(b.p.Links, model.Link{Client: c, Server: l.server, Reason: why})
	}
}

// nearIndex answers nearest for one host name's candidates: the
// candidates a file at name may reach by a host name that all of them
// declare (sameProject), and of those the ones declared closest to it: in
// the deepest directory their paths share. Kubernetes resolves a service
// name within one namespace, so two workloads of one name in one
// repository are alternatives (overlays, clusters, environments), not a
// file's peers at once; linking every client to every one of them
// multiplied links by the number of projects.
//
// A query costs the depth of name and the size of its answer: the
// candidates are indexed by the directories above them, because scanning
// them all for each client was quadratic when every project of a large
// repository names its database "db" (a quarter of a 100k-file check).
type nearIndex[T any] struct {
	cands []T
	// under lists the candidates that are not compose services by every
	// directory at or above their file's ("." excluded); others lists all
	// of them.
	under  map[string][]int
	others []int
	// at lists the compose services by their file's directory: a file
	// reaches one only from that directory's tree (sameProject).
	at map[string][]int
}

func newNearIndex[T any](cands []T, dep func(T) *model.Deployment) *nearIndex[T] {
	ix := &nearIndex[T]{cands: cands, under: map[string][]int{}, at: map[string][]int{}}
	for i, c := range cands {
		d := dep(c)
		dir := path.Dir(d.Span.File.Path)
		if d.Kind == "compose service" {
			ix.at[dir] = append(ix.at[dir], i)
			continue
		}
		ix.others = append(ix.others, i)
		for p := dir; p != "."; p = path.Dir(p) {
			ix.under[p] = append(ix.under[p], i)
		}
	}
	return ix
}

// nearest returns the candidates nearest to a file at name, in their
// order.
func (ix *nearIndex[T]) nearest(name string) []T {
	dir := path.Dir(name)
	// ends[j] is where the j-th directory of dir's path ends: dir[:ends[j]]
	// shares j+1 directories with it.
	var ends []int
	if dir != "." {
		for i := 0; i < len(dir); i++ {
			if dir[i] == '/' {
				ends = append(ends, i)
			}
		}
		ends = append(ends, len(dir))
	}
	prefix := func(j int) string { // the directory of depth j above name (0: ".")
		if j == 0 {
			return "."
		}
		return dir[:ends[j-1]]
	}
	// The deepest directory shared with another kind of candidate, and
	// with a compose service of a directory above name.
	kube := -1
	if len(ix.others) > 0 {
		kube = 0
		for j := len(ends); j > 0; j-- {
			if len(ix.under[prefix(j)]) > 0 {
				kube = j
				break
			}
		}
	}
	compose := -1
	for j := len(ends); j >= 0; j-- {
		if len(ix.at[prefix(j)]) > 0 {
			compose = j
			break
		}
	}
	best := max(kube, compose)
	if best < 0 {
		return nil
	}
	var idx []int
	switch {
	case kube == best && best == 0:
		idx = append(idx, ix.others...)
	case kube == best:
		idx = append(idx, ix.under[prefix(best)]...)
	}
	if compose == best {
		idx = append(idx, ix.at[prefix(best)]...)
		slices.Sort(idx)
	}
	out := make([]T, len(idx))
	for k, i := range idx {
		out[k] = ix.cands[i]
	}
	return out
}

// sameProject reports whether a file at name may reach deployment d by
// its host name: any file for a Kubernetes workload, a file of the same
// directory tree for a compose service (another compose project may have
// a service of the same name).
func sameProject(d *model.Deployment, name string) bool {
	dir := path.Dir(d.Span.File.Path)
	return d.Kind != "compose service" || dir == "." || strings.HasPrefix(name, dir+"/")
}

// decoded reads my.cnf text that a deployment file writes in a decoded
// form (a Dockerfile's printf or heredoc): it is parsed as its own text,
// and each span is mapped back into the file through spanOf, whose
// inexact ranges (an escape) make the setting's value inexact too, so no
// fix is offered there.
func decoded(real *source.File, text string, spanOf func(i, j int) (source.Span, bool)) *mycnf.Result {
	vf := source.NewFile(real.Path, []byte(text))
	r := mycnf.Parse(vf)
	for _, sec := range vf.SecretRanges(0, len(text)) {
		if sp, _ := spanOf(sec[0], sec[1]); sp.IsValid() {
			real.MarkSecret(sp.Start, sp.End)
		}
	}
	return moveSpans(r, vf, real, func(sp source.Span) source.Span { m, _ := spanOf(sp.Start, sp.End); return m })
}

// moveSpans points every span of r that lies in the view file vf into the
// real file, through to; r then reads as real's.
func moveSpans(r *mycnf.Result, vf, real *source.File, to func(source.Span) source.Span) *mycnf.Result {
	re := func(sp *source.Span) {
		if sp.File == vf {
			*sp = to(*sp)
		}
	}
	r.Files = []*source.File{real}
	for i := range r.Groups {
		re(&r.Groups[i].Span)
		re(&r.Groups[i].Header)
	}
	for i := range r.Entries {
		e := &r.Entries[i]
		re(&e.KeySpan)
		re(&e.ValueSpan)
		re(&e.Comment)
	}
	for i := range r.Includes {
		re(&r.Includes[i].Span)
		re(&r.Includes[i].TargetSpan)
	}
	for i := range r.Comments {
		re(&r.Comments[i])
	}
	for i := range r.Errors {
		re(&r.Errors[i].Span)
	}
	return r
}
