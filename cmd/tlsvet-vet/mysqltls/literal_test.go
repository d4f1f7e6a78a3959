package mysqltls

import (
	"slices"
	"testing"
)

func TestLiteralOffsets(t *testing.T) {
	for _, tc := range []struct {
		lit  string
		want []int
	}{
		{`"ab"`, []int{1, 2, 3}},
		{`"a\x41b"`, []int{1, 2, 6, 7}},
		{`"\u00e9b"`, []int{1, -1, 7, 8}},
		{`"éb"`, []int{1, -1, 3, 4}},
		{"`a\r\nb`", []int{1, 3, 4, 5}}, // raw strings drop carriage returns
		{`"a\"`, nil},                   // malformed
	} {
		if got := literalOffsets(tc.lit); !slices.Equal(got, tc.want) {
			t.Errorf("literalOffsets(%q) = %v, want %v", tc.lit, got, tc.want)
		}
	}
}

func TestFormatVerbs(t *testing.T) {
	for _, tc := range []struct {
		f, want string
		verbs   int
		ok      bool
	}{
		{"%s@tcp(%s)/db?tls=true", "XX@tcp(XX)/db?tls=true", 2, true},
		{"%[2]s:%-4d/%v", "XXXXX:XXXX/XX", 3, true},
		{"a%%b", "", 0, false},
		{"a%", "", 0, false},
	} {
		got, verbs, ok := formatVerbs(tc.f)
		if got != tc.want || len(verbs) != tc.verbs || ok != tc.ok {
			t.Errorf("formatVerbs(%q) = %q, %d verbs, %v; want %q, %d, %v", tc.f, got, len(verbs), ok, tc.want, tc.verbs, tc.ok)
		}
	}
}
