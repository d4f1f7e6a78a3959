package connstr

import (
	"strings"
	"testing"
)

// TestQuoteRoundTrip writes texts with Quote into the middle of a value
// of each container and reads the file back: the reader must decode
// exactly the text. Refusals are allowed; which ones is checked too.
func TestQuoteRoundTrip(t *testing.T) {
	const head, tail = "jdbc:mysql://h/d?x=", "&y=1"
	templates := map[Container][3]string{ // file name, text before the value, text after it
		EnvUnquoted:      {".env", "K=", "\n"},
		EnvDouble:        {".env", "K=\"", "\"\n"},
		EnvSingle:        {".env", "K='", "'\n"},
		PropertiesValue:  {"a.properties", "k=", "\n"},
		YAMLPlain:        {"a.yml", "k: ", "\n"},
		YAMLSingle:       {"a.yml", "k: '", "'\n"},
		YAMLDouble:       {"a.yml", "k: \"", "\"\n"},
		YAMLLiteral:      {"a.yml", "k: |-\n  ", "\n"},
		YAMLFolded:       {"a.yml", "k: >-\n  ", "\n"},
		JSONString:       {"a.json", `{"k": "`, `"}`},
		TOMLBasic:        {"a.toml", `k = "`, "\"\n"},
		TOMLLiteral:      {"a.toml", "k = '", "'\n"},
		TOMLMultiBasic:   {"a.toml", `k = """`, "\"\"\"\n"},
		TOMLMultiLiteral: {"a.toml", "k = '''", "'''\n"},
		GoInterpreted:    {"a.go", "package a\nconst k = \"", "\"\n"},
		GoRaw:            {"a.go", "package a\nconst k = `", "`\n"},
	}
	texts := []string{"plain", `a"b`, "a'b", `a\b`, "a$b", "$$", "a#b", "a #b", "a\nb", "a\tb", "é€𝄞", "a: b",
		"a,b", "x''y", "\x01", "a`b", "''", `\'`, `ends\`, "{a}", " lead", "trail ", "-x", "${X}", "a\r\nb", "'''", `"""`}
	refused := map[Container]int{}
	for c, tpl := range templates {
		for _, text := range texts {
			q, ok := c.Quote(text)
			if !ok {
				refused[c]++
				continue
			}
			src := tpl[1] + head + q + tail + tpl[2]
			r := scan(t, tpl[0], src, nil)
			if len(r.Strings) != 1 || r.Strings[0].Container != c {
				t.Errorf("%v %q: written %q, read %+v, problems %v", c, text, src, r.Strings, r.Problems)
				continue
			}
			if got := r.Strings[0].Value; got != head+text+tail {
				t.Errorf("%v %q: written %q, read back %q", c, text, q, got)
			}
		}
	}
	// Containers that can spell anything refuse nothing.
	for _, c := range []Container{EnvDouble, PropertiesValue, YAMLDouble, JSONString, TOMLBasic, TOMLMultiBasic, GoInterpreted} {
		if refused[c] > 0 {
			t.Errorf("%v refused %d texts", c, refused[c])
		}
	}
	if !strings.Contains(YAMLPlain.String(), "plain") {
		t.Error(YAMLPlain.String())
	}
}
