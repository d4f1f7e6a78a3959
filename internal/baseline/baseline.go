// Package baseline records the findings of a run so that later runs report
// only new ones, the way a linter is adopted on an old repository
// (golangci-lint's new-from-patch, phpstan's baseline).
//
// A finding is recognised by a fingerprint, not by its line number or its
// message: both move when unrelated lines are inserted above it, and
// messages may name the line of another place. The fingerprint hashes the
// rule ID, the file's path, the trimmed text of the finding's line(s) and
// the text of its span, so it survives line shifts and edits to other
// lines but changes when the offending text changes. Several findings with
// one fingerprint are counted: when a run has more than the baseline
// recorded, the last ones in order are new.
package baseline

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/source"
)

// Version is the file format version Write produces and Read accepts.
const Version = 1

const toolName = "tlsvet"

// file is the JSON shape of a baseline file.
type file struct {
	Tool     string  `json:"tool"`
	Version  int     `json:"version"`
	Findings []entry `json:"findings"`
}

type entry struct {
	Rule        string `json:"rule"`
	Path        string `json:"path"`
	Fingerprint string `json:"fingerprint"`
	Count       int    `json:"count"`
	Message     string `json:"message"` // for reviewers only; never matched
}

// key identifies findings that count as the same one.
type key struct{ rule, path, fingerprint string }

// Baseline is a read baseline file: how many findings of each fingerprint
// are known.
type Baseline struct {
	counts map[key]int
}

// Write records ds as a baseline file. The output depends only on the set
// of findings, not on their order, so regenerating an unchanged baseline
// gives identical bytes.
func Write(w io.Writer, ds []lint.Diagnostic) error {
	var files []*source.File
	for _, d := range ds {
		files = append(files, d.Span.File)
	}
	mask := source.SecretMasker(files)
	byKey := map[key]*entry{}
	for _, d := range ds {
		k := keyOf(d)
		msg := mask(d.Message)
		e := byKey[k]
		if e == nil {
			e = &entry{Rule: k.rule, Path: k.path, Fingerprint: k.fingerprint, Message: msg}
			byKey[k] = e
		}
		e.Count++
		// Findings sharing a fingerprint may word their messages differently
		// (a message may name another place); keep the smallest so the file
		// does not depend on the order of ds.
		if msg < e.Message {
			e.Message = msg
		}
	}
	out := file{Tool: toolName, Version: Version, Findings: make([]entry, 0, len(byKey))}
	for _, e := range byKey {
		out.Findings = append(out.Findings, *e)
	}
	sort.Slice(out.Findings, func(i, j int) bool {
		a, b := out.Findings[i], out.Findings[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.Message != b.Message {
			return a.Message < b.Message
		}
		return a.Fingerprint < b.Fingerprint
	})
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // keep "<" and "&" in messages readable in review
	enc.SetIndent("", "  ")
	return enc.Encode(out) // Encode ends the document with a newline
}

// Read parses a baseline file written by Write (or edited by hand: entries
// that repeat a rule, path and fingerprint add up, as after a merge).
func Read(r io.Reader) (*Baseline, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("baseline: invalid file: %s", describeJSONError(data, err))
	}
	if dec.More() {
		return nil, errors.New("baseline: invalid file: data after the JSON object")
	}
	if f.Tool != toolName {
		return nil, fmt.Errorf("baseline: not a tlsvet baseline (tool is %q, want %q)", f.Tool, toolName)
	}
	if f.Version != Version {
		return nil, fmt.Errorf("baseline: unsupported version %d (this tlsvet reads version %d; write a new one with `tlsvet baseline write`)", f.Version, Version)
	}
	b := &Baseline{counts: map[key]int{}}
	for i, e := range f.Findings {
		if e.Rule == "" || !validFingerprint(e.Fingerprint) || e.Count < 1 {
			return nil, fmt.Errorf("baseline: finding %d: need a rule, a 16-hex-digit fingerprint and a count of at least 1", i+1)
		}
		b.counts[key{e.Rule, e.Path, e.Fingerprint}] += e.Count
	}
	return b, nil
}

// Filter returns the findings of ds that the baseline does not know, in
// their original order, and how many it hid. When ds holds more findings
// with one fingerprint than the baseline counted, the last ones are fresh.
func (b *Baseline) Filter(ds []lint.Diagnostic) (fresh []lint.Diagnostic, known int) {
	seen := map[key]int{}
	for _, d := range ds {
		k := keyOf(d)
		seen[k]++
		if seen[k] <= b.counts[k] {
			known++
			continue
		}
		fresh = append(fresh, d)
	}
	return fresh, known
}

func keyOf(d lint.Diagnostic) key {
	path, line, text := "", "", ""
	if s := d.Span; s.IsValid() {
		path = s.File.Path
		start, end := clamp(s.Start, len(s.File.Content)), clamp(s.End, len(s.File.Content))
		if end < start {
			end = start
		}
		text = s.File.Redact(start, end)
		first := s.File.Position(start).Line
		last := first
		if end > start {
			// A span ending with a newline ends on that line, not the next.
			last = s.File.Position(end - 1).Line
		}
		lines := make([]string, 0, last-first+1)
		for n := first; n <= last; n++ {
			lines = append(lines, strings.TrimSpace(redactedLine(s.File, n)))
		}
		line = strings.Join(lines, "\n")
	}
	return key{rule: d.RuleID, path: path, fingerprint: fingerprint(d.RuleID, path, line, text)}
}

// redactedLine is f.Line(n) with the secrets the parsers marked masked;
// it is f.Line(n) itself on a line without secrets.
func redactedLine(f *source.File, n int) string {
	start, end := f.LineStart(n), f.LineStart(n+1)
	if end > start && f.Content[end-1] == '\n' {
		end--
	}
	if end > start && f.Content[end-1] == '\r' {
		end--
	}
	return f.Redact(start, end)
}

// fingerprint hashes what identifies a finding. Carriage returns are
// dropped so a CRLF conversion keeps fingerprints; secrets are masked
// first: line and text come with the values the parsers marked already
// masked (source.File.Redact), and maskSecrets is a second net.
func fingerprint(rule, path, line, text string) string {
	h := sha256.New()
	for _, part := range []string{rule, path, maskSecrets(line), maskSecrets(text)} {
		h.Write([]byte(strings.ReplaceAll(part, "\r", "")))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// A baseline file is committed, while the file a finding sits in may be
// an untracked .env holding a DSN with a password. A short hash of a line
// whose only unknown is a weak password can be brute-forced, so password
// look-alikes are masked before hashing: the password of URL user info
// (scheme://user:pass@), of Go-MySQL-Driver DSNs (user:pass@tcp(host)/db,
// https://github.com/go-sql-driver/mysql#dsn-data-source-name) and the value
// of keys that name a secret. A changed password then keeps the
// fingerprint, which is right too: the TLS finding did not change.
var (
	urlPassword    = regexp.MustCompile("(://[^\\s/@:]*:)[^\\s\"'`]*@")
	goDSNPassword  = regexp.MustCompile("(^|[\\s\"'`=])([^\\s:@\"'`=]*:)[^\\s\"'`]*@([a-z0-9]*\\(|/)")
	secretKeyValue = regexp.MustCompile(`(?i)((?:pass(?:word|wd|phrase)|pwd|secret|token)[\w.-]*["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s;&,"']*)`)
)

func maskSecrets(s string) string {
	s = urlPassword.ReplaceAllString(s, "${1}*@")
	s = goDSNPassword.ReplaceAllString(s, "${1}${2}*@${3}")
	return secretKeyValue.ReplaceAllString(s, "${1}*")
}

func clamp(off, n int) int {
	return max(0, min(off, n))
}

func validFingerprint(s string) bool {
	if len(s) != 16 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

// describeJSONError adds the line and column to a syntax or type error so
// a hand-edited baseline can be fixed.
func describeJSONError(data []byte, err error) string {
	var off int64
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		off = typ.Offset
	case errors.Is(err, io.EOF):
		return "the file is empty"
	default:
		return err.Error()
	}
	// Offset counts the bytes read, the offending one included.
	before := data[:max(0, min(off-1, int64(len(data))))]
	line := bytes.Count(before, []byte{'\n'}) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("line %d, column %d: %v", line, col, err)
}
