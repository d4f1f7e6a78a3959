// Package sariftest checks SARIF logs in tests: against the official OASIS
// SARIF 2.1.0 JSON schema, and against the extra rules GitHub code scanning
// applies when it ingests a file. Only tests import it, so its schema
// validator never reaches the tlsvet binary.
package sariftest

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaJSON is oasis-tcs/sarif-spec sarif-2.1/schema/sarif-schema-2.1.0.json
// at e0583813 (sha256 c3b4bb2d…2682e), a draft-04 schema.
//
//go:embed sarif-schema-2.1.0.json
var schemaJSON []byte

const schemaURL = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// GitHub code scanning's limits, from github/docs
// content/code-security/reference/code-scanning/sarif-files/sarif-support.md
// and the "results exceed limit" troubleshooting page.
const (
	maxGzipBytes     = 10 << 20 // 10 MB after gzip
	maxRuns          = 20
	maxResults       = 25000
	maxRules         = 25000
	maxLocations     = 1000
	maxTags          = 20
	maxNameChars     = 255
	maxDescribeChars = 1024
)

var (
	compileOnce sync.Once
	schema      *jsonschema.Schema
	compileErr  error
)

func compiled() (*jsonschema.Schema, error) {
	compileOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
		if err != nil {
			compileErr = err
			return
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft4)
		c.AssertFormat()
		if err := c.AddResource(schemaURL, doc); err != nil {
			compileErr = err
			return
		}
		schema, compileErr = c.Compile(schemaURL)
	})
	return schema, compileErr
}

// Validate fails t unless data is a SARIF log that both the schema and
// GitHub code scanning accept.
func Validate(t testing.TB, data []byte) {
	t.Helper()
	if err := Check(data); err != nil {
		t.Errorf("invalid SARIF:\n%v", err)
	}
}

// Check returns every reason the schema or GitHub code scanning would
// reject data, or nil.
func Check(data []byte) error {
	sch, err := compiled()
	if err != nil {
		return fmt.Errorf("compiling the SARIF schema: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	var errs []error
	if err := sch.Validate(inst); err != nil {
		errs = append(errs, fmt.Errorf("schema: %v", err))
	}
	for _, p := range githubProblems(data) {
		errs = append(errs, errors.New("github: "+p))
	}
	return errors.Join(errs...)
}

// githubProblems checks what GitHub requires beyond the schema.
func githubProblems(data []byte) []string {
	var probs []string
	bad := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }

	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	if gz.Len() >= maxGzipBytes {
		bad("%d bytes gzip-compressed; the limit is 10 MB", gz.Len())
	}

	var log map[string]any
	if err := json.Unmarshal(data, &log); err != nil {
		return append(probs, "not a JSON object: "+err.Error())
	}
	if s, _ := log["$schema"].(string); s == "" {
		bad("$schema is missing")
	}
	if v, _ := log["version"].(string); v != "2.1.0" {
		bad("version is %q, want \"2.1.0\"", v)
	}
	runs, _ := log["runs"].([]any)
	if len(runs) == 0 || len(runs) > maxRuns {
		bad("%d runs; want 1 to %d", len(runs), maxRuns)
	}
	for ri, r := range runs {
		run, _ := r.(map[string]any)
		at := fmt.Sprintf("runs[%d]", ri)
		driver := object(run, "tool", "driver")
		if s, _ := driver["name"].(string); s == "" {
			bad("%s.tool.driver.name is missing", at)
		}
		ruleList, ok := driver["rules"].([]any)
		if !ok {
			bad("%s.tool.driver.rules is missing", at)
		}
		if len(ruleList) > maxRules {
			bad("%s has %d rules; the limit is %d", at, len(ruleList), maxRules)
		}
		ids := map[string]bool{}
		for i, x := range ruleList {
			probs = append(probs, ruleProblems(fmt.Sprintf("%s.tool.driver.rules[%d]", at, i), x, ids)...)
		}
		results, ok := run["results"].([]any)
		if !ok {
			bad("%s.results is missing or null; GitHub wants it even when empty", at)
		}
		if len(results) > maxResults {
			bad("%s has %d results; the limit is %d", at, len(results), maxResults)
		}
		for i, x := range results {
			probs = append(probs, resultProblems(fmt.Sprintf("%s.results[%d]", at, i), x, ruleList, ids)...)
		}
	}
	walk("", log, func(at, key string, obj map[string]any) {
		if key == "artifactLocation" {
			if uri, _ := obj["uri"].(string); !isURIReference(uri) {
				bad("%s.uri %q is not an RFC 3986 URI reference", at, uri)
			}
		}
		if key != "region" && key != "contextRegion" && key != "deletedRegion" {
			return
		}
		start, hasStart := number(obj, "startLine")
		end, hasEnd := number(obj, "endLine")
		if hasStart && start < 1 {
			bad("%s.startLine is %v; lines start at 1", at, start)
		}
		if hasEnd && hasStart && end < start {
			bad("%s.endLine %v is before startLine %v", at, end, start)
		}
		sc, hasSC := number(obj, "startColumn")
		ec, hasEC := number(obj, "endColumn")
		if hasSC && sc < 1 || hasEC && ec < 1 {
			bad("%s has a column below 1", at)
		}
		if hasSC && hasEC && (!hasEnd || end == start) && ec < sc {
			bad("%s.endColumn %v is before startColumn %v", at, ec, sc)
		}
	})
	return probs
}

func ruleProblems(at string, x any, ids map[string]bool) []string {
	var probs []string
	bad := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	rule, _ := x.(map[string]any)
	id, _ := rule["id"].(string)
	switch {
	case id == "":
		bad("%s.id is missing", at)
	case ids[id]:
		bad("%s.id %q is not unique", at, id)
	}
	ids[id] = true
	if name, _ := rule["name"].(string); utf8.RuneCountInString(name) > maxNameChars {
		bad("%s.name is longer than %d characters", at, maxNameChars)
	}
	for _, key := range []string{"shortDescription", "fullDescription", "help"} {
		text, _ := object(rule, key)["text"].(string)
		if text == "" {
			bad("%s.%s.text is missing", at, key)
		}
		if key != "help" && utf8.RuneCountInString(text) > maxDescribeChars {
			bad("%s.%s.text is longer than %d characters", at, key, maxDescribeChars)
		}
	}
	props := object(rule, "properties")
	if tags, _ := props["tags"].([]any); len(tags) > maxTags {
		bad("%s has %d tags; the limit is %d", at, len(tags), maxTags)
	}
	if v, ok := props["security-severity"]; ok {
		s, isString := v.(string)
		f, err := strconv.ParseFloat(s, 64)
		if !isString || err != nil || f < 0 || f > 10 {
			bad("%s.properties.security-severity is %v; want a string holding 0.0 to 10.0", at, v)
		}
	}
	return probs
}

func resultProblems(at string, x any, ruleList []any, ids map[string]bool) []string {
	var probs []string
	bad := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	res, _ := x.(map[string]any)
	id, _ := res["ruleId"].(string)
	if !ids[id] {
		bad("%s.ruleId %q is not in tool.driver.rules", at, id)
	}
	if i, ok := number(res, "ruleIndex"); ok {
		if i < 0 || int(i) >= len(ruleList) {
			bad("%s.ruleIndex %v is out of range", at, i)
		} else if rid, _ := ruleList[int(i)].(map[string]any)["id"].(string); rid != id {
			bad("%s.ruleIndex %v points at %q, not %q", at, i, rid, id)
		}
	}
	if text, _ := object(res, "message")["text"].(string); text == "" {
		bad("%s.message.text is missing", at)
	}
	locs, _ := res["locations"].([]any)
	if len(locs) == 0 || len(locs) > maxLocations {
		bad("%s has %d locations; want 1 to %d", at, len(locs), maxLocations)
	}
	if len(locs) > 0 {
		loc, _ := locs[0].(map[string]any)
		if uri, _ := object(loc, "physicalLocation", "artifactLocation")["uri"].(string); uri == "" {
			bad("%s.locations[0].physicalLocation.artifactLocation.uri is missing", at)
		}
		if _, ok := object(loc, "physicalLocation")["region"]; !ok {
			bad("%s.locations[0].physicalLocation.region is missing", at)
		}
	}
	return probs
}

// walk calls f for every object in v with the key it is stored under.
func walk(at string, v any, f func(at, key string, obj map[string]any)) {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys) // problems in a stable order
		for _, k := range keys {
			x := v[k]
			path := at + "." + k
			if m, ok := x.(map[string]any); ok {
				f(path, k, m)
			}
			walk(path, x, f)
		}
	case []any:
		for i, x := range v {
			walk(fmt.Sprintf("%s[%d]", at, i), x, f)
		}
	}
}

// isURIReference reports whether s uses only the characters RFC 3986
// allows, with well-formed percent escapes. The schema's uri-reference
// format check is laxer: it lets spaces through.
func isURIReference(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
			i += 2
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("-._~:/?#[]@!$&'()*+,;=", c) >= 0:
		default:
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// object follows keys through nested objects; missing ones give nil, which
// reads as an empty object.
func object(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		m, _ = m[k].(map[string]any)
	}
	return m
}

func number(m map[string]any, key string) (float64, bool) {
	f, ok := m[key].(float64)
	return f, ok
}
