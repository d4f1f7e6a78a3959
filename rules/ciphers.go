package rules

import (
	"strconv"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/source"
)

// Cipher lists: every TV2xx rule reads the same analysis (cipherList) so
// that the rules agree on what each token is and which rule owns it.
//
// How the programs read the two kinds of list:
//   - ssl_cipher is an OpenSSL cipher string. OpenSSL separates its elements
//     with ':', ',', ' ' or ';' (ITEM_SEP in ssl/ssl_ciph.c), compares names
//     and keywords case-sensitively, skips names it does not know, and
//     rejects the whole string for an unknown "@command"; a TLSv1.3 suite
//     name is skipped there too (checked with OpenSSL 3.0.19's `openssl
//     ciphers`). MySQL prepends its permanent blocked list, so restricted
//     ciphers are removed silently, and when no TLSv1.2 cipher is left
//     SSL_CTX_set_cipher_list fails: "Failed to set ciphers to use", the
//     channel's whole TLS context is not created, TLSv1.3 included (SRC-VIO
//     new_VioSSLFd https://github.com/mysql/mysql-server/blob/trunk/vio/viosslfactories.cc,
//     SRC-TLSC https://github.com/mysql/mysql-server/blob/trunk/include/tls_ciphers.h).
//     MariaDB has no blocked list and no tls_ciphersuites: TLSv1.3 suites go
//     in ssl_cipher (MDB-TLS13 https://mariadb.com/docs/server/security/encryption/data-in-transit-encryption/using-tlsv13);
//     it skips unknown names when others are valid and refuses to start when
//     none is (docs/mariadb-observations.md §4a, configs 11, 12, 21, 34).
//   - tls_ciphersuites (MySQL 8.0.16+) is a ':'-separated list of TLSv1.3
//     suites; OpenSSL trims blanks around each name, skips unknown names
//     (OpenSSL 3) and fails when none is known, which again leaves the
//     channel without TLS (SRC-VIO; MY80-SV
//     https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html).
//
// Ownership, so that one problem gives one finding:
//   - A token gets at most one token finding, by the first that applies:
//     TV206 (it belongs in the other option), TV207 (no such name), TV201
//     (restricted), TV203 (deprecated). A restricted cipher is therefore
//     never also TV203, and a TLSv1.3 suite in MySQL's ssl_cipher is TV206,
//     not TV207. Keywords (HIGH, !aNULL, +RSA, @STRENGTH) are never "a
//     configured cipher": no token finding in ssl_cipher.
//   - An option gets at most one finding about what the whole list leaves
//     usable, at the first filter that empties it: TV202 (restricted,
//     unknown or misplaced names leave nothing), then TV205 (nothing works
//     with the allowed protocols), then TV204 (nothing works with the
//     RSA certificate). TV208 is about an empty tls_ciphersuites.
//   - Token and option findings are different problems and are both
//     reported: ssl_cipher=RC4-MD5 is TV201 on the token (MySQL drops it)
//     and TV202 on the option (nothing is left, TLS is off).
//   - Tokens from " ;" on belong to TV008 (a ';' comment that is really
//     part of the value): they get no token finding here, but the list is
//     judged as the program reads it, comment included.

// Options holding cipher strings or TLSv1.3 suite lists, by canonical name
// (MY80-SV; MY80-GRV https://dev.mysql.com/doc/refman/8.0/en/group-replication-system-variables.html;
// MY80-CO https://dev.mysql.com/doc/refman/8.0/en/connection-options.html).
var (
	serverCipherOptions = []string{"ssl_cipher", "admin_ssl_cipher", "tls_ciphersuites", "admin_tls_ciphersuites", "group_replication_recovery_tls_ciphersuites"}
	clientCipherOptions = []string{"ssl_cipher", "tls_ciphersuites"}
)

// tokenRole is what the program does with a token.
type tokenRole uint8

const (
	roleEmpty    tokenRole = iota // nothing between two separators: skipped
	roleCipher                    // one cipher (or, in a suite list, TLSv1.3 suite) the option can use
	roleSelector                  // a keyword or combination that selects a set: HIGH, ECDHE+AESGCM
	roleModifier                  // !x, -x, +x, @STRENGTH, @SECLEVEL=n: selects nothing
	roleForeign                   // in a suite list: a TLSv1.2 cipher or cipher-string keyword
	roleUnknown                   // a name OpenSSL does not know here: skipped
	roleInvalid                   // an @command OpenSSL rejects, and the whole string with it
)

// cipherToken is one element of a cipher option as written.
type cipherToken struct {
	model.Item
	Index    int
	Word     string      // Text without surrounding blanks
	WordSpan source.Span // the Word's bytes (exact when Item.Exact)
	Role     tokenRole
	// Cipher is the cipher Word names by its OpenSSL or (IANA) IANA name;
	// Named says whether it names one.
	Cipher      facts.Cipher
	Named, IANA bool
	// Restricted: a selector whose ciphers MySQL all blocks (RC4, aNULL…).
	Restricted bool
	// Tail: at or after " ;", which TV008 reports as a comment pitfall.
	Tail bool
}

// cipherList is the analysis of one cipher option on one target.
type cipherList struct {
	Opt    *model.Setting
	Target facts.Target
	// Readers splits Target into the flavours that read the option, as for
	// protocol lists: tls_ciphersuites and the admin options have no
	// MariaDB reader.
	Readers []facts.Target
	Client  bool
	Server  *model.Server // the server reading the list; nil for a client
	Suites  bool          // a TLSv1.3 suite list (tls_ciphersuites…), not a cipher string
	Tokens  []cipherToken
}

// analyzeCiphers splits and classifies a cipher option for target t. It
// returns nil for an option without a value (TV006 reports that), with a
// templated value (unknown, never judged) or with no reader on t
// (TV002/TV004 report an option the flavour lacks).
func analyzeCiphers(o *model.Setting, t facts.Target, client bool) *cipherList {
	if o == nil || !o.HasValue || o.Unknown {
		return nil
	}
	spec, _ := facts.LookupOption(o.Name)
	// The cipher options have the same lifecycles for servers and clients,
	// and MariaDB's clients do read ssl-cipher, so the server split is the
	// right one for both.
	// A replication channel's SOURCE_TLS_CIPHERSUITES (no option spec) is
	// a suite list too.
	l := &cipherList{Opt: o, Target: t, Client: client, Suites: spec.Kind == facts.KindSuiteList || o.Name == "source_tls_ciphersuites",
		Readers: protocolReaders(o.Name, t, false)}
	if len(l.Readers) == 0 {
		return nil
	}
	seps := ":, ;"
	if l.Suites {
		seps = ":"
	}
	// TV008 owns everything from a ';' written after a blank: a comment
	// that MySQL reads as part of the value (semicolonComment's offset is
	// in the value as written, which is the value when it has no quotes).
	tail := semicolonComment(o)
	at := 0
	for i, it := range o.List(seps) {
		tok := cipherToken{Item: it, Index: i, Word: strings.TrimSpace(it.Text), WordSpan: it.Span, Tail: tail >= 0 && at+len(it.Text) > tail}
		at += len(it.Text) + 1
		if it.Exact {
			lead := len(it.Text) - len(strings.TrimLeft(it.Text, " \t"))
			tok.WordSpan = it.Span.Sub(lead, lead+len(tok.Word))
		}
		if l.Suites {
			classifySuite(&tok)
		} else {
			classifyCipher(&tok)
		}
		l.Tokens = append(l.Tokens, tok)
	}
	return l
}

// classifyCipher reads a cipher-string element the way OpenSSL does
// (openssl-ciphers(1) "CIPHER LIST FORMAT", https://docs.openssl.org/3.0/man1/openssl-ciphers/):
// '!' kills, '-' deletes and '+' moves ciphers, none of which adds one.
func classifyCipher(t *cipherToken) {
	w := t.Word
	switch {
	case w == "":
		t.Role = roleEmpty
	case strings.IndexByte("!-+", w[0]) >= 0:
		t.Role = roleModifier
	case w[0] == '@':
		t.Role = roleInvalid
		if facts.CipherKeyword(w) {
			t.Role = roleModifier
		}
	default:
		if c, ok := facts.LookupCipher(w); ok {
			t.Role, t.Cipher, t.Named = roleCipher, c, true
			return
		}
		if facts.CipherKeyword(w) {
			t.Role, t.Restricted = roleSelector, facts.RestrictedKeyword(w)
			return
		}
		t.Role = roleUnknown
		if c, ok := facts.LookupIANA(w); ok {
			t.Cipher, t.Named, t.IANA = c, true, true
		}
	}
}

// classifySuite reads a tls_ciphersuites element: only a TLSv1.3 suite's
// exact name counts (SSL_CTX_set_ciphersuites looks names up by their
// standard name).
func classifySuite(t *cipherToken) {
	w := t.Word
	if w == "" {
		t.Role = roleEmpty
		return
	}
	c, ok := facts.LookupCipher(w)
	if !ok {
		c, ok = facts.LookupIANA(w)
		t.IANA = ok
	}
	t.Cipher, t.Named = c, ok
	switch {
	case ok && c.TLS13:
		t.Role = roleCipher
	case ok, facts.CipherKeyword(w):
		t.Role = roleForeign
	default:
		t.Role = roleUnknown
	}
}

// reads reports whether a program of flavour f reads the list (Percona
// counts as MySQL).
func (l *cipherList) reads(f facts.Flavor) bool {
	for _, r := range l.Readers {
		if r.Flavor == f || f == facts.MySQL && r.Flavor == facts.Percona {
			return true
		}
	}
	return false
}

// onlyMySQL reports whether MySQL (or Percona) is the only reader.
func (l *cipherList) onlyMySQL() bool { return l.reads(facts.MySQL) && !l.reads(facts.MariaDB) }

// byFlavour picks the wording for the flavours that read the list: the
// MySQL text, the MariaDB text, or both joined when either may read it.
func (l *cipherList) byFlavour(mysql, mariadb string) string {
	switch {
	case !l.reads(facts.MariaDB):
		return mysql
	case !l.reads(facts.MySQL):
		return mariadb
	}
	return mysql + "; " + mariadb
}

// owner is the ID of the one token rule that reports token i, or "" (see
// the ownership notes at the top of this file).
func (l *cipherList) owner(i int) string {
	t := &l.Tokens[i]
	if t.Tail {
		return ""
	}
	switch t.Role {
	case roleForeign:
		return "TV206"
	case roleUnknown, roleInvalid:
		return "TV207"
	case roleCipher:
		switch {
		case t.Cipher.TLS13 && !l.Suites && l.reads(facts.MySQL):
			return "TV206"
		case t.Cipher.Class == facts.CipherRestricted:
			return "TV201"
		case t.Cipher.Class == facts.CipherDeprecated:
			return "TV203"
		}
	}
	return ""
}

// tokensOwnedBy runs fn on every token rule id owns.
func (l *cipherList) tokensOwnedBy(id string, fn func(t *cipherToken)) {
	for i := range l.Tokens {
		if l.owner(i) == id {
			fn(&l.Tokens[i])
		}
	}
}

// offer is what a list gives one reader's TLS context.
type offer struct {
	tls12    []facts.Cipher // named ciphers usable with TLSv1.2 and below
	tls13    []facts.Cipher // TLSv1.3 suites in effect from this list
	open     bool           // a keyword adds ciphers tlsvet does not enumerate
	rejected bool           // OpenSSL rejects the whole string
	// accepted: a suite list OpenSSL takes although it has no TLSv1.3
	// suite (OpenSSL 3 accepts any cipher's IANA name there).
	accepted bool
}

// offerFor says what the list leaves reader r. Restricted ciphers count as
// unusable on both flavours: MySQL blocks them and MariaDB uses them only
// when its OpenSSL still has them (OpenSSL 3 has no RC4, DES or 3DES:
// docs/mariadb-observations.md §4a). MySQL skips TLSv1.3 suites in ssl_cipher; MariaDB
// uses them for TLSv1.3 (docs/mariadb-observations.md §4b, configs 21 and 37).
func (l *cipherList) offerFor(r facts.Target) offer {
	var o offer
	for _, t := range l.Tokens {
		switch {
		case t.Role == roleInvalid:
			o.rejected = true
		case t.Role == roleSelector && !t.Restricted:
			o.open = true
		case t.Role == roleForeign && t.IANA:
			o.accepted = true
		case t.Role != roleCipher:
		case t.Cipher.TLS13:
			if l.Suites || r.Flavor == facts.MariaDB {
				o.tls13 = append(o.tls13, t.Cipher)
			}
		case t.Cipher.Class != facts.CipherRestricted:
			o.tls12 = append(o.tls12, t.Cipher)
		}
	}
	return o
}

// dead reports whether the list leaves reader r's TLS context nothing to
// use, so that OpenSSL refuses it ("Failed to set ciphers to use").
func (o offer) dead(l *cipherList, r facts.Target) bool {
	switch {
	case o.rejected:
		return true
	case l.Suites:
		return len(o.tls13) == 0 && !o.accepted
	case r.Flavor == facts.MariaDB:
		return len(o.tls12) == 0 && len(o.tls13) == 0 && !o.open
	}
	return len(o.tls12) == 0 && !o.open
}

// written reports whether the list has any token at all (an empty value
// is another problem: TV208 for tls_ciphersuites).
func (l *cipherList) written() bool {
	for _, t := range l.Tokens {
		if t.Role != roleEmpty {
			return true
		}
	}
	return false
}

// noneUsable reports TV202's case: on every reader the list leaves nothing.
func (l *cipherList) noneUsable() bool {
	if !l.written() {
		return false
	}
	for _, r := range l.Readers {
		if !l.offerFor(r).dead(l, r) {
			return false
		}
	}
	return true
}

// cipherListsAnalysis is the effective setting of every cipher option
// that servers and clients read, analysed once per run.
var cipherListsAnalysis = &lint.Analysis{
	Name: "cipher-lists",
	Doc:  "every effective cipher and TLSv1.3 suite setting of every server and client, split into classified tokens",
	Run: func(p *lint.AnalysisPass) any {
		var out []*cipherList
		collectCipherLists(p.Project, func(l *cipherList) { out = append(out, l) })
		return out
	},
}

// cipherLists runs fn on every cipher list of the run; the rule must
// require cipherListsAnalysis.
func cipherLists(pass *lint.Pass, fn func(l *cipherList)) {
	for _, l := range pass.ResultOf(cipherListsAnalysis).([]*cipherList) {
		fn(l)
	}
}

// collectCipherLists analyses the cipher lists of p.
func collectCipherLists(p *model.Project, fn func(l *cipherList)) {
	for _, s := range p.Servers {
		for _, name := range serverCipherOptions {
			if l := serverCipherList(s, name); l != nil {
				fn(l)
			}
		}
	}
	for _, c := range p.Clients {
		for _, name := range clientCipherOptions {
			if set := c.Settings.Get(name); set != nil {
				if l := analyzeCiphers(set.Setting, c.Target, true); l != nil {
					fn(l)
				}
			}
		}
	}
}

// serverCipherList analyses server s's effective setting of option name,
// or returns nil when it is not set.
func serverCipherList(s *model.Server, name string) *cipherList {
	set := s.Settings.Get(name)
	if set == nil {
		return nil
	}
	l := analyzeCiphers(set.Setting, s.Target, false)
	if l != nil {
		l.Server = s
	}
	return l
}

// enforced reports whether the list is the main channel's of a server with
// tls_certificates_enforced_validation=ON, which then exits where it would
// run without TLS (enforcedExit; protoList.enforced says why only the main
// channel).
func (l *cipherList) enforced() bool {
	return (l.Opt.Name == "ssl_cipher" || l.Opt.Name == "tls_ciphersuites") && enforcesValidation(l.Server)
}

// dropFix returns the exact edits that remove the tokens drop selects,
// each with one separator next to it; ok is false when a token's bytes are
// not exact or nothing would be left.
func (l *cipherList) dropFix(drop func(*cipherToken) bool) ([]source.Edit, bool) {
	// droppedComma works for any one-byte separator; it needs only the items.
	pl := &protoList{Tokens: make([]protoToken, len(l.Tokens))}
	kept := false
	for i := range l.Tokens {
		pl.Tokens[i] = protoToken{Item: l.Tokens[i].Item, Index: i}
		if !drop(&l.Tokens[i]) && l.Tokens[i].Role != roleEmpty {
			kept = true
		}
	}
	if !kept {
		return nil, false
	}
	var edits []source.Edit
	for i := range l.Tokens {
		if !drop(&l.Tokens[i]) {
			continue
		}
		span, ok := pl.droppedComma(i, func(t *protoToken) bool { return drop(&l.Tokens[t.Index]) })
		if !ok {
			return nil, false
		}
		edits = append(edits, source.Edit{Span: span})
	}
	return edits, true
}

// names lists up to three words, for messages: "A, B and 2 more".
func names(ws []string) string {
	if len(ws) > 3 {
		return strings.Join(ws[:3], ", ") + " and " + strconv.Itoa(len(ws)-3) + " more"
	}
	return strings.Join(ws, ", ")
}

// mysqlTarget reports whether every version in t is MySQL or Percona: the
// flavour says so, or an unknown flavour's versions are all below 10.0
// (MariaDB's numbering starts at 10), as facts splits an unknown target.
func mysqlTarget(t facts.Target) bool {
	return t.MySQLFamily() || t.Flavor == facts.FlavorUnknown && t.AllBelow(facts.V(10, 0, 0))
}
