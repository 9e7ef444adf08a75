package httpapi

import (
	"fupin/internal/aid"
)

// aidRoutes lists the API of aid groups, cadres, pairings, visits,
// attendance and rotations (帮扶力量, 结对帮扶, 走访记录, 驻村考勤, 轮换交接).
func (s *Server) aidRoutes() []route {
	return []route{
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
		{"GET", "/api/v1/aid/overdue-visits", "超期未走访农户（监测户每月、其他每季度，可设置）", permRead, s.overdueVisits, aidAreaIn{}, overdueBody{}, 200},

		{"GET", "/api/v1/aid/checkins", "签到记录（某月）", permRead, s.listCheckIns, checkInListIn{}, checkInsBody{}, 200},
		{"POST", "/api/v1/aid/checkins", "驻村签到（每人每天一次）", permWrite, s.checkIn, aid.CheckIn{}, aid.CheckIn{}, 201},
		{"GET", "/api/v1/aid/leaves", "请销假记录", permRead, s.listLeaves, monthIn{}, leavesBody{}, 200},
		{"POST", "/api/v1/aid/leaves", "请假", permWrite, s.requestLeave, aid.Leave{}, aid.Leave{}, 201},
		{"POST", "/api/v1/aid/leaves/{id}/actions", "审批请假（乡镇）或销假", permWrite, s.actOnLeave, leaveActionIn{}, aid.Leave{}, 200},
		{"GET", "/api/v1/aid/attendance", "考勤月报：各工作队每人在村天数对照要求", permRead, s.attendance, monthIn{}, aid.AttendanceReport{}, 200},

		{"GET", "/api/v1/aid/rotations", "轮换列表", permRead, s.listRotations, rotationListIn{}, rotationsBody{}, 200},
		{"POST", "/api/v1/aid/rotations", "制定轮换计划（系统生成交接清单）", permWrite, s.planRotation, aid.RotationPlan{}, aid.Rotation{}, 201},
		{"GET", "/api/v1/aid/rotations/{id}", "轮换详情与交接清单", permRead, s.getRotation, aidIDIn{}, aid.Rotation{}, 200},
		{"POST", "/api/v1/aid/rotations/{id}/entries", "向交接清单添加项目、文件等（已有确认作废）", permWrite, s.addEntry, entryIn{}, aid.Rotation{}, 201},
		{"POST", "/api/v1/aid/rotations/{id}/confirm", "确认交接：离任干部、接任干部或乡镇指挥部办公室", permWrite, s.confirmRotation, confirmIn{}, aid.Rotation{}, 200},
		{"POST", "/api/v1/aid/rotations/{id}/complete", "完成交接：一个事务内移交全部岗位和结对", permWrite, s.completeRotation, versionIn{}, aid.Rotation{}, 200},
		{"POST", "/api/v1/aid/rotations/{id}/cancel", "取消轮换", permWrite, s.cancelRotation, versionIn{}, aid.Rotation{}, 200},
		{"GET", "/api/v1/aid/rotations/{id}/sheet", "下载交接清单（.xlsx，可打印）", permRead, s.rotationSheet, aidIDIn{}, nil, 200},
	}
}
