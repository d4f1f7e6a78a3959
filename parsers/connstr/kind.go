package connstr

import (
	"path"
	"strings"

	"github.com/tlsvet/tlsvet/internal/source"
)

// Kind is how a file is read for connection strings.
type Kind uint8

// The kinds.
const (
	Unknown          Kind = iota
	EnvFile               // .env, .env.*, *.env (compose env_file)
	Properties            // *.properties
	SpringProperties      // application*.properties, bootstrap*.properties
	YAML                  // *.yml, *.yaml
	SpringYAML            // application*.yml, bootstrap*.yml
	RailsDatabase         // database.yml (Rails config/database.yml)
	JSON                  // *.json
	TOML                  // *.toml
	GoSource              // *.go, not _test.go
)

var kindNames = [...]string{"unknown", "env file", "properties", "Spring properties", "YAML", "Spring YAML",
	"Rails database.yml", "JSON", "TOML", "Go source"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Patterns are the file names Detect reads, as globs on the base name
// (path.Match syntax, matched case-insensitively), for the walk and for
// .pre-commit-hooks.yaml. Detect leaves out some names that match:
// lock files and _test.go files.
var Patterns = []string{".env", ".env.*", "*.env", "*.properties", "*.yml", "*.yaml", "*.json", "*.toml", "*.go"}

// FilesRegexp selects the same names as Patterns for pre-commit's
// files: (Python re and Go regexp read it alike).
const FilesRegexp = `(?i)((^|/)\.env(\.[^/]+)?|\.(env|properties|ya?ml|json|toml|go))$`

// skipped are names matching Patterns that hold no configuration: lock
// files are generated and large.
var skipped = map[string]bool{"package-lock.json": true, "pnpm-lock.yaml": true}

// Detect returns how the file at the slash path name is read, by its
// name alone.
func Detect(name string) Kind {
	base := strings.ToLower(path.Base(name))
	ext := path.Ext(base)
	switch {
	case skipped[base]:
		return Unknown
	case base == ".env" || strings.HasPrefix(base, ".env.") || ext == ".env":
		return EnvFile
	case ext == ".properties":
		if spring(base) {
			return SpringProperties
		}
		return Properties
	case ext == ".yml" || ext == ".yaml":
		switch {
		case base == "database.yml" || base == "database.yaml":
			return RailsDatabase
		case spring(base):
			return SpringYAML
		}
		return YAML
	case ext == ".json":
		return JSON
	case ext == ".toml":
		return TOML
	case ext == ".go" && !strings.HasSuffix(base, "_test.go"):
		return GoSource
	}
	return Unknown
}

// spring reports whether base is a Spring Boot configuration file name:
// application.yml, application-prod.properties, bootstrap.yml
// (https://docs.spring.io/spring-boot/reference/features/external-config.html#features.external-config.files).
func spring(base string) bool {
	stem := strings.TrimSuffix(base, path.Ext(base))
	for _, p := range []string{"application", "bootstrap"} {
		if stem == p || strings.HasPrefix(stem, p+"-") {
			return true
		}
	}
	return false
}

// Scan reads f as kind k and returns the connection strings in it. env
// holds the project's root .env variables (nil: none). It never fails:
// what cannot be read is a Problem.
func Scan(f *source.File, k Kind, env *Env) *Result {
	s := &scanner{f: f, env: env, res: &Result{}}
	switch k {
	case EnvFile:
		s.envFile()
	case Properties, SpringProperties:
		s.properties(k == SpringProperties)
	case YAML, SpringYAML, RailsDatabase:
		s.yaml(k)
	case JSON:
		s.json()
	case TOML:
		s.toml()
	case GoSource:
		s.goSource()
	}
	return s.res
}
