package appini

import (
	"strings"

	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/dsn"
)

// DataSource is one ODBC data source section.
type DataSource struct {
	Name   string
	Header source.Span
	Params []*Entry // the section's entries in file order, repeated sections merged
	// MySQL: the Driver names MySQL Connector/ODBC (a name or library path
	// containing "mysql" or "myodbc"), or there is no Driver and the
	// section sets SSLMODE. Client is filled only for MySQL data sources.
	MySQL  bool
	Client Client
}

// dataSources reads the data source sections of an ODBC file: every
// section but [ODBC Data Sources] (a list of names) and [ODBC] (driver
// manager settings).
func (f *File) dataSources() []DataSource {
	var out []DataSource
	var secs []int      // the canonical section of each data source
	at := map[int]int{} // canonical section -> index in out
	for i, s := range f.Sections {
		if n := strings.ToLower(s.Name); n == "odbc data sources" || n == "odbc" {
			continue
		}
		if c := f.canonSection(i); c == i {
			at[i] = len(out)
			out = append(out, DataSource{Name: s.Name, Header: s.Header})
			secs = append(secs, i)
		}
	}
	for i := range f.Entries {
		e := &f.Entries[i]
		if j, ok := at[f.canonSection(e.Section)]; ok && e.Section >= 0 {
			out[j].Params = append(out[j].Params, e)
		}
	}
	for j := range out {
		ds, sec := &out[j], secs[j]
		drv := f.get(sec, "Driver")
		mode := f.odbcPair(sec, "SSLMODE", "SSL-MODE")
		if drv != nil {
			d := strings.ToLower(drv.Value)
			ds.MySQL = strings.Contains(d, "mysql") || strings.Contains(d, "myodbc")
		} else {
			ds.MySQL = mode != nil
		}
		if ds.MySQL {
			ds.Client = f.odbcClient(sec, mode)
		}
	}
	return out
}

// odbcPair returns the entry of key or its alias that the driver reads,
// reporting a section that sets both: Connector/ODBC's installer.h lists
// the two spellings as one option, and which one wins is not documented.
func (f *File) odbcPair(sec int, key, alias string) *Entry {
	a, b := f.get(sec, key), f.get(sec, alias)
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	later := a
	if b.KeySpan.Start > a.KeySpan.Start {
		later = b
	}
	f.problem(later.KeySpan, false, "both %s and %s are set: which one Connector/ODBC reads is not documented", key, alias)
	return later
}

// odbcClient reads MySQL Connector/ODBC's TLS keys (driver/connect.cc):
// SSLMODE compared case-insensitively, an unknown value ignored, and the
// client library's default, PREFERRED, when none applies.
func (f *File) odbcClient(sec int, mode *Entry) Client {
	var c Client
	c.CA = f.odbcPair(sec, "SSLCA", "SSL-CA")
	c.CAPath = f.odbcPair(sec, "SSLCAPATH", "SSL-CAPATH")
	c.Cert = f.odbcPair(sec, "SSLCERT", "SSL-CERT")
	c.Key = f.odbcPair(sec, "SSLKEY", "SSL-KEY")
	c.Ciphers = f.odbcPair(sec, "SSLCIPHER", "SSL-CIPHER")
	c.Protocols = f.get(sec, "TLS-VERSIONS")
	c.set(dsn.Preferred, dsn.DriverDefault, nil)
	if mode == nil {
		if v := f.get(sec, "SSLVERIFY"); v != nil {
			c.Note = "SSLVERIFY is ignored by drivers built on MySQL client libraries 8.0.3 and later"
		}
		return c
	}
	if m, ok := modeNames[strings.ToUpper(mode.Value)]; ok {
		c.set(m, dsn.Explicit, mode)
		return c
	}
	c.Note = "unknown " + strings.ToUpper(mode.Key) + " value ignored: the default PREFERRED applies"
	f.problem(mode.ValueSpan, false, "Connector/ODBC ignores this %s value and uses PREFERRED", strings.ToUpper(mode.Key))
	return c
}
