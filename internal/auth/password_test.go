package auth

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// cheap are low-cost parameters so most tests stay fast under -race.
var cheap = params{memory: 1024, time: 1, threads: 1}

var phc = regexp.MustCompile(`^\$argon2id\$v=19\$m=65536,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestHashPasswordRoundTrip(t *testing.T) {
	const pw = "Fupin-2024-村级"
	enc, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if !phc.MatchString(enc) {
		t.Fatalf("HashPassword() = %q, want %s", enc, phc)
	}
	again, _ := HashPassword(pw)
	if again == enc {
		t.Errorf("two hashes of the same password are equal; salt not random")
	}
	for _, tt := range []struct {
		pw   string
		want bool
	}{
		{pw, true},
		{"Fupin-2024-村", false},
		{"fupin-2024-村级", false},
		{pw + " ", false},
		{"", false},
	} {
		got, err := CheckPassword(enc, tt.pw)
		if got != tt.want || err != nil {
			t.Errorf("CheckPassword(enc, %q) = %v, %v; want %v, nil", tt.pw, got, err, tt.want)
		}
	}
	if got, err := NeedsRehash(enc); got || err != nil {
		t.Errorf("NeedsRehash(current) = %v, %v; want false, nil", got, err)
	}
}

func TestCheckPasswordOtherParams(t *testing.T) {
	tests := []struct {
		p    params
		want string
	}{
		{cheap, "$m=1024,t=1,p=1$"},
		{params{memory: 8 * 1024, time: 3, threads: 2}, "$m=8192,t=3,p=2$"},
		{params{memory: 64, time: 1, threads: 4}, "$m=64,t=1,p=4$"},
	}
	for _, tt := range tests {
		enc, err := hashWith("secret-口令", tt.p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(enc, tt.want) {
			t.Errorf("hashWith(%+v) = %q, want it to contain %q", tt.p, enc, tt.want)
		}
		if ok, err := CheckPassword(enc, "secret-口令"); !ok || err != nil {
			t.Errorf("CheckPassword(%q, right) = %v, %v; want true, nil", enc, ok, err)
		}
		if ok, err := CheckPassword(enc, "secret"); ok || err != nil {
			t.Errorf("CheckPassword(%q, wrong) = %v, %v; want false, nil", enc, ok, err)
		}
		if got, err := NeedsRehash(enc); !got || err != nil {
			t.Errorf("NeedsRehash(%q) = %v, %v; want true, nil", enc, got, err)
		}
	}
}

func TestCheckPasswordTampered(t *testing.T) {
	enc, err := hashWith("correct horse", cheap)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(enc, "$") // "", alg, v, params, salt, key
	flip := func(s string, i int) string {
		c := byte('A')
		if s[i] == 'A' {
			c = 'B'
		}
		return s[:i] + string(c) + s[i+1:]
	}
	join := func(salt, key string) string {
		return strings.Join([]string{"", parts[1], parts[2], parts[3], salt, key}, "$")
	}
	// Well-formed but altered: the password no longer matches.
	for _, bad := range []string{
		join(flip(parts[4], 5), parts[5]),
		join(parts[4], flip(parts[5], 5)),
		strings.Replace(enc, "t=1", "t=2", 1),
		strings.Replace(enc, "m=1024", "m=2048", 1),
	} {
		if ok, err := CheckPassword(bad, "correct horse"); ok || err != nil {
			t.Errorf("CheckPassword(%q) = %v, %v; want false, nil", bad, ok, err)
		}
	}
	// Malformed: an error wrapping ErrInvalidHash.
	key32 := parts[5]
	for _, bad := range []string{
		"",
		"correct horse",
		"$argon2id$",
		enc + "$",
		"x" + enc,
		strings.Replace(enc, "argon2id", "argon2i", 1),
		strings.Replace(enc, "v=19", "v=16", 1),
		strings.Replace(enc, "m=1024,t=1,p=1", "t=1,m=1024,p=1", 1),
		strings.Replace(enc, "m=1024,t=1,p=1", "m=1024,t=1", 1),
		strings.Replace(enc, "m=1024,t=1,p=1", "m=1024,t=1,p=1,k=2", 1),
		strings.Replace(enc, "m=1024", "m=0x400", 1),
		strings.Replace(enc, "m=1024", "m=-1", 1),
		strings.Replace(enc, "m=1024", "m=", 1),
		strings.Replace(enc, "m=1024", "m=7", 1),
		strings.Replace(enc, "m=1024", "m=4294967295", 1),
		strings.Replace(enc, "m=1024", "m=99999999999", 1),
		strings.Replace(enc, "t=1", "t=0", 1),
		strings.Replace(enc, "t=1", "t=1000", 1),
		strings.Replace(enc, "p=1", "p=0", 1),
		strings.Replace(enc, "p=1", "p=256", 1),
		strings.Replace(enc, "m=1024,t=1,p=1", "m=64,t=1,p=9", 1), // m < 8*p
		join(parts[4]+"==", key32),
		join("!!!!", key32),
		join("", key32),
		join("AAAAAAA", key32), // 5 bytes of salt
		join(parts[4], ""),
		join(parts[4], key32[:20]), // 15 bytes of key
		join(parts[4], key32+"="),
		join(parts[4], strings.Repeat("A", 100)),
	} {
		ok, err := CheckPassword(bad, "correct horse")
		if ok || !errors.Is(err, ErrInvalidHash) {
			t.Errorf("CheckPassword(%q) = %v, %v; want false, ErrInvalidHash", bad, ok, err)
		}
		if _, err := NeedsRehash(bad); !errors.Is(err, ErrInvalidHash) {
			t.Errorf("NeedsRehash(%q) error = %v, want ErrInvalidHash", bad, err)
		}
	}
}

func FuzzCheckPassword(f *testing.F) {
	enc, err := hashWith("pw", cheap)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		enc, "", "$", "$$$$$", "$argon2id$v=19$m=8,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + strings.Repeat("A", 43),
		"$argon2id$v=19$m=4294967295,t=4294967295,p=255$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=1,t=1,p=0$$", "\xff$argon2id", "$argon2id$v=19$m=,t=,p=$=$=",
	} {
		f.Add(s, "pw")
	}
	f.Fuzz(func(t *testing.T, encoded, pw string) {
		p, _, _, derr := decodeHash(encoded)
		if derr == nil && (p.memory > 4096 || p.time > 2 || p.threads > 4) {
			return // well-formed but too costly to hash on every fuzz input
		}
		ok, err := CheckPassword(encoded, pw)
		if (err != nil) != (derr != nil) {
			t.Fatalf("CheckPassword(%q) error %v, decodeHash error %v", encoded, err, derr)
		}
		if err != nil && (ok || !errors.Is(err, ErrInvalidHash)) {
			t.Fatalf("CheckPassword(%q) = %v, %v; want false, ErrInvalidHash", encoded, ok, err)
		}
	})
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("Benchmark-Password-1"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
}

func BenchmarkCheckPassword(b *testing.B) {
	enc, err := HashPassword("Benchmark-Password-1")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, err := CheckPassword(enc, "Benchmark-Password-1"); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
}
