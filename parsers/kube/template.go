package kube

import "strings"

// Guard is a template conditional or loop inside option text: its
// control lines ({{- if … }} … {{- end }}, {% if %} … {% endif %}) and the
// lines between them, whose settings apply only when Cond holds (or are
// repeated, for a loop). Offsets are into the decoded value: map them to
// the file with yamlconf.Node.ValueSpan. Lines that are a template
// expression alone ({{ .Values.extra | nindent 4 }}) are Guards too, with
// an empty body: they insert unknown text there.
type Guard struct {
	Cond string // the action, without delimiters and trim markers: "if .Values.tls.enabled", "else", "range …"
	// Open and Close are the control lines [start, end) without their
	// line break; Close is [-1, -1) when the block is not closed.
	Open, Close [2]int
	// Body is the guarded text [start, end): from the line after Open to
	// the start of Close (or of the next else branch, which is its own
	// Guard with Cond "else …").
	Body  [2]int
	Depth int  // nesting, 0 for the outermost
	Expr  bool // an expression line, not a control structure
}

// Guards returns the template lines of option text s in source order
// (a guard at its opening line). A line is a template line when, trimmed,
// it is one {{ … }} or {% … %} and nothing else.
func Guards(s string) []Guard {
	var out []Guard
	var stack []int // indexes into out of open blocks
	closeTop := func(ls, le int) {
		if n := len(stack); n > 0 {
			g := &out[stack[n-1]]
			g.Close, g.Body[1] = [2]int{ls, le}, ls
			stack = stack[:n-1]
		}
	}
	for ls := 0; ls < len(s); {
		le := strings.IndexByte(s[ls:], '\n')
		next := len(s)
		if le < 0 {
			le = len(s)
		} else {
			le += ls
			next = le + 1
		}
		action, ok := templateAction(s[ls:le])
		if ok {
			word, _, _ := strings.Cut(action, " ")
			switch word {
			case "if", "range", "with", "for", "block", "define":
				out = append(out, Guard{Cond: action, Open: [2]int{ls, le}, Close: [2]int{-1, -1}, Body: [2]int{next, len(s)}, Depth: len(stack)})
				stack = append(stack, len(out)-1)
			case "else", "elif":
				closeTop(ls, le)
				out = append(out, Guard{Cond: action, Open: [2]int{ls, le}, Close: [2]int{-1, -1}, Body: [2]int{next, len(s)}, Depth: len(stack)})
				stack = append(stack, len(out)-1)
			case "end", "endif", "endfor", "endwith", "endblock":
				closeTop(ls, le)
			default:
				out = append(out, Guard{Cond: action, Open: [2]int{ls, le}, Close: [2]int{-1, -1}, Body: [2]int{next, next}, Depth: len(stack), Expr: true})
			}
		}
		ls = next
	}
	return out
}

// templateAction returns the action of a line that is one template tag
// or expression and nothing else, trimmed of delimiters, "-" and "~"
// trim markers and blanks.
func templateAction(line string) (string, bool) {
	l := strings.TrimSpace(strings.TrimSuffix(line, "\r"))
	var open, close string
	switch {
	case strings.HasPrefix(l, "{{"):
		open, close = "{{", "}}"
	case strings.HasPrefix(l, "{%"):
		open, close = "{%", "%}"
	default:
		return "", false
	}
	if !strings.HasSuffix(l, close) || len(l) < 4 {
		return "", false
	}
	inner := l[2 : len(l)-2]
	if strings.Contains(inner, open) || strings.Contains(inner, close) {
		return "", false // several tags on the line, or text between them
	}
	inner = strings.TrimSpace(strings.Trim(inner, "-~+"))
	if strings.HasPrefix(inner, "/*") || strings.HasPrefix(inner, "#") {
		return "", false // a comment renders to nothing
	}
	return inner, true
}
