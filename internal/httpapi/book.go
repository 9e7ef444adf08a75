package httpapi

import (
	"bytes"
	"cmp"
	"net/http"
	"strconv"
	"time"

	"fupin/internal/appraisal"
	"fupin/internal/fupin"
	"fupin/internal/redact"
)

// sendBook answers with a workbook of several sheets named 区域_名称_日期.xlsx,
// every cell masked with redact.Row for roles that may not see identities
// (the masking middleware leaves binary answers alone). An unmasked
// download is audited as list.export, like the lists' own.
func (s *Server) sendBook(w http.ResponseWriter, r *http.Request, name, area string, sheets []appraisal.Sheet) {
	p := principalOf(r)
	rows := 0
	for _, sh := range sheets {
		rows += len(sh.Rows)
		if p == nil || !p.role.SeesIdentity() {
			for _, row := range sh.Rows {
				redact.Row(row, nil)
			}
		}
	}
	if max := s.exportMax(); rows > max {
		s.writeError(w, r, &fupin.Error{Code: fupin.EInvalid,
			Message: "共 " + strconv.Itoa(rows) + " 行，超过导出上限 " + strconv.Itoa(max) + " 行，请缩小区域后再导出",
			Fields:  map[string]string{"format": "导出最多 " + strconv.Itoa(max) + " 行"}})
		return
	}
	var buf bytes.Buffer
	if err := appraisal.WriteBook(&buf, sheets); err != nil {
		s.writeError(w, r, err)
		return
	}
	code := exportAreaCode(area, p)
	if p != nil && p.role.SeesIdentity() {
		s.db.AuditEvent(r.Context(), p.username, "list.export", "area", code, map[string]string{"list": name, "rows": strconv.Itoa(rows)})
	}
	date := fupin.DateOf(time.Now().In(time.FixedZone("CST", 8*3600))).String()
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Disposition", attachment("book-"+cmp.Or(code, "all")+"-"+date+".xlsx", exportAreaName(area, p)+"_"+name+"_"+date+".xlsx"))
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}
