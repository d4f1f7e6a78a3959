package dsn

import (
	"slices"
	"strings"
)

// splitQuery splits s[start:end] into key=value parameters on sep. Spans
// cover the raw bytes; decode turns raw text into what the driver reads
// (and reports false when the driver would reject it: the raw text is
// then kept). A piece without '=' is kept with an empty value only when
// keepBare is set (Java drivers read "useSsl" alone as set; the Go driver
// skips it).
func splitQuery(s string, start, end int, sep byte, decode func(string) (string, bool), keepBare bool) []Param {
	var ps []Param
	for pos := start; pos <= end; {
		next := strings.IndexByte(s[pos:end], sep)
		stop := end
		if next >= 0 {
			stop = pos + next
		}
		piece := s[pos:stop]
		eq := strings.IndexByte(piece, '=')
		if piece != "" && (eq >= 0 || keepBare) {
			p := Param{KeySpan: Span{pos, pos + len(piece)}, ValueSpan: Span{stop, stop}, raw: Span{pos, stop}}
			if eq >= 0 {
				p.KeySpan.End = pos + eq
				p.ValueSpan = Span{pos + eq + 1, stop}
			}
			p.Key = decodeOr(decode, p.KeySpan.Text(s))
			if isSecretKey(p.Key) {
				p.Secret = true
			} else {
				p.setValue(p.ValueSpan.Text(s), decodeOr(decode, p.ValueSpan.Text(s)))
			}
			ps = append(ps, p)
		}
		if next < 0 {
			break
		}
		pos = stop + 1
	}
	return ps
}

func decodeOr(decode func(string) (string, bool), raw string) string {
	if v, ok := decode(raw); ok {
		return v
	}
	return raw
}

// formDecode is application/x-www-form-urlencoded decoding: '+' is a space
// and %XX a byte. Java's URLDecoder.decode and Python's unquote_plus both
// read it so; an invalid escape makes Java throw (Connector/J then keeps
// the raw text, StringUtils.safeDecode) and Python keep the '%', so false
// (keep raw) serves both.
func formDecode(s string) (string, bool) {
	if !strings.ContainsAny(s, "%+") {
		return s, true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b.WriteByte(' ')
		case c == '%':
			if i+2 >= len(s) || unhex(s[i+1]) < 0 || unhex(s[i+2]) < 0 {
				return s, false
			}
			b.WriteByte(byte(unhex(s[i+1])<<4 | unhex(s[i+2])))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// urlParts are the spans of scheme://[user[:password]@]hosts[/path][?query].
type urlParts struct {
	hosts      Span
	path       Span
	query      Span
	hasQuery   bool
	user, pass Span
	hasUser    bool
	hasPass    bool
}

// splitURL splits s after the "//" at offset auth. The userinfo ends at
// the last '@' before the path, so a password may hold '@' (both
// Connector/J's and SQLAlchemy's patterns are greedy there).
func splitURL(s string, auth int) urlParts {
	var u urlParts
	end := len(s)
	if q := strings.IndexByte(s[auth:], '?'); q >= 0 {
		u.query, u.hasQuery = Span{auth + q + 1, end}, true
		end = auth + q
	}
	rest := s[auth:end]
	search := strings.LastIndexByte(rest, '@') + 1
	if search < len(rest) && rest[search] == '(' {
		// A parenthesised socket path (MySQL Shell) holds '/'.
		if e := strings.IndexByte(rest[search:], ')'); e >= 0 {
			search += e
		}
	}
	pathAt := len(rest)
	if sl := strings.IndexByte(rest[search:], '/'); sl >= 0 {
		pathAt = search + sl
	}
	authority := rest[:pathAt]
	u.path = Span{auth + pathAt, end}
	hostStart := 0
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		u.hasUser = true
		u.user = Span{auth, auth + at}
		if c := strings.IndexByte(authority[:at], ':'); c >= 0 {
			u.user.End = auth + c
			u.pass, u.hasPass = Span{auth + c + 1, auth + at}, true
		}
		hostStart = at + 1
	}
	u.hosts = Span{auth + hostStart, auth + pathAt}
	return u
}

// urlTarget sets the target from the first host of a host list.
func (d *DSN) urlTarget(s string, hosts Span) {
	h := hosts.Text(s)
	if c := strings.IndexByte(h, ','); c >= 0 {
		h = h[:c]
	}
	base := hosts.Start
	host := h
	if strings.HasPrefix(h, "[") {
		if e := strings.IndexByte(h, ']'); e >= 0 {
			host = h[:e+1]
		}
	} else if c := strings.LastIndexByte(h, ':'); c >= 0 {
		host = h[:c]
	}
	if len(host) < len(h) && h[len(host)] == ':' {
		d.Target.Port, d.Target.PortSpan = h[len(host)+1:], Span{base + len(host) + 1, base + len(h)}
	}
	d.Target.Host, d.Target.HostSpan = host, Span{base, base + len(host)}
}

// urlUser records the userinfo of u.
func (d *DSN) urlUser(s string, u urlParts) {
	if u.hasUser {
		d.User = &Value{Text: decodeOr(formDecode, u.user.Text(s)), Span: u.user, Param: -1}
	}
	if u.hasPass {
		d.Password, d.HasPassword = u.pass, true
	}
}

// layout records what SetModeEdits needs to edit s: each parameter's
// removal span (its bytes and one adjacent separator: the preceding one,
// or the following one for the first parameter) and where a new parameter
// goes: at the end, after sep, or after open when s has no parameter part
// yet (region < 0; region is the offset where that part starts).
func (d *DSN) layout(s string, sep byte, region int, open string) {
	for i := range d.Params {
		c := &d.Params[i].cut
		*c = d.Params[i].raw
		switch {
		case c.Start > 0 && s[c.Start-1] == sep:
			c.Start--
		case c.End < len(s) && s[c.End] == sep:
			c.End++
		}
	}
	d.ins.at = len(s)
	switch {
	case region < 0:
		d.ins.prefix = open
	case region >= len(s) || s[len(s)-1] == sep:
		d.ins.prefix = ""
	default:
		d.ins.prefix = string(sep)
	}
}

// parseURL is the part every scheme://user:password@hosts/db?query dialect
// shares: the scheme (one of schemes, any case), the userinfo, the first
// host, and the query split on '&' with decode.
func parseURL(dialect Dialect, s string, schemes []string, decode func(string) (string, bool), keepBare bool) (*DSN, error) {
	i := strings.Index(s, "://")
	if i < 0 || !slices.ContainsFunc(schemes, func(sc string) bool { return strings.EqualFold(s[:i], sc) }) {
		return nil, ErrSyntax
	}
	d := &DSN{Dialect: dialect}
	u := splitURL(s, i+3)
	d.urlUser(s, u)
	d.urlTarget(s, u.hosts)
	region := -1
	if u.hasQuery {
		d.Params = splitQuery(s, u.query.Start, u.query.End, '&', decode, keepBare)
		region = u.query.Start
	}
	d.layout(s, '&', region, "?")
	return d, nil
}
