package pki

import (
	"bytes"
	"crypto/sha1"
	"encoding/asn1"
	"encoding/binary"
	"errors"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// NameHash is OpenSSL's X509_NAME_hash of a DER-encoded name (the
// certificate's RawSubject or RawIssuer): the first four bytes of the
// SHA-1 of the name's canonical encoding, read little-endian. It names
// the files of a hashed directory (ssl_capath: "<hash>.0"; ssl_crlpath:
// "<hash>.r0"), which OpenSSL's directory lookup opens by that name alone
// (https://docs.openssl.org/3.0/man1/openssl-rehash/).
//
// The canonical encoding is x509_name_canon in crypto/x509/x_name.c
// (https://github.com/openssl/openssl/blob/openssl-3.0.0/crypto/x509/x_name.c):
// each relative distinguished name re-encoded as a DER SET without the
// outer SEQUENCE, every string value of a text type converted to a
// UTF8String, trimmed, its runs of white space made one space and its
// ASCII letters lower-cased (asn1_string_canon), so that names differing
// only in case, spacing or string type hash alike.
func NameHash(der []byte) (uint32, error) {
	canon, err := canonicalName(der)
	if err != nil {
		return 0, err
	}
	sum := sha1.Sum(canon)
	return binary.LittleEndian.Uint32(sum[:4]), nil
}

type attribute struct {
	Type  asn1.ObjectIdentifier
	Value asn1.RawValue
}

var (
	errTrailing  = errors.New("trailing data after the name")
	errBadString = errors.New("a name's string value cannot be converted to UTF-8")
)

func canonicalName(der []byte) ([]byte, error) {
	var rdns []asn1.RawValue
	rest, err := asn1.Unmarshal(der, &rdns)
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, errTrailing
	}
	var out []byte
	for _, rdn := range rdns {
		var atvs []asn1.RawValue
		if _, err := asn1.UnmarshalWithParams(rdn.FullBytes, &atvs, "set"); err != nil {
			return nil, err
		}
		encs := make([][]byte, 0, len(atvs))
		for _, raw := range atvs {
			var a attribute
			if _, err := asn1.Unmarshal(raw.FullBytes, &a); err != nil {
				return nil, err
			}
			v := a.Value.FullBytes
			s, ok, err := canonicalString(a.Value)
			if err != nil {
				return nil, err
			}
			if ok {
				if v, err = asn1.Marshal(asn1.RawValue{Tag: asn1.TagUTF8String, Bytes: []byte(s)}); err != nil {
					return nil, err
				}
			}
			oid, err := asn1.Marshal(a.Type)
			if err != nil {
				return nil, err
			}
			enc, err := asn1.Marshal(asn1.RawValue{Tag: asn1.TagSequence, IsCompound: true, Bytes: append(oid, v...)})
			if err != nil {
				return nil, err
			}
			encs = append(encs, enc)
		}
		// DER orders the members of a SET OF by their encodings, as
		// OpenSSL's encoder does (der_cmp in crypto/asn1/tasn_enc.c).
		sort.Slice(encs, func(i, j int) bool { return bytes.Compare(encs[i], encs[j]) < 0 })
		set, err := asn1.Marshal(asn1.RawValue{Tag: asn1.TagSet, IsCompound: true, Bytes: bytes.Join(encs, nil)})
		if err != nil {
			return nil, err
		}
		out = append(out, set...)
	}
	return out, nil
}

// canonicalString returns the canonical text of a string value of one of
// the types OpenSSL canonicalises (ASN1_MASK_CANON: UTF8String,
// BMPString, UniversalString, PrintableString, T61String, IA5String,
// VisibleString), and false for any other value, which is kept as it is.
// A value OpenSSL cannot convert to UTF-8 fails the hash, as it does there.
func canonicalString(v asn1.RawValue) (string, bool, error) {
	if v.Class != asn1.ClassUniversal || v.IsCompound {
		return "", false, nil
	}
	var s string
	switch v.Tag {
	case asn1.TagUTF8String:
		s = string(v.Bytes)
	case asn1.TagPrintableString, asn1.TagIA5String, 26, asn1.TagT61String: // 26: VisibleString
		// One byte a character (tag2nbyte in crypto/asn1/a_strex.c),
		// so a byte above 0x7f is a Latin-1 letter.
		r := make([]rune, len(v.Bytes))
		for i, b := range v.Bytes {
			r[i] = rune(b)
		}
		s = string(r)
	case asn1.TagBMPString:
		if len(v.Bytes)%2 != 0 {
			return "", false, errBadString
		}
		u := make([]uint16, len(v.Bytes)/2)
		for i := range u {
			u[i] = binary.BigEndian.Uint16(v.Bytes[2*i:])
		}
		s = string(utf16.Decode(u))
	case 28: // UniversalString
		if len(v.Bytes)%4 != 0 {
			return "", false, errBadString
		}
		var b strings.Builder
		for i := 0; i < len(v.Bytes); i += 4 {
			b.WriteRune(rune(binary.BigEndian.Uint32(v.Bytes[i:])))
		}
		s = b.String()
	default:
		return "", false, nil
	}
	if !utf8.ValidString(s) {
		return "", false, errBadString
	}
	return canonicalText(s), true, nil
}

// canonicalText is asn1_string_canon's folding: leading and trailing
// white space dropped, inner runs made one space, ASCII letters
// lower-cased, other bytes kept.
func canonicalText(s string) string {
	isSpace := func(c byte) bool { return c == ' ' || c >= '\t' && c <= '\r' }
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	var b strings.Builder
	for k := i; k < j; k++ {
		c := s[k]
		switch {
		case c >= 0x80:
			b.WriteByte(c)
		case isSpace(c):
			b.WriteByte(' ')
			for k+1 < j && isSpace(s[k+1]) {
				k++
			}
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
