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
