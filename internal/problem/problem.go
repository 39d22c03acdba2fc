// Package problem is mineralpact's one error type: a code that callers branch on,
// a message for people, and the place the problem was found.
//
// Codes map to HTTP statuses in package api and to exit statuses in package cli,
// each in one table, so every front end reports the same failure the same way.
package problem

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error for callers; it is stable and part of the API.
type Code string

// The codes; their HTTP and exit-status mappings live in api and cli.
const (
	Invalid      Code = "invalid"
	NotFound     Code = "not_found"
	Conflict     Code = "conflict"
	Unauthorized Code = "unauthorized" // no credentials, or credentials not recognised
	Forbidden    Code = "forbidden"    // recognised credentials whose role or party may not do this
	Internal     Code = "internal"
	TooMany      Code = "too_many_requests" // refused for now: wait and retry (a limit per client or token)
)

// Error is a domain error. Field is the path of the offending value
// (`parties[3].instruments[1].rate`), BadValue that value as it was given
// (Kubernetes' field.Error keeps it the same way; empty when the value is
// missing or not the point), Pos where it stands in a file.
type Error struct {
	Code     Code
	Message  string
	Field    string
	BadValue string
	Pos      Pos
	Err      error // the cause, when callers may inspect it
}

// Pos is a place in an input file; the zero value means no place is known.
type Pos struct {
	File   string
	Line   int
	Column int
}

// String renders a position like a compiler: file:line:column.
func (p Pos) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		if b.Len() > 0 {
			b.WriteByte(':')
		}
		fmt.Fprintf(&b, "%d", p.Line)
		if p.Column > 0 {
			fmt.Fprintf(&b, ":%d", p.Column)
		}
	}
	return b.String()
}

func (e *Error) Error() string {
	var b strings.Builder
	if s := e.Pos.String(); s != "" {
		b.WriteString(s)
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	if e.Err != nil && e.Message == "" {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error with the given code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of the first Error or List in err's chain, and Internal
// for any other non-nil error.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var l List
	if errors.As(err, &l) && len(l) > 0 {
		return l[0].Code
	}
	return Internal
}

// List collects every problem found in one input, so that validation reports them
// all at once rather than stopping at the first.
type List []*Error

// Add appends a problem of code Invalid at field and pos.
func (l *List) Add(pos Pos, field, format string, args ...any) {
	*l = append(*l, &Error{Code: Invalid, Field: field, Pos: pos, Message: fmt.Sprintf(format, args...)})
}

// Err returns the list as an error, or nil when it is empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

func (l List) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}
