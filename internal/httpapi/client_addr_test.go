package httpapi_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/httpapi"
	"fupin/internal/sqlstore"
)

// TestPerAddressLimitBehindProxy: the public 自主申报 quota (5 a day per
// address) counts the client named by a trusted proxy's X-Forwarded-For,
// never an address the client wrote itself, and without trusted proxies
// the header is ignored.
func TestPerAddressLimitBehindProxy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		direct := newServer(t, db)
		// The page takes applications only for townships the system serves.
		mustDo(t, &client{t: t, srv: direct, token: adminToken}, 201, "POST", "/api/v1/households",
			household(id("512226", "19600101", 801), id("512226", "19620202", 801), "500236266200"))
		loopback, err := httpapi.ParseTrustedProxies("127.0.0.1, ::1")
		if err != nil {
			t.Fatal(err)
		}
		behind := httptest.NewServer(httpapi.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), httpapi.Options{TrustedProxies: loopback}))
		t.Cleanup(behind.Close)
		send := func(url, xff string) int {
			st, _ := publicPost(t, url, applyBody("500236266200", "甲"), map[string]string{"X-Forwarded-For": xff})
			return st
		}
		for i := 0; i < 5; i++ {
			if st := send(behind.URL, "203.0.113.7"); st != 201 {
				t.Fatalf("application %d from 203.0.113.7 = %d, want 201", i+1, st)
			}
		}
		for _, tc := range []struct{ xff, why string }{
			{"203.0.113.7", "the same client a sixth time"},
			{"198.51.100.1, 203.0.113.7", "a forged left entry does not hide the client the proxy saw"},
			{"203.0.113.7, 127.0.0.1", "a trusted hop on the right is skipped"},
		} {
			if st := send(behind.URL, tc.xff); st != 429 {
				t.Errorf("%s (X-Forwarded-For %q) = %d, want 429", tc.why, tc.xff, st)
			}
		}
		if st := send(behind.URL, "203.0.113.8"); st != 201 {
			t.Errorf("another client behind the proxy = %d, want 201", st)
		}

		// Without trusted proxies every request is the loopback address,
		// whatever it claims: the five requests below use up the
		// loopback's quota, so 203.0.113.9, which has sent nothing, is
		// refused.
		for i := 0; i < 5; i++ {
			send(direct.URL, "203.0.113."+strings.Repeat("1", i+1))
		}
		if st := send(direct.URL, "203.0.113.9"); st != 429 {
			t.Errorf("untrusted X-Forwarded-For was believed: %d, want 429", st)
		}
	})
}

func TestParseTrustedProxies(t *testing.T) {
	got, err := httpapi.ParseTrustedProxies(" 10.0.0.0/8 ,127.0.0.1,::1,192.168.1.7/24")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.0/8", "127.0.0.1/32", "::1/128", "192.168.1.0/24"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("entry %d = %s, want %s", i, got[i], want[i])
		}
	}
	if _, err := httpapi.ParseTrustedProxies("10.0.0.1,proxy.local"); err == nil || !strings.Contains(err.Error(), "proxy.local") {
		t.Errorf("bad entry error = %v, want it named", err)
	}
}
