package httpapi

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// maxForwardedHops bounds how much of an X-Forwarded-For header is read.
const maxForwardedHops = 16

// clientAddr is the address the per-address limits count (sign-in
// refusals and lock-outs, the public 自主申报 quota): the remote IP without
// its port. When the connection comes from a trusted reverse proxy
// (Options.TrustedProxies) it is the rightmost X-Forwarded-For address
// that is not itself a trusted proxy: the entries left of it were written
// by the client and can be forged, so they are never believed. Without
// trusted proxies the header is ignored.
func (s *Server) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if len(s.opts.TrustedProxies) == 0 || !s.trusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i, n := len(hops)-1, 0; i >= 0 && n < maxForwardedHops; i, n = i-1, n+1 {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return host // a garbled hop: count the proxy, not a guess
		}
		if !s.trusted(a.String()) {
			return a.Unmap().String()
		}
	}
	return host
}

// trusted reports whether ip lies in one of the trusted proxy prefixes.
func (s *Server) trusted(ip string) bool {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range s.opts.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParseTrustedProxies reads a comma-separated list of addresses and CIDR
// prefixes (--trusted-proxies); the error names the entry in Chinese.
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, &badProxyError{entry: f}
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

type badProxyError struct{ entry string }

func (e *badProxyError) Error() string {
	return "--trusted-proxies 中的「" + e.entry + "」不是 IP 地址或网段（如 10.0.0.1 或 10.0.0.0/8）"
}
