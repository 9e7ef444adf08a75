package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// params are the argon2id cost parameters of one hash.
type params struct {
	memory  uint32 // KiB
	time    uint32 // passes
	threads uint8  // lanes
}

// Current hashing parameters: m=64 MiB, t=2, p=1. On the 2-core Intel Xeon
// development machine a hash took 125–155 ms (up to about 200 ms while other
// builds ran; BenchmarkHashPassword); t=1 would take about 85 ms. Each
// concurrent sign-in needs 64 MiB of memory. Raising them later is safe:
// CheckPassword reads the parameters from the stored string.
const (
	argonMemory  = 64 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	saltLen      = 16
	keyLen       = 32
)

var defaultParams = params{memory: argonMemory, time: argonTime, threads: argonThreads}

// Bounds accepted by CheckPassword, so that a corrupt or hostile stored
// string can neither panic nor exhaust memory.
const (
	maxMemory  = 1 << 20 // KiB (1 GiB)
	maxTime    = 32
	maxThreads = 64
	minSalt    = 8
	maxSalt    = 64
	minKey     = 16
	maxKey     = 64
)

// ErrInvalidHash is wrapped by the errors of CheckPassword and NeedsRehash
// when the stored string is not a well-formed argon2id hash. It indicates
// corrupt data, not a wrong password, and is not meant for end users.
var ErrInvalidHash = errors.New("auth: invalid password hash")

var b64 = base64.RawStdEncoding.Strict()

// HashPassword hashes pw with argon2id, a fresh 16-byte random salt and the
// current parameters, and returns the PHC-style encoding
// "$argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash>". The password is hashed as
// given (no trimming or normalisation); enforce CheckStrength beforehand.
func HashPassword(pw string) (string, error) {
	return hashWith(pw, defaultParams)
}

func hashWith(pw string, p params) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: reading random salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.time, p.memory, p.threads, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memory, p.time, p.threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches the encoded hash produced by
// HashPassword. The cost parameters, salt and key length are taken from
// encoded, so hashes made with older parameters keep working. The comparison
// is constant-time. A wrong password gives (false, nil); a malformed encoded
// string gives (false, err) with err wrapping ErrInvalidHash.
func CheckPassword(encoded, pw string) (bool, error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), salt, p.time, p.memory, p.threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether encoded was made with parameters other than
// the current ones, so the caller should store HashPassword(pw) after the
// next successful CheckPassword. A malformed string gives (false, err).
func NeedsRehash(encoded string) (bool, error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	return p != defaultParams || len(salt) != saltLen || len(key) != keyLen, nil
}

// decodeHash parses and bounds-checks a PHC-style argon2id string.
func decodeHash(encoded string) (p params, salt, key []byte, err error) {
	fail := func(what string) (params, []byte, []byte, error) {
		return params{}, nil, nil, fmt.Errorf("%w: %s", ErrInvalidHash, what)
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" {
		return fail("want 5 $-separated fields")
	}
	if parts[1] != "argon2id" {
		return fail("algorithm is not argon2id")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return fail("unsupported version")
	}
	if p, err = parseParams(parts[3]); err != nil {
		return fail(err.Error())
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < minSalt || len(salt) > maxSalt {
		return fail("bad salt")
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < minKey || len(key) > maxKey {
		return fail("bad key")
	}
	return p, salt, key, nil
}

// parseParams parses "m=<KiB>,t=<passes>,p=<lanes>" in exactly that order.
func parseParams(s string) (params, error) {
	fields := strings.Split(s, ",")
	if len(fields) != 3 {
		return params{}, errors.New("want m=,t=,p=")
	}
	var vals [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		digits, ok := strings.CutPrefix(fields[i], name)
		v, err := strconv.ParseUint(digits, 10, 32) // decimal digits only, no sign
		if !ok || err != nil {
			return params{}, fmt.Errorf("bad %s", name)
		}
		vals[i] = v
	}
	m, t, th := vals[0], vals[1], vals[2]
	switch {
	case th < 1 || th > maxThreads:
		return params{}, errors.New("p out of range")
	case t < 1 || t > maxTime:
		return params{}, errors.New("t out of range")
	case m < 8*th || m > maxMemory:
		return params{}, errors.New("m out of range")
	}
	return params{memory: uint32(m), time: uint32(t), threads: uint8(th)}, nil
}
