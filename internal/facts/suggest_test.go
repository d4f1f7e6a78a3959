package facts

import (
	"strings"
	"testing"
)

// TestSuggestLongToken: a token far longer than any cipher name is never
// compared by edit distance (each comparison costs its length times the
// name's, which made 4 KB tokens take seconds), and typos still are.
func TestSuggestLongToken(t *testing.T) {
	calls := 0
	defer func(f func(a, b string) int) { distance = f }(distance)
	inner := distance
	distance = func(a, b string) int { calls++; return inner(a, b) }

	if got := SuggestCipher(strings.Repeat("ECDHE-RSA-", 410)); got != "" {
		t.Errorf("SuggestCipher(4 KB) = %q, want none", got)
	}
	if calls != 0 {
		t.Errorf("SuggestCipher(4 KB) computed %d edit distances, want 0", calls)
	}
	if got := SuggestCipher("ECDHE-RSA-AES128-GCM-SHA265"); got != "ECDHE-RSA-AES128-GCM-SHA256" || calls == 0 {
		t.Errorf("SuggestCipher(typo) = %q after %d edit distances", got, calls)
	}
}

func BenchmarkSuggestCipher4K(b *testing.B) {
	tok := strings.Repeat("ECDHE-RSA-", 410)
	for b.Loop() {
		SuggestCipher(tok)
	}
}
