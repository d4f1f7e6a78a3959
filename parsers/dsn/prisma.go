package dsn

// Prisma's built-in MySQL engine (datasource provider = "mysql"), a plain
// mysql:// URL read by quaint's MysqlUrl::parse_query_params
// (https://github.com/prisma/prisma-engines/blob/main/quaint/src/connector/mysql/url.rs;
// docs https://www.prisma.io/docs/orm/overview/databases/mysql): query
// pairs are form-decoded (url::Url::query_pairs) and matched exactly;
// other keys are discarded. sslcert is the server's CA (with_root_cert_path),
// sslidentity a PKCS#12 client identity, sslpassword its password. Any of
// the four ssl keys turns TLS on with danger_accept_invalid_certs(true);
// only sslaccept=strict verifies, and once seen it stays (a later
// accept_invalid_certs does not undo it); an unknown sslaccept value is
// logged and read as accept_invalid_certs. No ssl key: no TLS.

var prismaKeys = []string{
	"sslcert", "sslidentity", "sslpassword", "sslaccept", "socket", "connection_limit", "statement_cache_size",
	"socket_timeout", "prefer_socket", "connect_timeout", "pool_timeout", "max_connection_lifetime",
	"max_idle_connection_lifetime",
}

func parsePrisma(s string) (*DSN, error) {
	d, err := parseURL(Prisma, s, []string{"mysql"}, formDecode, true)
	if err != nil {
		return nil, err
	}
	d.markKeys(prismaKeys, false, Ignored)
	d.noteUnresolved()
	c := &d.Client
	c.CA, c.Cert = d.value(d.find("sslcert")), d.value(d.find("sslidentity"))
	if d.find("socket") >= 0 {
		d.Target.Transport = Unix
	}
	d.setMode(Disabled, DriverDefault, -1)
	if i := d.find("sslcert", "sslidentity", "sslpassword", "sslaccept"); i >= 0 {
		d.setMode(Required, Derived, i)
	}
	strict := -1
	for i, p := range d.Params {
		if p.Key != "sslaccept" {
			continue
		}
		switch {
		case d.unresolved(i):
			d.setMode(ModeUnknown, Explicit, i)
			return d, nil
		case p.Value == "strict":
			strict = i
		case p.Value == "accept_invalid_certs":
			d.setMode(Required, Explicit, i)
		default:
			d.trap(BadValue, Misread, i, "strict")
		}
	}
	if strict >= 0 {
		d.setMode(VerifyIdentity, Explicit, strict)
	}
	if c.CA != nil && c.Mode == Required {
		d.trap(Unused, Ignored, c.CA.Param, "sslaccept=strict")
		c.Note = "sslcert is loaded and not verified without sslaccept=strict"
	}
	return d, nil
}
