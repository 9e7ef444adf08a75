// Package httpapi serves the REST/JSON API under /api/v1. routes() is the
// whole route table; the OpenAPI 3.1 document is generated from the same
// table and the Go types it names.
package httpapi

import (
	"log/slog"
	"net/http"
	"sync"

	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// Server holds what the handlers need.
type Server struct {
	db  *sqlstore.DB
	log *slog.Logger
	// actor tells who is calling. Until sign-in exists every caller acts for
	// the whole database under the name given at start-up.
	actor func(r *http.Request) (fupin.Actor, error)
	mux   *http.ServeMux
	// wake asks the background recomputation to run now.
	wake chan struct{}
	spec struct {
		once sync.Once
		json []byte
		err  error
	}
}

// route is one line of the API: the handler and, for the OpenAPI document,
// the request and response types.
type route struct {
	method, path, summary string
	handle                func(w http.ResponseWriter, r *http.Request)
	in                    any // request: path/query parameters and JSON body
	out                   any // response body
	status                int // success status
}

// routes lists the whole API.
func (s *Server) routes() []route {
	return []route{
		{"GET", "/healthz", "健康检查", s.healthz, nil, statusBody{}, 200},
		{"GET", "/api/v1/openapi.json", "OpenAPI 3.1 文档", s.openapi, nil, nil, 200},
		{"GET", "/api/v1/codes", "代码表（含中文名称）", s.codes, nil, codesBody{}, 200},
		{"GET", "/api/v1/regions", "按名称搜索区划（选择器用）", s.searchRegions, regionSearchIn{}, regionList{}, 200},
		{"GET", "/api/v1/regions/{code}", "区划及其下级（省至村）", s.getRegion, regionIn{}, regionBody{}, 200},
		{"GET", "/api/v1/households", "农户列表（筛选、排序、分页）", s.listHouseholds, householdListIn{}, sqlstore.HouseholdPage{}, 200},
		{"POST", "/api/v1/households", "新增农户（含家庭成员）", s.createHousehold, fupin.Household{}, fupin.Household{}, 201},
		{"GET", "/api/v1/households/{id}", "农户详情（含成员和收入）", s.getHousehold, idIn{}, fupin.Household{}, 200},
		{"PUT", "/api/v1/households/{id}", "修改农户信息（须带 version）", s.updateHousehold, householdUpdateIn{}, fupin.Household{}, 200},
		{"DELETE", "/api/v1/households/{id}", "删除农户（软删除，须说明原因）", s.deleteHousehold, deleteIn{}, fupin.Household{}, 200},
		{"GET", "/api/v1/households/{id}/history", "农户变更记录", s.householdHistory, idIn{}, historyBody{}, 200},
		{"GET", "/api/v1/households/{id}/members", "家庭成员（含已减员）", s.listMembers, idIn{}, membersBody{}, 200},
		{"POST", "/api/v1/households/{id}/members", "增员（出生、婚入、迁入）", s.addMember, memberAddIn{}, fupin.Household{}, 201},
		{"PUT", "/api/v1/households/{id}/members/{member_id}", "修改成员信息", s.updateMember, memberUpdateIn{}, fupin.Household{}, 200},
		{"POST", "/api/v1/households/{id}/members/{member_id}/leave", "减员（死亡、迁出、婚嫁、其他）", s.leaveMember, memberLeaveIn{}, fupin.Household{}, 200},
		{"GET", "/api/v1/households/{id}/incomes", "各年度收入", s.listIncomes, idIn{}, incomesBody{}, 200},
		{"PUT", "/api/v1/households/{id}/incomes/{year}", "录入某年度收入（纯收入由系统计算）", s.putIncome, incomeIn{}, fupin.IncomeYear{}, 200},
		{"GET", "/api/v1/households/{id}/assessment", "两不愁三保障+饮水核查结论（逐项原因、依据和参数）", s.householdAssessment, assessmentIn{}, sqlstore.HouseholdAssessment{}, 200},
		{"GET", "/api/v1/assessments/summary", "核查汇总：各项达标/不达标/待核实户数，按下级区域", s.assessmentSummary, summaryIn{}, sqlstore.Summary{}, 200},
		{"GET", "/api/v1/assessments/problems", "问题清单：某项不达标（或待核实）的农户及原因", s.assessmentProblems, problemsIn{}, sqlstore.ProblemPage{}, 200},
		{"GET", "/api/v1/policy/params", "政策参数：定义、已录入的值、某区域某年度生效值", s.policyParams, policyIn{}, policyBody{}, 200},
		{"PUT", "/api/v1/policy/params", "设置政策参数（审计并在后台重算结论）", s.setPolicyParam, policySetIn{}, policyBody{}, 200},
	}
}

// New returns the API handler. actorName is recorded as the author of
// every write until sign-in is added. wake, when not nil, receives a value
// after each parameter change (the server's recompute loop listens).
func New(db *sqlstore.DB, log *slog.Logger, actorName string, wake chan struct{}) http.Handler {
	s := &Server{db: db, log: log, mux: http.NewServeMux(), wake: wake}
	s.actor = func(*http.Request) (fupin.Actor, error) { return fupin.SystemActor(actorName), nil }
	for _, rt := range s.routes() {
		s.mux.HandleFunc(rt.method+" "+rt.path, rt.handle)
	}
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, fupin.Errorf(fupin.ENotFound, "没有这个接口：%s %s", r.Method, r.URL.Path))
	})
	return logRequests(log, s.mux)
}
