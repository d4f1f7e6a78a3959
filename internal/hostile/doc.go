// Package hostile holds tlsvet's regression tests for hostile
// repositories (issue 7): each test builds a tree a pull request could
// carry (symbolic links leaving the root, FIFOs, device links, huge or
// crafted files, secrets, control characters in names) and runs tlsvet on
// it as a subprocess under a 1 GiB address-space limit and a 10 s
// deadline, while inotify watches the directory outside the root.
//
// A later reader adds its own trees and seeds to FuzzTree: the readers of
// application files (.env, properties, YAML, JSON, TOML, Go, INI configs)
// have theirs in apps_linux_test.go, the SQL reader (.sql files, shell
// scripts) in sql_linux_test.go, and TestSecrets holds a password in each
// of their formats.
package hostile
