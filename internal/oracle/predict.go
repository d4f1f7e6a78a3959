package oracle

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
)

// The bridge between the suite and the negotiation model: a probe read as
// the model's client (ProbeClient), a case's OPENSSL_CONF read as a host
// policy (HostPolicy), and the model's outcome written as the observation
// the probe would make (Predict), so that a prediction and an observation
// compare field by field.

// ProbeClient describes probe p as the negotiation model's client: the
// program's family, TLS mode, protocols, ciphers and CA as its arguments
// set them, over TCP to 127.0.0.1 (as Prober.Run connects). mariadb is the
// mariadb CLI's version; files are the case's files, in which an
// OPENSSL_CONF of the probe's environment names the client host's policy.
func ProbeClient(p Probe, mariadb facts.Target, files map[string][]byte) (facts.Client, error) {
	c := facts.Client{Host: "127.0.0.1", Transport: facts.TransportTCP}
	pol, err := HostPolicy(p.Env, files)
	if err != nil {
		return c, err
	}
	switch p.Program {
	case SClient:
		c.Family, c.OpenSSL = facts.ClientOpenSSL, pol
		err = sclientArgs(&c, p.Args)
	case MariaDB:
		c.Family, c.Version, c.OpenSSL = facts.ClientMariaDB, mariadb, pol
		err = mariadbArgs(&c, p.Args)
	case GoProbe:
		// go-sql-driver/mysql runs on crypto/tls: no OpenSSL policy.
		c.Family = facts.ClientGo
		err = goArgs(&c, p.Args)
	default:
		err = fmt.Errorf("unknown probe program %q", p.Program)
	}
	if err != nil {
		return c, fmt.Errorf("probe %s: %v", p, err)
	}
	return c, nil
}

// sclientFlags are s_client's protocol flags: each allows that protocol only.
var sclientFlags = map[string]facts.Protocol{
	"-tls1": facts.TLSv10, "-tls1_1": facts.TLSv11, "-tls1_2": facts.TLSv12, "-tls1_3": facts.TLSv13,
}

// secLevelRE is the @SECLEVEL=N of an OpenSSL cipher string
// (https://docs.openssl.org/3.0/man1/openssl-ciphers/).
var secLevelRE = regexp.MustCompile(`@SECLEVEL=(\d)`)

// sclientArgs reads s_client's -tlsN, -cipher and -ciphersuites. A cipher
// string's @SECLEVEL sets the client's security level; DEFAULT is
// OpenSSL's default list, which the model knows as an unset one.
func sclientArgs(c *facts.Client, args []string) error {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if p, ok := sclientFlags[a]; ok {
			c.Protocols = append(c.Protocols, p)
			continue
		}
		if (a == "-cipher" || a == "-ciphersuites") && i+1 < len(args) {
			i++
			list := args[i]
			if m := secLevelRE.FindStringSubmatch(list); m != nil {
				level, _ := strconv.Atoi(m[1])
				pol := facts.DefaultOpenSSLPolicy
				if c.OpenSSL != nil {
					pol = *c.OpenSSL
				}
				pol.Level = level
				c.OpenSSL = &pol
				list = secLevelRE.ReplaceAllString(list, "")
			}
			if a == "-ciphersuites" {
				c.Suites = strings.Split(list, ":")
			} else if list != "DEFAULT" {
				c.Ciphers = strings.Split(list, ":")
			}
			continue
		}
		return fmt.Errorf("s_client argument %q is not modelled", a)
	}
	return nil
}

// mariadbArgs reads the mariadb CLI's TLS options. --ssl asks for TLS
// without verification (REQUIRED), --ssl-verify-server-cert verifies the
// certificate and the host name, and --ssl-ca alone turns TLS on and
// verifies the chain (docs/mariadb-observations.md §4d): REQUIRED with a
// CA, the chain being the certificate rules' to judge. No option leaves
// the 10.11 client's default.
func mariadbArgs(c *facts.Client, args []string) error {
	raise := func(m facts.TLSMode) {
		if c.Mode < m {
			c.Mode = m
		}
	}
	for _, a := range args {
		name, val, _ := strings.Cut(a, "=")
		switch name {
		case "--ssl":
			raise(facts.ModeRequired)
		case "--skip-ssl":
			c.Mode = facts.ModeDisabled
		case "--ssl-verify-server-cert":
			raise(facts.ModeVerifyIdentity)
		case "--ssl-ca":
			c.CA = true
			raise(facts.ModeRequired)
		case "--tls-version":
			ps, err := protocolList(strings.Split(val, ","))
			if err != nil {
				return err
			}
			c.Protocols = ps
		case "--ssl-cipher":
			c.Ciphers = strings.Split(val, ":")
		default:
			return fmt.Errorf("mariadb option %q is not modelled", a)
		}
	}
	return nil
}

// goVersions are goprobe's -min and -max values.
var goVersions = map[string]facts.Protocol{
	"TLSv1": facts.TLSv10, "TLSv1.1": facts.TLSv11, "TLSv1.2": facts.TLSv12, "TLSv1.3": facts.TLSv13,
}

// goArgs reads goprobe's flags and the DSN's tls parameter
// (https://github.com/go-sql-driver/mysql#tls): false is no TLS, true
// verifies against the system store, skip-verify does not verify,
// preferred is skip-verify that falls back to plaintext, and custom is the
// tls.Config the flags describe: RootCAs from -ca, MinVersion and
// MaxVersion from -min and -max (crypto/tls's defaults, TLS 1.2 and 1.3,
// when unset), CipherSuites from -ciphers in Go's names.
func goArgs(c *facts.Client, args []string) error {
	last := len(args) - 1
	var lo, hi facts.Protocol = facts.TLSv12, facts.TLSv13
	ranged := false
	for i := 0; i < last; i++ {
		if i+1 >= last {
			return fmt.Errorf("goprobe flag %q has no value", args[i])
		}
		flag, val := args[i], args[i+1]
		i++
		switch flag {
		case "-ca":
			c.CA = true
		case "-servername":
		case "-min", "-max":
			p, ok := goVersions[val]
			if !ok {
				return fmt.Errorf("goprobe %s %q is not a protocol", flag, val)
			}
			if flag == "-min" {
				lo = p
			} else {
				hi = p
			}
			ranged = true
		case "-ciphers":
			for _, name := range strings.Split(val, ",") {
				ci, ok := facts.LookupIANA(name)
				if !ok {
					return fmt.Errorf("goprobe cipher %q is unknown", name)
				}
				c.Ciphers = append(c.Ciphers, ci.Name)
			}
		default:
			return fmt.Errorf("goprobe flag %q is not modelled", flag)
		}
	}
	if ranged {
		c.Protocols = []facts.Protocol{}
		for _, p := range facts.Protocols {
			if p >= lo && p <= hi {
				c.Protocols = append(c.Protocols, p)
			}
		}
	}
	for _, kv := range strings.Split(args[last], "&") {
		k, v, _ := strings.Cut(kv, "=")
		if k != "tls" {
			return fmt.Errorf("DSN parameter %q is not modelled", kv)
		}
		switch v {
		case "false":
			c.Mode = facts.ModeDisabled
		case "true", "custom":
			c.Mode = facts.ModeVerifyIdentity
		case "skip-verify":
			c.Mode = facts.ModeRequired
		case "preferred":
			c.Mode = facts.ModePreferred
		default:
			return fmt.Errorf("tls=%s is not modelled", v)
		}
	}
	return nil
}

func protocolList(toks []string) ([]facts.Protocol, error) {
	var ps []facts.Protocol
	for _, t := range toks {
		p, ok := facts.AnyProtocol(t)
		if !ok {
			return nil, fmt.Errorf("%q is not a protocol", t)
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// HostPolicy is the OpenSSL policy of a host whose environment env holds
// OPENSSL_CONF={dir}NAME, read from the case's file NAME: its
// system_default section's MinProtocol and the @SECLEVEL of its
// CipherString. nil without OPENSSL_CONF: the model then assumes the
// distribution's default, which is the policy of the test's own host.
func HostPolicy(env []string, files map[string][]byte) (*facts.OpenSSLPolicy, error) {
	for _, e := range env {
		path, ok := strings.CutPrefix(e, "OPENSSL_CONF=")
		if !ok {
			continue
		}
		name := strings.TrimPrefix(path, "{dir}")
		data, ok := files[name]
		if !ok {
			return nil, fmt.Errorf("OPENSSL_CONF names %s, which the case does not hold", path)
		}
		pol := facts.OpenSSLPolicy{Level: -1}
		for _, l := range strings.Split(string(data), "\n") {
			k, v, ok := strings.Cut(l, "=")
			if !ok {
				continue
			}
			switch k, v = strings.TrimSpace(k), strings.TrimSpace(v); k {
			case "MinProtocol":
				p, ok := facts.AnyProtocol(v)
				if !ok {
					return nil, fmt.Errorf("%s: MinProtocol %q", name, v)
				}
				pol.MinProtocol = p
			case "CipherString":
				if m := secLevelRE.FindStringSubmatch(v); m != nil {
					pol.Level, _ = strconv.Atoi(m[1])
				}
			}
		}
		if pol.Level < 0 {
			return nil, fmt.Errorf("%s sets no @SECLEVEL", name)
		}
		return &pol, nil
	}
	return nil, nil
}

// Prediction is the negotiation model's outcome written as the
// observation the probe would make.
type Prediction struct {
	Want Observation
	// Why the model cannot tell, or what of the client's result it does not
	// know; "" when Want is predicted.
	Why string
}

// Matches reports whether observation got is what p predicts.
func (p Prediction) Matches(got Observation) bool {
	return p.Why == "" && got == p.Want
}

// Predict writes outcome o of the probe whose client is c as the
// observation the probe would make.
func Predict(c facts.Client, o facts.Outcome) Prediction {
	var pr Prediction
	switch o.Class {
	case facts.CannotTell:
		pr.Why = o.Why
	case facts.Agree:
		if o.Cipher == "" {
			pr.Why = "the cipher: " + o.CipherWhy
			break
		}
		p := o.Protocol.String()
		if o.Protocol == facts.TLSv10 {
			p = "TLSv1" // OpenSSL's name
		}
		pr.Want = Observation{Protocol: p, Cipher: o.Cipher}
	case facts.Plaintext, facts.PlaintextFallback:
	case facts.ServerDown:
		pr.Why = "the server does not start: " + o.Why
	default:
		pr.Want, pr.Why = failure(c, o)
	}
	return pr
}

// ProbeTrust is what probe p checks the server certificate against: the
// case file holding its CA (--ssl-ca, goprobe's -ca, or SSL_CERT_FILE,
// which Go on Linux reads as the system store:
// https://github.com/golang/go/blob/go1.26.0/src/crypto/x509/root_unix.go),
// "" for the system store, and the name it checks (goprobe's -servername,
// else the host it connects to). s_client checks nothing.
func ProbeTrust(p Probe) (caFile, name string, checks bool) {
	name = "127.0.0.1"
	for _, e := range p.Env {
		if v, ok := strings.CutPrefix(e, "SSL_CERT_FILE="); ok && p.Program == GoProbe {
			caFile = strings.TrimPrefix(v, "{dir}")
		}
	}
	for i, a := range p.Args {
		switch {
		case p.Program == MariaDB && strings.HasPrefix(a, "--ssl-ca="):
			caFile = strings.TrimPrefix(strings.TrimPrefix(a, "--ssl-ca="), "{dir}")
		case p.Program == GoProbe && a == "-ca" && i+1 < len(p.Args):
			caFile = strings.TrimPrefix(p.Args[i+1], "{dir}")
		case p.Program == GoProbe && a == "-servername" && i+1 < len(p.Args):
			name = p.Args[i+1]
		}
	}
	return caFile, name, p.Program != SClient
}

// failure is a failed outcome as the probe observes it. The model's error
// is the client's own words, which the probe reads as it reads the
// program's output.
func failure(c facts.Client, o facts.Outcome) (Observation, string) {
	if o.Error == "" {
		return Observation{}, "the client's error: " + o.Why
	}
	var obs Observation
	switch c.Family {
	case facts.ClientOpenSSL:
		obs = classifySClient(o.Error)
	case facts.ClientMariaDB:
		obs = classifyMariaDB(o.Error)
	case facts.ClientGo:
		obs = classifyGo(goprobeLine(o))
	}
	if obs.FailureClass == FailOther || obs.FailureClass == "" {
		return Observation{}, fmt.Sprintf("the %s error %q is not an observation", c.Family, o.Error)
	}
	return obs, ""
}

// goprobeLine is goprobe's line for a failed outcome, as its classify
// writes it from the driver's error.
func goprobeLine(o facts.Outcome) string {
	switch {
	case o.Class == facts.ServerNoTLS:
		return FailNoTLS
	case o.Class == facts.CertificateRejected:
		return FailVerify + " " + strings.TrimPrefix(strings.TrimPrefix(o.Error, "tls: failed to verify certificate: "), "x509: ")
	case o.Code != 0:
		return fmt.Sprintf("%s %d", FailError, o.Code)
	}
	if s, ok := strings.CutPrefix(o.Error, "remote error: tls: "); ok {
		return FailAlert + " " + s
	}
	return FailLocal + " " + strings.TrimPrefix(o.Error, "tls: ")
}
