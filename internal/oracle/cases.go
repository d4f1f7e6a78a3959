package oracle

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tlsvet/tlsvet/internal/txtar"
)

// Case is one server configuration of the oracle suite and the clients
// tried against it. It is read from a txtar archive
// (testdata/oracle/cases/NAME.txtar) whose comment holds the description
// and these header lines:
//
//	server-env: VAR=value   added to mariadbd's environment (OPENSSL_CONF=…)
//	starts: no              the server must refuse to start
//	log: TEXT               a line the server must log (stderr or error log)
//	variables: NAME=VALUE … global variables of the started server (have_ssl=YES …)
//
// and whose files are the server's option file "my.cnf", the files it
// names ({dir} stands for the directory they are written to; certificates
// as pkitest "!pki" directives, generated at the real clock), and
// "probes": one client per line, "PROBE => OBSERVATION" (ParseProbe,
// ParseObservation).
//
// The three parts are kept apart so that an expectation, written by hand
// from what a real server did, can be compared with (or replaced by) what
// the negotiation model predicts from the same option file and client.
type Case struct {
	Name        string // the archive's base name
	Description string
	Server      ServerConfig
	Probes      []CaseProbe
}

// ServerConfig is how a case's server is started, and whether it starts.
type ServerConfig struct {
	Files  map[string][]byte // my.cnf and the files it names, unexpanded
	Env    []string
	Starts bool
	Log    []string // lines it must log, with {dir}
	// Variables are global variables the started server must show
	// (SHOW GLOBAL VARIABLES): what it made of the option file.
	Variables map[string]string
}

// CaseProbe is a client and what it is expected to observe.
type CaseProbe struct {
	Probe Probe
	Want  Observation
}

// LoadCase reads a case archive.
func LoadCase(path string) (Case, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Case{}, err
	}
	a := txtar.Parse(data)
	c := Case{
		Name:   strings.TrimSuffix(filepath.Base(path), ".txtar"),
		Server: ServerConfig{Files: map[string][]byte{}, Starts: true},
	}
	var desc []string
	for _, l := range strings.Split(strings.TrimSpace(a.Comment), "\n") {
		key, val, _ := strings.Cut(l, ": ")
		switch key {
		case "server-env":
			c.Server.Env = append(c.Server.Env, val)
		case "starts":
			if val != "no" && val != "yes" {
				return c, fmt.Errorf("%s: starts: %q, want yes or no", path, val)
			}
			c.Server.Starts = val == "yes"
		case "log":
			c.Server.Log = append(c.Server.Log, val)
		case "variables":
			c.Server.Variables = map[string]string{}
			for _, f := range strings.Fields(val) {
				k, v, ok := strings.Cut(f, "=")
				if !ok {
					return c, fmt.Errorf("%s: variables: %q is not NAME=VALUE", path, f)
				}
				c.Server.Variables[k] = v
			}
		default:
			desc = append(desc, l)
		}
	}
	c.Description = strings.Join(desc, "\n")
	for _, f := range a.Files {
		if f.Name != "probes" {
			c.Server.Files[f.Name] = f.Data
			continue
		}
		for i, l := range strings.Split(strings.TrimSpace(string(f.Data)), "\n") {
			ps, want, ok := strings.Cut(l, " => ")
			if !ok {
				return c, fmt.Errorf("%s: probes line %d: %q has no \" => \"", path, i+1, l)
			}
			p, err := ParseProbe(ps)
			if err != nil {
				return c, fmt.Errorf("%s: probes line %d: %v", path, i+1, err)
			}
			w, err := ParseObservation(want)
			if err != nil {
				return c, fmt.Errorf("%s: probes line %d: %v", path, i+1, err)
			}
			c.Probes = append(c.Probes, CaseProbe{Probe: p, Want: w})
		}
	}
	if c.Server.Files["my.cnf"] == nil {
		return c, fmt.Errorf("%s: no my.cnf", path)
	}
	if c.Server.Starts != (len(c.Probes) > 0) {
		return c, fmt.Errorf("%s: a server that starts needs probes, and one that does not can have none", path)
	}
	return c, nil
}
