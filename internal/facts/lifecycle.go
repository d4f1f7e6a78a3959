package facts

// Lifecycle says when something (a protocol, an option) was added,
// deprecated and removed in one flavour. Each Version is the first release of
// the newest series where it happened; the zero Version means "always there"
// for Added and "never" for Deprecated and Removed. The same event in an
// older, still-maintained series (TLSv1 deprecated in 5.7.35 as well as in
// 8.0.26) is listed in Backports.
type Lifecycle struct {
	Added, Deprecated, Removed Version
	Backports                  []Backport
	// Absent marks a flavour that never had the thing (MariaDB tls_ciphersuites).
	Absent bool
	Source string // URL(s) of the evidence
	Note   string // caveat for messages, e.g. build-dependent support
}

// Event is one step of a Lifecycle.
type Event uint8

// Lifecycle events.
const (
	Added Event = iota
	Deprecation
	Removal
)

// Backport is an Event that happened in an older release series at Version;
// it holds from Version to the end of that series only.
type Backport struct {
	Event   Event
	Version Version
}

// at reports whether event e has happened by version v: v is at or past the
// mainline version, or in the same series as a backport and at or past it.
func (l Lifecycle) at(e Event, v Version) bool {
	main := l.mainline(e)
	if !main.IsZero() && !v.Less(main) {
		return true
	}
	for _, b := range l.Backports {
		if b.Event == e && v.sameSeries(b.Version) && !v.Less(b.Version) {
			return true
		}
	}
	return false
}

func (l Lifecycle) mainline(e Event) Version {
	switch e {
	case Added:
		return l.Added
	case Deprecation:
		return l.Deprecated
	}
	return l.Removed
}

// AddedAt reports whether the thing exists (or existed) by version v.
func (l Lifecycle) AddedAt(v Version) bool {
	if l.Absent {
		return false
	}
	return l.Added.IsZero() && !l.hasBackport(Added) || l.at(Added, v)
}

// DeprecatedAt reports whether v is a version where it is deprecated (and not removed).
func (l Lifecycle) DeprecatedAt(v Version) bool {
	return l.AddedAt(v) && l.at(Deprecation, v) && !l.at(Removal, v)
}

// RemovedAt reports whether it was removed by version v.
func (l Lifecycle) RemovedAt(v Version) bool { return !l.Absent && l.at(Removal, v) }

// AvailableAt reports whether version v has it (deprecated or not).
func (l Lifecycle) AvailableAt(v Version) bool { return l.AddedAt(v) && !l.at(Removal, v) }

func (l Lifecycle) hasBackport(e Event) bool {
	for _, b := range l.Backports {
		if b.Event == e {
			return true
		}
	}
	return false
}

// Points lists where any predicate of l may change value: each event version
// and the start of the series after each backport.
func (l Lifecycle) Points() []Version {
	var ps []Version
	for _, v := range []Version{l.Added, l.Deprecated, l.Removed} {
		if !v.IsZero() {
			ps = append(ps, v)
		}
	}
	for _, b := range l.Backports {
		ps = append(ps, b.Version, V(b.Version.Major, b.Version.Minor+1, 0))
	}
	return ps
}
