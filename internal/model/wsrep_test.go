package model

import (
	"testing"

	"github.com/tlsvet/tlsvet/internal/source"
)

func TestProviderOptions(t *testing.T) {
	line := `wsrep_provider_options="gcache.size=1G; socket.ssl = no ;;socket.ssl_key=/k.pem;flag"`
	f := source.NewFile("my.cnf", []byte(line))
	eq := len("wsrep_provider_options=")
	o := &Setting{Key: "wsrep_provider_options", Name: "wsrep_provider_options", HasValue: true, Quote: '"',
		Value:     line[eq+1 : len(line)-1],
		KeySpan:   f.Span(0, eq-1),
		ValueSpan: f.Span(eq, len(line))}
	ps := o.ProviderOptions()
	want := []struct{ key, val string }{{"gcache.size", "1G"}, {"socket.ssl", "no"}, {"socket.ssl_key", "/k.pem"}, {"flag", ""}}
	if len(ps) != len(want) {
		t.Fatalf("got %d parameters, want %d: %+v", len(ps), len(want), ps)
	}
	for i, w := range want {
		p := ps[i]
		if p.Key != w.key || p.Value != w.val || p.KeySpan.Text() != w.key || p.ValueSpan.Text() != w.val {
			t.Errorf("parameter %d: got %q=%q spans %q=%q, want %q=%q", i, p.Key, p.Value, p.KeySpan.Text(), p.ValueSpan.Text(), w.key, w.val)
		}
	}
	if ps[3].HasValue {
		t.Error("flag has no '=' but HasValue is true")
	}
	if p := LastProviderOption(ps, "socket.ssl"); p == nil || p.Value != "no" {
		t.Errorf("LastProviderOption(socket.ssl) = %+v", p)
	}
	if LastProviderOption(ps, "socket.ssl_cert") != nil {
		t.Error("found a parameter that is not there")
	}

	// A backslash keeps a ';' inside the value (gu::Config::ESCAPE).
	o.Value = `a=x\;y;b=z`
	if ps := o.ProviderOptions(); len(ps) != 2 || ps[0].Value != `x\;y` || ps[1].Key != "b" {
		t.Errorf("escaped separator: got %+v", ps)
	}

	// An escaped value cannot be mapped byte for byte: spans fall back to the whole value.
	o.Value = `socket.ssl=yes\`
	for _, p := range o.ProviderOptions() {
		if p.KeySpan != o.ValueSpan {
			t.Errorf("inexact value: key span %q, want the whole value", p.KeySpan.Text())
		}
	}
}
