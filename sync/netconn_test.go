package sync

import (
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

// A read or write blocked on a peer that never answers returns as soon as
// the context ends, with the context's error.
func TestBindConnEndsBlockedIO(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		io       func(net.Conn) error
		deadline bool // the context ends at its deadline, else it is cancelled
		want     error
	}{
		{"read, cancelled", readOne, false, context.Canceled},
		{"write, cancelled", writeOne, false, context.Canceled},
		{"read, deadline", readOne, true, context.DeadlineExceeded},
		{"write, deadline", writeOne, true, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, server := net.Pipe() // synchronous: both ways block until the peer acts
			defer server.Close()
			ctx, cancel := context.WithCancel(context.Background())
			if tt.deadline {
				ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
			}
			defer cancel()
			c := bindConn(ctx, client)
			defer c.Close()
			done := make(chan error, 1)
			go func() { done <- tt.io(c) }()
			if !tt.deadline {
				cancel() // before or during the I/O: it must end either way
			}
			select {
			case err := <-done:
				if !errors.Is(err, tt.want) {
					t.Fatalf("err = %v, want %v", err, tt.want)
				}
			case <-time.After(hangGuard):
				t.Fatalf("still blocked %s after the context ended", hangGuard)
			}
		})
	}
}

// While its context lives, a bound connection is an ordinary one, and
// closing it releases the binding.
func TestBindConnLiveContext(t *testing.T) {
	client, server := net.Pipe()
	defer server.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := bindConn(ctx, client)
	go func() { _, _ = server.Write([]byte("hi")) }()
	got := make([]byte, 2)
	if _, err := io.ReadFull(c, got); err != nil || string(got) != "hi" {
		t.Fatalf("read %q, %v", got, err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if c.(*ctxConn).stop() {
		t.Fatal("Close left the context binding in place")
	}
}

func readOne(c net.Conn) error {
	_, err := c.Read(make([]byte, 1))
	return err
}

func writeOne(c net.Conn) error {
	_, err := c.Write([]byte("x"))
	return err
}
