// Package model holds the normalised TLS settings that rules read. Parsers
// build it; rules never see parser types. Every value keeps the source spans
// of its key and its value so that findings and fixes point at exact bytes.
package model

import (
	"time"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/source"
)

// Project is everything one run read.
type Project struct {
	Files       []*source.File // every file read, in path order
	OptionFiles []*OptionFile  // top-level option files (those no other scanned file includes)
	Servers     []*Server
	Clients     []*Client
	Problems    []Problem     // files that could not be read or parsed (TV001)
	Comments    []source.Span // every comment in every file, for suppression directives
	Notices     []Notice      // what the walk did not read, and why; not findings
	// Files read but not checked, or checked in part, which one notice
	// each summarises (load.Summaries): other programs' files named like
	// option files (Message: their format), files read as templates, and
	// files named on the command line that are not read (Message: why).
	Foreign   []Notice
	Templates []string
	NotRead   []Notice
	// Connectors are connections that programs other than MySQL's make
	// with the settings of a file shaped like an option file.
	Connectors []*Connector
	// Connections are the connection strings and applications' database
	// settings found in the files read.
	Connections []*Connection
	// Refusals are settings an application refuses to start or connect
	// with (MySQL Router's client_ssl_mode=REQUIRED without a certificate),
	// as the reader that knows the program found them.
	Refusals []Refusal
	// Replications are the replication channels that CHANGE REPLICATION
	// SOURCE TO and CHANGE MASTER TO statements set up, and Accounts the
	// TLS requirements of accounts (REQUIRE), in .sql files and the SQL
	// of shell scripts.
	Replications []*Replication
	Accounts     []AccountTLS
	// Links say which client connects to which server, and why tlsvet
	// thinks so.
	Links []Link
	// Routes are the MySQL Router routes that deployments run with a
	// mysqlrouter.conf of the repository: servers to the applications that
	// connect to them.
	Routes []*Route
	// Deployments are the compose services, Dockerfiles and containers
	// that declare servers (each server's own is Server.Deployment).
	Deployments []*Deployment
	// FileRefs are the settings that name certificate, key, CA and CRL
	// files, with the repository file each was resolved to; RefOf finds
	// a setting's.
	FileRefs []FileRef
	RefOf    map[*Setting]*FileRef
	// PKI are the certificate and key files FileRefs resolve to, read, by
	// root-relative path, or by the pseudo path of a value written in YAML
	// ("k8s/db.yaml:7:tls.crt", a Secret's key), whose spans point into the
	// YAML file. KeyMatches tells whether a private key belongs to a
	// certificate (the public halves are equal).
	PKI        map[string]*PKIFile
	KeyMatches func(k *KeyInfo, c *CertInfo) bool
	// PKIDirs are the CA and CRL directories (ssl_capath, ssl_crlpath)
	// FileRefs resolve to, listed, by root-relative path.
	PKIDirs map[string]*PKIDir
	// Signs says whether parent signed child and may sign certificates.
	Signs func(parent, child *CertInfo) bool
	// Untrusted says why roots do not sign leaf (through the other
	// certificates of leaf's file as intermediates), as OpenSSL words it
	// ("unable to get local issuer certificate"); "" when they do.
	// Validity dates are not judged here (TV501 does).
	Untrusted func(leaf *CertInfo, roots []*CertInfo) string
	// CheckCert says what a client finds when it checks a server's
	// certificate (see CertQuestion).
	CheckCert func(q CertQuestion) facts.CertCheck
	// KeyFiles are the files of the repository that hold private keys,
	// and whether git tracks them.
	KeyFiles []KeyFile
	// Conditions are the parts of files that apply only when a template
	// condition holds (a {{- if … }} block in a chart's my.cnf text): a
	// setting there counts as set, so rules about a missing setting stay
	// silent, and a finding inside says when it holds.
	Conditions []Condition
}

// Link is a client known to connect to a server, or to a MySQL Router
// route: Server is nil when the client's TLS ends at Route; with both set
// the route passes the client's TLS through to Server (PASSTHROUGH).
type Link struct {
	Client *Connection
	Server *Server
	Route  *Route
	Reason string // "host db is the compose service db"
}

// Deployment is where a server is declared outside option files: a
// compose service, a Dockerfile, a Kubernetes container, a Helm release.
// It gives the server its version (the image) and command-line options,
// and names the repository files it reads as option files.
type Deployment struct {
	Kind string // "compose service", "Dockerfile", "Kubernetes container", "Helm values"
	Name string // the service, stage, container or release
	// Hosts are the names clients reach it by: a compose service's name
	// and network aliases; a workload's name, with its namespace and
	// cluster suffixes (a Service of the same name is the usual pairing).
	Hosts []string
	Span  source.Span // where it is declared (the service key, the FROM line)
	Image string      // as written, "" when none
	// ImageSpan is the image reference; ImageBy says how its version was
	// read ("mysql:8 → MySQL 8.4.x as of 2026-12-03").
	ImageSpan source.Span
	ImageBy   string
	// Swallowed are command-line options that take a value and took the
	// next option as it ("--log-error-verbosity", "--require_secure_transport=ON").
	Swallowed []Swallow
	// Ignored are option files mounted or copied where the image's server
	// does not read them.
	Ignored []IgnoredFile
	// Files are the repository files placed in the container, by
	// container path (bind mounts, COPY, a Kustomize generator's
	// certificate files), and the ConfigMap and Secret keys holding
	// certificates or keys by their pseudo path (Project.PKI); option-file
	// keys are read where they are written, not listed here.
	Files map[string]string
}

// Swallow is an option that took the next command-line argument as its
// value: Lost is that argument, which the server never sees as an option.
type Swallow struct {
	Option   *Setting
	Lost     string
	LostSpan source.Span
}

// IgnoredFile is an option file placed where the server does not look.
type IgnoredFile struct {
	Span   source.Span // the mount or COPY
	Path   string      // the path in the container
	Reason string
}

// FileRef is a setting that names a file (ssl_cert, ssl-ca, a DSN's CA).
// Path is the repository file it was resolved to (or the pseudo path of
// a mounted Secret's value, see Project.PKI), "" when it is not in the
// repository; Assumed says the resolution is a guess tlsvet states in
// its findings (a relative path looked up beside the file naming it).
type FileRef struct {
	Setting *Setting
	Role    string // "server certificate", "server key", "CA", "CRL", "client certificate", "client key"
	Path    string
	Assumed bool
	How     string // how it was resolved: "mounted from conf/certs/server.pem (compose.yaml)"
	// Expected: the repository should hold the file (a relative path, or a
	// container path inside a directory the repository provides), but
	// Path is "" because it does not. An absolute path nothing maps is
	// provisioned elsewhere and not expected.
	Expected bool
}

// Condition is a part of a file that applies only when When holds.
type Condition struct {
	Span source.Span
	When string // the template action: "if .Values.tls.enabled"
}

// Refusal is a setting a program refuses; Message says what it does.
type Refusal struct {
	Span    source.Span
	Message string
}

// Connector is one connection another program makes with the settings of
// one section of its file: each section of mysqld_exporter's .my.cnf is a
// go-sql-driver/mysql connection. Its options keep their spans, so a
// finding points at the setting in the file it comes from.
type Connector struct {
	Program string // "mysqld_exporter"
	Group   *Group // the section
	// Settings are the section's keys as written (go-sql-driver's names,
	// not my_getopt's), with those it inherits: [client.a] reads the keys
	// of [client] it does not set itself.
	Settings Settings
}

// Notice is something a run did not read that the user should know of: a
// symbolic link leaving the root, an unreadable directory. It changes no
// exit status.
type Notice struct {
	Path    string // root-relative slash path
	Message string
	// Note marks information (files of other formats, templates) rather
	// than something left unchecked.
	Note bool
}

// Problem is a place where a file cannot be read as its kind.
type Problem struct {
	Span    source.Span
	Message string
	Unread  bool // the file could not be read at all (too large, not a regular file, I/O)
	// Headerless: an option before the first group of a file that has no
	// group header at all, such as a fragment a tool places under a group.
	Headerless bool
}

// OptionFile is one top-level option file with everything it includes.
type OptionFile struct {
	File     *source.File
	Files    []*source.File // File first, then the included files in read order
	Groups   []*Group
	Options  []*Setting // every option line in the order the program reads them
	Includes []*Include
	// Servers and Clients are the variants built from this file (also in
	// Project), so that rules need not scan every variant for each file.
	Servers []*Server
	Clients []*Client
}

// Group is a [group] header.
type Group struct {
	Name    string // lower-cased, as MySQL compares group names
	Written string
	Span    source.Span // the name inside the brackets
	Readers facts.Program
}

// Setting is one setting with its origin: a canonical name, the value as
// written and as the program decodes it, the spans of key and value, and
// the Origin that says in which syntax it was written (an option-file
// line, a command-line flag, a DSN parameter of one driver, an env var, a
// YAML key). Rules read settings and spell their fixes through the
// setting's methods, which ask the origin, so a rule about a protocol
// list or a client mode runs unchanged wherever the value came from.
//
// The prefix fields (Loose, Skip, Enable, Maximum) and Group are
// my_getopt's: a setting from elsewhere leaves them zero, or, for a
// server flag, names the group its program reads it as.
type Setting struct {
	Origin Origin // nil means an option-file line
	Group  *Group
	Key    string // as written: "loose_tls-version"
	Name   string // canonical: "tls_version"
	Value  string // decoded: after quotes, escapes, percent-encoding
	// KeySpan covers the key. ValueSpan covers the value as written,
	// quotes included (for a setting inside a quoted container, such as a
	// DSN in a .env value, the bytes in the file); for "key=" it is empty
	// at the value position, for a bare key it is empty after it.
	KeySpan   source.Span
	ValueSpan source.Span
	Comment   source.Span // an inline # comment after the value
	// The flags and the quote come last, packed together: there is one
	// Setting per option line of every file.
	Loose    bool // loose- prefix: an unknown option is a warning, not an error
	Skip     bool // skip- or disable- prefix: a boolean set to off
	Enable   bool // enable- prefix
	Maximum  bool // maximum- prefix
	HasValue bool // false for a bare option
	// Unknown: the value is a template expression ({{ x }}, <%= @x %>,
	// __X__), so what the program reads is unknown. Rules judge the
	// option's presence but never its value.
	Unknown bool
	Quote   byte // option files: '\'' or '"' when the value was quoted
}

// Span returns the span from the key to the end of the value.
func (o *Setting) Span() source.Span {
	end := o.KeySpan.End
	if o.ValueSpan.End > end {
		end = o.ValueSpan.End
	}
	return source.Span{File: o.KeySpan.File, Start: o.KeySpan.Start, End: end}
}

// ValueOrKey is where a finding about the value points: the value when the
// line has one, else the key.
func (o *Setting) ValueOrKey() source.Span {
	if o.HasValue && o.ValueSpan.End > o.ValueSpan.Start {
		return o.ValueSpan
	}
	return o.KeySpan
}

// Include is an !include or !includedir directive.
type Include struct {
	Dir        bool
	Target     string
	Span       source.Span
	TargetSpan source.Span
	Files      []string // root-relative paths read
	Skipped    []string // files in the directory that are not read (not *.cnf)
	Links      []string // with IncludeEscapes: the links not followed, described
	Problem    IncludeProblem
}

// IncludeProblem says why an include was not followed.
type IncludeProblem uint8

const (
	IncludeOK IncludeProblem = iota
	IncludeMissing
	IncludeDirMissing
	IncludeOutside
	IncludeCycle
	IncludeUnreadable
	IncludeDepth
	IncludeNotFile // an !include target that is a directory
	IncludeEscapes // a symbolic link that leaves the root (Include.Links)
	IncludeTooMany // the top file's include budget is spent
)

// Final is the effective value of one option for one program: the last
// occurrence wins, and the earlier ones are kept for TV009 and messages.
type Final struct {
	*Setting
	Earlier []*Setting
}

// Settings maps a canonical option name to its effective setting.
type Settings map[string]*Final

// Get returns the setting for a canonical name, or nil.
func (s Settings) Get(name string) *Final { return s[name] }

// Server is what one server reads from one option file: the settings of
// every group that server reads, in order.
type Server struct {
	// Deployment is the compose service, Dockerfile or Kubernetes
	// container that declares the server; nil for a plain option file.
	Deployment *Deployment
	File       *OptionFile
	Target     facts.Target
	TargetBy   string     // "--target", ".tlsvet.toml", "group [mysqld-8.0]", or "" when unknown
	Groups     []*Group   // the groups this server reads, in file order
	Options    []*Setting // their options in read order
	Settings   Settings   // effective settings by canonical name
}

// Client is what a client program reads from one option file.
type Client struct {
	File     *OptionFile
	Target   facts.Target
	TargetBy string
	Groups   []*Group
	Options  []*Setting
	Settings Settings
}

// PKIFile is a certificate or key file as read: no key material is kept,
// only what rules judge.
type PKIFile struct {
	File *source.File
	// At is where its text starts: the file's start, or the YAML value
	// that holds it inline (a Secret's tls.crt, a chart's tls.cert).
	At    source.Span
	Certs []*CertInfo
	Keys  []*KeyInfo
	CSR   bool // holds a certificate signing request
	DER   bool // a binary DER file, which OpenSSL's PEM readers do not read
	// Problems are what is wrong with the file as PEM (truncated,
	// malformed, empty, unparseable); messages never quote the file.
	Problems []Refusal
	CRLs     []*CRLInfo
}

// PKIDir is a CA or CRL directory as listed.
type PKIDir struct {
	Names []string // its files and links, in name order
	// Files are the entries read, by name: those named as OpenSSL's
	// directory lookup names them ("3387b84d.0", "3387b84d.r0") and the
	// certificate and CRL files (.pem, .crt, .cer, .crl).
	Files  map[string]*PKIFile
	Capped bool // the directory held more than tlsvet lists or reads
}

// CRLInfo is a certificate revocation list.
type CRLInfo struct {
	Span                   source.Span
	IssuerCN               string
	IssuerHash             string // OpenSSL's hash of the issuer name, which names it in a CRL directory ("<hash>.r0")
	ThisUpdate, NextUpdate time.Time
}

// CertInfo is a certificate.
type CertInfo struct {
	Span                source.Span // its PEM block
	SubjectCN, IssuerCN string
	NotBefore, NotAfter time.Time
	KeyType             string // "RSA", "ECDSA", "Ed25519"
	Bits                int
	WeakSignature       string // "SHA-1", "MD5" when signed so
	IsCA                bool
	Subject, Issuer     string // distinguished names (RFC 4514)
	// SubjectHash is OpenSSL's hash of the subject name ("3387b84d"):
	// a CA directory must hold the certificate as "<hash>.0".
	SubjectHash string
	// HasEKU: an extended key usage extension restricts the certificate;
	// ServerAuth and ClientAuth: OpenSSL's sslserver and sslclient
	// purposes accept it (anyExtendedKeyUsage alone does not).
	HasEKU, ServerAuth, ClientAuth bool
	ExtKeyUsage                    []string // "serverAuth", "emailProtection"
	// SelfSigned: the certificate is its own issuer as OpenSSL judges it
	// (EXFLAG_SS), without checking the signature: equal subject and issuer
	// names and an authority key ID that is absent or its own subject key
	// ID; OpenSSL then looks for no other issuer. OwnSignature: its own
	// key verifies its signature.
	SelfSigned, OwnSignature bool
	// Parsed is the reader's certificate, for the loader's checks
	// (Project.CheckCert); rules do not read it.
	Parsed any
}

// CertQuestion asks what a client finds of a server's certificate.
type CertQuestion struct {
	// Cert is the server's certificate file (the leaf first) and Store
	// its ssl_ca, from which OpenSSL completes the chain it sends.
	Cert, Store []*CertInfo
	// Roots is what the client trusts: its CA. RootsUnknown when that is
	// not in the repository, or the client has none and trusts the system
	// store, which tlsvet does not read.
	Roots        []*CertInfo
	RootsUnknown bool
	Host         string // the name the client checks; "" for none
	GoRules      bool   // crypto/tls's name rules, else OpenSSL's
	At           time.Time
}

// KeyInfo is a private key: its type and size, never its bytes.
type KeyInfo struct {
	Span      source.Span
	KeyType   string
	Bits      int
	Encrypted bool
}

// KeyFile is a repository file that holds a private key.
type KeyFile struct {
	Span    source.Span // the first key block, or the whole file (PKCS#12)
	Tracked bool
	How     string // "tracked in .git/index", "not ignored by .gitignore (no .git)"
}
