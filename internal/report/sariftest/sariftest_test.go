package sariftest

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"
)

// valid is a small log that both the schema and GitHub accept.
const valid = `{
  "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
  "version": "2.1.0",
  "runs": [{
    "tool": {"driver": {"name": "tlsvet", "rules": [
      {"id": "TV101", "shortDescription": {"text": "s"}, "fullDescription": {"text": "f"}, "help": {"text": "h"},
       "properties": {"security-severity": "5.3", "tags": ["security"]}},
      {"id": "TV102", "shortDescription": {"text": "s"}, "fullDescription": {"text": "f"}, "help": {"text": "h"}}
    ]}},
    "results": [{
      "ruleId": "TV102", "ruleIndex": 1, "level": "warning", "message": {"text": "m"},
      "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.cnf", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 2, "startColumn": 3, "endLine": 2, "endColumn": 5}}}]
    }]
  }]
}`

func TestValid(t *testing.T) {
	if err := Check([]byte(valid)); err != nil {
		t.Fatalf("valid log rejected: %v", err)
	}
}

// Each broken log must be rejected, for the reason given.
func TestBroken(t *testing.T) {
	tests := []struct {
		name, old, new, reason string
	}{
		{"line 0", `"startLine": 2`, `"startLine": 0`, "startLine"},
		{"end before start", `"endLine": 2`, `"endLine": 1`, "before startLine"},
		{"end column before start", `"endColumn": 5`, `"endColumn": 2`, "before startColumn"},
		{"bogus level", `"level": "warning"`, `"level": "bogus"`, "level"},
		{"results missing", `"results": [`, `"results_": [`, "results"},
		{"results null", `"results": [{`, `"results": null, "x": [{`, "results"},
		{"duplicate rule id", `"id": "TV102"`, `"id": "TV101"`, "not unique"},
		{"ruleIndex points elsewhere", `"ruleIndex": 1`, `"ruleIndex": 0`, "points at"},
		{"ruleIndex out of range", `"ruleIndex": 1`, `"ruleIndex": 7`, "out of range"},
		{"unknown rule", `"ruleId": "TV102"`, `"ruleId": "TV103"`, "not in tool.driver.rules"},
		{"no locations", `"locations": [`, `"locations_": [`, "locations"},
		{"no region", `"region"`, `"region_"`, "region"},
		{"no help", `"help": {"text": "h"}}`, `"help": {"text": ""}}`, "help.text"},
		{"security-severity not a number", `"5.3"`, `"high"`, "security-severity"},
		{"wrong version", `"version": "2.1.0"`, `"version": "2.0.0"`, "version"},
		{"uri not a URI reference", `"uri": "a.cnf"`, `"uri": "a b.cnf"`, "uri"},
		{"no runs", `"runs": [{`, `"runs": [], "x": [{`, "runs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(valid, tt.old) {
				t.Fatalf("%q not in the valid log", tt.old)
			}
			err := Check([]byte(strings.Replace(valid, tt.old, tt.new, 1)))
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("rejected for another reason: %v", err)
			}
		})
	}
}

func TestNotJSON(t *testing.T) {
	if err := Check([]byte(`{"version": `)); err == nil {
		t.Error("truncated JSON accepted")
	}
}

// A log over 10 MB once gzipped is too big for GitHub even when the schema
// accepts it: random text barely compresses.
func TestTooBig(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 19 MB log")
	}
	noise := make([]byte, 14<<20)
	rand.Read(noise)
	big := strings.Replace(valid, `"text": "m"`, `"text": "`+base64.StdEncoding.EncodeToString(noise)+`"`, 1)
	err := Check([]byte(big))
	if err == nil || !strings.Contains(err.Error(), "10 MB") {
		t.Errorf("got %v, want the 10 MB limit", err)
	}
}
