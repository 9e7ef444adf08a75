package auth

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
)

func TestNewToken(t *testing.T) {
	for _, prefix := range []string{SessionPrefix, APITokenPrefix, ""} {
		seen := map[string]bool{}
		for range 1000 {
			tok, err := NewToken(prefix)
			if err != nil {
				t.Fatal(err)
			}
			rest, ok := strings.CutPrefix(tok, prefix)
			if !ok {
				t.Fatalf("NewToken(%q) = %q, missing prefix", prefix, tok)
			}
			if got, want := len(rest), 43; got != want {
				t.Fatalf("NewToken(%q) body length = %d, want %d", prefix, got, want)
			}
			raw, err := base64.RawURLEncoding.DecodeString(rest)
			if err != nil || len(raw) != 32 {
				t.Fatalf("NewToken(%q) body %q: %d bytes, %v; want 32 bytes base64url", prefix, rest, len(raw), err)
			}
			if seen[tok] {
				t.Fatalf("NewToken(%q) repeated %q", prefix, tok)
			}
			seen[tok] = true
		}
	}
}

func TestNewCSRFToken(t *testing.T) {
	a, err1 := NewCSRFToken()
	b, err2 := NewCSRFToken()
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if len(a) != 43 || a == b {
		t.Errorf("NewCSRFToken() = %q, %q; want two different 43-character tokens", a, b)
	}
}

func TestHashToken(t *testing.T) {
	tests := []struct{ in, want string }{
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	}
	for _, tt := range tests {
		if got := HashToken(tt.in); got != tt.want {
			t.Errorf("HashToken(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	tok, _ := NewToken(SessionPrefix)
	h := HashToken(tok)
	if _, err := hex.DecodeString(h); err != nil || len(h) != 64 || strings.ToLower(h) != h {
		t.Errorf("HashToken(%q) = %q, want 64 lower-case hex digits", tok, h)
	}
	if got := HashToken(tok); got != h {
		t.Errorf("HashToken not stable: %q then %q", h, got)
	}
	if HashToken(strings.TrimPrefix(tok, SessionPrefix)) == h {
		t.Errorf("HashToken ignores the prefix")
	}
}

func TestEqualTokens(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"fps_abc", "fps_abc", true},
		{"fps_abc", "fps_abd", false},
		{"fps_abc", "fpt_abc", false},
		{"fps_abc", "fps_abcd", false},
		{"x", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := EqualTokens(tt.a, tt.b); got != tt.want {
			t.Errorf("EqualTokens(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
