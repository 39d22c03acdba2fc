// Command mineralpact is the command line of mineralpact: the agreement as
// code, its reference prices, duty assessment, market simulation and the
// portal. Commands read `mineralpact <noun> <verb> [arguments] [flags]`.
//
// This is the only package that knows every other one: it wires the engines
// to the stores, the HTTP API and the portal.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stopProfile := startProfile()
	code := run(ctx, os.Args[1:], systemStreams())
	stopProfile()
	stop()
	os.Exit(code)
}
