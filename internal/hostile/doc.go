// Package hostile holds tlsvet's regression tests for hostile
// repositories (issue 7): each test builds a tree a pull request could
// carry (symbolic links leaving the root, FIFOs, device links, huge or
// crafted files, secrets, control characters in names) and runs tlsvet on
// it as a subprocess under a 1 GiB address-space limit and a 10 s
// deadline, while inotify watches the directory outside the root.
//
// A later reader (connection strings, YAML, certificates) adds its own
// trees to the table in trees_linux_test.go and seeds to FuzzTree.
package hostile
