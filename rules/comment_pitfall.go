package rules

import (
	"fmt"
	"strings"

	"github.com/tlsvet/tlsvet/internal/facts"
	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/model"
	"github.com/tlsvet/tlsvet/internal/secret"
	"github.com/tlsvet/tlsvet/internal/source"
)

// CommentPitfall is TV008.
var CommentPitfall = &lint.Rule{
	ID:       "TV008",
	Name:     "comment-pitfall",
	Severity: lint.Warning,
	Tags:     []string{"tls", "correctness"},
	Doc: lint.Doc{
		Title: "Comment syntax that changes a TLS value",
		Why: "In option files `;` starts a comment only at the beginning of a line: in " +
			"`ssl_cipher=ECDHE-RSA-AES256-GCM-SHA384 ; no CBC` the words after `;` are part of the " +
			"value, and OpenSSL splits a cipher string at blanks and `;` too, so `CBC` (an OpenSSL 3 " +
			"keyword) *adds* every CBC cipher: the line enables what the comment meant to exclude (observed " +
			"on MariaDB 10.11: the server then accepted `AES128-SHA`), an error when a comment word is a " +
			"cipher name or keyword. A boolean then reads as OFF (`require_secure_transport=ON ; must` turns TLS " +
			"enforcement off), a path names no file, and a protocol list loses its last protocol. " +
			"The opposite trap: `#` starts a comment anywhere outside quotes, even with no space before " +
			"it, so `ssl_key=/etc/mysql/#keys/server.pem` gives the server the directory `/etc/mysql/`.",
		Fix: "Write comments with `#` after a space, and quote values that contain `#`: " +
			"`ssl_key=\"/etc/mysql/#keys/server.pem\"`.",
		Bad:     "[mysqld]\nssl_cipher=ECDHE-RSA-AES256-GCM-SHA384 ; no CBC\n",
		Good:    "[mysqld]\nssl_cipher=ECDHE-RSA-AES256-GCM-SHA384 # no CBC\n",
		Sources: []string{srcOptionFiles, srcMyDefault, srcMariaDBOF, "https://docs.openssl.org/3.0/man1/openssl-ciphers/"},
	},
	Requires: []*lint.Analysis{readerTargetsAnalysis},
	Run:      runCommentPitfall,
}

func runCommentPitfall(pass *lint.Pass) {
	readers := pass.ResultOf(readerTargetsAnalysis).(readerIndex)
	eachFileOption(pass.Project, func(o *model.Setting) {
		if d, ok := semicolonPitfall(o, readers.targets); ok {
			pass.Report(d)
		}
		if d, ok := hashPitfall(o); ok {
			pass.Report(d)
		}
	})
}

// semicolonComment returns the offset, within the value as written, of a
// ';' after a blank in an unquoted value: someone meant a comment there,
// but MySQL keeps it in the value (remove_end_comment() knows only '#',
// SRC-DEF; MY80-OF). A ';' without a blank before it is left alone:
// OpenSSL reads it as a cipher separator. -1 when there is none, and for
// a templated value, which the template may change.
func semicolonComment(o *model.Setting) int {
	if !o.HasValue || o.Quote != 0 || o.Unknown {
		return -1
	}
	raw := o.ValueSpan.Text()
	for i := 1; i < len(raw); i++ {
		if raw[i] == ';' && (raw[i-1] == ' ' || raw[i-1] == '\t') {
			return i
		}
	}
	return -1
}

// targetsOf gives the versions of the programs reading o.
func semicolonPitfall(o *model.Setting, targetsOf func(*model.Setting) []facts.Target) (lint.Diagnostic, bool) {
	i := semicolonComment(o)
	if i < 0 {
		return lint.Diagnostic{}, false
	}
	spec, _ := facts.LookupOption(optName(o))
	d := lint.Diagnostic{Span: o.ValueSpan.Sub(i, len(o.ValueSpan.Text()))}
	msg := fmt.Sprintf("';' does not start a comment after a value: %s reads %s=%q", programsReading(o), o.Key, shownValue(o))
	switch spec.Kind {
	case facts.KindBool:
		msg += ", which is not a boolean, so it is set OFF"
		d.Severity = lint.Error
	case facts.KindEnum:
		msg += ", which is not a valid value"
		if r := o.Group.Readers & (facts.Servers | facts.Clients); r != 0 {
			msg += ", so " + classOf(r).fails(r, false)
		}
		d.Severity = lint.Error
	case facts.KindPath:
		msg += ", a path that names no file"
	case facts.KindProtocolList:
		if targetReaders(o.Group.Readers, targetsOf(o))&facts.MariaDBServer != 0 {
			// A refusal to start is an error, as TV105-TV107 say for the
			// same MariaDB message (observed on 10.11.19, internal/oracle).
			msg += ", so MySQL drops the last protocol and MariaDB refuses to start"
			d.Severity = lint.Error
		} else {
			msg += ", so MySQL drops the last protocol"
		}
	case facts.KindCipherList, facts.KindSuiteList:
		msg += ", so the comment's words are read as cipher names"
		if on, adds := tailTurnsOn(o); len(on) > 0 {
			msg += ": " + strings.Join(on, ", ")
			if adds {
				msg += " and so turns on ciphers the comment meant to exclude"
				d.Severity = lint.Error
			}
		}
	}
	msg += "; start the comment with '#'"
	if o.ValueExact() {
		semi := o.ValueSpan.Sub(i, i+1)
		d.Fix = &lint.Fix{Message: "turn ';' into '#'", Edits: []source.Edit{{Span: semi, New: "#"}}}
	}
	d.Message = msg
	return d, true
}

// hashPitfall finds an unquoted value cut short by a '#' with no blank
// before it: remove_end_comment() ends the value at any '#' outside quotes
// (SRC-DEF; MY80-OF "A # comment can start in the middle of a line").
func hashPitfall(o *model.Setting) (lint.Diagnostic, bool) {
	c := o.Comment
	if !o.HasValue || o.Quote != 0 || o.Unknown || !c.IsValid() || c.Start != o.ValueSpan.End || c.Start == 0 {
		return lint.Diagnostic{}, false
	}
	if prev := c.File.Content[c.Start-1]; prev == ' ' || prev == '\t' {
		return lint.Diagnostic{}, false
	}
	rest := strings.TrimRight(c.Text(), " \t")
	whole := o.Value + rest
	d := lint.Diagnostic{Span: c.File.Span(o.ValueSpan.Start, c.Start+len(rest)),
		Message: fmt.Sprintf("'#' starts a comment even inside a value: %s reads %s=%q and ignores %q; quote the value: %s=%s",
			programsReading(o), o.Key, o.Value, rest, o.Key, model.Quote(whole, 0))}
	if secret.Name(o.Key) {
		d.Message = fmt.Sprintf("'#' starts a comment even inside a value: %s reads %s cut short at '#'; quote the value",
			programsReading(o), o.Key)
	}
	// A comment that is one word reads as the rest of the value; one with
	// blanks may really be a comment, so no edit is offered then.
	if o.ValueExact() && !strings.ContainsAny(rest, " \t") {
		d.Fix = &lint.Fix{Message: "quote the value", Edits: []source.Edit{{Span: d.Span, New: model.Quote(whole, 0)}}}
	}
	return d, true
}

// programsReading names who reads the option's group: "the server",
// "client programs", "programs reading [myapp]".
func programsReading(o *model.Setting) string {
	r := o.Group.Readers & (facts.Servers | facts.Clients)
	if r == 0 {
		return "programs reading [" + o.Group.Written + "]"
	}
	return classOf(r).who(r)
}

// keywordSelects says what an OpenSSL keyword selects where it is not
// plain: CBC is a keyword only from OpenSSL 3.0 ("CBC: All cipher suites
// using encryption algorithm in Cipher Block Chaining (CBC) mode",
// https://docs.openssl.org/3.0/man1/openssl-ciphers/).
var keywordSelects = map[string]string{
	"CBC": "every CBC-mode cipher (OpenSSL 3.0 and later)",
}

// tailTurnsOn describes the words after a " ;" in a cipher string that
// OpenSSL reads as ciphers or keywords, which add ciphers to the list
// ("; no CBC" adds every CBC cipher: observed on MariaDB 10.11, which then
// accepted AES128-SHA). adds is false when they name only restricted
// ciphers, which MySQL blocks and default OpenSSL 3 builds lack (TV201). It
// uses the cipher catalogue, whatever the target.
func tailTurnsOn(o *model.Setting) (descs []string, adds bool) {
	l := analyzeCiphers(o, facts.FullRange(facts.FlavorUnknown), false)
	if l == nil || l.Suites {
		return nil, false
	}
	for _, t := range l.Tokens {
		switch {
		case !t.Tail:
		case t.Role == roleCipher && t.Cipher.Class == facts.CipherRestricted,
			t.Role == roleSelector && t.Restricted:
			descs = append(descs, fmt.Sprintf("%s names only restricted ciphers, which MySQL blocks and default OpenSSL 3 builds lack", t.Word))
		case t.Role == roleCipher:
			descs = append(descs, fmt.Sprintf("%s is a cipher name, which the line enables", t.Word))
			adds = true
		case t.Role == roleSelector:
			what := keywordSelects[t.Word]
			if what == "" {
				what = "every cipher it selects"
			}
			descs = append(descs, fmt.Sprintf("%s is an OpenSSL keyword, which adds %s", t.Word, what))
			adds = true
		}
	}
	return descs, adds
}
