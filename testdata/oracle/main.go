// Command goprobe connects once to a MySQL or MariaDB server with
// github.com/go-sql-driver/mysql and prints what it saw on one line:
//
//	ok TLSv1.3 TLS_AES_128_GCM_SHA256   a TLS session (the server's Ssl_version and Ssl_cipher)
//	ok                                  a plaintext session
//	no-tls | alert TEXT | verify TEXT | local TEXT | error NUMBER
//
// Usage: goprobe [-ca FILE] [-servername NAME] [-min V] [-max V] [-ciphers A,B] DSN
//
// Any flag registers a tls.Config named "custom" for the DSN's tls=custom.
// It is the tlsvet oracle suite's Go client (internal/oracle), in a module
// of its own so that tlsvet's go.mod does not gain the driver.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

var versions = map[string]uint16{
	"TLSv1": tls.VersionTLS10, "TLSv1.1": tls.VersionTLS11, "TLSv1.2": tls.VersionTLS12, "TLSv1.3": tls.VersionTLS13,
}

func main() {
	ca := flag.String("ca", "", "PEM file of the CAs to trust (RootCAs)")
	serverName := flag.String("servername", "", "the name to verify instead of the DSN's host")
	minV := flag.String("min", "", "MinVersion: TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3")
	maxV := flag.String("max", "", "MaxVersion")
	ciphers := flag.String("ciphers", "", "CipherSuites, Go's names (TLS 1.2 and below only)")
	flag.Parse()
	if flag.NArg() != 1 {
		fail("usage: goprobe [flags] DSN")
	}
	cfg := &tls.Config{ServerName: *serverName, MinVersion: versions[*minV], MaxVersion: versions[*maxV]}
	if *ca != "" {
		pem, err := os.ReadFile(*ca)
		if err != nil {
			fail(err.Error())
		}
		cfg.RootCAs = x509.NewCertPool()
		if !cfg.RootCAs.AppendCertsFromPEM(pem) {
			fail(*ca + " holds no certificate")
		}
	}
	if *ciphers != "" {
		for _, name := range strings.Split(*ciphers, ",") {
			id, ok := suiteID(name)
			if !ok {
				fail("unknown cipher suite " + name)
			}
			cfg.CipherSuites = append(cfg.CipherSuites, id)
		}
	}
	if err := mysql.RegisterTLSConfig("custom", cfg); err != nil {
		fail(err.Error())
	}
	fmt.Println(probe(flag.Arg(0)))
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "goprobe:", msg)
	os.Exit(2)
}

func suiteID(name string) (uint16, bool) {
	for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		if s.Name == name {
			return s.ID, true
		}
	}
	return 0, false
}

func probe(dsn string) string {
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		fail(err.Error())
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var version, cipher string
	rows, err := db.QueryContext(ctx, "SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_version','Ssl_cipher')")
	if err != nil {
		return classify(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return classify(err)
		}
		if k == "Ssl_version" {
			version = v
		} else {
			cipher = v
		}
	}
	if err := rows.Err(); err != nil {
		return classify(err)
	}
	return strings.TrimSpace("ok " + version + " " + cipher)
}

// classify names the layer that refused: the server's error packet, a
// server without TLS, a certificate that did not verify, an alert from
// the server, or the client's own TLS stack.
func classify(err error) string {
	var me *mysql.MySQLError
	var ve *tls.CertificateVerificationError
	switch {
	case errors.As(err, &me):
		return fmt.Sprintf("error %d", me.Number)
	case errors.Is(err, mysql.ErrNoTLS):
		return "no-tls"
	case errors.As(err, &ve):
		// "x509: certificate has expired or is not yet valid: current
		// time … is after …": the times vary from run to run.
		msg, _, _ := strings.Cut(ve.Err.Error(), ": current time")
		return "verify " + strings.TrimPrefix(msg, "x509: ")
	}
	msg := err.Error()
	if s, ok := strings.CutPrefix(msg, "remote error: tls: "); ok {
		return "alert " + s
	}
	return "local " + strings.TrimPrefix(msg, "tls: ")
}
