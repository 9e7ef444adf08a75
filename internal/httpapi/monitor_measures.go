package httpapi

import (
	"net/http"
	"strconv"

	"fupin/internal/fupin"
	"fupin/internal/monitor"
	"fupin/internal/sqlstore"
)

// dueMeasuresIn filters the 一户一策 measures past or near their end date.
type dueMeasuresIn struct {
	areaParam
	Due     string `query:"due" enum:"overdue,soon,all" description:"overdue：已到期；soon：30 天内到期；all 或不填：两者"`
	CadreID int64  `query:"cadre_id" minimum:"1" description:"只看该干部当前结对帮扶的农户"`
	pageParams
	formatParam
}

func (s *Server) listDueMeasures(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in dueMeasuresIn) (any, error) {
		f := sqlstore.MeasureFilter{Area: in.Area, Due: in.Due, CadreID: in.CadreID, Offset: in.Offset, Limit: in.Limit}
		if in.Format == "xlsx" {
			s.exportDueMeasures(w, r, a, f)
			return nil, errAnswered
		}
		return s.db.DueMeasures(r.Context(), a, f)
	})
}

func (s *Server) exportDueMeasures(w http.ResponseWriter, r *http.Request, a fupin.Actor, f sqlstore.MeasureFilter) {
	sh := listSheet{list: "帮扶措施到期", area: f.Area, header: []string{"到期情况", "结束日期", "户编号", "户主", "村", "监测案件",
		"措施类别", "措施内容", "责任人", "帮扶责任人", "状态", "开始日期"}}
	s.writeListExport(w, r, sh, func(offset, limit int) ([][]string, int, error) {
		f.Offset, f.Limit = offset, limit
		page, err := s.db.DueMeasures(r.Context(), a, f)
		rows := make([][]string, 0, len(page.Items))
		for _, m := range page.Items {
			rows = append(rows, []string{map[string]string{monitor.MeasureOverdue: "已到期", monitor.MeasureSoon: "即将到期"}[m.Due],
				m.EndsOn.String(), m.HouseholdNo, m.HeadName, m.VillageName, "#" + strconv.FormatInt(m.CaseID, 10),
				codeLabel(monitor.Measures, m.Category), m.Content, m.Responsible, m.Helper,
				codeLabel(monitor.MeasureStatuses, m.Status), m.StartsOn.String()})
		}
		return rows, page.Total, err
	})
}
