package httpapi

import (
	"context"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"fupin/internal/auth"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// Bounds of what an unauthenticated client may send and make the server
// write. Checked before anything else, so that nothing of an oversized
// attempt reaches the limiter, the database or the audit log.
const (
	maxSignInBody     = 4 << 10 // bytes of a sign-in request body
	maxUsernameBytes  = 64
	maxPasswordBytes  = 256
	maxRefusalAddrs   = 10000 // addresses whose refused attempts are counted
	refusalsOtherAddr = "其他地址"
)

// checkSignInRequest refuses sign-in requests a browser would only send
// from another site (login CSRF): see checkSameSiteJSON.
func checkSignInRequest(r *http.Request) error { return checkSameSiteJSON(r, "登录") }

// checkSameSiteJSON refuses unauthenticated writes a browser would only
// send from another site: the body must be application/json (a
// cross-site form or text/plain post cannot set it without a preflight),
// and Origin, when sent, must be this server; Sec-Fetch-Site, when sent,
// same-origin or none. what names the request in the error (登录, 申报).
func checkSameSiteJSON(r *http.Request, what string) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return fupin.Errorf(fupin.EInvalid, "%s请求的 Content-Type 应为 application/json", what)
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || !strings.EqualFold(u.Host, r.Host) {
			return fupin.Errorf(fupin.EForbidden, "拒绝来自其他网站的%s请求", what)
		}
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return fupin.Errorf(fupin.EForbidden, "拒绝来自其他网站的%s请求", what)
	}
	return nil
}

// checkCredentialSizes caps what a sign-in may carry before it is looked
// at: a user name of at most 64 bytes, a password of at most 256.
func checkCredentialSizes(in signInIn) error {
	errs := fupin.FieldErrors{}
	if len(in.Username) > maxUsernameBytes {
		errs.Add("username", "用户名不能超过 64 字节")
	}
	if len(in.Password) > maxPasswordBytes {
		errs.Add("password", "密码不能超过 256 字节")
	}
	if len(errs) > 0 {
		return &fupin.Error{Code: fupin.EInvalid, Message: "用户名或密码过长", Fields: errs}
	}
	return nil
}

// refusals counts refused sign-in attempts (429) per address, so that the
// audit log gets one row per address per window however many are sent:
// the first refusal of a window is written, with the count of the
// previous window's unwritten ones; the rest are only counted. Beyond
// maxRefusalAddrs addresses, the others share one count.
type refusals struct {
	mu      sync.Mutex
	byAddr  map[string]*refusalWindow
	window  time.Duration
	maxAddr int
}

type refusalWindow struct {
	start    time.Time
	unlogged int // refusals in the window not written
}

// note records a refusal from addr at now and reports whether it should be
// written, with how many earlier refusals from addr were not.
func (f *refusals) note(addr string, now time.Time) (write bool, unlogged int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.byAddr == nil {
		f.byAddr = map[string]*refusalWindow{}
	}
	w := f.byAddr[addr]
	if w == nil && len(f.byAddr) >= f.maxAddr {
		for k, v := range f.byAddr {
			if now.Sub(v.start) >= f.window && v.unlogged == 0 {
				delete(f.byAddr, k)
			}
		}
		if len(f.byAddr) >= f.maxAddr {
			addr = refusalsOtherAddr
			w = f.byAddr[addr]
		}
	}
	if w != nil && now.Sub(w.start) < f.window {
		w.unlogged++
		return false, 0
	}
	if w != nil {
		unlogged = w.unlogged
	}
	f.byAddr[addr] = &refusalWindow{start: now}
	return true, unlogged
}

// auditRefusal writes a refused sign-in attempt in aggregate (see
// refusals), with a background context: the attempt is over.
func (s *Server) auditRefusal(username, addr, reason string) {
	write, earlier := s.refused.note(addr, s.db.Clock())
	if !write {
		return
	}
	detail := map[string]any{"addr": addr, "reason": reason, "window_minutes": int(s.refused.window / time.Minute)}
	if earlier > 0 {
		detail["refused_unlogged"] = earlier
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.db.AuditEvent(ctx, username, "auth.rejected", "user", username, detail); err != nil {
		s.log.Error("audit refused sign-in", "err", err)
	}
}

// restoreLockouts loads the stored lock-out states into the limiter.
func (s *Server) restoreLockouts() {
	if s.db == nil { // building the OpenAPI document only
		return
	}
	ls, err := s.db.Lockouts(context.Background())
	if err != nil {
		s.log.Error("load sign-in lockouts", "err", err)
		return
	}
	for _, l := range ls {
		s.limiter.Restore(auth.AccountState{Account: l.Account, Failures: l.Failures, LastFailure: l.LastFailure, LockedUntil: l.LockedUntil})
	}
}

// syncLockout takes in the account's stored lock-out state before an attempt, so that a
// lock-out or failures counted by another server on the same database hold here too.
func (s *Server) syncLockout(ctx context.Context, username string) {
	st, _ := s.limiter.State(username)
	if st.Account == "" {
		return
	}
	l, ok, err := s.db.LockoutOf(ctx, st.Account)
	if err != nil {
		s.log.ErrorContext(ctx, "load sign-in lockout", "err", err)
		return
	}
	if ok {
		s.limiter.Merge(auth.AccountState{Account: l.Account, Failures: l.Failures, LastFailure: l.LastFailure, LockedUntil: l.LockedUntil})
	}
}

// saveLockout stores the limiter's state of an existing account after a
// failure or success. Names that are not accounts are kept in memory only:
// storing them would let anyone fill the table.
func (s *Server) saveLockout(ctx context.Context, username string) {
	st, keep := s.limiter.State(username)
	err := s.db.SaveLockout(ctx, sqlstore.Lockout{Account: st.Account, Failures: st.Failures,
		LastFailure: st.LastFailure, LockedUntil: st.LockedUntil}, keep)
	if err != nil {
		s.log.Error("save sign-in lockout", "err", err)
	}
}
