package connstr

import (
	"strings"

	"github.com/tlsvet/tlsvet/parsers/envfile"
	"github.com/tlsvet/tlsvet/parsers/properties"
)

// urlKeys are keys whose value is a connection URL whatever its scheme
// says: Spring's (https://docs.spring.io/spring-boot/appendix/application-properties/index.html#appendix.application-properties.data)
// and their environment-variable spellings under Spring's relaxed binding.
var urlKeys = map[string]bool{
	"spring.datasource.url": true, "spring.r2dbc.url": true,
	"SPRING_DATASOURCE_URL": true, "SPRING_R2DBC_URL": true,
}

func (s *scanner) envFile() {
	r := envfile.Parse(s.f)
	for _, p := range r.Problems {
		s.res.Problems = append(s.res.Problems, Problem{Span: p.Span, Msg: p.Msg})
	}
	for i := range r.Entries {
		e := &r.Entries[i]
		if !e.HasValue {
			continue
		}
		c := EnvUnquoted
		switch e.Quote {
		case '"':
			c = EnvDouble
		case '\'':
			c = EnvSingle
		}
		s.consider(value{key: e.Key, keySpan: e.KeySpan, text: e.Value, span: e.ValueSpan, c: c,
			m: e.Map(), refs: fromEnvfile(e.Refs), byKey: urlKeys[e.Key]})
	}
}

func (s *scanner) properties(spring bool) {
	r := properties.Parse(s.f)
	for _, p := range r.Problems {
		s.res.Problems = append(s.res.Problems, Problem{Span: p.Span, Msg: p.Msg})
	}
	for i := range r.Entries {
		e := &r.Entries[i]
		s.consider(value{key: e.Key, keySpan: e.KeySpan, text: e.Value, span: e.ValueSpan, c: PropertiesValue,
			m: e.ValueMap(), spring: spring, byKey: spring && urlKeys[strings.ToLower(e.Key)]})
	}
}
