package oracle

import (
	"os/exec"
	"syscall"
)

// dieWithParent kills the server when the test process dies (a go test
// timeout, an interrupt), so no mariadbd outlives its test.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
