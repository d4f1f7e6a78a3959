package yamlconf

// The library is not safe on untrusted input of the loader's maximum
// size (4 MiB). Measured with go.yaml.in/yaml/v4 v4.0.0 (total bytes
// allocated while loading into a yaml.Node): a one-line flow mapping
// "{a: b, a: b, …}" of 4 MiB allocates 2.8 GB, a flow sequence of 256 KiB
// 155 MB (about 1.8 KB per item), and block collections about 200 bytes
// per node (1.2 GB for a 4 MiB block mapping), before this package adds
// its own nodes. precheck is a linear scan that estimates the nodes a
// file makes and refuses the file, before the library sees it, when they
// exceed the budget.

// DefaultMaxNodes bounds the nodes a file may make (Options.MaxNodes).
// Compose files, Helm values and application configurations have
// hundreds to a few thousand; 200,000 block nodes cost the library about
// 40 MB.
const DefaultMaxNodes = 200000

// DefaultMaxFlowItems bounds the items of flow collections ([…] and
// {…}) in a file (Options.MaxFlowItems): each costs the library about
// ten times a block node. 20,000 items cost it about 36 MB; a JSON file
// with more is not a configuration tlsvet needs to read as YAML.
const DefaultMaxFlowItems = 20000

// precheck returns the offset at which f's estimated nodes or flow items
// exceed the budget, and which budget, or -1.
//
// The estimate counts two nodes per line with content outside flow
// collections and block scalars (a key and its value), and two per item
// of a flow collection (each '[', '{' and ','). It reads quoted scalars
// as the library's scanner does: a quote opens one only where a token may
// start (so "it's" is plain), and a '#' starts a comment only after a
// blank. Block scalar content (lines indented past the line of its '|' or
// '>') is skipped. It over-counts rather than under-counts: a miscount
// may refuse a file, never let a large one through.
func precheck(b []byte, maxNodes, maxFlow int) (at int, flowLimit bool) {
	nodes, flow, depth := 0, 0, 0
	lineStart, indent, content := true, 0, false
	tokenStart := true // a quote here opens a quoted scalar
	blockIndent := -1  // skipping block scalar lines indented more than this
	for i := 0; i < len(b); i++ {
		c := b[i]
		if lineStart {
			// Measure the indentation; skip block scalar content.
			j := i
			for j < len(b) && b[j] == ' ' {
				j++
			}
			if blockIndent >= 0 {
				if j < len(b) && b[j] != '\n' && b[j] != '\r' && j-i <= blockIndent {
					blockIndent = -1
				} else {
					for j < len(b) && b[j] != '\n' {
						j++
					}
					i = j
					continue
				}
			}
			lineStart, indent, content, tokenStart = false, j-i, false, true
			i = j
			if i >= len(b) {
				break
			}
			c = b[i]
		}
		switch {
		case c == '\n':
			lineStart, tokenStart = true, true
			continue
		case c == ' ' || c == '\t' || c == '\r':
			tokenStart = true
			continue
		case c == '#' && tokenStart:
			for i+1 < len(b) && b[i+1] != '\n' {
				i++
			}
			continue
		}
		if !content {
			content = true
			if depth == 0 {
				nodes += 2
			}
		}
		switch {
		case (c == '"' || c == '\'') && tokenStart:
			i = skipQuoted(b, i, c)
			tokenStart = false
			continue
		case c == '[' || c == '{':
			depth++
			flow++
			nodes += 2
			tokenStart = true
		case c == ',' && depth > 0:
			flow++
			nodes += 2
			tokenStart = true
		case (c == ']' || c == '}') && depth > 0:
			depth--
			tokenStart = true
		case (c == '|' || c == '>') && tokenStart && depth == 0 && restIsHeader(b, i+1):
			blockIndent = indent
			tokenStart = false
		case c == ':' || c == '-' || c == '?':
			tokenStart = true
		default:
			tokenStart = false
		}
		if flow > maxFlow {
			return i, true
		}
		if nodes > maxNodes {
			return i, false
		}
	}
	return -1, false
}

// skipQuoted returns the offset of the closing quote of the quoted scalar
// opened at b[i], or the end of b.
func skipQuoted(b []byte, i int, q byte) int {
	for i++; i < len(b); i++ {
		switch {
		case q == '"' && b[i] == '\\':
			i++
		case b[i] == q && q == '\'' && i+1 < len(b) && b[i+1] == '\'':
			i++
		case b[i] == q:
			return i
		}
	}
	return len(b)
}

// restIsHeader reports whether the rest of the line after a '|' or '>'
// is a block scalar header: chomping and indentation indicators, then
// blanks and an optional comment.
func restIsHeader(b []byte, i int) bool {
	for i < len(b) && (b[i] == '+' || b[i] == '-' || '1' <= b[i] && b[i] <= '9') {
		i++
	}
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return i >= len(b) || b[i] == '\n' || b[i] == '\r' || b[i] == '#' && (b[i-1] == ' ' || b[i-1] == '\t')
}
