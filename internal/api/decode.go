package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/mineralpact/mineralpact/internal/jsonstrict"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// readBody reads a request body of at most limit bytes. Its errors say what
// was wrong without the cause's text: a failed read carries the socket's
// addresses (net.OpError), which are the server's business.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		return nil, bodyReadError(err)
	}
	return b, nil
}

// bodyReadError is a failed read of a request body as the client is told it.
func bodyReadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return problem.Errorf(problem.Invalid, "the request body is larger than %d bytes", tooBig.Limit)
	}
	return problem.Errorf(problem.Invalid, "the request body could not be read to its end (the connection failed or timed out)")
}

// readerOf makes a read body readable again for the handler.
func readerOf(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }

// decodeStrict decodes one JSON value of b into v: duplicate keys, unknown
// fields and data after the value are errors, each naming the key. It is the
// API's one strict decoder of request bodies.
func decodeStrict(b []byte, v any) error {
	if err := checkDuplicateKeys(b); err != nil {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return &problem.Error{Code: problem.Invalid, Message: "request body: " + err.Error()}
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return &problem.Error{Code: problem.Invalid, Message: "request body: data after the JSON value"}
	}
	return nil
}

// checkDuplicateKeys refuses a JSON text in which an object repeats a key,
// naming it (jsonstrict: the bulk decoder of declarations asks the same).
func checkDuplicateKeys(b []byte) error { return jsonstrict.CheckDuplicateKeys(b) }
