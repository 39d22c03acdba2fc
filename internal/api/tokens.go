package api

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

// maxTokenRequest bounds the body of POST /v1/tokens.
const maxTokenRequest = 4 << 10

// tokenBody is a token as the API shows it: never its secret, which only
// the answer of its creation carries (Secret).
type tokenBody struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Role      auth.Role  `json:"role"`
	Party     string     `json:"party,omitempty"`
	Status    string     `json:"status"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	CreatedBy string     `json:"created_by"`
	Secret    string     `json:"token,omitempty"`
}

func tokenBodyOf(t auth.Token, now time.Time) tokenBody {
	b := tokenBody{ID: t.ID, Name: t.Name, Role: t.Role, Party: t.Party, Status: t.Status(now),
		CreatedAt: t.CreatedAt.UTC(), ExpiresAt: t.ExpiresAt.UTC(), CreatedBy: t.CreatedBy}
	if t.Revoked() {
		r := t.RevokedAt.UTC()
		b.RevokedAt = &r
	}
	return b
}

// tokenRequest is the body of POST /v1/tokens.
type tokenRequest struct {
	Name          string `json:"name"`
	Role          string `json:"role"`
	Party         string `json:"party"`
	ExpiresInDays int    `json:"expires_in_days"` // 0: 90 days
}

// tokenStore is the store of tokens and the audit trail, or unavailable.
func (s *Server) tokenStore() (store.Store, error) {
	if s.deps.Store == nil || s.auth.Store() == nil {
		return nil, problem.Errorf(unavailable, "no store configured")
	}
	return s.deps.Store, nil
}

// createToken issues a token (administrators): 201 with its secret, shown
// this once.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	if _, err := s.tokenStore(); err != nil {
		writeError(w, r, err)
		return
	}
	b, err := readBody(w, r, maxTokenRequest)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req tokenRequest
	if err := decodeStrict(b, &req); err != nil {
		writeError(w, r, err)
		return
	}
	role, err := auth.ParseRole(req.Role)
	if err != nil {
		writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "role", BadValue: req.Role, Message: err.Error()})
		return
	}
	if req.Party != "" {
		if _, ok := s.deps.Agreement.Party(req.Party); !ok {
			writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "party", BadValue: req.Party, Message: fmt.Sprintf("%s is not a party of %s", req.Party, s.deps.Agreement.ID)})
			return
		}
	}
	days := req.ExpiresInDays
	if days == 0 {
		days = 90
	}
	if days < 0 || days > 366 {
		writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "expires_in_days", Message: fmt.Sprintf("expires_in_days must be 1 to 366, got %d", days)})
		return
	}
	secret, t, err := s.auth.Issue(r.Context(), strings.TrimSpace(req.Name), role, req.Party, time.Duration(days)*24*time.Hour, auth.From(r.Context()).Actor())
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := tokenBodyOf(t, s.auth.Now())
	out.Secret = secret
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, out)
}

// listTokens lists every token (administrators), never a secret.
func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) {
	if _, err := s.tokenStore(); err != nil {
		writeError(w, r, err)
		return
	}
	ts, err := s.auth.Store().ListTokens(r.Context())
	if err != nil {
		writeError(w, r, err)
		return
	}
	now := s.auth.Now()
	out := struct {
		Tokens []tokenBody `json:"tokens"`
	}{Tokens: make([]tokenBody, len(ts))}
	for i, t := range ts {
		out.Tokens[i] = tokenBodyOf(t, now)
	}
	writeJSON(w, http.StatusOK, out)
}

// revokeToken revokes a token (administrators): refused at once on this
// node, within auth.CacheTTL on the others; its portal sessions end.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	if _, err := s.tokenStore(); err != nil {
		writeError(w, r, err)
		return
	}
	id := r.PathValue("id")
	if !auth.ValidID(id) {
		writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "id", Message: fmt.Sprintf("%q is not a token id: want tok_ and 16 hex digits", id)})
		return
	}
	// The store writes the revocation's audit record, by the principal.
	t, err := s.auth.Revoke(r.Context(), id, auth.From(r.Context()).Actor())
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, tokenBodyOf(t, s.auth.Now()))
}
