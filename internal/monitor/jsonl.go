package monitor

import (
	"bufio"
	"encoding/json"
	"io"
)

// WriteJSONL writes alerts as JSON Lines, one object per alert, in the
// order given (Scan's: score descending, then ID).
func WriteJSONL(w io.Writer, alerts []Alert) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range alerts {
		if err := enc.Encode(&alerts[i]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ReadJSONL reads alerts written by WriteJSONL.
func ReadJSONL(r io.Reader) ([]Alert, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var out []Alert
	for dec.More() {
		var a Alert
		if err := dec.Decode(&a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}
