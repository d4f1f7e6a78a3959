package load

import (
	"net"
	"path"
	"sort"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/parsers/appini"
	"github.com/tlsvet/tlsvet/parsers/compose"
	"github.com/tlsvet/tlsvet/parsers/kube"
)

// MySQL Router as a server: a compose service or Kubernetes container
// whose image is MySQL Router (facts.RouterImage) and that has a
// mysqlrouter.conf of the repository placed in it (a bind mount, a
// config, a Kustomize-generated ConfigMap key) runs that file's routes;
// applications that connect to the service connect to them (link). A
// Router its image bootstraps, with no file of the repository, is not
// known: nothing pairs with it.

// composeRouter records service s when its image is MySQL Router.
func (b *builder) composeRouter(f *compose.File, s *compose.Service) {
	if s.Image == nil || !facts.RouterImage(s.Image.Value) {
		return
	}
	dep := &model.Deployment{Kind: "compose service", Name: s.Name, Hosts: []string{s.Name}, Span: s.NameSpan,
		Image: s.Image.Value, ImageSpan: s.Image.Span, Files: b.composePlaced(f, s)}
	for _, a := range s.Aliases {
		dep.Hosts = append(dep.Hosts, a.Value)
	}
	var words []string
	for _, c := range []*compose.Command{s.Entrypoint, s.Command} {
		if c != nil {
			for _, a := range c.Args {
				words = append(words, a.Value)
			}
		}
	}
	b.addRouter(dep, words)
}

// kubeRouter records container c of workload o when its image is MySQL
// Router, with the mysqlrouter.conf files Kustomize generators place in it.
func (b *builder) kubeRouter(o *kube.Object, c *kube.Container, files map[string]string, gens map[string][]generated) {
	if c.Image == nil || !facts.RouterImage(c.Image.Value) {
		return
	}
	placedFiles := map[string]string{}
	for k, v := range files {
		placedFiles[k] = v
	}
	for _, mk := range c.Mounted {
		kind := "ConfigMap/"
		if mk.Secret {
			kind = "Secret/"
		}
		for _, g := range gens[kind+mk.Object] {
			if (mk.Key != "" && g.key != mk.Key) || appini.KindOf(g.host) != appini.Router {
				continue
			}
			at := path.Clean(mk.Path)
			if mk.Key == "" {
				at = path.Clean(strings.TrimSuffix(mk.Path, "/") + "/" + g.key)
			}
			placedFiles[at] = g.host
		}
	}
	dep := &model.Deployment{Kind: "Kubernetes container", Name: o.Name + "/" + c.Name, Hosts: workloadHosts(o),
		Span: c.Image.Span, Image: c.Image.Value, ImageSpan: c.Image.Span, Files: placedFiles}
	var words []string
	for _, a := range append(append([]kube.Arg(nil), c.Command...), c.Args...) {
		words = append(words, a.Text)
	}
	b.addRouter(dep, words)
}

// addRouter records a Router deployment; words are its command line,
// whose -c/--config and --extra-config options name the files it reads
// (https://dev.mysql.com/doc/mysql-router/8.4/en/mysqlrouter.html). When
// the command line names none, every mysqlrouter.conf placed in the
// container is taken as read: the image's start script is not modelled.
func (b *builder) addRouter(dep *model.Deployment, words []string) {
	named := map[string]bool{}
	for i, w := range words {
		for _, opt := range []string{"-c", "--config", "--extra-config"} {
			if v, ok := strings.CutPrefix(w, opt+"="); ok {
				named[path.Clean(v)] = true
			} else if w == opt && i+1 < len(words) {
				named[path.Clean(words[i+1])] = true
			}
		}
	}
	b.routers = append(b.routers, routerDep{dep, named})
}

// routerDep is a deployment whose image is MySQL Router, and the config
// files its command line names (none: the files placed are taken as read).
type routerDep struct {
	dep   *model.Deployment
	named map[string]bool
}

// addRoutes builds the routes of every Router deployment from the
// mysqlrouter.conf files placed in its container.
func (b *builder) addRoutes() {
	for _, rd := range b.routers {
		targets := make([]string, 0, len(rd.dep.Files))
		for t := range rd.dep.Files {
			targets = append(targets, t)
		}
		sort.Strings(targets)
		for _, t := range targets {
			host := rd.dep.Files[t]
			if !strings.HasSuffix(t, "/") {
				if f := b.routerFiles[host]; f != nil && (len(rd.named) == 0 || rd.named[t]) {
					b.routesOf(rd.dep, f)
				}
				continue
			}
			// A mounted directory: the mysqlrouter.conf files under it.
			names := make([]string, 0)
			for p := range b.routerFiles {
				if rel, ok := strings.CutPrefix(p, host+"/"); ok && (len(rd.named) == 0 || rd.named[path.Join(t, rel)]) {
					names = append(names, p)
				}
			}
			sort.Strings(names)
			for _, p := range names {
				b.routesOf(rd.dep, b.routerFiles[p])
			}
		}
	}
}

// routesOf adds the routes of Router file f that deployment dep runs.
func (b *builder) routesOf(dep *model.Deployment, f *appini.File) {
	for i := range f.Routes {
		r := &f.Routes[i]
		rt := &model.Route{Deployment: dep, Name: r.Name, Header: r.Header, Accept: model.RouteAccept(r.Accept),
			Mode: b.iniSetting(r.AcceptEntry), Cert: b.iniSetting(r.Cert), Cipher: b.iniSetting(r.Cipher),
			ServerMode: r.ServerMode.String()}
		switch r.AcceptFrom {
		case appini.AcceptExplicit:
			rt.AcceptBy = "client_ssl_mode=" + r.Accept.String()
		case appini.AcceptDefaultWithCert:
			rt.AcceptBy = "client_ssl_mode unset with a certificate: " + r.Accept.String()
		default:
			rt.AcceptBy = "client_ssl_mode unset without a certificate: " + r.Accept.String()
		}
		if len(r.Stops) > 0 {
			rt.Stops = r.Stops[0].Msg
		}
		if e := r.BindPort; e != nil {
			rt.Port = strings.TrimSpace(e.Value)
		} else if e := r.BindAddress; e != nil {
			if _, port, err := net.SplitHostPort(strings.TrimSpace(e.Value)); err == nil {
				rt.Port = port
			}
		}
		if e := r.Destinations; e != nil && !strings.Contains(e.Value, "://") {
			for _, d := range strings.Split(e.Value, ",") {
				if d = strings.TrimSpace(d); d != "" {
					rt.Destinations = append(rt.Destinations, hostName(d))
				}
			}
		}
		b.p.Routes = append(b.p.Routes, rt)
	}
}

// hostName is the host of "host[:port]" or "[v6]:port".
func hostName(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return strings.Trim(addr, "[]")
}
