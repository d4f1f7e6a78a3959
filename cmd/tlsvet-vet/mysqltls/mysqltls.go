// Package mysqltls is tlsvet's go/analysis analyzer for the TLS settings
// of github.com/go-sql-driver/mysql written in Go source: DSNs given to
// sql.Open("mysql", …), sqlx and mysql.ParseDSN as constants or
// fmt.Sprintf formats, mysql.Config values, and the tls.Config values the
// driver is handed. DSNs are read by
// tlsvet's own parser (parsers/dsn), so a DSN means the same here as in
// `tlsvet check`, and findings carry the same rule IDs.
package mysqltls

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tlsvet/tlsvet/parsers/dsn"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// Analyzer reports go-sql-driver/mysql connections that disable TLS, skip
// verifying the server, fall back to plaintext or allow TLS below 1.2, DSN
// parameters the driver sends to the server instead of reading, and tls=
// names no package registers.
var Analyzer = &analysis.Analyzer{
	Name:      "mysqltls",
	Doc:       "report go-sql-driver/mysql TLS settings that leave connections unencrypted or unverified\n\nThe findings carry tlsvet's rule IDs (TV301 client-tls-disabled, TV302 client-no-verify, TV303 client-opportunistic-tls, TV306 unknown-dsn-param, TV307 client-legacy-protocols); see the rules' pages for the reasons.",
	URL:       ruleDocs + "README.md",
	Requires:  []*analysis.Analyzer{inspect.Analyzer},
	FactTypes: []analysis.Fact{new(Registered)},
	Run:       run,
}

// The driver's import path and the rules' labels.
const (
	driverPath = "github.com/go-sql-driver/mysql"
	ruleDocs   = "https://github.com/tlsvet/tlsvet/blob/main/docs/rules/"

	tv301 = "TV301 client-tls-disabled"
	tv302 = "TV302 client-no-verify"
	tv303 = "TV303 client-opportunistic-tls"
	tv306 = "TV306 unknown-dsn-param"
	tv307 = "TV307 client-legacy-protocols"

	tls11, tls12 = 0x0302, 0x0303 // crypto/tls VersionTLS11, VersionTLS12
	// unregistered: a tls=<name> no package registers is a value the
	// driver does not accept (ParseDSN fails: "invalid value / unknown
	// config name", https://github.com/go-sql-driver/mysql/blob/v1.9.3/dsn.go).
	// Only the analyzer, which sees every package, can tell; a warning,
	// since a name may be registered in a package it does not import.
	unregistered = "TV006 bad-value"
)

// Registered is the set of TLS config names that a package and the
// packages it imports, directly or not, register with
// mysql.RegisterTLSConfig. It is cumulative because a driver such as go
// vet hands a package the facts of its direct imports only.
type Registered struct {
	Names   []string // sorted
	Dynamic bool     // a name that is not a constant: any name may be registered
}

// AFact marks Registered as an analysis.Fact.
func (*Registered) AFact() {}

func (r *Registered) String() string {
	s := "registers " + strings.Join(r.Names, ",")
	if r.Dynamic {
		s += " (and names known only at run time)"
	}
	return s
}

// add merges the names of o.
func (r *Registered) add(o *Registered) {
	r.Names = append(r.Names, o.Names...)
	r.Dynamic = r.Dynamic || o.Dynamic
}

// checker holds one package's pass and what it has found so far.
type checker struct {
	pass *analysis.Pass
	reg  Registered
	// uses are tls=<name> references, judged once every registration of
	// the package is known.
	uses []nameUse
	// constLits maps a package constant to the string literal it is
	// declared with, so a DSN named by a constant is reported, and fixed,
	// at its literal.
	constLits map[types.Object]*ast.BasicLit
	// tlsVars maps a variable to the tls.Config literal it is defined
	// with, as long as nothing assigns to it or its fields afterwards.
	tlsVars  map[types.Object]*ast.CompositeLit
	dsnVars  map[types.Object]ast.Expr // likewise a string variable's constant or fmt.Sprintf
	assigned map[types.Object]bool
	// addressed are string variables whose address is taken
	// (flag.StringVar(&dsn, …)): their value is not the definition's.
	addressed map[types.Object]bool
	reported  map[finding]bool // a constant used twice is reported once
}

type finding struct {
	pos   token.Pos
	label string
}

type nameUse struct {
	name     string
	pos, end token.Pos
	subject  string
}

func run(pass *analysis.Pass) (any, error) {
	c := &checker{pass: pass, constLits: map[types.Object]*ast.BasicLit{}, reported: map[finding]bool{},
		tlsVars: map[types.Object]*ast.CompositeLit{}, dsnVars: map[types.Object]ast.Expr{},
		assigned: map[types.Object]bool{}, addressed: map[types.Object]bool{}}
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	insp.Preorder([]ast.Node{(*ast.ValueSpec)(nil), (*ast.AssignStmt)(nil), (*ast.UnaryExpr)(nil)}, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.UnaryExpr:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND {
				c.addressed[pass.TypesInfo.Uses[id]] = true
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if i < len(n.Values) {
					c.define(name, n.Values[i])
				}
			}
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE && len(n.Lhs) == len(n.Rhs) {
				for i, lhs := range n.Lhs {
					if id, ok := lhs.(*ast.Ident); ok {
						c.define(id, n.Rhs[i])
					}
				}
			}
			for _, lhs := range n.Lhs {
				if obj := rootVar(pass.TypesInfo, lhs); obj != nil {
					c.assigned[obj] = true
				}
			}
		}
	})
	insp.Preorder([]ast.Node{(*ast.CallExpr)(nil), (*ast.CompositeLit)(nil), (*ast.AssignStmt)(nil)}, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.CallExpr:
			c.call(n)
		case *ast.CompositeLit:
			if isNamed(pass.TypesInfo.TypeOf(n), driverPath, "Config") {
				c.configLit(n)
			}
		case *ast.AssignStmt:
			c.assign(n)
		}
	})
	for _, f := range pass.AllPackageFacts() {
		if r, ok := f.Fact.(*Registered); ok {
			c.reg.add(r)
		}
	}
	slices.Sort(c.reg.Names)
	c.reg.Names = slices.Compact(c.reg.Names)
	if len(c.reg.Names) > 0 || c.reg.Dynamic {
		pass.ExportPackageFact(&Registered{Names: c.reg.Names, Dynamic: c.reg.Dynamic})
	}
	c.judgeNames()
	return nil, nil
}

// define records a constant's string literal or a variable's tls.Config
// literal, declared by name with value v.
func (c *checker) define(name *ast.Ident, v ast.Expr) {
	switch obj := c.pass.TypesInfo.Defs[name].(type) {
	case *types.Const:
		if lit, ok := ast.Unparen(v).(*ast.BasicLit); ok && lit.Kind == token.STRING {
			c.constLits[obj] = lit
		}
	case *types.Var:
		if lit := tlsLiteral(c.pass.TypesInfo, v); lit != nil {
			c.tlsVars[obj] = lit
		} else if c.constString(v) != "" || c.sprintf(v) != nil {
			c.dsnVars[obj] = v
		}
	}
}

// rootVar is the variable an assignment to lhs changes (x, x.f, x[i],
// *x), if it is a named one.
func rootVar(info *types.Info, lhs ast.Expr) types.Object {
	for {
		switch e := ast.Unparen(lhs).(type) {
		case *ast.Ident:
			if v, ok := info.Uses[e].(*types.Var); ok {
				return v
			}
			return nil
		case *ast.SelectorExpr:
			lhs = e.X
		case *ast.IndexExpr:
			lhs = e.X
		case *ast.StarExpr:
			lhs = e.X
		default:
			return nil
		}
	}
}

// call dispatches the driver's entry points. sql.Open and sqlx's openers
// take (driverName, dataSourceName); the driver registers as "mysql"
// (driver.go, init).
func (c *checker) call(call *ast.CallExpr) {
	fn := typeutil.StaticCallee(c.pass.TypesInfo, call)
	if fn == nil || fn.Pkg() == nil || fn.Signature().Recv() != nil {
		return
	}
	switch path, name := fn.Pkg().Path(), fn.Name(); {
	case path == "database/sql" && name == "Open",
		path == "github.com/jmoiron/sqlx" && (name == "Open" || name == "Connect" || name == "MustOpen" || name == "MustConnect"):
		if len(call.Args) == 2 && c.constString(call.Args[0]) == "mysql" {
			c.dsn(call.Args[1])
		}
	case path == driverPath && name == "ParseDSN" && len(call.Args) == 1:
		c.dsn(call.Args[0])
	case path == driverPath && name == "RegisterTLSConfig" && len(call.Args) == 2:
		if v := c.pass.TypesInfo.Types[call.Args[0]].Value; v != nil && v.Kind() == constant.String {
			c.reg.Names = append(c.reg.Names, constant.StringVal(v))
		} else {
			c.reg.Dynamic = true
		}
		if lit := c.tlsConfigLit(call.Args[1]); lit != nil {
			c.tlsConfig(lit)
		}
	}
}

// constString is e's value when it is a string constant, else "".
func (c *checker) constString(e ast.Expr) string {
	if v := c.pass.TypesInfo.Types[e].Value; v != nil && v.Kind() == constant.String {
		return constant.StringVal(v)
	}
	return ""
}

// report reports a finding; label is the rule, sev "warning" or "error"
// as tlsvet's text output writes them.
func (c *checker) report(pos, end token.Pos, sev, label, msg string, fixes ...analysis.SuggestedFix) {
	if c.reported[finding{pos, label}] {
		return
	}
	c.reported[finding{pos, label}] = true
	id, _, _ := strings.Cut(label, " ")
	url := ""
	if strings.HasPrefix(id, "TV") {
		url = ruleDocs + id + ".md"
	}
	c.pass.Report(analysis.Diagnostic{
		Pos: pos, End: end, Category: id, URL: url,
		Message:        fmt.Sprintf("%s: %s [%s]", sev, msg, label),
		SuggestedFixes: fixes,
	})
}

// dsn checks a DSN argument: a constant, or a fmt.Sprintf call with a
// constant format, directly or through a string variable defined with
// either and never assigned to since. In a format, the parameters a verb
// touches are unknown, and a verb that may add parameters of its own
// leaves the TLS mode unknown.
func (c *checker) dsn(arg ast.Expr) {
	if id, ok := ast.Unparen(arg).(*ast.Ident); ok {
		if obj := c.pass.TypesInfo.Uses[id]; c.dsnVars[obj] != nil && !c.assigned[obj] && !c.addressed[obj] {
			arg = c.dsnVars[obj]
		}
	}
	s := c.constString(arg)
	var verbs []dsn.Span
	if call := c.sprintf(arg); call != nil {
		arg = call.Args[0]
		var ok bool
		if s, verbs, ok = formatVerbs(c.constString(arg)); !ok {
			return
		}
	}
	d, err := dsn.Parse(dsn.GoMySQL, s)
	if err != nil {
		return // the driver rejects it when opening; not a TLS matter
	}
	known := func(p *dsn.Param) bool {
		return p != nil && !slices.ContainsFunc(verbs, func(v dsn.Span) bool {
			return v.Start < p.ValueSpan.End && p.KeySpan.Start < v.End
		})
	}
	at := c.locate(arg, s)
	for _, t := range d.Traps {
		if t.Effect == dsn.SessionVariable && known(&d.Params[t.Param]) {
			c.sessionVariable(s, d, t, at)
		}
	}
	if d.Target.Transport != dsn.TCP || addsParams(s, d, verbs) {
		return // a Unix socket needs no TLS; a verb may set the mode
	}
	cl := d.Client
	var mode *dsn.Param
	if cl.ModeParam >= 0 {
		mode = &d.Params[cl.ModeParam]
	}
	switch {
	case !known(mode):
	case cl.Mode == dsn.Disabled:
		pos, end := at.span(mode.KeySpan.Start, mode.ValueSpan.End)
		c.report(pos, end, "warning", tv301, disabledMsg(said(s, mode), dsnAdvice))
	case cl.Mode == dsn.Required:
		pos, end := at.span(mode.KeySpan.Start, mode.ValueSpan.End)
		c.report(pos, end, "warning", tv302, noVerifyMsg(said(s, mode), dsnAdvice),
			at.fixes("set tls=true", mode.ValueSpan, "true")...)
	case cl.Mode == dsn.Preferred:
		pos, end := at.span(mode.KeySpan.Start, mode.ValueSpan.End)
		c.report(pos, end, "warning", tv303, preferredMsg(said(s, mode), dsnAdvice))
	case cl.Mode == dsn.ModeUnknown && cl.From == dsn.Explicit:
		if name, ok := registeredName(cl); ok {
			pos, end := at.span(mode.ValueSpan.Start, mode.ValueSpan.End)
			c.uses = append(c.uses, nameUse{name: name, pos: pos, end: end, subject: said(s, mode)})
		}
	}
	if fallback := lastParam(d, "allowFallbackToPlaintext"); known(fallback) && cl.Effective.PlaintextFallback && cl.Mode != dsn.Preferred {
		pos, end := at.span(fallback.KeySpan.Start, fallback.ValueSpan.End)
		c.report(pos, end, "warning", tv303, fallbackMsg(said(s, fallback)))
	}
}

// sprintf is e as a call of fmt.Sprintf with a constant format, or nil.
func (c *checker) sprintf(e ast.Expr) *ast.CallExpr {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return nil
	}
	fn := typeutil.StaticCallee(c.pass.TypesInfo, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "fmt" || fn.Name() != "Sprintf" {
		return nil
	}
	if v := c.pass.TypesInfo.Types[call.Args[0]].Value; v == nil || v.Kind() != constant.String {
		return nil
	}
	return call
}

// formatVerbs replaces each verb of the fmt format f (%s, %[2]q, %-5d…)
// with as many 'X' as it has bytes, so that offsets in the result are
// offsets in f, and returns the verbs' spans. A "%%" shortens the text,
// so such a format is not read.
func formatVerbs(f string) (string, []dsn.Span, bool) {
	b := []byte(f)
	var verbs []dsn.Span
	for i := 0; i < len(b); i++ {
		if b[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(b) && strings.IndexByte("+-# 0123456789.*[]", b[j]) >= 0 {
			j++
		}
		if j >= len(b) || b[j] == '%' {
			return "", nil, false
		}
		_, size := utf8.DecodeRune(b[j:])
		j += size
		for k := i; k < j; k++ {
			b[k] = 'X'
		}
		verbs = append(verbs, dsn.Span{Start: i, End: j})
		i = j - 1
	}
	return string(b), verbs, true
}

// addsParams reports whether a verb in the parameter part of s stands
// outside any parameter's value, where its text may add parameters (a
// tls= the driver reads after the ones written).
func addsParams(s string, d *dsn.DSN, verbs []dsn.Span) bool {
	q := strings.LastIndexByte(s, '/')
	if i := strings.IndexByte(s[q+1:], '?'); i >= 0 {
		q += 1 + i
	}
	for _, v := range verbs {
		inValue := slices.ContainsFunc(d.Params, func(p dsn.Param) bool {
			return p.ValueSpan.Start <= v.Start && v.End <= p.ValueSpan.End
		})
		if v.Start > q && !inValue {
			return true
		}
	}
	return false
}

// registeredName is the name of a tls=<name> the parser left unresolved.
func registeredName(cl dsn.Client) (string, bool) {
	for _, u := range cl.Unresolved {
		if name, ok := strings.CutPrefix(u, "tls="); ok {
			return name, true
		}
	}
	return "", false
}

// lastParam is the parameter the driver keeps for key: the last one, as
// parseDSNParams assigns each in turn.
func lastParam(d *dsn.DSN, key string) *dsn.Param {
	for i := len(d.Params) - 1; i >= 0; i-- {
		if d.Params[i].Key == key {
			return &d.Params[i]
		}
	}
	return nil
}

// said quotes parameter p of DSN s as written, after the driver's name,
// as tlsvet's connection rules do: go-sql-driver/mysql `tls=skip-verify`.
// No password is quoted: it is never a TLS parameter.
func said(s string, p *dsn.Param) string {
	return driverName + " `" + s[p.KeySpan.Start:p.ValueSpan.End] + "`"
}

// with quotes Go code that configures the driver.
func with(code string) string {
	return driverName + " with `" + code + "`"
}

// sessionVariable reports TV306: a key the driver does not know is sent
// to the server as `SET key=value` when connecting (README, "System
// Variables", https://github.com/go-sql-driver/mysql/blob/v1.9.3/README.md),
// and the server answers ERROR 1193 (Unknown system variable).
func (c *checker) sessionVariable(s string, d *dsn.DSN, t dsn.Trap, at literalMap) {
	p := &d.Params[t.Param]
	pos, end := at.span(p.KeySpan.Start, p.ValueSpan.End)
	what := "`" + s[p.KeySpan.Start:p.ValueSpan.End] + "` is not a " + driverName + " parameter"
	const effect = ", so the driver sends it to the server as SET %s=…, and the server refuses the connection with ERROR 1193 (Unknown system variable); write %s"
	switch t.Kind {
	case dsn.WrongCase:
		var fixes []analysis.SuggestedFix
		if lastParam(d, t.Want) == nil {
			fixes = at.fixes("write "+t.Want, p.KeySpan, t.Want)
		}
		c.report(pos, end, "error", tv306, fmt.Sprintf(what+": its names are case-sensitive"+effect, p.Key, t.Want), fixes...)
	case dsn.ForeignParam:
		c.report(pos, end, "error", tv306, fmt.Sprintf(what+" (PostgreSQL and other drivers spell it so)"+effect, p.Key, "tls=true"))
	}
}

// The messages, in the wording of tlsvet's rules for connection strings
// (rules/connections.go), with the driver's own remedy.
const (
	driverName   = "go-sql-driver/mysql"
	verifyAdvice = "(the driver then verifies the server against the system's trust store), or name a tls.Config " +
		"registered with mysql.RegisterTLSConfig whose RootCAs hold the CA that signed the server certificate"
	dsnAdvice    = "set tls=true " + verifyAdvice
	configAdvice = `set TLSConfig to "true" ` + verifyAdvice
	skipAdvice   = "remove it, and set RootCAs to the CA that signed the server certificate unless it chains to the system's trust store"
)

func disabledMsg(what, advice string) string {
	return what + " turns TLS off: queries, results and the login exchange cross the network in plaintext; " + advice
}

func noVerifyMsg(what, advice string) string {
	return what + " encrypts but does not verify the server certificate: anyone on the network path can impersonate the server; " + advice
}

func preferredMsg(what, advice string) string {
	return what + " falls back to plaintext silently when the server offers no TLS, and does not verify the server; " + advice
}

func fallbackMsg(what string) string {
	return what + " falls back to plaintext silently when the server offers no TLS: anyone who can answer in the server's place simply offers none; remove it"
}

// configLit checks a mysql.Config literal. Config.normalize reads
// TLSConfig only when TLS is nil, and compares it exactly with "false",
// "true", "skip-verify" and "preferred"; any other text names a registered
// config (https://github.com/go-sql-driver/mysql/blob/v1.9.3/dsn.go).
func (c *checker) configLit(lit *ast.CompositeLit) {
	tlsSet := false
	for _, e := range lit.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok && keyName(kv) == "TLS" && !isNil(c.pass.TypesInfo, kv.Value) {
			tlsSet = true
		}
	}
	for i, e := range lit.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		switch keyName(kv) {
		case "TLSConfig":
			if !tlsSet {
				c.tlsConfigName(kv, kv.Value, field(kv))
			}
		case "AllowFallbackToPlaintext":
			if c.isTrue(kv.Value) {
				c.report(kv.Pos(), kv.End(), "warning", tv303, fallbackMsg(with(field(kv))),
					c.removeFix(lit, i, "remove AllowFallbackToPlaintext"))
			}
		case "TLS":
			if tl := c.tlsConfigLit(kv.Value); tl != nil {
				c.tlsConfig(tl)
			}
		}
	}
}

// assign checks cfg.TLSConfig = …, cfg.AllowFallbackToPlaintext = … and
// cfg.TLS = &tls.Config{…} on a mysql.Config (mysql.NewConfig's result).
func (c *checker) assign(as *ast.AssignStmt) {
	if len(as.Lhs) != len(as.Rhs) {
		return
	}
	for i, lhs := range as.Lhs {
		sel, ok := lhs.(*ast.SelectorExpr)
		if !ok {
			continue
		}
		s := c.pass.TypesInfo.Selections[sel]
		if s == nil || s.Kind() != types.FieldVal || !isNamed(deref(s.Recv()), driverPath, "Config") {
			continue
		}
		rhs := as.Rhs[i]
		switch sel.Sel.Name {
		case "TLSConfig":
			c.tlsConfigName(as, rhs, types.ExprString(sel)+" = "+types.ExprString(rhs))
		case "AllowFallbackToPlaintext":
			if c.isTrue(rhs) {
				c.report(sel.Pos(), rhs.End(), "warning", tv303, fallbackMsg(with(types.ExprString(sel)+" = "+types.ExprString(rhs))))
			}
		case "TLS":
			if tl := c.tlsConfigLit(rhs); tl != nil {
				c.tlsConfig(tl)
			}
		}
	}
}

// tlsConfigName checks a constant Config.TLSConfig value set by node,
// whose code is code.
func (c *checker) tlsConfigName(node ast.Node, val ast.Expr, code string) {
	v := c.pass.TypesInfo.Types[val].Value
	if v == nil || v.Kind() != constant.String {
		return
	}
	name := constant.StringVal(v)
	what := with(code)
	switch name {
	case "", "true":
	case "false":
		c.report(node.Pos(), node.End(), "warning", tv301, disabledMsg(what, configAdvice))
	case "skip-verify":
		var fixes []analysis.SuggestedFix
		if lit, ok := ast.Unparen(val).(*ast.BasicLit); ok {
			fixes = []analysis.SuggestedFix{{Message: `set TLSConfig "true"`,
				TextEdits: []analysis.TextEdit{{Pos: lit.Pos(), End: lit.End(), NewText: []byte(`"true"`)}}}}
		}
		c.report(node.Pos(), node.End(), "warning", tv302, noVerifyMsg(what, configAdvice), fixes...)
	case "preferred":
		c.report(node.Pos(), node.End(), "warning", tv303, preferredMsg(what, configAdvice))
	default:
		c.uses = append(c.uses, nameUse{name: name, pos: val.Pos(), end: val.End(), subject: what})
	}
}

// tlsConfig checks a crypto/tls Config literal the driver is handed.
func (c *checker) tlsConfig(lit *ast.CompositeLit) {
	// A config that verifies by itself (VerifyPeerCertificate or
	// VerifyConnection, the crypto/tls example for checking a chain
	// without the host name) sets InsecureSkipVerify on purpose.
	custom := slices.ContainsFunc(lit.Elts, func(e ast.Expr) bool {
		kv, ok := e.(*ast.KeyValueExpr)
		return ok && (keyName(kv) == "VerifyPeerCertificate" || keyName(kv) == "VerifyConnection") && !isNil(c.pass.TypesInfo, kv.Value)
	})
	for i, e := range lit.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		switch keyName(kv) {
		case "InsecureSkipVerify":
			if !custom && c.isTrue(kv.Value) {
				c.report(kv.Pos(), kv.End(), "warning", tv302, noVerifyMsg(with(field(kv)), skipAdvice),
					c.removeFix(lit, i, "remove InsecureSkipVerify"))
			}
		case "MinVersion":
			c.minVersion(kv)
		}
	}
}

// minVersion reports TV307 for a MinVersion below TLS 1.2. Go's client
// defaults to TLS 1.2 when MinVersion is zero, and supports nothing older
// than TLS 1.0 (https://pkg.go.dev/crypto/tls#Config, MinVersion), so
// only an explicit lower value allows the legacy protocols, which RFC 8996
// deprecates and MySQL 8.0.28 and later no longer support
// (https://dev.mysql.com/doc/refman/8.0/en/encrypted-connection-protocols-ciphers.html).
func (c *checker) minVersion(kv *ast.KeyValueExpr) {
	v := c.pass.TypesInfo.Types[kv.Value].Value
	if v == nil {
		return
	}
	n, ok := constant.Uint64Val(constant.ToInt(v))
	if !ok || n == 0 || n >= tls12 {
		return
	}
	name := "TLSv1.0"
	if n == tls11 {
		name = "TLSv1.1"
	}
	var fixes []analysis.SuggestedFix
	if sel, ok := ast.Unparen(kv.Value).(*ast.SelectorExpr); ok {
		if id, ok := sel.X.(*ast.Ident); ok {
			if pn, ok := c.pass.TypesInfo.Uses[id].(*types.PkgName); ok && pn.Imported().Path() == "crypto/tls" {
				fixes = []analysis.SuggestedFix{{Message: "set MinVersion to tls.VersionTLS12",
					TextEdits: []analysis.TextEdit{{Pos: sel.Sel.Pos(), End: sel.Sel.End(), NewText: []byte("VersionTLS12")}}}}
			}
		}
	}
	c.report(kv.Pos(), kv.End(), "warning", tv307, fmt.Sprintf(
		"%s allows %s, deprecated (RFC 8996) and removed from MySQL 8.0.28 on: an old server can be made to use it; set tls.VersionTLS12",
		with(field(kv)), name), fixes...)
}

// judgeNames warns about tls=<name> values that neither this package nor
// any package it imports registers. Config.normalize fails with "invalid
// value / unknown config name" for those, unless a package outside this
// one's imports (a sibling the main package also imports) registers it
// first, hence a warning.
func (c *checker) judgeNames() {
	if c.reg.Dynamic {
		return
	}
	for _, u := range c.uses {
		if _, found := slices.BinarySearch(c.reg.Names, u.name); !found {
			c.report(u.pos, u.end, "warning", unregistered, fmt.Sprintf(
				"%s names a TLS config that neither this package nor the packages it imports register with mysql.RegisterTLSConfig: "+
					"opening the connection fails with \"invalid value / unknown config name\" unless another package registers it first",
				u.subject))
		}
	}
}

// removeFix deletes element i of lit: its whole line when it stands
// alone on it, else up to the next element, or from the previous one.
func (c *checker) removeFix(lit *ast.CompositeLit, i int, msg string) analysis.SuggestedFix {
	e := lit.Elts[i]
	tf := c.pass.Fset.File(e.Pos())
	line := func(p token.Pos) int { return tf.Line(p) }
	before, after := lit.Lbrace, lit.Rbrace
	if i > 0 {
		before = lit.Elts[i-1].End()
	}
	if i+1 < len(lit.Elts) {
		after = lit.Elts[i+1].Pos()
	}
	var pos, end token.Pos
	switch {
	case line(before) < line(e.Pos()) && line(e.End()) < line(after):
		pos = tf.LineStart(line(e.Pos()))
		end = tf.LineStart(line(e.End()) + 1)
	case i+1 < len(lit.Elts):
		pos, end = e.Pos(), after
	case i > 0:
		pos, end = before, e.End()
	default:
		pos, end = e.Pos(), lit.Rbrace
	}
	return analysis.SuggestedFix{Message: msg, TextEdits: []analysis.TextEdit{{Pos: pos, End: end}}}
}

// isTrue reports whether e is the constant true.
func (c *checker) isTrue(e ast.Expr) bool {
	v := c.pass.TypesInfo.Types[e].Value
	return v != nil && v.Kind() == constant.Bool && constant.BoolVal(v)
}

// field is a keyed element as code: InsecureSkipVerify: true.
func field(kv *ast.KeyValueExpr) string {
	return types.ExprString(kv.Key) + ": " + types.ExprString(kv.Value)
}

func keyName(kv *ast.KeyValueExpr) string {
	if id, ok := kv.Key.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

func isNil(info *types.Info, e ast.Expr) bool {
	return info.Types[e].IsNil()
}

// tlsConfigLit is the crypto/tls Config literal e writes, as
// &tls.Config{…} or tls.Config{…}, or through a variable (cfg or &cfg)
// defined with one and never assigned to since; else nil.
func (c *checker) tlsConfigLit(e ast.Expr) *ast.CompositeLit {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X) // &cfg, cfg a tls.Config value
	}
	if id, ok := e.(*ast.Ident); ok {
		if obj := c.pass.TypesInfo.Uses[id]; !c.assigned[obj] {
			return c.tlsVars[obj]
		}
		return nil
	}
	return tlsLiteral(c.pass.TypesInfo, e)
}

// tlsLiteral is e as &tls.Config{…} or tls.Config{…}, or nil.
func tlsLiteral(info *types.Info, e ast.Expr) *ast.CompositeLit {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	if lit, ok := e.(*ast.CompositeLit); ok && isNamed(info.TypeOf(lit), "crypto/tls", "Config") {
		return lit
	}
	return nil
}

func isNamed(t types.Type, path, name string) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := n.Obj()
	return obj.Name() == name && obj.Pkg() != nil && obj.Pkg().Path() == path
}

func deref(t types.Type) types.Type {
	if p, ok := types.Unalias(t).Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}
