package agreement

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Canonical returns the agreement's canonical form: compact JSON with fields in
// declaration order and map keys sorted. Two files that decode to the same
// agreement have the same canonical form, whatever their layout or comments.
func (a *Agreement) Canonical() ([]byte, error) { return json.Marshal(a) }

// Hash returns the sha256 of the canonical form in hex: the content address
// under which stores keep an agreement version.
func (a *Agreement) Hash() (string, error) {
	b, err := a.Canonical()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
