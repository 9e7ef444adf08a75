package httpapi

import (
	"net/http"
	"testing"
)

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                     false,
		"gzip":                 true,
		"br, gzip, deflate":    true,
		"gzip;q=0.8, br":       true,
		"gzip;q=0":             false,
		"gzip; q=0.000, br":    false,
		"x-gzip":               false,
		"identity, deflate":    false,
		"deflate, gzip ; q=1 ": true,
	} {
		r, _ := http.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Encoding", header)
		if got := acceptsGzip(r); got != want {
			t.Errorf("Accept-Encoding %q: gzip %v, want %v", header, got, want)
		}
	}
}
