package auth

import "context"

type principalKey struct{}

// WithPrincipal returns ctx carrying p, the principal a request acts as.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// From returns the principal ctx carries, or Anonymous. The audit trail asks
// it who did a write (Principal.Actor).
func From(ctx context.Context) Principal {
	if p, ok := ctx.Value(principalKey{}).(Principal); ok {
		return p
	}
	return Anonymous
}
