package sim

import (
	"bytes"
	"fmt"

	"github.com/coopgo/coop/hw"
)

// console is a board's serial console: every complete line goes to the
// observers with the board time at which its newline was written.
type console struct {
	b   *Board
	buf []byte
}

// Console implements [hw.Board].
func (b *Board) Console() hw.Console { return b.console }

func (c *console) Write(p []byte) (int, error) {
	n := len(p)
	for {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			c.buf = append(c.buf, p...)
			return n, nil
		}
		line := string(append(c.buf, p[:i]...))
		c.buf = c.buf[:0]
		p = p[i+1:]
		c.b.emitConsole(c.b.now(), line)
	}
}

func (c *console) Println(a ...any)               { fmt.Fprintln(c, a...) }
func (c *console) Printf(format string, a ...any) { fmt.Fprintf(c, format, a...) }

// FlushConsole ends a console line left without its newline, so that its
// text reaches the observers; it does nothing if there is none. Call it at
// the end of a run.
func (b *Board) FlushConsole() {
	if len(b.console.buf) > 0 {
		b.console.Write([]byte{'\n'})
	}
}
