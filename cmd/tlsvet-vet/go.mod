module github.com/tlsvet/tlsvet/cmd/tlsvet-vet

go 1.26.0

require (
	github.com/tlsvet/tlsvet v0.0.0
	golang.org/x/tools v0.52.0
)

require (
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
)

// The analyzer reads DSNs with this checkout's parsers/dsn. `go install
// …@version` refuses a module with a replace directive, so, as gopls does
// inside x/tools, a release of this module drops it and requires the
// tagged tlsvet.
replace github.com/tlsvet/tlsvet => ../..
