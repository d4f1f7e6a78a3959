package yamlconf

// The library is not safe on untrusted input of the loader's maximum
// size (4 MiB). Measured with go.yaml.in/yaml/v4 v4.0.0 (total bytes
// allocated while loading into a yaml.Node): a one-line flow mapping
// "{a: b, a: b, …}" of 4 MiB allocates 2.8 GB, a flow sequence of 256 KiB
// 155 MB (about 1.8 KB per item), and block collections about 200 bytes
// per node (1.2 GB for a 4 MiB block mapping), before this package adds
// its own nodes. precheck is a linear scan that bounds the nodes a file
// can make and refuses the file, before the library sees it, when they
// exceed the budget.

// DefaultMaxNodes bounds the nodes a file may make (Options.MaxNodes).
// Compose files, Helm values and application configurations have
// hundreds to a few thousand; 200,000 block nodes cost the library about
// 40 MB.
const DefaultMaxNodes = 200000

// DefaultMaxFlowItems bounds the items of flow collections ([…] and
// {…}) in a file (Options.MaxFlowItems): each costs the library about
// ten times a block node. 50,000 items cost it about 90 MB.
const DefaultMaxFlowItems = 50000

// precheck returns the offset at which f's bound on nodes or flow items
// exceeds the budget, and which budget, or -1.
//
// The bound takes no account of context, so that no quoting or
// indentation trick can hide anything from it: every '[', '{' and ','
// counts as a flow item, even inside a quoted or block scalar; and each
// line counts as two nodes (a key and its value), and each flow item as
// two more, unless its first character after the indentation is '#':
// such a line is a comment or the content of a scalar, which makes no
// node, and is skipped. It over-counts: a file of many commas in text is refused, never
// a large one let through.
func precheck(b []byte, maxNodes, maxFlow int) (at int, flowLimit bool) {
	nodes, flow := 0, 0
	lineStart, comment := true, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch n := breakLen(b, i); {
		case n > 0: // every break the library counts: CR, NEL, LS and PS too
			lineStart, comment = true, false
			i += n - 1
			continue
		case comment || lineStart && (c == ' ' || c == '\t'):
			continue
		case lineStart:
			lineStart = false
			if c == '#' {
				comment = true
				continue
			}
			nodes += 2
		}
		if c == '[' || c == '{' || c == ',' {
			flow++
			nodes += 2
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
