package main

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// issueToken creates a token of role (and party, for customs) in the SQLite
// store at db with `token create` and returns its secret: how tests (and a
// first administrator) get a credential for a server over that store, e.g.
// req.Header.Set("Authorization", "Bearer "+issueToken(t, db, "customs", "US")).
func issueToken(t *testing.T, db, role, party string) string {
	t.Helper()
	args := []string{"token", "create", "--name", "test " + role, "--role", role, "--db", "sqlite:" + db, "--format", "json"}
	if party != "" {
		args = append(args, "--party", party)
	}
	out, stderr, code := runCLI(t, args...)
	if code != exitOK {
		t.Fatalf("token create --role %s = exit %d: %s", role, code, stderr)
	}
	var got struct{ Token string }
	if err := json.Unmarshal([]byte(out), &got); err != nil || !strings.HasPrefix(got.Token, "mpt_") {
		t.Fatalf("token create --format json = %q, want the secret in token", out)
	}
	return got.Token
}

// TestTokenCommands: create prints the secret once (stdout, for a pipe)
// and the store keeps only its hash; list shows no secret; a server over the
// store accepts the token on a write route and refuses it once revoked;
// mistakes are usage errors or invalid input.
func TestTokenCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "tokens.db")
	out, stderr, code := runCLI(t, "token", "create", "--name", "Ada Admin", "--role", "administrator", "--db", "sqlite:"+db)
	secret := strings.TrimSpace(out)
	if code != exitOK || !strings.HasPrefix(secret, "mpt_") || strings.Count(out, "\n") != 1 || !strings.Contains(stderr, "only time it is shown") {
		t.Fatalf("token create = exit %d, stdout %q, stderr %q; want the secret alone on stdout and the warning on stderr", code, out, stderr)
	}
	list, _, code := runCLI(t, "token", "list", "--db", "sqlite:"+db, "--format", "json")
	var rows []tokenRow
	if err := json.Unmarshal([]byte(list), &rows); code != exitOK || err != nil || len(rows) != 1 || rows[0].Role != "administrator" || rows[0].Status != "active" {
		t.Fatalf("token list = exit %d %s, want the one active administrator", code, list)
	}
	if strings.Contains(list, secret[4:]) || strings.Contains(list, secret[len(secret)-20:]) {
		t.Errorf("token list shows the secret")
	}

	analyst := issueToken(t, db, "analyst", "")
	base := startServer(t, db)
	post := func(secret string) int {
		req, _ := http.NewRequest("POST", base+"/v1/simulations", strings.NewReader(`{"scenario": "cobalt-drc-2025", "paths": 1}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := post(analyst); got != http.StatusOK {
		t.Errorf("POST /v1/simulations as the analyst = %d, want 200", got)
	}
	if got := post(secret); got != http.StatusForbidden {
		t.Errorf("POST /v1/simulations as the administrator = %d, want 403 (least privilege)", got)
	}
	id, _, _ := strings.Cut(strings.TrimPrefix(analyst, "mpt_"), "_")
	if out, stderr, code := runCLI(t, "token", "revoke", "tok_"+id, "--db", "sqlite:"+db); code != exitOK || !strings.Contains(out, "revoked") {
		t.Fatalf("token revoke = exit %d %s %s", code, out, stderr)
	}

	bad := []struct {
		args []string
		code int
	}{
		{[]string{"token", "create", "--role", "analyst"}, exitUsage},
		{[]string{"token", "create", "--name", "x", "--role", "king"}, exitUsage},
		{[]string{"token", "create", "--name", "x", "--role", "customs", "--db", "sqlite:" + db}, exitInvalid},
		{[]string{"token", "create", "--name", "x", "--role", "customs", "--party", "XX", "--db", "sqlite:" + db}, exitInvalid},
		{[]string{"token", "create", "--name", "x", "--role", "analyst", "--expires-in", "400d", "--db", "sqlite:" + db}, exitInvalid},
		{[]string{"token", "revoke", secret, "--db", "sqlite:" + db}, exitUsage},
		{[]string{"token", "revoke", "tok_ffffffffffffffff", "--db", "sqlite:" + db}, exitInvalid},
	}
	for _, b := range bad {
		if _, stderr, code := runCLI(t, b.args...); code != b.code {
			t.Errorf("%s = exit %d (%s), want %d", strings.Join(b.args, " "), code, stderr, b.code)
		}
	}
}
