// Package httpapi serves the REST/JSON API under /api/v1. routes() is the
// whole route table; the OpenAPI 3.1 document is generated from the same
// table and the Go types it names.
package httpapi

import (
	"log/slog"
	"net/http"
	"sync"
	"time"

	"fupin/internal/auth"

	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// Server holds what the handlers need.
type Server struct {
	db      *sqlstore.DB
	log     *slog.Logger
	opts    Options
	limiter *auth.Limiter
	mux     *http.ServeMux
	dummy   struct {
		once sync.Once
		hash string
	}
	spec struct {
		once sync.Once
		json []byte
		err  error
	}
	// imports holds the progress of running import jobs (see runImport).
	imports liveImports
}

// Options configures the API server.
type Options struct {
	// Wake, when not nil, receives a value after each parameter change
	// (the server's recompute loop listens).
	Wake chan struct{}
	// Secure marks session cookies Secure (the server runs under TLS).
	Secure bool
	// IdleTimeout ends a session unused this long; AbsoluteTimeout ends
	// any session this long after sign-in.
	IdleTimeout, AbsoluteTimeout time.Duration
}

// route is one line of the API: the handler, what it requires of the
// caller and, for the OpenAPI document, the request and response types.
type route struct {
	method, path, summary string
	perm                  perm
	handle                func(w http.ResponseWriter, r *http.Request)
	in                    any // request: path/query parameters and JSON body
	out                   any // response body
	status                int // success status
}

// routes lists the whole API.
func (s *Server) routes() []route {
	rs := []route{
		{"GET", "/healthz", "健康检查", permPublic, s.healthz, nil, statusBody{}, 200},
		{"GET", "/api/v1/openapi.json", "OpenAPI 3.1 文档", permPublic, s.openapi, nil, nil, 200},
		{"POST", "/api/v1/session", "登录（返回 csrf_token，Cookie 会话）", permPublic, s.signIn, signInIn{}, meBody{}, 200},
		{"DELETE", "/api/v1/session", "退出登录", permRead, s.signOut, nil, nil, 204},
		{"GET", "/api/v1/me", "当前用户", permRead, s.me, nil, meBody{}, 200},
		{"GET", "/api/v1/users", "用户列表（管辖区域内）", permUsers, s.listUsers, nil, usersBody{}, 200},
		{"POST", "/api/v1/users", "新增用户", permUsers, s.createUser, userIn{}, sqlstore.User{}, 201},
		{"PUT", "/api/v1/users/{username}", "重置密码或停用/启用用户", permUsers, s.updateUser, userUpdateIn{}, nil, 204},
		{"GET", "/api/v1/tokens", "API 令牌列表", permAdmin, s.listTokens, nil, tokensBody{}, 200},
		{"POST", "/api/v1/tokens", "新建 API 令牌（明文只返回一次）", permAdmin, s.createToken, tokenIn{}, tokenBody{}, 201},
		{"DELETE", "/api/v1/tokens/{id}", "吊销 API 令牌", permAdmin, s.revokeToken, idIn{}, nil, 204},
		{"GET", "/api/v1/codes", "代码表（含中文名称）", permRead, s.codes, nil, codesBody{}, 200},
		{"GET", "/api/v1/regions", "按名称搜索区划（选择器用）", permRead, s.searchRegions, regionSearchIn{}, regionList{}, 200},
		{"GET", "/api/v1/regions/{code}", "区划及其下级（省至村）", permRead, s.getRegion, regionIn{}, regionBody{}, 200},
		{"GET", "/api/v1/households", "农户列表（筛选、排序、分页）", permRead, s.listHouseholds, householdListIn{}, sqlstore.HouseholdPage{}, 200},
		{"POST", "/api/v1/households", "新增农户（含家庭成员）", permWrite, s.createHousehold, fupin.Household{}, fupin.Household{}, 201},
		{"GET", "/api/v1/households/{id}", "农户详情（含成员和收入）", permRead, s.getHousehold, idIn{}, fupin.Household{}, 200},
		{"PUT", "/api/v1/households/{id}", "修改农户信息（须带 version）", permWrite, s.updateHousehold, householdUpdateIn{}, fupin.Household{}, 200},
		{"DELETE", "/api/v1/households/{id}", "删除农户（软删除，须说明原因）", permWrite, s.deleteHousehold, deleteIn{}, fupin.Household{}, 200},
		{"GET", "/api/v1/households/{id}/history", "农户变更记录", permRead, s.householdHistory, idIn{}, historyBody{}, 200},
		{"GET", "/api/v1/households/{id}/members", "家庭成员（含已减员）", permRead, s.listMembers, idIn{}, membersBody{}, 200},
		{"POST", "/api/v1/households/{id}/members", "增员（出生、婚入、迁入）", permWrite, s.addMember, memberAddIn{}, fupin.Household{}, 201},
		{"PUT", "/api/v1/households/{id}/members/{member_id}", "修改成员信息", permWrite, s.updateMember, memberUpdateIn{}, fupin.Household{}, 200},
		{"POST", "/api/v1/households/{id}/members/{member_id}/leave", "减员（死亡、迁出、婚嫁、其他）", permWrite, s.leaveMember, memberLeaveIn{}, fupin.Household{}, 200},
		{"GET", "/api/v1/households/{id}/incomes", "各年度收入", permRead, s.listIncomes, idIn{}, incomesBody{}, 200},
		{"PUT", "/api/v1/households/{id}/incomes/{year}", "录入某年度收入（纯收入由系统计算）", permWrite, s.putIncome, incomeIn{}, fupin.IncomeYear{}, 200},
		{"GET", "/api/v1/households/{id}/assessment", "两不愁三保障+饮水核查结论（逐项原因、依据和参数）", permRead, s.householdAssessment, assessmentIn{}, sqlstore.HouseholdAssessment{}, 200},
		{"GET", "/api/v1/assessments/summary", "核查汇总：各项达标/不达标/待核实户数，按下级区域", permRead, s.assessmentSummary, summaryIn{}, sqlstore.Summary{}, 200},
		{"GET", "/api/v1/assessments/problems", "问题清单：某项不达标（或待核实）的农户及原因", permRead, s.assessmentProblems, problemsIn{}, sqlstore.ProblemPage{}, 200},
		{"POST", "/api/v1/imports", "上传并导入国家格式台账（后台任务，先检查后写入）", permWrite, s.startImport, importIn{}, sqlstore.Import{}, 202},
		{"GET", "/api/v1/imports", "导入任务列表", permRead, s.listImports, nil, importsBody{}, 200},
		{"GET", "/api/v1/imports/{id}", "导入任务状态与计数（进度条用）", permRead, s.getImport, idIn{}, sqlstore.Import{}, 200},
		{"GET", "/api/v1/imports/{id}/errors", "导入错误：JSON，或 format=xlsx 下载（原始行+错误列）", permRead, s.importErrors, importErrorsIn{}, importErrorsBody{}, 200},
		{"GET", "/api/v1/exports", "按国家格式导出台账（xlsx/csv，流式）", permRead, s.export, exportIn{}, nil, 200},
		{"GET", "/api/v1/policy/params", "政策参数：定义、已录入的值、某区域某年度生效值", permRead, s.policyParams, policyIn{}, policyBody{}, 200},
		{"PUT", "/api/v1/policy/params", "设置政策参数（审计并在后台重算结论）", permPolicy, s.setPolicyParam, policySetIn{}, policyBody{}, 200},
	}
	rs = append(rs, s.dashboardRoutes()...)
	rs = append(rs, s.aidRoutes()...)
	rs = append(rs, s.consoleRoutes()...)
	return rs
}

// New returns the API handler.
func New(db *sqlstore.DB, log *slog.Logger, opts Options) http.Handler {
	if opts.IdleTimeout == 0 {
		opts.IdleTimeout = 30 * time.Minute
	}
	if opts.AbsoluteTimeout == 0 {
		opts.AbsoluteTimeout = 12 * time.Hour
	}
	s := &Server{db: db, log: log, opts: opts, mux: http.NewServeMux(), limiter: auth.NewLimiter(time.Now)}
	for _, rt := range s.routes() {
		s.mux.HandleFunc(rt.method+" "+rt.path, s.guard(rt.perm, s.identityFilter(rt.handle)))
	}
	s.homeRoutes()
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, fupin.Errorf(fupin.ENotFound, "没有这个接口：%s %s", r.Method, r.URL.Path))
	})
	return securityHeaders(opts.Secure, logRequests(log, s.mux))
}

// securityHeaders sets the headers every answer carries.
func securityHeaders(tls bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
		h.Set("Cache-Control", "no-store")
		if tls {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}
