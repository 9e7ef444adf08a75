// Package httpapi serves the REST/JSON API under /api/v1. routes() is the
// whole route table; the OpenAPI 3.1 document is generated from the same
// table and the Go types it names.
package httpapi

import (
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"fupin/internal/aid"
	"fupin/internal/appraisal"
	"fupin/internal/asof"
	"fupin/internal/auth"

	"fupin/internal/fupin"
	"fupin/internal/ledger"
	"fupin/internal/monitor"
	"fupin/internal/practice"
	"fupin/internal/project"
	"fupin/internal/sqlstore"
	"fupin/ui"
)

// Server holds what the handlers need.
type Server struct {
	db      *sqlstore.DB
	log     *slog.Logger
	opts    Options
	limiter *auth.Limiter
	mux     *http.ServeMux
	metrics *Metrics
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
	// exports queues exports for their slots (see export_queue.go).
	exports exportQueues
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
	// Metrics collects the Prometheus metrics (NewMetrics); nil makes a private set.
	Metrics *Metrics
	// ListExportMax bounds the rows of a list's 导出 Excel; 0 means
	// DefaultListExportMax.
	ListExportMax int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed for the per-address limits (see clientAddr); empty: none.
	TrustedProxies []netip.Prefix
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
		{"GET", "/healthz", "健康检查（数据库可用）", permPublic, s.healthz, nil, statusBody{}, 200},
		{"GET", "/livez", "存活检查（进程在服务，不访问数据库）", permPublic, s.livez, nil, statusBody{}, 200},
		{"GET", "/readyz", "就绪检查（数据库可用且迁移已全部执行；否则 503）", permPublic, s.readyz, nil, statusBody{}, 200},
		{"GET", "/debug/pprof/", "Go 性能剖析索引（仅管理员）", permAdmin, s.pprofHandler, nil, nil, 200},
		{"GET", "/debug/pprof/{name}", "Go 性能剖析（仅管理员）：profile、heap、goroutine、trace 等", permAdmin, s.pprofHandler, pprofIn{}, nil, 200},
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
		{"PUT", "/api/v1/households/{id}/edit", "修改农户信息并增加或修改成员（须带 household.version；一个事务：任何一处有误都不保存）", permWrite, s.editHousehold, householdEditIn{}, fupin.Household{}, 200},
		{"DELETE", "/api/v1/households/{id}", "删除农户（软删除，须说明原因）", permWrite, s.deleteHousehold, deleteIn{}, fupin.Household{}, 200},
		{"GET", "/api/v1/households/{id}/history", "农户变更记录", permRead, s.householdHistory, idIn{}, historyBody{}, 200},
		{"GET", "/api/v1/households/{id}/as-of", "按日期回看农户：截至某日（含）的农户、成员和收入，由变更记录还原（无需快照）", permRead, s.householdAsOf, householdAsOfIn{}, asof.HouseholdAsOf{}, 200},
		{"GET", "/api/v1/households/{id}/members", "家庭成员（含已减员）", permRead, s.listMembers, idIn{}, membersBody{}, 200},
		{"POST", "/api/v1/households/{id}/members", "增员（出生、婚入、迁入）", permWrite, s.addMember, memberAddIn{}, fupin.Household{}, 201},
		{"PUT", "/api/v1/households/{id}/members/{member_id}", "修改成员信息", permWrite, s.updateMember, memberUpdateIn{}, fupin.Household{}, 200},
		{"POST", "/api/v1/households/{id}/members/{member_id}/leave", "减员（死亡、迁出、婚嫁、其他）", permWrite, s.leaveMember, memberLeaveIn{}, fupin.Household{}, 200},
		{"GET", "/api/v1/households/{id}/incomes", "各年度收入", permRead, s.listIncomes, idIn{}, incomesBody{}, 200},
		{"PUT", "/api/v1/households/{id}/incomes/{year}", "录入某年度收入（纯收入由系统计算）", permWrite, s.putIncome, incomeIn{}, fupin.IncomeYear{}, 200},
		{"GET", "/api/v1/households/{id}/assessment", "两不愁三保障+饮水核查结论（逐项原因、依据和参数）", permRead, s.householdAssessment, assessmentIn{}, sqlstore.HouseholdAssessment{}, 200},
		{"GET", "/api/v1/todo", "待办：应纳未纳、未结对、超期走访、任期、待批请假、导入错误、待我确认的轮换、监测与整改待办计数", permRead, s.todo, todoIn{}, sqlstore.Todo{}, 200},
		{"GET", "/api/v1/assessments/summary", "核查汇总：各项达标/不达标/待核实户数，按下级区域", permRead, s.assessmentSummary, summaryIn{}, sqlstore.Summary{}, 200},
		{"GET", "/api/v1/assessments/problems", "问题清单：某项不达标（或待核实）的农户及原因", permRead, s.assessmentProblems, problemsIn{}, sqlstore.ProblemPage{}, 200},
		{"POST", "/api/v1/imports", "上传并导入国家格式台账（后台任务，先检查后写入）", permWrite, s.startImport, importIn{}, sqlstore.Import{}, 202},
		{"GET", "/api/v1/imports", "导入任务列表", permRead, s.listImports, nil, importsBody{}, 200},
		{"GET", "/api/v1/imports/{id}", "导入任务状态与计数（进度条用）", permRead, s.getImport, idIn{}, sqlstore.Import{}, 200},
		{"GET", "/api/v1/imports/{id}/errors", "导入错误：JSON，或 format=xlsx 下载（原始行+错误列）", permRead, s.importErrors, importErrorsIn{}, importErrorsBody{}, 200},
		{"GET", "/api/v1/exports", "按国家格式导出台账（xlsx/csv，流式）", permRead, s.export, exportIn{}, nil, 200},
		{"GET", "/api/v1/policy/params", "政策参数：定义、已录入的值、某区域某年度生效值", permRead, s.policyParams, policyIn{}, policyBody{}, 200},
		{"PUT", "/api/v1/policy/params", "设置政策参数（审计并在后台重算结论）", permPolicy, s.setPolicyParam, policySetIn{}, policyBody{}, 200},
		// Aid forces: groups, cadres, pairings, visits, attendance and rotations
		// (帮扶力量, 结对帮扶, 走访记录, 驻村考勤, 轮换交接).
		{"GET", "/api/v1/aid/codes", "帮扶力量代码表（岗位、政治面貌、走访方式、状态）", permRead, s.aidCodes, nil, codesBody{}, 200},
		{"GET", "/api/v1/aid/settings", "帮扶规则设置：任期、提醒天数、在村天数、走访周期（定义、已录入值、生效值）", permRead, s.aidSettings, aidAreaIn{}, aid.SettingsView{}, 200},
		{"PUT", "/api/v1/aid/settings", "设置帮扶规则（按区划前缀；value 为 0 删除）", permPolicy, s.setAidSetting, aid.SettingRow{}, aid.SettingsView{}, 200},
		{"GET", "/api/v1/aid/summary", "帮扶力量概况：未结对户数、超期走访、任期提醒、进行中的轮换", permRead, s.aidSummary, aidAreaIn{}, aid.Summary{}, 200},

		{"GET", "/api/v1/aid/groups", "帮扶集团列表（含成员单位及对口帮扶村）", permRead, s.listAidGroups, aidAreaIn{}, aidGroupsBody{}, 200},
		{"POST", "/api/v1/aid/groups", "新增帮扶集团（同时建立牵头单位）", permWrite, s.createAidGroup, aid.Group{}, aid.Group{}, 201},
		{"GET", "/api/v1/aid/groups/{id}", "帮扶集团详情", permRead, s.getAidGroup, aidIDIn{}, aid.Group{}, 200},
		{"PUT", "/api/v1/aid/groups/{id}", "修改帮扶集团（须带 version）", permWrite, s.updateAidGroup, aidGroupUpdateIn{}, aid.Group{}, 200},
		{"POST", "/api/v1/aid/groups/{id}/units", "新增成员单位（含对口帮扶村）", permWrite, s.addAidUnit, aidUnitIn{}, aid.Group{}, 201},
		{"PUT", "/api/v1/aid/groups/{id}/units/{unit_id}", "修改成员单位（须带 version）", permWrite, s.updateAidUnit, aidUnitUpdateIn{}, aid.Group{}, 200},
		{"GET", "/api/v1/aid/teams", "指挥部、驻乡工作队、驻村工作队及负责人（由在岗岗位生成）", permRead, s.workTeams, aidAreaIn{}, teamsBody{}, 200},

		{"GET", "/api/v1/aid/cadres", "干部列表（筛选、分页，含在岗岗位）", permRead, s.listCadres, cadreListIn{}, aid.CadrePage{}, 200},
		{"POST", "/api/v1/aid/cadres", "登记干部", permWrite, s.createCadre, aid.Cadre{}, aid.Cadre{}, 201},
		{"GET", "/api/v1/aid/cadres/{id}", "干部详情（含全部岗位）", permRead, s.getCadre, aidIDIn{}, aid.Cadre{}, 200},
		{"PUT", "/api/v1/aid/cadres/{id}", "修改干部信息（须带 version）", permWrite, s.updateCadre, cadreUpdateIn{}, aid.Cadre{}, 200},
		{"GET", "/api/v1/aid/postings", "岗位列表（默认只列在岗）", permRead, s.listPostings, postingListIn{}, postingsBody{}, 200},
		{"POST", "/api/v1/aid/postings", "任命岗位（第一书记、工作队员、帮扶责任人…；期满日期默认按任期）", permWrite, s.createPosting, aid.Posting{}, aid.Posting{}, 201},
		{"PUT", "/api/v1/aid/postings/{id}", "调整期满日期或办理离任（须带 version）", permWrite, s.changePosting, postingChangeIn{}, aid.Posting{}, 200},
		{"GET", "/api/v1/aid/alerts", "任期提醒：即将期满（默认 60 天内）和已超期", permRead, s.termAlerts, aidAreaIn{}, alertsBody{}, 200},

		{"GET", "/api/v1/aid/pairings", "在帮结对列表（可按帮扶责任人筛选）", permRead, s.listPairings, pairingListIn{}, aid.PairingPage{}, 200},
		{"GET", "/api/v1/aid/unpaired", "未结对清单：须有帮扶责任人而没有的脱贫户、监测户及总数", permRead, s.unpaired, aidAreaIn{}, aid.UnpairedReport{}, 200},
		{"GET", "/api/v1/aid/workload", "帮扶责任人工作量（在帮户数）", permRead, s.workload, aidAreaIn{}, workloadBody{}, 200},
		{"GET", "/api/v1/households/{id}/pairings", "农户的结对记录（含历史）", permRead, s.householdPairings, idIn{}, pairingsBody{}, 200},
		{"PUT", "/api/v1/households/{id}/helper", "设置或更换帮扶责任人（原结对同日解除，不留空档）", permWrite, s.setHelper, helperIn{}, aid.Pairing{}, 200},
		{"DELETE", "/api/v1/households/{id}/helper", "解除结对（脱贫户、监测户不可，只能更换）", permWrite, s.endHelper, helperEndIn{}, nil, 204},

		{"GET", "/api/v1/aid/visits", "走访记录列表", permRead, s.listVisits, visitListIn{}, aid.VisitPage{}, 200},
		{"POST", "/api/v1/households/{id}/visits", "记录走访（入户可记录不愁吃、不愁穿，写入农户信息并重新核查）", permWrite, s.recordVisit, visitIn{}, aid.Visit{}, 201},
		{"GET", "/api/v1/aid/visits/{id}", "走访记录详情", permRead, s.getVisit, aidIDIn{}, aid.Visit{}, 200},
		{"POST", "/api/v1/aid/visits/{id}/photos", "上传走访照片（multipart 字段 file；JPEG/PNG，不超过 5 MB，每条最多 9 张）", permWrite, s.addPhoto, photoIn{}, aid.VisitPhoto{}, 201},
		{"GET", "/api/v1/aid/photos/{id}", "照片原图（image/jpeg 或 image/png）", permRead, s.getPhoto, aidIDIn{}, nil, 200},
		{"GET", "/api/v1/aid/overdue-visits", "超期未走访农户（监测户每月、其他每季度，可设置），超期最久的在前；分页，默认每页 200 户", permRead, s.overdueVisits, overdueIn{}, overdueBody{}, 200},

		{"GET", "/api/v1/aid/checkins", "签到记录（某月）", permRead, s.listCheckIns, checkInListIn{}, checkInsBody{}, 200},
		{"POST", "/api/v1/aid/checkins", "驻村签到（每人每天一次）", permWrite, s.checkIn, aid.CheckIn{}, aid.CheckIn{}, 201},
		{"GET", "/api/v1/aid/leaves", "请销假记录", permRead, s.listLeaves, monthIn{}, leavesBody{}, 200},
		{"POST", "/api/v1/aid/leaves", "请假", permWrite, s.requestLeave, aid.Leave{}, aid.Leave{}, 201},
		{"POST", "/api/v1/aid/leaves/{id}/actions", "审批请假（乡镇）或销假", permWrite, s.actOnLeave, leaveActionIn{}, aid.Leave{}, 200},
		{"GET", "/api/v1/aid/attendance", "考勤月报：各工作队每人在村天数对照要求", permRead, s.attendance, attendanceIn{}, aid.AttendanceReport{}, 200},

		{"GET", "/api/v1/aid/rotations", "轮换列表", permRead, s.listRotations, rotationListIn{}, rotationsBody{}, 200},
		{"POST", "/api/v1/aid/rotations", "制定轮换计划（系统生成交接清单）", permWrite, s.planRotation, aid.RotationPlan{}, aid.Rotation{}, 201},
		{"GET", "/api/v1/aid/rotations/{id}", "轮换详情与交接清单", permRead, s.getRotation, aidIDIn{}, aid.Rotation{}, 200},
		{"POST", "/api/v1/aid/rotations/{id}/entries", "向交接清单添加项目、文件等（已有确认作废）", permWrite, s.addEntry, entryIn{}, aid.Rotation{}, 201},
		{"POST", "/api/v1/aid/rotations/{id}/confirm", "确认交接：离任干部、接任干部或乡镇指挥部办公室", permWrite, s.confirmRotation, confirmIn{}, aid.Rotation{}, 200},
		{"POST", "/api/v1/aid/rotations/{id}/complete", "完成交接：一个事务内移交全部岗位和结对", permWrite, s.completeRotation, versionIn{}, aid.Rotation{}, 200},
		{"POST", "/api/v1/aid/rotations/{id}/cancel", "取消轮换", permWrite, s.cancelRotation, versionIn{}, aid.Rotation{}, 200},
		{"GET", "/api/v1/aid/rotations/{id}/sheet", "下载交接清单（.xlsx，可打印）", permRead, s.rotationSheet, aidIDIn{}, nil, 200},
	}
	// 总览 (dashboard.go).
	rs = append(rs, route{"GET", "/api/v1/dashboard", "总览：户数、人数、脱贫户、监测户（按下级区域）、两不愁三保障+饮水核查汇总、收入分布", permRead, s.dashboard, dashboardIn{}, sqlstore.Dashboard{}, 200})
	rs = append(rs, route{"GET", "/api/v1/dashboard/as-of", "按日期回看总览（村级即村汇总）：截至某日（含）的户数、核查汇总和收入分布，由变更记录还原（无需快照）", permRead, s.dashboardAsOf, dashboardAsOfIn{}, sqlstore.DashboardAsOf{}, 200})
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
		{"PUT", "/api/v1/monitor/cases/{id}/measures/{measure_id}", "修改或结束帮扶措施（状态、结束日期、成效）", permWrite, s.updateMeasure, measureUpdateIn{}, sqlstore.MonitorCase{}, 200},
		{"GET", "/api/v1/monitor/measures", "到期的帮扶措施（一户一策）：计划或实施中、已过结束日期（已到期）或 30 天内到期（即将到期），可按帮扶责任人筛选，可下载 xlsx", permRead, s.listDueMeasures, dueMeasuresIn{}, sqlstore.DueMeasurePage{}, 200},
		{"GET", "/api/v1/households/{id}/measures", "农户的帮扶措施（各案件）", permRead, s.householdMeasures, idIn{}, measuresBody{}, 200},
		{"GET", "/api/v1/monitor/alerts", "部门预警列表（待核实、期限在前）", permRead, s.listAlerts, alertListIn{}, sqlstore.AlertPage{}, 200},
		{"POST", "/api/v1/monitor/alerts/{id}/verify", "核实预警：纳入（立案）或不纳入（说明原因）", permWrite, s.verifyAlert, alertVerifyIn{}, sqlstore.MonitorAlert{}, 200},
		{"POST", "/api/v1/monitor/department-lists", "导入部门筛查名单（按身份证号匹配，同一文件只匹配一次）", permWrite, s.loadDepartmentList, deptUploadIn{}, deptUploadBody{}, 200},
		{"GET", "/api/v1/monitor/unmatched", "部门名单中未匹配到在册人员的身份证号（交村核查）", permRead, s.listUnmatched, pageParams{}, unmatchedBody{}, 200},
		{"GET", "/api/v1/monitor/uncovered", "应纳未纳：核查不达标或收入低于监测线、未纳入监测且无在办案件的农户", permRead, s.listUncovered, uncoveredIn{}, sqlstore.UncoveredPage{}, 200},
		{"GET", "/api/v1/monitor/stats", "监测概况：各类别各环节案件数，本年认定、消除、回退，认定天数中位数，应纳未纳，按期核实率", permRead, s.monitorStats, todoIn{}, sqlstore.MonitorStats{}, 200},
		{"GET", "/api/v1/monitor/todo", "监测待办计数：待核实预警、超期环节、未处理异议、满规定监测时长（默认 6 个月）、应纳未纳", permRead, s.monitorTodo, todoIn{}, sqlstore.MonitorTodo{}, 200},
		{"GET", "/api/v1/monitor/notice", "村级公示名单（打印或 xlsx 下载；不含身份证号）", permRead, s.monitorNotice, noticeIn{}, sqlstore.VillageNotice{}, 200},
		{"GET", "/api/v1/public/villages", "自主申报页：某乡镇（街道）的村（社区）列表（无需登录）", permPublic, s.publicVillages, publicVillagesIn{}, publicVillagesBody{}, 200},
		{"POST", "/api/v1/public/applications", "自主申报（无需登录；同站 JSON，至多 4 KiB；每个地址每天 5 次、每个乡镇每天 200 次；只收本系统开通的乡镇；只回答回执号）", permPublic, s.submitApplication, monitor.Application{}, receiptBody{}, 201},
		{"GET", "/api/v1/monitor/applications", "自主申报受理队列（所辖村的申报，待受理在前）", permRead, s.listApplications, applicationListIn{}, sqlstore.ApplicationPage{}, 200},
		{"POST", "/api/v1/monitor/applications", "干部代为申报（multipart：household_id、phone、content 和签字的承诺授权书 file，PDF 不超过 10 MB 或 JPEG/PNG 不超过 5 MB）", permWrite, s.recordApplication, applicationRecordIn{}, sqlstore.MonitorApplication{}, 201},
		{"GET", "/api/v1/monitor/applications/{id}/authorization", "下载申报的承诺授权书（须在本辖区内）", permRead, s.applicationAuthorization, aidIDIn{}, nil, 200},
		{"POST", "/api/v1/monitor/applications/{id}/decide", "受理自主申报（为所选农户立案）或不受理（说明原因）", permWrite, s.decideApplication, applicationDecideIn{}, sqlstore.MonitorApplication{}, 200},
		{"GET", "/api/v1/monitor/categories", "监测对象类别（按区域和年度：过渡期三类，2026 年起可配置常态化类别）", permRead, s.monitorCategories, categoriesIn{}, monitor.CategoriesView{}, 200},
		{"PUT", "/api/v1/monitor/categories", "设置某区域自某年度起适用的监测对象类别（codes 为空删除）", permPolicy, s.setMonitorCategories, monitor.CategoryRow{}, monitor.CategoriesView{}, 200},
		{"GET", "/api/v1/monitor/limits", "监测工作时限设置：各环节时限、公示天数、预警核实时限（定义、已录入值、某区域生效值）", permRead, s.monitorLimits, aidAreaIn{}, monitor.LimitsView{}, 200},
		{"PUT", "/api/v1/monitor/limits", "设置监测工作时限（按区划前缀；value 为 0 删除，-1 为本区域不单独限时，仅乡镇审核、县级审定）", permPolicy, s.setMonitorLimit, monitor.LimitRow{}, monitor.LimitsView{}, 200},
		{"GET", "/api/v1/monitor/calendar", "工作日日历（节假日和调休上班日，注明依据）", permRead, s.getCalendar, nil, calendarBody{}, 200},
		{"PUT", "/api/v1/monitor/calendar/{year}", "载入或更正某年节假日安排", permAdmin, s.putCalendar, calendarIn{}, calendarBody{}, 200},
	}...)
	// 成效考核 (appraisal.go): yearly snapshots and their comparison.
	rs = append(rs, []route{
		{"GET", "/api/v1/appraisal/snapshots", "成效考核快照列表（区域在管辖范围内的）", permRead, s.listSnapshots, aidAreaIn{}, snapshotsBody{}, 200},
		{"POST", "/api/v1/appraisal/snapshots", "拍快照：冻结某区域某年度的农户、成员、收入和核查结论（管理员、县级用户）", permAppraise, s.createSnapshot, appraisal.Snapshot{}, appraisal.Snapshot{}, 201},
		{"GET", "/api/v1/appraisal/snapshots/{id}", "快照详情", permRead, s.getSnapshot, aidIDIn{}, appraisal.Snapshot{}, 200},
		{"GET", "/api/v1/appraisal/snapshots/{id}/households/{household_id}", "快照中的农户（冻结时的信息、成员和收入）", permRead, s.getSnapshotHousehold, snapshotHouseholdIn{}, fupin.Household{}, 200},
		{"GET", "/api/v1/appraisal/rounds", "抽查轮次列表（区域在管辖范围内的），含抽中和已录入户数", permRead, s.listRounds, roundsIn{}, roundsBody{}, 200},
		{"POST", "/api/v1/appraisal/rounds", "新建抽查轮次：按规则和随机种子抽取村和农户（以前轮次抽过的农户不再抽；管理员、县级用户）", permAppraise, s.createRound, appraisal.Round{}, appraisal.Round{}, 201},
		{"GET", "/api/v1/appraisal/rounds/{id}", "抽查轮次及现场核查表（户主身份证号、电话按角色打码）；format=xlsx 下载抽查轮次、现场核查表、抽查结果和群众认可度四张表", permRead, s.getRound, roundIn{}, roundSheetBody{}, 200},
		{"PUT", "/api/v1/appraisal/rounds/{id}/households/{household_id}", "录入抽中农户的核查结果（错评、错退、漏评、发现问题），可同时转入整改台账（管理员、县级用户、督查评估）", permCheck, s.recordResult, resultIn{}, sqlstore.SheetRow{}, 200},
		{"GET", "/api/v1/appraisal/rounds/{id}/rates", "抽查结果：错退率、漏评率、错评率、识别/退出准确率（含 95% 置信区间）及与阈值比较", permRead, s.roundRates, aidIDIn{}, sqlstore.RoundRates{}, 200},
		{"GET", "/api/v1/appraisal/rounds/{id}/survey", "抽查轮次的满意度问卷（群众认可度）", permRead, s.getSurvey, aidIDIn{}, appraisal.Survey{}, 200},
		{"PUT", "/api/v1/appraisal/rounds/{id}/survey", "设置抽查轮次的满意度问卷（已有回答后不能修改；管理员、县级用户）", permAppraise, s.putSurvey, surveyIn{}, appraisal.Survey{}, 200},
		{"GET", "/api/v1/appraisal/rounds/{id}/survey/responses", "各受访户的回答（仅录入核查结果的角色：管理员、县级用户、督查评估；被评价的干部看不到个人回答）", permCheck, s.surveyResponses, aidIDIn{}, surveyResponsesBody{}, 200},
		{"PUT", "/api/v1/appraisal/rounds/{id}/survey/responses/{household_id}", "录入（或更正）抽中农户的问卷回答（管理员、县级用户、督查评估）", permCheck, s.recordResponse, responseRouteIn{}, sqlstore.SurveyResponse{}, 200},
		{"GET", "/api/v1/appraisal/rounds/{id}/survey/approval", "群众认可度：总体、按村、按驻村工作队、按帮扶责任人（只给户数和比例，不足 3 户的组不单列）", permRead, s.surveyApproval, aidIDIn{}, appraisal.ApprovalReport{}, 200},
		{"GET", "/api/v1/appraisal/thresholds", "考核阈值：某区域某年度生效值（默认错退率、漏评率、错评率 < 2%，认可度 > 90%，注明依据）及已设置的值", permRead, s.thresholds, thresholdsIn{}, thresholdsBody{}, 200},
		{"PUT", "/api/v1/appraisal/thresholds", "设置考核阈值（按区划前缀和年度，须写依据；审计）", permPolicy, s.setThreshold, appraisal.ThresholdRow{}, thresholdsBody{}, 200},
		{"GET", "/api/v1/appraisal/compare", "比较两个快照：各类别进出户数、核查结论变化及原因", permRead, s.compareSnapshots, compareIn{}, appraisal.Comparison{}, 200},
		{"GET", "/api/v1/report-pack", "年度成效材料包：总览（实时或快照，须明确选择）、核查比率及公式、抽查轮次、群众认可度、问题整改、项目资金、项目资产；format=xlsx 下载，每部分一张表", permRead, s.reportPack, packIn{}, sqlstore.Pack{}, 200},
	}...)
	// 帮扶项目和资金 (project.go): reads follow the area; creating, editing and
	// paying are county and township acts, approval and acceptance the county's.
	rs = append(rs, []route{
		{"GET", "/api/v1/projects/codes", "项目代码表（类型、基础设施类别、资金来源、状态）", permRead, s.projectCodes, nil, projectCodesBody{}, 200},
		{"GET", "/api/v1/projects", "帮扶项目列表（按区域、受益村、年度、状态、类型筛选；含预算、已拨付、受益户数和是否超期）", permRead, s.listProjects, projectListIn{}, sqlstore.ProjectPage{}, 200},
		{"GET", "/api/v1/projects/rollup", "项目资金汇总：按区域、年度、用途、来源的预算和拨付，资金支出进度，每万元受益户数，超期项目", permRead, s.projectRollup, projectFilterIn{}, project.Rollup{}, 200},
		{"POST", "/api/v1/projects", "登记项目（计划状态；县级、乡镇用户）", permRead, s.createProject, project.Project{}, sqlstore.ProjectDetail{}, 201},
		{"GET", "/api/v1/projects/{id}", "项目详情（预算、受益村和农户、拨付记录）", permRead, s.getProject, aidIDIn{}, sqlstore.ProjectDetail{}, 200},
		{"PUT", "/api/v1/projects/{id}", "修改项目（须带 version；已验收的不能修改，预算不能少于已拨付；县级、乡镇用户）", permRead, s.updateProject, projectUpdateIn{}, sqlstore.ProjectDetail{}, 200},
		{"POST", "/api/v1/projects/{id}/actions", "批复（县级）、开工（县级、乡镇）、验收（县级，须写验收意见）；须带 version", permRead, s.actOnProject, projectActionIn{}, sqlstore.ProjectDetail{}, 200},
		{"POST", "/api/v1/projects/{id}/disbursements", "登记资金拨付（已批复或实施中；各来源累计不超过其预算；县级、乡镇用户）", permRead, s.addDisbursement, disbursementIn{}, sqlstore.ProjectDetail{}, 201},
		{"GET", "/api/v1/projects/{id}/notice", "项目公告公示（事前：计划和分来源预算；事后：验收、资金使用和受益户，户主姓名和村，不含身份证号）", permRead, s.projectNotice, aidIDIn{}, sqlstore.ProjectNotice{}, 200},
		{"GET", "/api/v1/project-assets", "帮扶项目资产登记簿（按村；含该年度核查、原值、收益和分配给农户的合计，未核查数）", permRead, s.listAssets, assetsIn{}, sqlstore.AssetRegister{}, 200},
		{"POST", "/api/v1/project-assets", "登记项目资产（项目须已验收，资产所在村须在项目实施地内；县级、乡镇用户）", permRead, s.createAsset, project.Asset{}, project.Asset{}, 201},
		{"GET", "/api/v1/project-assets/{id}", "项目资产详情", permRead, s.getAsset, aidIDIn{}, project.Asset{}, 200},
		{"PUT", "/api/v1/project-assets/{id}", "修改项目资产（须带 version；县级、乡镇用户）", permRead, s.updateAsset, assetUpdateIn{}, project.Asset{}, 200},
		{"PUT", "/api/v1/project-assets/{id}/checks/{year}", "录入（或更正）资产年度核查：收益、分配给农户的金额和户数、状态（县级、乡镇用户）", permRead, s.checkAsset, assetCheckIn{}, project.AssetCheck{}, 200},
	}...)
	// 典型案例 (practice.go): proposed by county, township and village offices
	// inside their areas (also from a closed finding or a completed rotation),
	// published and withdrawn by the county; published cases are read where
	// the areas overlap, the others inside the areas only.
	rs = append(rs, []route{
		{"GET", "/api/v1/practices/codes", "典型案例代码表（帮扶领域、状态、来源）", permRead, s.practiceCodes, nil, practiceCodesBody{}, 200},
		{"GET", "/api/v1/practices", "典型案例库：按区域、帮扶领域、状态筛选，按文字或名称拼音首字母检索", permRead, s.listPractices, practiceListIn{}, sqlstore.PracticePage{}, 200},
		{"GET", "/api/v1/practices/draft", "由已销号的整改问题或已完成的轮换生成案例草稿（不保存）", permRead, s.practiceDraft, practiceDraftIn{}, practice.Practice{}, 200},
		{"POST", "/api/v1/practices", "推荐典型案例（县、乡镇、村级用户，本辖区）", permRead, s.createPractice, practice.Practice{}, practice.Practice{}, 201},
		{"GET", "/api/v1/practices/{id}", "典型案例详情（含成效数据和材料）", permRead, s.getPractice, aidIDIn{}, practice.Practice{}, 200},
		{"PUT", "/api/v1/practices/{id}", "修改典型案例（须带 version；推荐待审时推荐单位可改，入库后县级用户可改）", permRead, s.updatePractice, practiceUpdateIn{}, practice.Practice{}, 200},
		{"POST", "/api/v1/practices/{id}/actions", "审核入库（publish）或撤回（withdraw），县级用户；须带 version", permRead, s.actOnPractice, practiceActionIn{}, practice.Practice{}, 200},
		{"POST", "/api/v1/practices/{id}/documents", "上传案例材料（multipart 字段 file；JPEG/PNG 不超过 5 MB，PDF 不超过 10 MB，每个案例最多 10 个）", permRead, s.addPracticeDocument, practiceDocumentIn{}, practice.Document{}, 201},
		{"GET", "/api/v1/practice-documents/{id}", "下载案例材料（能看到该案例的用户）", permRead, s.getPracticeDocument, aidIDIn{}, nil, 200},
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
		{"POST", "/api/v1/ledger/findings/{id}/evidence", "上传佐证材料（multipart 字段 file；JPEG/PNG 不超过 5 MB，PDF 不超过 10 MB，每个问题最多 20 个）", permWrite, s.addEvidence, evidenceIn{}, ledger.EvidenceFile{}, 201},
		{"GET", "/api/v1/ledger/evidence/{id}", "下载佐证材料（问题须在本辖区内）", permRead, s.getEvidence, aidIDIn{}, nil, 200},
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
	// What the web console needs beyond the registry API: the session state
	// it asks for on load, the user's own password, the audit log (console.go).
	rs = append(rs, []route{
		{"GET", "/api/v1/session", "会话状态（未登录时 signed_in 为 false，不返回 401）", permPublic, s.sessionState, nil, sessionStateBody{}, 200},
		{"PUT", "/api/v1/me/password", "修改本人密码（须提供当前密码；结束本人的其他会话）", permRead, s.changeOwnPassword, ownPasswordIn{}, nil, 204},
		{"GET", "/api/v1/audit", "审计日志（按账号、操作、农户、时间筛选；新的在前）。县级用户只见本辖区：辖区农户的记录、辖区的导出、辖区账号的记录", permAudit, s.auditLog, auditListIn{}, sqlstore.AuditPage{}, 200},
		{"GET", "/api/v1/audit/verify", "校验审计日志哈希链", permAdmin, s.auditVerify, nil, auditVerifyBody{}, 200},
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
	if opts.Metrics == nil {
		opts.Metrics = NewMetrics()
	}
	log = slog.New(requestIDHandler{log.Handler()})
	s := &Server{db: db, log: log, opts: opts, mux: http.NewServeMux(), limiter: auth.NewLimiter(db.Clock), metrics: opts.Metrics}
	if db != nil { // nil when only the OpenAPI document is built
		s.metrics.attach(s)
	}
	s.refused = refusals{window: s.limiter.Window, maxAddr: maxRefusalAddrs}
	s.restoreLockouts()
	for _, rt := range s.routes() {
		s.mux.HandleFunc(rt.method+" "+rt.path, s.guard(rt.perm, s.identityFilter(s.knownQuery(rt.in, rt.handle))))
	}
	// The embedded web console (home.go): index.html at / (never cached, so
	// a new release shows at once) and the content-hashed bundles under
	// /assets/ (cached for a year, gzipped when the browser accepts it). The
	// console routes in the URL fragment (/#/households/12), so no other
	// path needs the page.
	console := ui.Dist()
	s.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		serveFile(w, r, console, "index.html", false)
	})
	s.mux.HandleFunc("GET /favicon.svg", func(w http.ResponseWriter, r *http.Request) {
		serveFile(w, r, console, "favicon.svg", false)
	})
	s.mux.HandleFunc("GET /assets/{file}", func(w http.ResponseWriter, r *http.Request) {
		serveFile(w, r, console, "assets/"+r.PathValue("file"), true)
	})
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, fupin.Errorf(fupin.ENotFound, "没有这个接口：%s %s", r.Method, r.URL.Path))
	})
	return securityHeaders(opts.Secure, observe(log, s.metrics, s.mux))
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
