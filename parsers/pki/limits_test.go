package pki

import (
	"bytes"
	"testing"
	"time"
)

// TestLinear reads 20 MB "PEM" files built to make a naive reader
// quadratic (every BEGIN searching to the end of the file for its END)
// under a time bound a quadratic reader would miss by hours.
func TestLinear(t *testing.T) {
	const size = 20 << 20
	fill := func(head, unit, tail string) []byte {
		b := bytes.NewBufferString(head)
		for b.Len() < size {
			b.WriteString(unit)
		}
		b.WriteString(tail)
		return b.Bytes()
	}
	for _, tc := range []struct {
		name string
		in   []byte
		want ProblemKind
	}{
		{"BEGIN lines without END", fill("", "-----BEGIN CERTIFICATE-----\n", ""), Truncated},
		{"BEGIN lines, one END at the end", fill("", "-----BEGIN CERTIFICATE-----\n", "-----END CERTIFICATE-----\n"), Truncated},
		{"BEGIN lines without dashes", fill("", "-----BEGIN CERTIFICATE\n", ""), Malformed},
		{"bad blocks", fill("", "-----BEGIN A-----\n!!\n-----END A-----\n", ""), Malformed},
		{"END marks inside lines", fill("-----BEGIN A-----\n", "x-----END A-----", "\n"), Truncated},
		{"one long line", fill("-----BEGIN CERTIFICATE-----\n", "AAAA", "\n-----END CERTIFICATE-----\n"), Unparseable},
		{"garbage", fill("", "\x00\xff-----", ""), NoPEM},
	} {
		start := time.Now()
		f := read("big.pem", tc.in)
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: %v for %d MB", tc.name, d, len(tc.in)>>20)
		}
		if len(f.Problems) == 0 || f.Problems[0].Kind != tc.want {
			n := min(len(f.Problems), 1)
			t.Errorf("%s: problems %v, want kind %d first", tc.name, f.Problems[:n], tc.want)
		}
	}
}
