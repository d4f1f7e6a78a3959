package rules_test

import (
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
)

// TestHandshakeFindingsPointAtTheServer checks that a handshake rule's
// finding points at the client's setting and, as a related location, at
// the server's side (the setting that decides it, or the service that
// declares the server), in every fixture.
func TestHandshakeFindingsPointAtTheServer(t *testing.T) {
	ids := map[string]bool{"TV401": true, "TV402": true, "TV403": true, "TV404": true, "TV407": true}
	checked := 0
	eachFixtureFinding(t, ids, func(p string, d lint.Diagnostic) {
		checked++
		if len(d.Related) == 0 || !d.Related[0].Span.IsValid() || d.Related[0].Span == d.Span ||
			!strings.Contains(d.Related[0].Message, "server") {
			t.Errorf("%s: %s at %s has no related location on the server side: %+v", p, d.RuleID, d.Span, d.Related)
		}
	})
	if checked < 6 {
		t.Errorf("only %d handshake findings checked", checked)
	}
}
