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
	"fupin/internal/ledger"
	"fupin/internal/monitor"
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
	// refused counts refused sign-ins per address (signin_guard.go).
	refused refusals
	// slots bounds concurrent imports (see import_slots.go).
	slots importSlots
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
	// 防止返贫动态监测 (monitor.go).
	rs = append(rs, []route{
		{"GET", "/api/v1/monitor/codes", "监测代码表（发现渠道、部门、措施、环节、操作）", permRead, s.monitorCodes, nil, monitorCodesBody{}, 200},
		{"GET", "/api/v1/monitor/cases", "监测案件列表（超期在前）", permRead, s.listCases, caseListIn{}, sqlstore.CasePage{}, 200},
		{"POST", "/api/v1/monitor/cases", "立案（入户核查开始）", permWrite, s.openCase, sqlstore.NewCase{}, sqlstore.MonitorCase{}, 201},
		{"GET", "/api/v1/monitor/cases/{id}", "案件详情（时间线、异议、帮扶计划、本环节期限）", permRead, s.getCase, idIn{}, sqlstore.MonitorCase{}, 200},
		{"POST", "/api/v1/monitor/cases/{id}/actions", "办理：办结、退回、不予通过、启动风险消除、回退（按角色和环节）", permRead, s.actOnCase, caseActionIn{}, sqlstore.MonitorCase{}, 200},
		{"GET", "/api/v1/monitor/cases/{id}/eligibility", "风险消除条件逐项核查", permRead, s.caseEligibility, eligibilityIn{}, monitor.Eligibility{}, 200},
		{"POST", "/api/v1/monitor/cases/{id}/objections", "登记公示异议", permWrite, s.addObjection, objectionIn{}, sqlstore.MonitorCase{}, 201},
		{"POST", "/api/v1/monitor/cases/{id}/objections/{objection_id}/resolve", "处理公示异议", permWrite, s.resolveObjection, resolveIn{}, sqlstore.MonitorCase{}, 200},
		{"POST", "/api/v1/monitor/cases/{id}/measures", "添加帮扶措施（一户一策）", permWrite, s.addMeasure, measureIn{}, sqlstore.MonitorCase{}, 201},
		{"GET", "/api/v1/households/{id}/measures", "农户的帮扶措施（各案件）", permRead, s.householdMeasures, idIn{}, measuresBody{}, 200},
		{"GET", "/api/v1/monitor/alerts", "部门预警列表（待核实、期限在前）", permRead, s.listAlerts, alertListIn{}, sqlstore.AlertPage{}, 200},
		{"POST", "/api/v1/monitor/alerts/{id}/verify", "核实预警：纳入（立案）或不纳入（说明原因）", permWrite, s.verifyAlert, alertVerifyIn{}, sqlstore.MonitorAlert{}, 200},
		{"POST", "/api/v1/monitor/department-lists", "导入部门筛查名单（按身份证号匹配，同一文件只匹配一次）", permWrite, s.loadDepartmentList, deptUploadIn{}, deptUploadBody{}, 200},
		{"GET", "/api/v1/monitor/unmatched", "部门名单中未匹配到在册人员的身份证号（交村核查）", permRead, s.listUnmatched, pageIn{}, unmatchedBody{}, 200},
		{"GET", "/api/v1/monitor/uncovered", "应纳未纳：核查不达标或收入低于监测线、未纳入监测且无在办案件的农户", permRead, s.listUncovered, pageIn{}, sqlstore.UncoveredPage{}, 200},
		{"GET", "/api/v1/monitor/todo", "监测待办计数：待核实预警、超期环节、未处理异议、满 6 个月、应纳未纳", permRead, s.monitorTodo, todoIn{}, sqlstore.MonitorTodo{}, 200},
		{"GET", "/api/v1/monitor/notice", "村级公示名单（打印或 xlsx 下载；不含身份证号）", permRead, s.monitorNotice, noticeIn{}, sqlstore.VillageNotice{}, 200},
		{"GET", "/api/v1/monitor/calendar", "工作日日历（节假日和调休上班日，注明依据）", permRead, s.getCalendar, nil, calendarBody{}, 200},
		{"PUT", "/api/v1/monitor/calendar/{year}", "载入或更正某年节假日安排", permAdmin, s.putCalendar, calendarIn{}, calendarBody{}, 200},
	}...)
	// 整改台账 (ledger.go).
	rs = append(rs, []route{
		{"GET", "/api/v1/ledger/codes", "整改台账代码表（问题来源、类别、整改类型、状态、期限分组）", permRead, s.ledgerCodes, nil, ledgerCodesBody{}, 200},
		{"GET", "/api/v1/ledger/inspections", "巡视（检查）列表：巡视、巡察、督查、暗访、考核反馈、回头看…", permRead, s.listInspections, aidAreaIn{}, inspectionsBody{}, 200},
		{"POST", "/api/v1/ledger/inspections", "登记巡视（检查）反馈", permWrite, s.createInspection, ledger.Inspection{}, ledger.Inspection{}, 201},
		{"GET", "/api/v1/ledger/inspections/{id}", "巡视（检查）详情", permRead, s.getInspection, aidIDIn{}, ledger.Inspection{}, 200},
		{"POST", "/api/v1/ledger/inspections/{id}/feedback", "导入巡视反馈的问题清单（.xlsx/.csv，识别表头，逐格报错，全部成功才写入）", permWrite, s.importFeedback, feedbackIn{}, sqlstore.FeedbackImport{}, 201},
		{"GET", "/api/v1/ledger/findings", "问题清单（按整改时限排序，含期限分组和状态计数）", permRead, s.listFindings, findingListIn{}, sqlstore.FindingPage{}, 200},
		{"POST", "/api/v1/ledger/findings", "登记问题（可关联农户）", permWrite, s.createFinding, findingIn{}, sqlstore.FindingDetail{}, 201},
		{"POST", "/api/v1/ledger/findings/from-problems", "由核查问题清单一次生成问题（每村一个，关联不达标农户）", permWrite, s.findingsFromProblems, sqlstore.FromProblemsIn{}, findingsBody{}, 201},
		{"GET", "/api/v1/ledger/findings/{id}", "问题详情：涉及农户、进展和销号记录", permRead, s.getFinding, aidIDIn{}, sqlstore.FindingDetail{}, 200},
		{"POST", "/api/v1/ledger/findings/{id}/actions", "整改与销号：启动、报送进展、申请销号、牵头单位审核、销号、退回（须带 version；申请、审核、销号须不同账号）", permRead, s.actOnFinding, findingActionIn{}, sqlstore.FindingDetail{}, 200},
		{"POST", "/api/v1/ledger/findings/{id}/recheck", "回头看复查已销号问题（反弹时新建关联问题）", permRead, s.recheckFinding, recheckIn{}, sqlstore.RecheckResult{}, 200},
		{"GET", "/api/v1/ledger/recurrences", "问题反弹次数（按牵头单位和类别）", permRead, s.recurrences, aidAreaIn{}, recurrencesBody{}, 200},
		{"GET", "/api/v1/ledger/sheets", "下载三单（.xlsx：问题清单、责任清单、整改清单）", permRead, s.ledgerSheets, ledgerSheetsIn{}, nil, 200},
		{"GET", "/api/v1/ledger/tasks", "阶段性重点工作（进度、期限分组、超期提醒对象）", permRead, s.listTasks, aidAreaIn{}, tasksBody{}, 200},
		{"POST", "/api/v1/ledger/tasks", "新增重点工作（含节点）", permWrite, s.createTask, ledger.Task{}, ledger.Task{}, 201},
		{"GET", "/api/v1/ledger/tasks/{id}", "重点工作详情", permRead, s.getTask, aidIDIn{}, ledger.Task{}, 200},
		{"POST", "/api/v1/ledger/tasks/{id}/milestones/{milestone_id}/done", "报告节点完成（须带 version）", permWrite, s.completeMilestone, milestoneIn{}, ledger.Task{}, 200},
		{"GET", "/api/v1/ledger/responsibility", "责任清单与单位汇总：各单位对口村、在帮户、牵头问题和重点工作（并列排名），各干部岗位与责任", permRead, s.responsibility, aidAreaIn{}, ledger.Responsibility{}, 200},
		{"GET", "/api/v1/households/{id}/findings", "农户涉及的未销号问题", permRead, s.householdFindings, idIn{}, findingsBody{}, 200},
	}...)
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
	s.refused = refusals{window: s.limiter.Window, maxAddr: maxRefusalAddrs}
	s.restoreLockouts()
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
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
		h.Set("Cache-Control", "no-store")
		if tls {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}
