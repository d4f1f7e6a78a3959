package rules_test

import (
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tlsvet/tlsvet/internal/lint"
)

// TestHandshakeFindingsPointAtTheServer checks that a handshake rule's
// finding points at the client's setting and, as a related location, at
// the server's side (the setting that decides it, the service that
// declares the server, or the MySQL Router route whose TLS the client
// meets), in every fixture.
func TestHandshakeFindingsPointAtTheServer(t *testing.T) {
	ids := map[string]bool{"TV401": true, "TV402": true, "TV403": true, "TV404": true, "TV407": true}
	checked := 0
	eachFixtureFinding(t, ids, func(p string, d lint.Diagnostic) {
		checked++
		if len(d.Related) == 0 || !d.Related[0].Span.IsValid() || d.Related[0].Span == d.Span ||
			!strings.Contains(d.Related[0].Message, "server") && !strings.Contains(d.Related[0].Message, "MySQL Router") {
			t.Errorf("%s: %s at %s has no related location on the server side: %+v", p, d.RuleID, d.Span, d.Related)
		}
	})
	if checked < 6 {
		t.Errorf("only %d handshake findings checked", checked)
	}
}

// TestRouterFindingsPointAtClientSSLMode checks that a handshake finding
// on a connection through a MySQL Router route (the router-*.txtar
// fixtures) has Router's client_ssl_mode value as a related location, and
// that a PASSTHROUGH route's finding has the server behind it first.
func TestRouterFindingsPointAtClientSSLMode(t *testing.T) {
	ids := map[string]bool{"TV401": true, "TV402": true, "TV403": true, "TV404": true, "TV407": true}
	checked := 0
	eachFixtureFinding(t, ids, func(p string, d lint.Diagnostic) {
		if !strings.HasPrefix(filepath.Base(p), "router-") {
			return
		}
		if path.Base(d.Span.File.Path) == "mysqlrouter.conf" {
			// Router's own leg to a server: Router is the client, and the
			// related location is the server's setting.
			if len(d.Related) == 0 || !strings.HasPrefix(d.Related[0].Message, "the server's ") {
				t.Errorf("%s: %s on Router's own leg does not point at the server: %+v", p, d.RuleID, d.Related)
			}
			return
		}
		checked++
		var mode string
		for _, r := range d.Related {
			if strings.HasPrefix(r.Message, "MySQL Router's client_ssl_mode ([routing:") && strings.Contains(r.Message, "], compose service router)") {
				mode = r.Span.Text()
			}
		}
		switch {
		case mode == "":
			t.Errorf("%s: %s has no related location on Router's client_ssl_mode: %+v", p, d.RuleID, d.Related)
		case mode == "PASSTHROUGH" && (len(d.Related) != 2 || !strings.Contains(d.Related[0].Message, "PASSTHROUGH to the compose service db")):
			t.Errorf("%s: %s through a PASSTHROUGH route does not point at the server behind it first: %+v", p, d.RuleID, d.Related)
		}
	})
	if checked < 4 {
		t.Errorf("only %d findings through MySQL Router checked", checked)
	}
}
