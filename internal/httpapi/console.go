package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"fupin/internal/auth"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

type (
	sessionStateBody struct {
		SignedIn bool    `json:"signed_in"`
		Me       *meBody `json:"me,omitempty" description:"已登录时同 GET /api/v1/me"`
	}
	auditListIn struct {
		Actor       string `query:"actor" maxLength:"64" description:"账号名"`
		Action      string `query:"action" maxLength:"64" description:"操作，如 household.update；以点结尾为前缀，如 aid."`
		HouseholdID int64  `query:"household_id" minimum:"1"`
		From        string `query:"from" format:"date" description:"起始日期 YYYY-MM-DD（北京时间，含）"`
		To          string `query:"to" format:"date" description:"截止日期 YYYY-MM-DD（北京时间，含）"`
		Offset      int    `query:"offset" minimum:"0" maximum:"100000000"`
		Limit       int    `query:"limit" minimum:"0" maximum:"200" description:"1–200，默认 50"`
	}
	auditVerifyBody struct {
		Checked int                    `json:"checked" description:"校验的条数"`
		Problem *sqlstore.AuditProblem `json:"problem" description:"第一处被修改、删除或调换顺序的记录；完好时为空"`
	}
	ownPasswordIn struct {
		Current string `json:"current_password" required:"true" description:"当前密码"`
		New     string `json:"new_password" required:"true" description:"新密码（须符合密码规则：不能含用户名或是常见密码）"`
	}
)

// sessionState answers whether the browser is signed in, so that the
// console's first request does not log a 401 on the sign-in page.
func (s *Server) sessionState(w http.ResponseWriter, r *http.Request) {
	p, err := s.authenticate(r)
	if err != nil {
		if fupin.ErrorCode(err) == fupin.EUnauthorized {
			writeJSON(w, http.StatusOK, sessionStateBody{})
			return
		}
		s.writeError(w, r, err)
		return
	}
	me := s.namedReset(r, meOf(p))
	writeJSON(w, http.StatusOK, sessionStateBody{SignedIn: true, Me: &me})
}

// changeOwnPassword checks the current password (failures count toward the
// sign-in lock-out of the account), enforces the password policy and
// stores the new one; the user's other sessions end.
func (s *Server) changeOwnPassword(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	if p.user == nil {
		s.writeError(w, r, fupin.Errorf(fupin.EInvalid, "API 令牌没有密码；请由管理员吊销或新建令牌"))
		return
	}
	var in ownPasswordIn
	if err := decode(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	if len(in.Current) > 1024 || len(in.New) > 1024 {
		s.writeError(w, r, &fupin.Error{Code: fupin.EInvalid, Message: "密码过长", Fields: map[string]string{"new_password": "不超过 1024 个字符"}})
		return
	}
	addr := s.clientAddr(r)
	if ok, retry, reason := s.limiter.Allow(p.username, addr); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(retry.Seconds())+1))
		s.writeError(w, r, fupin.Errorf(fupin.ERateLimited, "%s", reason))
		return
	}
	_, hash, err := s.db.UserForSignIn(r.Context(), p.username)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if good, _ := auth.CheckPassword(hash, in.Current); !good {
		s.limiter.Failure(p.username, addr)
		s.db.AuditEvent(r.Context(), p.username, "auth.failure", "user", p.username, map[string]string{"addr": addr, "during": "password change"})
		s.writeError(w, r, &fupin.Error{Code: fupin.EInvalid, Message: "当前密码不正确", Fields: map[string]string{"current_password": "当前密码不正确"}})
		return
	}
	s.limiter.Success(p.username, addr)
	if in.New == in.Current {
		s.writeError(w, r, &fupin.Error{Code: fupin.EInvalid, Message: "新密码不能与当前密码相同", Fields: map[string]string{"new_password": "与当前密码相同"}})
		return
	}
	newHash, err := hashChecked(in.New, p.username)
	if err != nil {
		s.writeError(w, r, renameField(err, "password", "new_password"))
		return
	}
	if err := s.db.ChangeOwnPassword(r.Context(), p.username, newHash, p.session); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// renameField moves a field error of an API error to another field path.
func renameField(err error, from, to string) error {
	if e, ok := err.(*fupin.Error); ok {
		if msg, ok := e.Fields[from]; ok {
			f := map[string]string{to: msg}
			for k, v := range e.Fields {
				if k != from {
					f[k] = v
				}
			}
			return &fupin.Error{Code: e.Code, Message: e.Message, Fields: f}
		}
	}
	return err
}

var china = time.FixedZone("CST", 8*3600)

// chinaDay is the start of a bound date parameter (format "date") in
// Beijing time; empty is the zero time.
func chinaDay(v string) time.Time {
	if v == "" {
		return time.Time{}
	}
	t, _ := time.ParseInLocation(time.DateOnly, v, china)
	return t
}

// auditLog answers a page of the audit log for the audit page.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(actor fupin.Actor, in auditListIn) (any, error) {
		f := sqlstore.AuditFilter{Actor: in.Actor, Action: in.Action, HouseholdID: in.HouseholdID,
			Offset: in.Offset, Limit: in.Limit, From: chinaDay(in.From), To: chinaDay(in.To)}
		if !f.To.IsZero() {
			f.To = f.To.AddDate(0, 0, 1)
		}
		return s.db.AuditLog(r.Context(), actor, f)
	})
}

// auditVerify checks the audit log's hash chain (fupin audit verify).
func (s *Server) auditVerify(w http.ResponseWriter, r *http.Request) {
	n, problem, err := s.db.VerifyAudit(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, auditVerifyBody{Checked: n, Problem: problem})
}
