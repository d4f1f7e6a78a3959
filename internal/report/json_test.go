package report_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
	"github.com/tlsvet/tlsvet/internal/report"
	"github.com/tlsvet/tlsvet/internal/source"
)

func TestJSONClean(t *testing.T) {
	var b bytes.Buffer
	if err := report.JSON(&b, &report.Report{Rules: []*lint.Rule{holeRule}, Version: "0.1.0"}); err != nil {
		t.Fatal(err)
	}
	want := `{
  "version": 1,
  "tool_version": "0.1.0",
  "findings": [],
  "notifications": [],
  "clients": [],
  "links": []
}
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestJSONShape(t *testing.T) {
	f := source.NewFile("conf/my.cnf", []byte("[mysqld]\n# é\ntls_version=TLSv1,TLSv1.2 # <&>\n"))
	base := source.NewFile("conf/base.cnf", []byte("[mysqld]\ntls_version=TLSv1.2\n"))
	tok := spanOf(t, f, "TLSv1,")
	d := diag(holeRule, spanOf(t, f, "TLSv1,TLSv1.2"), "tls_version has a hole <&>")
	d.Related = []lint.Related{{Span: spanOf(t, base, "TLSv1.2"), Message: "overridden here"}}
	d.Fix = &lint.Fix{Message: "remove TLSv1", Edits: []source.Edit{{Span: tok, New: ""}}}
	plain := diag(dupRule, spanOf(t, base, "tls_version"), "set twice")
	r := &report.Report{
		Diagnostics:   []lint.Diagnostic{plain, d},
		Rules:         []*lint.Rule{holeRule, dupRule},
		Notifications: []report.Notification{{Path: "x.cnf", Message: "unreadable"}},
	}
	var b bytes.Buffer
	if err := report.JSON(&b, r); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), `\u003c`) {
		t.Errorf("HTML-escaped output:\n%s", b.String())
	}
	var got map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	// Offsets: line 3 starts at byte 14 ("[mysqld]\n" is 9, "# é\n" is 5).
	want := map[string]any{
		"version":       1.0,
		"tool_version":  "",
		"notifications": []any{map[string]any{"path": "x.cnf", "message": "unreadable", "level": "warning"}},
		"clients":       []any{},
		"links":         []any{},
		"findings": []any{
			map[string]any{
				"rule": "TV009", "name": "duplicate-setting", "severity": "note", "message": "set twice",
				"path":    "conf/base.cnf",
				"start":   map[string]any{"line": 2.0, "column": 1.0, "offset": 9.0},
				"end":     map[string]any{"line": 2.0, "column": 12.0, "offset": 20.0},
				"related": []any{},
			},
			map[string]any{
				"rule": "TV101", "name": "tls-version-hole", "severity": "warning", "message": "tls_version has a hole <&>",
				"path":  "conf/my.cnf",
				"start": map[string]any{"line": 3.0, "column": 13.0, "offset": 26.0},
				"end":   map[string]any{"line": 3.0, "column": 26.0, "offset": 39.0},
				"related": []any{map[string]any{
					"path":    "conf/base.cnf",
					"start":   map[string]any{"line": 2.0, "column": 13.0, "offset": 21.0},
					"end":     map[string]any{"line": 2.0, "column": 20.0, "offset": 28.0},
					"message": "overridden here",
				}},
				"fix": map[string]any{
					"message": "remove TLSv1",
					"edits": []any{map[string]any{
						"path": "conf/my.cnf", "start_offset": 26.0, "end_offset": 32.0, "new_text": "",
					}},
				},
			},
		},
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("got:\n%s\nwant:\n%s", g, w)
	}
}

// A span that takes a whole line with its newline ends at column 1 of the
// next line in JSON, consistent with its byte offset.
func TestJSONExactEnd(t *testing.T) {
	f := source.NewFile("a.cnf", []byte("[mysqld]\nskip-ssl\n"))
	r := &report.Report{Diagnostics: []lint.Diagnostic{diag(holeRule, f.Span(9, 18), "m")}}
	var b bytes.Buffer
	if err := report.JSON(&b, r); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Findings []struct {
			End struct{ Line, Column, Offset int }
		}
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if e := got.Findings[0].End; e.Line != 3 || e.Column != 1 || e.Offset != 18 {
		t.Errorf("end = %+v, want line 3 column 1 offset 18", e)
	}
}
