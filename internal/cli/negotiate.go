package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/load"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/rootfs"
	"github.com/tlsvet/tlsvet/rules"
)

// Exit codes of tlsvet negotiate (README.md, "tlsvet negotiate").
const (
	ExitAgree      = 0 // the client connects (with TLS, or in plaintext it accepts)
	ExitFail       = 1 // the connection fails
	ExitCannotTell = 3 // the configuration does not say enough
)

// negotiation is one predicted connection, as --format json writes it.
type negotiation struct {
	Server    string   `json:"server"`
	Client    string   `json:"client"`
	Outcome   string   `json:"outcome"` // facts.Class: "agree", "no common protocol", …
	Connects  bool     `json:"connects"`
	Protocol  string   `json:"protocol,omitempty"`
	Cipher    string   `json:"cipher,omitempty"`
	CipherWhy string   `json:"cipher_why,omitempty"`
	ErrorCode int      `json:"error_code,omitempty"`
	Error     string   `json:"error,omitempty"`
	Why       string   `json:"why,omitempty"`
	Steps     []string `json:"steps"`
}

// negotiate runs `tlsvet negotiate`: the predicted handshake of a client
// and a server from their configuration.
func (c *Command) negotiate(args []string) int {
	fs := flag.NewFlagSet("tlsvet negotiate", flag.ContinueOnError)
	fs.SetOutput(c.Stderr)
	server := fs.String("server", "", "the server's option file, compose file, manifest or directory (`PATH`)")
	serverService := fs.String("server-service", "", "the compose service or Kubernetes workload of the server, when PATH declares several (`NAME`)")
	client := fs.String("client", "", "the client: a file or directory holding its connection string or [client] group, - for a connection string on standard input, or the connection string itself (`PATH|-|DSN`)")
	clientService := fs.String("client-service", "", "the compose service or Kubernetes container whose connection string to use (`NAME`)")
	host := fs.String("host", "", "the host an option-file client connects to, when its [client] group does not say (`NAME`)")
	target := fs.String("target", "", "the server's `version` when its files do not say (mysql-8.0.36, mariadb-11.4)")
	format := fs.String("format", "text", "text or json")
	level := fs.Int("openssl-security-level", -1, "the OpenSSL security `level` (0-5) of both hosts (default: 2, Debian's and Ubuntu's, assumed)")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *server == "" || *client == "" || fs.NArg() > 0 {
		return c.usageError(errors.New("usage: tlsvet negotiate --server PATH [--server-service NAME] --client PATH|-|DSN [--client-service NAME]"))
	}
	if *level > 5 {
		return c.usageError(fmt.Errorf("--openssl-security-level %d: want 0 to 5", *level))
	}
	if *format != "text" && *format != "json" {
		return c.usageError(fmt.Errorf("--format %q: want text or json", *format))
	}
	var targets []facts.Target
	if *target != "" {
		t, err := facts.ParseTarget(*target)
		if err != nil {
			return c.usageError(fmt.Errorf("--target: %w", err))
		}
		targets = append(targets, t)
	}
	srv, srvName, cert, err := c.negotiateServer(*server, *serverService, targets)
	if err != nil {
		return c.usageError(err)
	}
	clients, err := c.negotiateClients(*client, *clientService, *host)
	if err != nil {
		return c.usageError(err)
	}
	if *level >= 0 {
		host := &facts.OpenSSLPolicy{Level: *level}
		srv.OpenSSL = host
		for i := range clients {
			clients[i].Client.OpenSSL = host
		}
	}
	code := ExitAgree
	var out []negotiation
	for _, cl := range clients {
		if len(cert.Cert) > 0 {
			// What the client finds of the server's certificate: its CA
			// from the client's files, the certificate from the server's.
			q := cert
			q.Roots, q.RootsUnknown = cl.CA, len(cl.CA) == 0
			q.Host, q.GoRules, q.At = hostName(cl.Client.Host), cl.Client.Family == facts.ClientGo, time.Now()
			k := load.CheckCert(q)
			cl.Client.Cert = &k
		}
		o := facts.Negotiate(srv, cl.Client)
		out = append(out, negotiation{Server: srvName, Client: cl.Label, Outcome: o.Class.String(),
			Connects: !o.Class.Failed() && o.Class != facts.CannotTell, Protocol: protocolName(o),
			Cipher: o.Cipher, CipherWhy: o.CipherWhy, ErrorCode: o.Code, Error: o.Error, Why: o.Why, Steps: o.Steps})
		switch {
		case o.Class.Failed():
			code = ExitFail
		case o.Class == facts.CannotTell && code == ExitAgree:
			code = ExitCannotTell
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(c.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return c.fail(err)
		}
		return code
	}
	for i, n := range out {
		if i > 0 {
			fmt.Fprintln(c.Stdout)
		}
		writeNegotiation(c.Stdout, n)
	}
	return code
}

// protocolName is the protocol the handshake agrees on, when it does:
// also when whether the client then accepts the certificate cannot be told.
func protocolName(o facts.Outcome) string {
	if o.Protocol != 0 && (o.Class == facts.Agree || o.Class == facts.CannotTell) {
		return o.Protocol.String()
	}
	return ""
}

// writeNegotiation prints one prediction and its reasoning.
func writeNegotiation(w io.Writer, n negotiation) {
	fmt.Fprintf(w, "server:  %s\nclient:  %s\n", n.Server, n.Client)
	switch {
	case n.Outcome == facts.Agree.String():
		fmt.Fprintf(w, "outcome: TLS %s with %s\n", n.Protocol, cipherName(n))
	case n.Error != "":
		fmt.Fprintf(w, "outcome: %s: %s\n         %s\n", n.Outcome, n.Why, n.Error)
	default:
		fmt.Fprintf(w, "outcome: %s: %s\n", n.Outcome, n.Why)
	}
	if n.Outcome != facts.Agree.String() && n.Protocol != "" {
		fmt.Fprintf(w, "handshake: TLS %s with %s\n", n.Protocol, cipherName(n))
	}
	fmt.Fprintln(w, "steps:")
	for i, s := range n.Steps {
		fmt.Fprintf(w, "  %d. %s\n", i+1, s)
	}
}

// hostName is the host of a host[:port] address.
func hostName(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return strings.Trim(addr, "[]")
}

// cipherName is the agreed cipher, or why it cannot be told.
func cipherName(n negotiation) string {
	if n.Cipher == "" {
		return "a cipher tlsvet cannot tell (" + n.CipherWhy + ")"
	}
	return n.Cipher
}

// negotiateServer loads path and returns the server to negotiate with,
// and its certificate when the files hold it.
func (c *Command) negotiateServer(path, service string, targets []facts.Target) (facts.Server, string, model.CertQuestion, error) {
	var cert model.CertQuestion
	p, err := c.loadPath(path, targets)
	if err != nil {
		return facts.Server{}, "", cert, err
	}
	var match []*model.Server
	for _, s := range p.Servers {
		if service == "" || s.Deployment != nil && (s.Deployment.Name == service || strings.HasPrefix(s.Deployment.Name, service+"/")) {
			match = append(match, s)
		}
	}
	if len(match) == 0 {
		if r, name, err := negotiateRoute(p, path, service); r != nil || err != nil {
			return rules.RouteSide(p, r), name, cert, err
		}
	}
	switch {
	case len(match) == 0 && service != "":
		return facts.Server{}, "", cert, fmt.Errorf("--server %s declares no server named %q", path, service)
	case len(match) == 0:
		return facts.Server{}, "", cert, fmt.Errorf("--server %s configures no MySQL or MariaDB server", path)
	case len(match) > 1:
		var names []string
		for _, s := range match {
			names = append(names, serverName(s))
		}
		return facts.Server{}, "", cert, fmt.Errorf("--server %s configures %d servers (%s): name one with --server-service", path, len(match), strings.Join(names, ", "))
	}
	s := match[0]
	cert.Cert, cert.Store = rules.ServerCertificate(p, s)
	return rules.ServerSide(p, s), serverName(s) + " (" + s.Target.String() + ")", cert, nil
}

// negotiateRoute is the MySQL Router route of path that service names
// ("router", or "router[routing:rw]" when it runs several), when no
// server matches: Router is then the server. A PASSTHROUGH route is not:
// its clients negotiate with the servers behind it.
func negotiateRoute(p *model.Project, path, service string) (*model.Route, string, error) {
	var match []*model.Route
	for _, r := range p.Routes {
		d := r.Deployment.Name
		named := service == "" || d == service || strings.HasPrefix(d, service+"/") || d+"["+r.Name+"]" == service
		if named && r.Accept != model.AcceptPassthrough {
			match = append(match, r)
		}
	}
	switch len(match) {
	case 0:
		return nil, "", nil
	case 1:
		return match[0], match[0].Where(), nil
	}
	var names []string
	for _, r := range match {
		names = append(names, r.Deployment.Name+"["+r.Name+"]")
	}
	return nil, "", fmt.Errorf("--server %s runs %d MySQL Router routes (%s): name one with --server-service", path, len(match), strings.Join(names, ", "))
}

func serverName(s *model.Server) string {
	if d := s.Deployment; d != nil {
		return d.Kind + " " + d.Name
	}
	if len(s.Groups) > 0 {
		return s.Groups[0].Span.File.Path + " [" + s.Groups[0].Written + "]"
	}
	return s.File.File.Path
}

// negotiateClients reads the client: a connection string from standard
// input or the argument, or the connection strings and [client] groups of
// a path.
func (c *Command) negotiateClients(arg, service, host string) ([]rules.ClientSide, error) {
	var p *model.Project
	var err error
	switch {
	case arg == "-":
		in := c.Stdin
		if in == nil {
			in = os.Stdin
		}
		b, rerr := io.ReadAll(io.LimitReader(in, 1<<16))
		if rerr != nil {
			return nil, rerr
		}
		p, err = loadDSN(strings.TrimSpace(string(b)))
	case c.exists(arg):
		p, err = c.loadPath(arg, nil)
	default:
		// A connection string given as an argument: read the same way,
		// and never printed (its password is the reader's secret).
		p, err = loadDSN(arg)
	}
	if err != nil {
		return nil, err
	}
	var out []rules.ClientSide
	for _, conn := range p.Connections {
		if service != "" && conn.Container != service && !strings.HasPrefix(conn.Container, service+"/") {
			continue
		}
		label := conn.Driver
		if conn.Where != "" && conn.Where != dsnKey {
			label += " (" + conn.Where + " in " + conn.Span.File.Path + ")"
		}
		side := rules.ConnectionSide(p, conn)
		side.Label = label
		out = append(out, side)
	}
	if service == "" {
		for _, cl := range p.Clients {
			h := host
			if f := cl.Settings.Get("host"); f != nil && h == "" {
				h = f.Value
			}
			if h == "" {
				h = "localhost"
			}
			for _, side := range rules.OptionClientSides(p, cl, h) {
				side.Label += " of " + cl.File.File.Path
				if !strings.EqualFold(h, "localhost") {
					side.Client.Transport = facts.TransportTCP
				} else if f := cl.Settings.Get("protocol"); f == nil || !strings.EqualFold(f.Value, "tcp") {
					// localhost without protocol=TCP is the Unix socket.
					side.Client.Transport = facts.TransportSocket
				}
				out = append(out, side)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--client: no connection string or [client] group found")
	}
	return out, nil
}

// dsnKey is the variable a connection string given alone is read from.
const dsnKey = "TLSVET_CLIENT"

// loadDSN reads a connection string as the readers of .env files do.
func loadDSN(dsn string) (*model.Project, error) {
	if dsn == "" || strings.ContainsAny(dsn, "\n\r") {
		return nil, errors.New("--client: want one connection string")
	}
	line := dsnKey + "=" + strconv.Quote(dsn)
	if !strings.ContainsAny(dsn, "'") {
		line = dsnKey + "='" + dsn + "'"
	}
	return load.Load(load.Options{FS: oneFile{name: "client.env", data: []byte(line + "\n")}, Paths: []string{"client.env"}})
}

// oneFile is a file system that holds one regular file, in memory.
type oneFile struct {
	name string
	data []byte
}

func (o oneFile) Open(name string) (fs.File, error) {
	if name != o.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &openFile{oneFile: o, r: bytes.NewReader(o.data)}, nil
}

func (o oneFile) Stat(name string) (fs.FileInfo, error) {
	f, err := o.Open(name)
	if err != nil {
		return nil, err
	}
	return f.Stat()
}

type openFile struct {
	oneFile
	r *bytes.Reader
}

func (f *openFile) Stat() (fs.FileInfo, error) { return f, nil }
func (f *openFile) Read(b []byte) (int, error) { return f.r.Read(b) }
func (f *openFile) Close() error               { return nil }
func (f *openFile) Name() string               { return f.name }
func (f *openFile) Size() int64                { return int64(len(f.data)) }
func (f *openFile) Mode() fs.FileMode          { return 0o444 }
func (f *openFile) ModTime() time.Time         { return time.Time{} }
func (f *openFile) IsDir() bool                { return false }
func (f *openFile) Sys() any                   { return nil }

// exists reports whether name is a file or directory.
func (c *Command) exists(name string) bool {
	if !filepath.IsAbs(name) {
		name = filepath.Join(c.Dir, name)
	}
	_, err := os.Stat(name)
	return err == nil
}

// loadPath loads a file or directory, rooted at its directory.
func (c *Command) loadPath(name string, targets []facts.Target) (*model.Project, error) {
	if !filepath.IsAbs(name) {
		name = filepath.Join(c.Dir, name)
	}
	info, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	root, rel := name, "."
	if !info.IsDir() {
		root, rel = filepath.Dir(name), filepath.Base(name)
	}
	fsys, err := rootfs.Open(root, 0)
	if err != nil {
		return nil, err
	}
	defer fsys.Close()
	by := ""
	if len(targets) > 0 {
		by = "--target"
	}
	return load.Load(load.Options{FS: fsys, RootDir: root, Paths: []string{rel}, Targets: targets, TargetBy: by})
}
