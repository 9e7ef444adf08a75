package httpapi

import (
	"bytes"
	"cmp"
	"net/http"
	"strconv"
	"time"

	"fupin/internal/fupin"
	"fupin/internal/redact"
	"fupin/internal/region"
	"fupin/internal/xlsx"
)

// DefaultListExportMax is the most rows a list's 导出 Excel writes. A larger list
// is refused before anything is written, with a message asking for a
// narrower filter: the file is built in memory (a few hundred bytes a row)
// so that a failure half-way answers with an error, not a cut-off file.
const DefaultListExportMax = 20000

// exportMax is the configured bound on an export's rows.
func (s *Server) exportMax() int {
	if s.opts.ListExportMax > 0 {
		return s.opts.ListExportMax
	}
	return DefaultListExportMax
}

// exportPage is the rows of a list from offset on (at most exportChunk of
// them) and the list's total.
type exportPage func(offset, limit int) (rows [][]string, total int, err error)

// exportChunk is the page size an export reads with: the lists' own maximum.
const exportChunk = 500

// formatParam is ?format=xlsx on a list: the same list, every filter and
// sort of it, as an .xlsx download instead of a JSON page.
type formatParam struct {
	Format string `query:"format" enum:"xlsx" description:"xlsx：按同样的筛选和排序下载全部结果（不分页，最多 20000 行）"`
}

// listSheet names a list's download and its columns.
type listSheet struct {
	list   string // 农户台账, 问题清单, …
	area   string // the requested area ("" for all of the caller's)
	header []string
}

// writeListExport reads the whole list page by page, masks it for callers
// who may not see identities, and answers with an .xlsx named
// 区域_清单_日期.xlsx. Errors (a refused size included) answer as JSON.
func (s *Server) writeListExport(w http.ResponseWriter, r *http.Request, sh listSheet, page exportPage) {
	release, ok := s.exportSlot(w, r, false)
	if !ok {
		return
	}
	defer release()
	var all [][]string
	for offset := 0; ; {
		rows, total, err := page(offset, exportChunk)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if max := s.exportMax(); total > max {
			s.writeError(w, r, &fupin.Error{Code: fupin.EInvalid,
				Message: "共 " + strconv.Itoa(total) + " 行，超过导出上限 " + strconv.Itoa(max) + " 行，请缩小区域或增加筛选条件后再导出",
				Fields:  map[string]string{"format": "导出最多 " + strconv.Itoa(max) + " 行"}})
			return
		}
		all = append(all, rows...)
		offset += len(rows)
		if len(rows) == 0 || offset >= total {
			break
		}
	}
	s.sendSheet(w, r, sh, all)
}

// sendSheet writes rows under sh's header as a one-sheet workbook.
func (s *Server) sendSheet(w http.ResponseWriter, r *http.Request, sh listSheet, rows [][]string) {
	p := principalOf(r)
	masked := p == nil || !p.role.SeesIdentity()
	var buf bytes.Buffer
	x := xlsx.NewWriter(&buf, nil)
	err := x.WriteRow(sh.list, sh.header)
	for _, row := range rows {
		if err != nil {
			break
		}
		if masked {
			redact.Row(row, nil)
		}
		err = x.WriteRow(sh.list, row)
	}
	if err == nil {
		err = x.Close()
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	area := exportAreaCode(sh.area, p)
	if p != nil && p.role.SeesIdentity() {
		s.db.AuditEvent(r.Context(), p.username, "list.export", "area", area, map[string]string{"list": sh.list, "rows": strconv.Itoa(len(rows))})
	}
	date := fupin.DateOf(time.Now().In(time.FixedZone("CST", 8*3600))).String()
	h := w.Header()
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	h.Set("Content-Disposition", attachment("list-"+cmp.Or(area, "all")+"-"+date+".xlsx", exportAreaName(sh.area, p)+"_"+sh.list+"_"+date+".xlsx"))
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}

// exportAreaCode is the area of a download: the requested division, else
// the caller's one area, else "" (all the caller sees). The audit entry
// records it, so a county reading its audit log finds its areas' exports.
func exportAreaCode(area string, p *principal) string {
	if area == "" && p != nil && len(p.actor.Areas) == 1 {
		return p.actor.Areas[0]
	}
	return area
}

// exportAreaName names the area of a download (exportAreaCode), or 全部.
func exportAreaName(area string, p *principal) string {
	area = exportAreaCode(area, p)
	if area == "" {
		return "全部"
	}
	if reg, err := region.Lookup(area); err == nil && reg.Name != "" {
		return reg.Name
	}
	return area
}

// codeLabel is the Chinese label of code in list, or code itself.
func codeLabel(list fupin.CodeList, code string) string {
	for _, it := range list.Items {
		if it.Code == code {
			return it.Label
		}
	}
	return code
}

// villageNames caches division names for an export's rows.
type villageNames map[string]string

func (v villageNames) name(code string) string {
	if n, ok := v[code]; ok {
		return n
	}
	n := code
	if reg, err := region.Lookup(code); err == nil {
		n = reg.Name
	}
	v[code] = n
	return n
}

// cstTime is t in China Standard Time to the minute, "" when zero.
func cstTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04")
}
