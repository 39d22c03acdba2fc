package main

import (
	"errors"
	"io"
	"os"

	"golang.org/x/term"
)

// streams are a command's input and outputs, injected so that tests run a
// verb as a terminal and as a pipe (cli/cli's iostreams). outTTY says whether
// out is a terminal: tables with figures as people read them, where a pipe
// gets exact, untruncated text. errTTY says whether err is a terminal: only
// then is a progress bar drawn.
type streams struct {
	in             io.Reader
	out, err       io.Writer
	outTTY, errTTY bool
}

// systemStreams are the process's standard streams; a stream is a terminal
// when term.IsTerminal says so of its file descriptor.
func systemStreams() streams {
	return streams{
		in: os.Stdin, out: os.Stdout, err: os.Stderr,
		outTTY: term.IsTerminal(int(os.Stdout.Fd())), errTTY: term.IsTerminal(int(os.Stderr.Fd())),
	}
}

// writeError is a failed write to an output: mineralpact failed, not its
// input, so it exits 3.
type writeError struct {
	name string // "standard output", or the file's path
	err  error
}

func (e *writeError) Error() string { return "cannot write " + e.name + ": " + e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }

// checkedWriter remembers the first failed write, so that a command that
// ignores the error of a Fprintf still exits 3.
type checkedWriter struct {
	w    io.Writer
	name string
	err  error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	if err != nil {
		c.err = &writeError{name: c.name, err: err}
	}
	return n, c.err
}

// outFile is where a verb's --out goes: standard output for "-", else a file
// created on open.
type outFile struct {
	io.Writer
	f *os.File
	c *checkedWriter
}

// openOut opens the output a --out flag names ("-": s.out). Close it once
// all is written: its error, like that of any failed write, is a *writeError.
func openOut(path string, s streams) (*outFile, error) {
	if path == "-" || path == "" {
		return &outFile{Writer: s.out}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, &writeError{name: path, err: err}
	}
	c := &checkedWriter{w: f, name: path}
	return &outFile{Writer: c, f: f, c: c}, nil
}

// Close closes the file (nothing for standard output) and reports the first
// failed write or the failed close.
func (o *outFile) Close() error {
	if o.f == nil {
		return nil
	}
	cerr := o.f.Close()
	if o.c.err != nil {
		return o.c.err
	}
	if cerr != nil && !errors.Is(cerr, os.ErrClosed) {
		return &writeError{name: o.f.Name(), err: cerr}
	}
	return nil
}
