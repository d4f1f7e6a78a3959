//go:build !linux

package oracle

import "os/exec"

// dieWithParent has no portable equivalent of Linux's parent-death signal;
// Stop, run by t.Cleanup, is the only guard.
func dieWithParent(*exec.Cmd) {}
