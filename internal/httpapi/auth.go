package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"fupin/internal/auth"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// perm is what a route requires of the caller.
type perm int

const (
	permPublic   perm = iota // no sign-in
	permRead                 // any signed-in user or token, within their areas
	permWrite                // a role that edits registry data
	permPolicy               // a role that sets policy parameters
	permUsers                // a role that manages users
	permAdmin                // administrators only (API tokens)
	permAppraise             // administrators and county users (成效考核 snapshots)
	permCheck                // administrators, county users and inspectors (抽查 results)
	permAudit                // administrators and county users (the audit log, narrowed to their areas)
)

const sessionCookie = "fupin_session"

// principal is the authenticated caller of a request.
type principal struct {
	actor    fupin.Actor
	role     auth.Role
	username string
	csrf     string // set for cookie sessions
	session  string // hash of the session id
	user     *sqlstore.User
	token    *sqlstore.APIToken
	// resetBy and resetAt: the password was reset by someone else before
	// this session began.
	resetBy string
	resetAt *time.Time
}

type principalKey struct{}

// authenticate finds the caller from a Bearer token or the session cookie.
func (s *Server) authenticate(r *http.Request) (*principal, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, fupin.Errorf(fupin.EUnauthorized, "Authorization 头应为 Bearer 令牌")
		}
		t, err := s.db.TokenByHash(r.Context(), auth.HashToken(strings.TrimSpace(tok)))
		if err != nil {
			return nil, err
		}
		return &principal{actor: t.Actor(), role: auth.Role(t.Role), username: t.Actor().Name, token: t}, nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, fupin.Errorf(fupin.EUnauthorized, "请先登录")
	}
	hash := auth.HashToken(c.Value)
	sess, err := s.db.SessionByHash(r.Context(), hash, s.opts.IdleTimeout)
	if err != nil {
		return nil, err
	}
	u := sess.User
	return &principal{actor: u.Actor(), role: auth.Role(u.Role), username: u.Username, csrf: sess.CSRFToken, session: hash, user: &u,
		resetBy: sess.PasswordResetBy, resetAt: sess.PasswordResetAt}, nil
}

// guard wraps a route's handler with authentication, the role check and
// CSRF protection for cookie-authenticated writes.
func (s *Server) guard(p perm, next http.HandlerFunc) http.HandlerFunc {
	if p == permPublic {
		return next
	}
	return func(w http.ResponseWriter, r *http.Request) {
		pr, err := s.authenticate(r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if !allowed(pr.role, p) {
			s.writeError(w, r, fupin.Errorf(fupin.EForbidden, "您的角色（%s）无权执行此操作", pr.role.Label()))
			return
		}
		if pr.csrf != "" && r.Method != http.MethodGet && r.Method != http.MethodHead &&
			!auth.EqualTokens(r.Header.Get("X-CSRF-Token"), pr.csrf) {
			s.writeError(w, r, fupin.Errorf(fupin.EForbidden, "缺少或错误的 CSRF 令牌（X-CSRF-Token），请刷新页面后重试"))
			return
		}
		next(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, pr)))
	}
}

func allowed(role auth.Role, p perm) bool {
	switch p {
	case permRead:
		return true
	case permWrite:
		return role.CanWrite()
	case permPolicy:
		return role.CanSetPolicy()
	case permUsers:
		return role.CanManageUsers()
	case permAdmin:
		return role == auth.RoleAdmin
	case permAppraise:
		return role == auth.RoleAdmin || role == auth.RoleCounty
	case permCheck:
		return role == auth.RoleAdmin || role == auth.RoleCounty || role == auth.RoleInspector
	case permAudit:
		return role.CanReadAudit()
	}
	return false
}

func principalOf(r *http.Request) *principal {
	p, _ := r.Context().Value(principalKey{}).(*principal)
	return p
}

// actorOf is the store actor of a guarded request.
func actorOf(r *http.Request) (fupin.Actor, error) {
	if p := principalOf(r); p != nil {
		return p.actor, nil
	}
	return fupin.Actor{}, fupin.Errorf(fupin.EUnauthorized, "请先登录")
}

type (
	signInIn struct {
		Username string `json:"username" required:"true"`
		Password string `json:"password" required:"true"`
	}
	meBody struct {
		Username     string    `json:"username"`
		DisplayName  string    `json:"display_name"`
		Role         string    `json:"role"`
		RoleLabel    string    `json:"role_label"`
		Areas        []string  `json:"areas"`
		CSRFToken    string    `json:"csrf_token,omitempty" description:"以 Cookie 登录时，写操作须在 X-CSRF-Token 头中带回"`
		ExpiresAt    time.Time `json:"expires_at,omitzero"`
		CanWrite     bool      `json:"can_write"`
		SeesIdentity bool      `json:"sees_identity"`
		// PasswordResetBy/At tell a user that someone else reset the
		// password since the previous sign-in.
		PasswordResetBy string     `json:"password_reset_by,omitempty" description:"密码被他人重置后首次登录时给出：重置人（本次会话内一直给出）"`
		PasswordResetAt *time.Time `json:"password_reset_at,omitempty" description:"密码被重置的时间"`
		// Capabilities come from internal/auth; the console shows only
		// the buttons whose capability the caller has.
		Capabilities []auth.Capability `json:"capabilities" description:"write 录入修改、township_write 乡镇级操作（轮换、审批请假、帮扶集团）、users 用户管理、policy 政策参数、admin 令牌与审计日志校验、audit 审计日志（本辖区）、identity 完整身份证号"`
	}
)

// signIn checks a user name and password. What an unauthenticated client
// sends is bounded before anything is looked up or written: the request
// must come from this site as JSON of at most 4 KiB, with a user name of
// at most 64 bytes and a password of at most 256.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	var in signInIn
	err := checkSignInRequest(r)
	if err == nil {
		r.Body = http.MaxBytesReader(w, r.Body, maxSignInBody)
		err = decode(w, r, &in)
	}
	if err == nil {
		err = checkCredentialSizes(in)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	addr := s.clientAddr(r)
	s.syncLockout(r.Context(), in.Username)
	if ok, retry, reason := s.limiter.Allow(in.Username, addr); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(retry.Seconds())+1))
		s.auditRefusal(in.Username, addr, reason)
		s.metrics.signinFailed("refused")
		s.writeError(w, r, fupin.Errorf(fupin.ERateLimited, "%s", reason))
		return
	}
	u, hash, err := s.db.UserForSignIn(r.Context(), in.Username)
	good := false
	switch {
	case err == nil && !u.Disabled:
		good, _ = auth.CheckPassword(hash, in.Password)
	case err == nil || fupin.ErrorCode(err) == fupin.ENotFound:
		// Spend the same time as a real check, so that timing does not
		// tell which user names exist.
		auth.CheckPassword(s.dummyHash(), in.Password)
	default:
		s.writeError(w, r, err)
		return
	}
	if !good {
		// Recorded even if the client has gone: leaving early must not
		// keep a failure out of the audit log or the lock-out count.
		ctx := context.WithoutCancel(r.Context())
		locked := s.limiter.Failure(in.Username, addr)
		s.metrics.signinFailed("password")
		if u != nil {
			s.saveLockout(ctx, in.Username)
		}
		s.db.AuditEvent(ctx, in.Username, "auth.failure", "user", in.Username, map[string]string{"addr": addr})
		if locked {
			s.db.AuditEvent(ctx, in.Username, "auth.lockout", "user", in.Username, map[string]string{"addr": addr})
		}
		s.writeError(w, r, fupin.Errorf(fupin.EUnauthorized, "用户名或密码错误"))
		return
	}
	_, hadState := s.limiter.State(in.Username)
	s.limiter.Success(in.Username, addr)
	if hadState {
		s.saveLockout(r.Context(), in.Username)
	}
	s.startSession(w, r, u, addr)
}

// startSession issues a new session id (renewed at every sign-in; any
// session the browser still had is ended) and answers with the CSRF token.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *sqlstore.User, addr string) {
	if old, err := r.Cookie(sessionCookie); err == nil && old.Value != "" {
		s.db.DeleteSession(r.Context(), auth.HashToken(old.Value), u.Username)
	}
	id, err := auth.NewToken(auth.SessionPrefix)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	csrf, err := auth.NewCSRFToken()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.db.CreateSession(r.Context(), u, auth.HashToken(id), csrf, addr, s.opts.AbsoluteTimeout); err != nil {
		s.writeError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.opts.Secure, MaxAge: int(s.opts.AbsoluteTimeout.Seconds())})
	role := auth.Role(u.Role)
	writeJSON(w, http.StatusOK, s.namedReset(r, meBody{Username: u.Username, DisplayName: u.DisplayName, Role: u.Role,
		RoleLabel: role.Label(), Areas: u.Areas, CSRFToken: csrf, ExpiresAt: s.db.Clock().Add(s.opts.AbsoluteTimeout).UTC(),
		CanWrite: role.CanWrite(), SeesIdentity: role.SeesIdentity(), PasswordResetBy: u.PasswordResetBy, PasswordResetAt: u.PasswordResetAt,
		Capabilities: role.Capabilities(u.Areas)}))
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	if p.session == "" {
		s.writeError(w, r, fupin.Errorf(fupin.EInvalid, "API 令牌无需登出；请由管理员吊销"))
		return
	}
	if err := s.db.DeleteSession(r.Context(), p.session, p.username); err != nil {
		s.writeError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.opts.Secure, MaxAge: -1})
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.namedReset(r, meOf(principalOf(r))))
}

// namedReset names the person who reset the caller's password by their
// display name, not their login (the console's notice shows it); the login
// stays when the lookup fails or the account has no display name.
func (s *Server) namedReset(r *http.Request, b meBody) meBody {
	if b.PasswordResetBy != "" {
		if names, err := s.db.DisplayNames(r.Context(), []string{b.PasswordResetBy}); err == nil && names[b.PasswordResetBy] != "" {
			b.PasswordResetBy = names[b.PasswordResetBy]
		}
	}
	return b
}

// meOf is the /me answer for a caller.
func meOf(p *principal) meBody {
	b := meBody{Username: p.username, Role: string(p.role), RoleLabel: p.role.Label(), Areas: p.actor.Areas,
		CSRFToken: p.csrf, CanWrite: p.role.CanWrite(), SeesIdentity: p.role.SeesIdentity(), PasswordResetBy: p.resetBy, PasswordResetAt: p.resetAt,
		Capabilities: p.role.Capabilities(p.actor.Areas)}
	if p.user != nil {
		b.DisplayName = p.user.DisplayName
	}
	return b
}

// dummyHash is a password hash of nothing, made once, checked against for
// unknown users.
func (s *Server) dummyHash() string {
	s.dummy.once.Do(func() {
		tok, _ := auth.NewToken("")
		s.dummy.hash, _ = auth.HashPassword(tok)
	})
	return s.dummy.hash
}
