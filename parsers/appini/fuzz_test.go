package appini

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tlsvet/tlsvet/internal/source"
)

// FuzzParse checks, for every file kind, that Parse never panics, that
// every span lies in the file, that entries come in file order with the
// value after the key, that spans inside a value stay inside it, and that
// no secret value is kept.
func FuzzParse(f *testing.F) {
	for k, s := range torture {
		f.Add(byte(k), []byte(s))
	}
	for _, s := range []string{
		"", "[", "[]", "=", "[a]\n=\n", "k", "[routing:x]\nclient_ssl_key=/k\n", "\xef\xbb\xbf[database]\nssl_mode=true\n",
		"[database]\nk=`\n", "[database]\nk=\"\"\"\n\"\"\" \\\n", "k=a\\", "[a]\npwd=x\\\n y\n", "[DEFAULT:k]\n", "[routing:]\n",
	} {
		for k := ODBC; k <= Gitea; k++ {
			f.Add(byte(k), []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, kind byte, b []byte) {
		k := Kind(1 + int(kind)%4)
		file := source.NewFile("f", b)
		r := Parse(file, k)
		in := func(what string, s source.Span) {
			if s.File != file || s.Start < 0 || s.Start > s.End || s.End > len(b) {
				t.Fatalf("%v: %s span %d-%d out of the file (len %d)", k, what, s.Start, s.End, len(b))
			}
		}
		for _, p := range r.Problems {
			in("problem", p.Span)
		}
		for _, s := range r.Sections {
			in("header", s.Header)
		}
		prev := -1
		for i := range r.Entries {
			e := &r.Entries[i]
			in("key", e.KeySpan)
			in("value", e.ValueSpan)
			if e.KeySpan.Start <= prev || e.ValueSpan.Start < e.KeySpan.End {
				t.Fatalf("%v: entry %d out of order: key %v value %v", k, i, e.KeySpan, e.ValueSpan)
			}
			prev = e.KeySpan.Start
			if e.Secret && e.Value != "" {
				t.Fatalf("%v: secret value kept", k)
			}
			for d := 0; d <= len(e.Value); d++ {
				s := e.Span(0, d)
				if s.Start < e.ValueSpan.Start || s.End > e.ValueSpan.End || s.Start > s.End {
					t.Fatalf("%v: %s: Span(0, %d) = %v outside %v", k, e.Key, d, s, e.ValueSpan)
				}
			}
		}
		for _, rt := range r.Routes {
			for _, p := range rt.Stops {
				in("stop", p.Span)
			}
		}
		if r.Database != nil {
			for _, p := range r.Database.Stops {
				in("stop", p.Span)
			}
		}
	})
}

// TestHostile checks the costs stay linear in the size of the file.
func TestHostile(t *testing.T) {
	for name, c := range map[string]struct {
		k  Kind
		in string
	}{
		"long line":             {Grafana, "[database]\nssl_mode=" + strings.Repeat("a", 10<<20)},
		"long router line":      {Router, "[routing]\nclient_ssl_mode=" + strings.Repeat("a", 10<<20)},
		"many sections":         {ODBC, strings.Repeat("[s]\nSSLMODE=REQUIRED\n[t]\nDriver=MySQL\n", 1<<17)},
		"many distinct":         {Router, "[DEFAULT]\nclient_ssl_cert=/c\n" + strings.Repeat("[routing:r]\nserver_ssl_mode=DISABLED\n", 1<<16)},
		"unclosed quotes":       {Gitea, "[database]\n" + strings.Repeat("k=`\n", 1<<18)},
		"long continuation":     {Grafana, "[database]\nk=" + strings.Repeat("ab\\\n  ", 1<<18)},
		"many keys":             {Gitea, "[database]\n" + strings.Repeat("SSL_MODE=true\n", 1<<18)},
		"many distinct keys":    {ODBC, "[d]\n" + manyKeys(1<<17)},
		"many unknown sections": {Grafana, strings.Repeat("[a]\nk=v\n[b]\n", 1<<17)},
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			r := Parse(source.NewFile("f", []byte(c.in)), c.k)
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
			if len(r.Entries) == 0 && len(r.Problems) == 0 {
				t.Error("read nothing")
			}
		})
	}
}

func manyKeys(n int) string {
	var sb strings.Builder
	for i := range n {
		sb.WriteString("k" + strconv.Itoa(i) + "=v\n")
	}
	return sb.String()
}
