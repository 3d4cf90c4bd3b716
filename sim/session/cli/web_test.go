package cli

import (
	"bytes"
	"net"
	"testing"
)

// An address --web cannot serve on is bad input: exit 2, one line saying
// why, and nothing run.
func TestRun_webBadAddress(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	addr := busy.Addr().String()
	programs := testPrograms(t)
	for _, tt := range []struct{ web, stderr string }{
		{":99999", "coop: --web: listen tcp: address 99999: invalid port\n"},
		{addr, "coop: --web: listen tcp " + addr + ": bind: address already in use\n"},
		{"localhost", `coop: --web: address "localhost": missing port in address (give host:port, such as 127.0.0.1:8080)` + "\n"},
	} {
		var stdout, stderr bytes.Buffer
		code := runCommand(programs, []string{"hello", "--web=" + tt.web}, &stdout, &stderr)
		if code != ExitUsage || stdout.String() != "" || stderr.String() != tt.stderr {
			t.Errorf("coop run hello --web=%s = %d, stdout %q, stderr %q; want %d, nothing, %q",
				tt.web, code, &stdout, &stderr, ExitUsage, tt.stderr)
		}
	}
}
