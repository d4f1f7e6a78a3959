package dsn

// Cut is the span a removal of p deletes: its bytes and one separator
// next to it, so that the string stays well formed.
func (p *Param) Cut() Span { return p.cut }
