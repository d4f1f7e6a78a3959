module github.com/tlsvet/tlsvet

go 1.25

require (
	github.com/pelletier/go-toml/v2 v2.4.3
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	go.yaml.in/yaml/v4 v4.0.0
	gopkg.in/ini.v1 v1.68.0
)

require golang.org/x/text v0.14.0 // indirect
