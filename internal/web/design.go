package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"os"
	"regexp"

	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// designData is the design studio (/design): the served agreement's text
// for the editor, and the saved comparison to open (?id=). The page edits
// the text in CodeMirror (static/vendor/mp-editor-*.js), checks it with POST
// /v1/agreements:validate as the user types, and on each change compares it
// with the served agreement through POST /v1/designs:compare, streamed:
// design.js draws each part (floors, duty, scenarios, ...) as the server's
// engine finishes it. A saved comparison (?id=) is read through GET
// /v1/designs/{id}, from the store, so the link opens on any node and after
// a restart, and the API's access rules apply to it: the page itself never
// reads a saved design. Without JavaScript the page shows the text and says
// so.
type designData struct {
	Text string // the served agreement's text
	Hash string
	File string
	ID   string // a saved comparison to open
}

var designIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

func (p *portal) designStudio(w http.ResponseWriter, r *http.Request) {
	text, err := servedText(p.deps.AgreementFile)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	hash, err := p.deps.Agreement.Hash()
	if err != nil {
		p.fail(w, r, err)
		return
	}
	d := designData{Text: string(text), Hash: hash, File: p.deps.AgreementFile}
	if id := r.URL.Query().Get("id"); id != "" {
		if !designIDPattern.MatchString(id) {
			p.fail(w, r, &problem.Error{Code: problem.Invalid, Field: "id", Message: "a design id is 32 lowercase hex digits"})
			return
		}
		d.ID = id
	}
	p.render(w, r, http.StatusOK, "design", page{Title: "Design studio", Nav: "design", Data: d, Nonce: newNonce()})
}

// servedText is the text of the served agreement: the embedded example, or
// the file it was loaded from.
func servedText(file string) ([]byte, error) {
	if file == "" || file == examples.Pact2026Name || file == "example" {
		return examples.Pact2026, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, &problem.Error{Code: problem.Internal, Message: "reading the served agreement's text", Err: err}
	}
	return b, nil
}

// newNonce returns a fresh CSP nonce: CodeMirror injects <style> elements,
// which the design page's policy allows with this nonce only. It is hex, not
// standard base64: html/template escapes a "+" in an attribute (&#43;), and
// the page passes the nonce to the script through data-nonce, so a nonce with
// a "+" reached the editor altered about one request in three.
func newNonce() string {
	var b [18]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
