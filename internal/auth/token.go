package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// Token prefixes, so a leaked token is recognisable (e.g. by secret scanners)
// and sessions and API tokens cannot be confused.
const (
	SessionPrefix  = "fps_" // session cookies
	APITokenPrefix = "fpt_" // personal API tokens
)

// tokenBytes is the entropy of every token: 256 bits.
const tokenBytes = 32

// NewToken returns prefix followed by 32 random bytes in unpadded base64url
// (43 characters), e.g. NewToken(SessionPrefix). Store only HashToken of the
// result.
func NewToken(prefix string) (plain string, err error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: reading random token: %w", err)
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// HashToken returns the lower-case hex SHA-256 of the whole plain token,
// prefix included. Tokens carry 256 bits of entropy, so an unsalted fast hash
// is enough; it makes a stolen database copy useless for signing in.
func HashToken(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// NewCSRFToken returns a random anti-CSRF token: 32 random bytes in unpadded
// base64url, without prefix. Compare it with EqualTokens.
func NewCSRFToken() (string, error) {
	return NewToken("")
}

// EqualTokens reports whether a and b are the same token, in time that does
// not depend on their contents or lengths. Empty strings never match, so a
// missing token cannot equal a missing one.
func EqualTokens(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}
