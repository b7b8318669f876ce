package sync

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"time"
)

// dialContext connects to addr within timeout (0: none) and ctx, and
// returns the connection bound to ctx (see [bindConn]).
func dialContext(ctx context.Context, network, addr string, timeout time.Duration) (net.Conn, error) {
	d := net.Dialer{Timeout: timeout}
	c, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return bindConn(ctx, c), nil
}

// longAgo is a deadline in the past: a connection given it fails every
// read and write at once, including those already blocked.
var longAgo = time.Unix(1, 0)

// bindConn ties c to ctx: once ctx is done (cancelled, or its deadline
// passed), every Read and Write on c, blocked or not, returns at once with
// an error wrapping ctx's error. Whatever speaks over c (an SSH handshake,
// a git exchange in an SSH channel, an ssh-agent's answer) then fails
// instead of waiting on a peer that does not answer. Close releases the
// binding. Callers must not set deadlines of their own on the result.
func bindConn(ctx context.Context, c net.Conn) net.Conn {
	b := &ctxConn{Conn: c, ctx: ctx}
	b.stop = context.AfterFunc(ctx, func() { _ = c.SetDeadline(longAgo) })
	return b
}

type ctxConn struct {
	net.Conn
	ctx  context.Context
	stop func() bool
}

func (c *ctxConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	return n, c.ctxErr("read", err)
}

func (c *ctxConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	return n, c.ctxErr("write", err)
}

func (c *ctxConn) Close() error {
	c.stop()
	return c.Conn.Close()
}

// ctxErr names the context's end as the cause of a read or write that
// failed on the deadline bindConn set.
func (c *ctxConn) ctxErr(op string, err error) error {
	if err == nil || !errors.Is(err, os.ErrDeadlineExceeded) {
		return err
	}
	if ctxErr := c.ctx.Err(); ctxErr != nil {
		return fmt.Errorf("%s %s: %w", op, c.RemoteAddr(), ctxErr)
	}
	return err
}
