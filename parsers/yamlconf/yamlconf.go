// Package yamlconf reads YAML files into a tree of mappings, sequences and
// scalars in which every key and value carries its byte span in the file,
// and every decoded scalar can map a range of its value back to the source
// bytes that produced it (so that a DSN parameter inside a quoted or folded
// value gets an exact position and, from there, a fix).
//
// go.yaml.in/yaml/v4 gives the structure and the line and column where each
// node starts; it is never decoded into Go structs. The reader converts
// those positions to byte offsets, then re-reads each scalar from the
// source in its style (plain, quoted, literal, folded) and keeps the result
// only when it decodes to exactly the library's value; otherwise the scalar
// is marked Approx and reports its start only.
//
// It also reports what the library accepts silently: duplicate keys in a
// mapping (the library keeps both when loading into nodes) and alias
// expansion beyond a budget (a "billion laughs" document). Before the
// library sees a file, a linear scan refuses one whose node count would
// make the library allocate without bound (see precheck.go).
package yamlconf

import (
	"bytes"
	"errors"
	"io"
	"strconv"

	"go.yaml.in/yaml/v4"

	"github.com/tlsvet/tlsvet/internal/secret"
	"github.com/tlsvet/tlsvet/internal/source"
	"github.com/tlsvet/tlsvet/parsers/internal/textmap"
)

// Kind is the kind of a Node.
type Kind uint8

const (
	Scalar Kind = iota + 1
	Mapping
	Sequence
	Alias
)

// Style is how a scalar is written.
type Style uint8

const (
	Plain Style = iota
	SingleQuoted
	DoubleQuoted
	Literal // "|" block scalar
	Folded  // ">" block scalar
)

// Node is one node of a document.
type Node struct {
	Kind  Kind
	Style Style  // scalars only
	Flow  bool   // a mapping or sequence written in flow style ({...} or [...])
	Tag   string // the resolved tag, e.g. "!!str", "!!int", "!!null"
	// Value is the decoded scalar as the library reads it; for an alias,
	// the anchor name.
	Value  string
	Anchor string // the anchor defined on this node ("&name"), if any
	// Span is the node as written, after its anchor and tag: a quoted
	// scalar with its quotes; a block scalar from its '|' or '>' to the
	// last source byte of its value; an alias's "*name"; a collection from
	// its first byte to the end of its last descendant.
	Span   source.Span
	Pairs  []Pair  // Mapping
	Items  []*Node // Sequence
	Target *Node   // Alias: the anchored node; nil when the alias was not expanded (see Problem)
	// Approx marks a scalar whose source could not be matched to its
	// value: ValueSpan then returns Span with exact false, and Span of a
	// plain or block scalar covers only its first byte.
	Approx bool

	m    textmap.Map // a scalar's decoded bytes to the source bytes that produced them
	size int         // nodes visited when walking this node with aliases expanded
}

// Pair is one key and value of a mapping.
type Pair struct{ Key, Value *Node }

// Document is one YAML document of a file.
type Document struct {
	Root *Node       // an empty document has a null scalar
	Span source.Span // its first byte ("---" or the first node)
}

// ProblemKind classifies a Problem.
type ProblemKind uint8

const (
	Syntax       ProblemKind = iota + 1 // the library rejected the text; reading resumes at the next "---" line
	DuplicateKey                        // Span is the later key, Related the earlier one
	AliasLimit                          // an alias not expanded: over Options.MaxAliasNodes, or part of its own anchor
	Encoding                            // a UTF-16 file; its offsets cannot be mapped, so it is not read
	TooLarge                            // more nodes or flow items than Options allow; the file is not read
)

// Problem is something in the file that the reader reports.
type Problem struct {
	Kind    ProblemKind
	Span    source.Span
	Related source.Span // DuplicateKey: the first occurrence
	Msg     string
}

func (p Problem) Error() string {
	pos := p.Span.StartPos()
	return p.Span.File.Path + ":" + strconv.Itoa(pos.Line) + ":" + strconv.Itoa(pos.Col) + ": " + p.Msg
}

// Result is what Parse read from one file.
type Result struct {
	File     *source.File
	Docs     []*Document // in file order; a document with a syntax error is left out
	Problems []Problem
}

// Options tune Parse.
type Options struct {
	// MaxAliasNodes bounds, per document, the nodes that expanding its
	// aliases adds to a walk of the document (0: DefaultMaxAliasNodes).
	// An alias that would exceed it keeps Target nil.
	MaxAliasNodes int
	// MaxNodes and MaxFlowItems bound the nodes a file makes and the
	// items of its flow collections, estimated before the library reads
	// it (0: DefaultMaxNodes, DefaultMaxFlowItems). A file over either
	// is not read.
	MaxNodes, MaxFlowItems int
}

// DefaultMaxAliasNodes is far above what compose files and Helm values
// share through anchors (tens to a few thousand nodes) and far below what
// an alias bomb asks for (10^9).
const DefaultMaxAliasNodes = 100000

// Parse reads f. It never fails: what cannot be read is a Problem. The
// caller bounds the file's size; the work is linear in it.
func Parse(f *source.File, opts Options) *Result {
	r := &Result{File: f}
	b := f.Content
	if bytes.HasPrefix(b, []byte{0xFE, 0xFF}) || bytes.HasPrefix(b, []byte{0xFF, 0xFE}) {
		r.Problems = append(r.Problems, Problem{Kind: Encoding, Span: f.Span(0, 0), Msg: "UTF-16 YAML is not read: convert the file to UTF-8"})
		return r
	}
	maxNodes, maxFlow := opts.MaxNodes, opts.MaxFlowItems
	if maxNodes <= 0 {
		maxNodes = DefaultMaxNodes
	}
	if maxFlow <= 0 {
		maxFlow = DefaultMaxFlowItems
	}
	if at, flow := precheck(b, maxNodes, maxFlow); at >= 0 {
		msg := "more than " + strconv.Itoa(maxNodes) + " YAML nodes"
		if flow {
			msg = "more than " + strconv.Itoa(maxFlow) + " items in flow collections ([...] and {...})"
		}
		r.Problems = append(r.Problems, Problem{Kind: TooLarge, Span: f.Span(at, at),
			Msg: msg + " by here: the YAML library's memory use grows too fast with them, so this file is not read"})
		return r
	}
	p := &parser{f: f, b: b, res: r, lines: lineTable(b), base: 1, max: opts.MaxAliasNodes}
	if p.max <= 0 {
		p.max = DefaultMaxAliasNodes
	}
	// After a syntax error the library reads no further; reading resumes
	// at the next "---" line, so that one broken document of a manifest
	// does not hide the others.
	for off, n := 0, 0; off >= 0; n++ {
		if n == maxSyntaxErrors {
			p.res.Problems[len(p.res.Problems)-1].Msg += "; too many syntax errors, the rest of the file is not read"
			break
		}
		off = p.stream(b[off:])
	}
	return r
}

// maxSyntaxErrors bounds the problems of one broken file: a generated
// file of many broken documents would otherwise bury every other finding.
const maxSyntaxErrors = 100

// stream reads the documents of b, which starts at file line p.base, and
// returns where to resume after a syntax error, -1 when done.
func (p *parser) stream(b []byte) int {
	l, err := yaml.NewLoader(bytes.NewReader(b))
	for err == nil {
		var y yaml.Node
		if err = l.Load(&y); err == nil {
			p.document(&y)
		}
	}
	if err == io.EOF {
		return -1
	}
	line := p.syntax(err)
	for ln := max(line, p.base+1); ln <= len(p.lines); ln++ {
		s := p.lines[ln-1]
		if bytes.HasPrefix(p.b[s:], []byte("---")) && (s+3 == len(p.b) || isBlank(p.b[s+3]) || breakLen(p.b, s+3) > 0) {
			p.base, p.cur = ln, cursor{}
			return s
		}
	}
	return -1
}

// parser converts one file's yaml.Node trees.
type parser struct {
	f     *source.File
	b     []byte
	res   *Result
	lines []int
	base  int // the file line where the library's line 1 is
	cur   cursor
	max   int

	// per document
	anchors  map[*yaml.Node]*Node // converted anchored nodes; nil value while being converted
	expanded int                  // nodes added by expanded aliases
	limited  bool                 // the budget problem was reported
}

// syntax records err and returns its file line (0 if unknown).
func (p *parser) syntax(err error) int {
	msg := err.Error()
	off, line := len(p.b), 0
	var le *yaml.LoadError
	if errors.As(err, &le) {
		msg = le.Message
		if le.ContextMsg != "" {
			msg = le.ContextMsg + ": " + msg
		}
		if le.Mark.Line > 0 {
			off = p.offset(le.Mark.Line, max(le.Mark.Column, 1))
			line = p.base + le.Mark.Line - 1
		}
	}
	p.res.Problems = append(p.res.Problems, Problem{Kind: Syntax, Span: p.f.Span(off, off),
		Msg: "YAML syntax error: " + msg + "; the rest of this document is not read"})
	return line
}

func (p *parser) document(y *yaml.Node) {
	p.anchors = map[*yaml.Node]*Node{}
	p.expanded, p.limited = 0, false
	start := p.offset(y.Line, y.Column)
	d := &Document{Span: p.f.Span(start, start)}
	if len(y.Content) > 0 {
		d.Root = p.node(y.Content[0])
	}
	p.res.Docs = append(p.res.Docs, d)
}

// node converts y and its descendants, in document order (which keeps the
// offset cursor moving forward).
func (p *parser) node(y *yaml.Node) *Node {
	n := &Node{Tag: y.ShortTag(), Value: y.Value, Anchor: y.Anchor, size: 1}
	if y.Anchor != "" {
		p.anchors[y] = nil
	}
	start := p.skipProperties(p.offset(y.Line, y.Column))
	switch y.Kind {
	case yaml.ScalarNode:
		n.Kind = Scalar
		p.scalar(n, y, start)
	case yaml.MappingNode:
		n.Kind, n.Flow = Mapping, y.Style&yaml.FlowStyle != 0
		n.Pairs = make([]Pair, 0, len(y.Content)/2)
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := p.node(y.Content[i]), p.node(y.Content[i+1])
			n.Pairs = append(n.Pairs, Pair{k, v})
			n.size = addSat(n.size, addSat(k.size, v.size))
		}
		p.checkKeys(n)
		n.Span = p.collectionSpan(start, n)
	case yaml.SequenceNode:
		n.Kind, n.Flow = Sequence, y.Style&yaml.FlowStyle != 0
		n.Items = make([]*Node, 0, len(y.Content))
		for _, c := range y.Content {
			cn := p.node(c)
			n.Items = append(n.Items, cn)
			n.size = addSat(n.size, cn.size)
		}
		n.Span = p.collectionSpan(start, n)
	case yaml.AliasNode:
		n.Kind, n.Tag = Alias, ""
		n.Span = p.f.Span(start, min(start+1+len(y.Value), len(p.b)))
		p.alias(n, y)
	}
	if y.Anchor != "" {
		p.anchors[y] = n
	}
	return n
}

// alias links n to its anchor when the document's budget allows.
func (p *parser) alias(n *Node, y *yaml.Node) {
	t, ok := p.anchors[y.Alias]
	switch {
	case !ok: // the library resolves every alias; keep the node unexpanded if not
	case t == nil:
		p.res.Problems = append(p.res.Problems, Problem{Kind: AliasLimit, Span: n.Span, Msg: "alias *" + y.Value + " is inside its own anchor; not expanded"})
	case p.expanded+t.size > p.max:
		if !p.limited {
			p.limited = true
			p.res.Problems = append(p.res.Problems, Problem{Kind: AliasLimit, Span: n.Span,
				Msg: "alias expansion exceeds " + strconv.Itoa(p.max) + " nodes (an alias bomb?); this and further aliases are not expanded"})
		}
	default:
		p.expanded += t.size
		n.Target, n.size = t, addSat(1, t.size)
	}
}

// addSat adds sizes, saturating far above any budget so that nested
// aliases (10^k nodes) cannot overflow.
func addSat(a, b int) int {
	const ceiling = 1 << 40
	return min(a+b, ceiling)
}

func (p *parser) collectionSpan(start int, n *Node) source.Span {
	end := min(start+1, len(p.b))
	var last *Node
	if len(n.Pairs) > 0 {
		last = n.Pairs[len(n.Pairs)-1].Value
		if last.Span.End < n.Pairs[len(n.Pairs)-1].Key.Span.End {
			last = n.Pairs[len(n.Pairs)-1].Key
		}
	} else if len(n.Items) > 0 {
		last = n.Items[len(n.Items)-1]
	}
	if last != nil {
		end = max(end, last.Span.End)
	}
	return p.f.Span(start, end)
}

// checkKeys reports duplicate scalar keys of mapping n and marks the values
// of secret-bearing keys. Merge keys ("<<") are left to the merge reader.
func (p *parser) checkKeys(n *Node) {
	var seen map[string]*Node
	for i, kv := range n.Pairs {
		k := kv.Key.resolve()
		if k == nil || k.Kind != Scalar || k.Tag == "!!merge" {
			continue
		}
		if v := kv.Value.resolve(); v != nil && v.Kind == Scalar && secret.Name(k.Value) {
			p.f.MarkSecret(v.Span.Start, v.Span.End)
		}
		id := k.Tag + "\x00" + k.Value
		var first *Node
		if seen != nil {
			first = seen[id]
		} else {
			// Most mappings are small: compare in place before building a map.
			for _, prev := range n.Pairs[:i] {
				if pk := prev.Key.resolve(); pk != nil && pk.Kind == Scalar && pk.Tag == k.Tag && pk.Value == k.Value {
					first = prev.Key
					break
				}
			}
			if i == 8 {
				seen = make(map[string]*Node, len(n.Pairs))
				for _, prev := range n.Pairs[:i] {
					if pk := prev.Key.resolve(); pk != nil && pk.Kind == Scalar {
						if _, dup := seen[pk.Tag+"\x00"+pk.Value]; !dup {
							seen[pk.Tag+"\x00"+pk.Value] = prev.Key
						}
					}
				}
			}
		}
		if first != nil {
			p.res.Problems = append(p.res.Problems, Problem{Kind: DuplicateKey, Span: kv.Key.Span, Related: first.Span,
				Msg: "duplicate key " + strconv.Quote(k.Value) + " in this mapping: the last one wins in most readers"})
		} else if seen != nil {
			seen[id] = kv.Key
		}
	}
}

// resolve follows an alias to its target; nil for an unexpanded alias.
func (n *Node) resolve() *Node {
	if n.Kind == Alias {
		return n.Target
	}
	return n
}

// skipProperties moves past an anchor ("&a") and a tag ("!!str", "!<...>")
// written before a node, and the blanks, comments and line breaks after
// them: the library places such a node at its first property.
func (p *parser) skipProperties(off int) int {
	b := p.b
	for range 2 {
		if off >= len(b) || b[off] != '&' && b[off] != '!' {
			return off
		}
		for off < len(b) && !isBlank(b[off]) && breakLen(b, off) == 0 {
			off++
		}
		for off < len(b) {
			switch {
			case isBlank(b[off]):
				off++
			case b[off] == '#':
				for off < len(b) && breakLen(b, off) == 0 {
					off++
				}
			default:
				bl := breakLen(b, off)
				if bl == 0 {
					goto next
				}
				off += bl
			}
		}
	next:
	}
	return off
}

// ValueSpan returns the source bytes that produced the decoded bytes
// [i, j) of a scalar's Value. exact is false when a boundary falls inside
// an escape sequence or a folded line break (the span then grows to cover
// it), or when the scalar is Approx (the span is then Span). Source text
// and decoded text differ where the range covers escapes or folds.
func (n *Node) ValueSpan(i, j int) (sp source.Span, exact bool) {
	if n.Kind != Scalar || n.Approx || i < 0 || j < i || j > len(n.Value) {
		return n.Span, false
	}
	s, e := n.m.Range(i, j)
	return n.Span.File.Span(s, e), n.m.Exact(i, j)
}

// Map returns the decoded-to-source map of a scalar that is not Approx,
// for composing with the map of a part decoded again (a DSN parameter).
func (n *Node) Map() textmap.Map { return n.m }
