package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"fupin/internal/aid"
	"fupin/internal/criteria"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// The 导出 Excel of 问题清单, 走访记录, 结对帮扶 and 考勤月报: each the
// list's own query (same filters, same order) with the columns its page
// shows.

func (s *Server) exportProblems(w http.ResponseWriter, r *http.Request, a fupin.Actor, f sqlstore.ProblemFilter) {
	sh := listSheet{list: "问题清单", area: f.Area, header: []string{"户编号", "户主", "所在村", "年度", "问题项目", "原因"}}
	s.writeListExport(w, r, sh, func(offset, limit int) ([][]string, int, error) {
		f.Offset, f.Limit = offset, limit
		page, err := s.db.AssessmentProblems(r.Context(), a, f)
		rows := make([][]string, 0, len(page.Items))
		for _, p := range page.Items {
			var items, reasons []string
			for _, it := range criteria.Items {
				reason, ok := p.Reasons[string(it)]
				if !ok || f.Item != "" && string(it) != f.Item {
					continue
				}
				label := it.Label() + "（" + criteria.Status(p.Statuses[string(it)]).Label() + "）"
				items = append(items, label)
				reasons = append(reasons, label+"："+reason)
			}
			rows = append(rows, []string{p.HouseholdNo, p.HeadName, p.VillageName, strconv.Itoa(p.Year),
				strings.Join(items, "、"), strings.Join(reasons, "；")})
		}
		return rows, page.Total, err
	})
}

func (s *Server) exportVisits(w http.ResponseWriter, r *http.Request, a fupin.Actor, f aid.VisitFilter) {
	sh := listSheet{list: "走访记录", area: f.Area, header: []string{"日期", "户主", "村", "走访干部", "方式", "不愁吃", "不愁穿", "走访情况", "照片数"}}
	s.writeListExport(w, r, sh, func(offset, limit int) ([][]string, int, error) {
		f.Offset, f.Limit = offset, limit
		page, err := s.db.ListVisits(r.Context(), a, f)
		rows := make([][]string, 0, len(page.Items))
		for _, v := range page.Items {
			rows = append(rows, []string{v.VisitedOn.String(), v.HeadName, v.VillageName, v.CadreName,
				map[string]string{"home": "入户", "phone": "电话"}[v.Kind], yesNo(v.FoodSecure), yesNo(v.ClothingSecure),
				v.Findings, strconv.Itoa(len(v.Photos))})
		}
		return rows, page.Total, err
	})
}

func (s *Server) exportPairings(w http.ResponseWriter, r *http.Request, a fupin.Actor, area string, cadreID int64) {
	sh := listSheet{list: "结对帮扶", area: area, header: []string{"户编号", "户主", "村", "类别", "帮扶责任人", "派出单位", "结对日期"}}
	s.writeListExport(w, r, sh, func(offset, limit int) ([][]string, int, error) {
		page, err := s.db.ListActivePairings(r.Context(), a, area, cadreID, offset, limit)
		rows := make([][]string, 0, len(page.Items))
		for _, p := range page.Items {
			rows = append(rows, []string{p.HouseholdNo, p.HeadName, p.VillageName, householdKind(p.HouseholdType, p.MonitorType),
				p.CadreName, p.CadreUnit, p.StartedOn.String()})
		}
		return rows, page.Total, err
	})
}

func (s *Server) exportAttendance(w http.ResponseWriter, r *http.Request, rep aid.AttendanceReport) {
	sh := listSheet{list: "考勤月报" + rep.Month, area: rep.Area,
		header: []string{"月份", "工作队", "姓名", "派出单位", "岗位", "在村天数", "要求天数", "请假天数", "是否达标"}}
	var rows [][]string
	for _, t := range rep.Teams {
		for _, c := range t.Cadres {
			met := "未达标"
			if c.Met {
				met = "达标"
			}
			rows = append(rows, []string{rep.Month, t.AreaName + t.KindLabel, c.CadreName, c.UnitName, c.RoleLabel,
				strconv.Itoa(c.Present), strconv.Itoa(c.Required), strconv.Itoa(c.LeaveDays), met})
		}
	}
	if len(rows) > s.exportMax() {
		s.writeError(w, r, fupin.Errorf(fupin.EInvalid, "共 %d 行，超过导出上限 %d 行，请缩小区域后再导出", len(rows), s.exportMax()))
		return
	}
	s.sendSheet(w, r, sh, rows)
}

// householdKind is the 类别 the aid pages show: the monitoring type, else
// the household type.
func householdKind(householdType, monitorType string) string {
	if monitorType != "" {
		return codeLabel(fupin.MonitorTypes, monitorType)
	}
	return codeLabel(fupin.HouseholdTypes, householdType)
}

func yesNo(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "是"
	}
	return "否"
}
