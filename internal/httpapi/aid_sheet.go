package httpapi

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"fupin/internal/aid"
)

// HandoverSheet writes a rotation's 交接清单 as a printable .xlsx: the
// rotation, the postings changing hands with each party's confirmation,
// and every line of the handover list, with signature lines.
func HandoverSheet(w io.Writer, r *aid.Rotation) error {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "交接清单"
	f.SetSheetName("Sheet1", sh)
	title, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: &excelize.Alignment{Horizontal: "center"}})
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"DDEBF7"}, Pattern: 1},
		Border: borders(), Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	cell, _ := f.NewStyle(&excelize.Style{Border: borders(), Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	row := 1
	put := func(style int, vals ...any) {
		for i, v := range vals {
			ref, _ := excelize.CoordinatesToCellName(i+1, row)
			f.SetCellValue(sh, ref, v)
			if style != 0 {
				f.SetCellStyle(sh, ref, ref, style)
			}
		}
		row++
	}
	f.MergeCell(sh, "A1", "F1")
	put(title, r.AreaName+" "+r.Title+" 交接清单")
	put(0, "轮换编号", r.ID, "状态", r.StatusLabel, "计划交接日期", r.PlannedOn.String())
	put(0, "制表", r.CreatedBy, "打印时间", time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04"))
	row++
	put(head, "序号", "岗位", "驻点", "离任干部（确认）", "接任干部（确认）", "新岗位编号")
	for i, it := range r.Items {
		np := ""
		if it.NewPostingID != nil {
			np = strconv.FormatInt(*it.NewPostingID, 10)
		}
		put(cell, i+1, it.RoleLabel, it.AreaName, signed(it.OutgoingName, it.OutgoingConfirmedBy, it.OutgoingConfirmedAt),
			signed(it.IncomingName, it.IncomingConfirmedBy, it.IncomingConfirmedAt), np)
	}
	if r.HiddenItems > 0 {
		put(0, fmt.Sprintf("另有 %d 个岗位在您的管辖区域以外，未列出", r.HiddenItems))
	}
	row++
	put(head, "序号", "类别", "事项", "交接情况", "来源", "")
	for i, e := range r.Entries {
		src := "手工添加"
		if e.Auto {
			src = "系统生成"
		}
		put(cell, i+1, e.KindLabel, e.Title, e.Detail, src, "")
	}
	if r.HiddenEntries > 0 {
		put(0, fmt.Sprintf("另有 %d 项（其他村的结对农户等）在您的管辖区域以外，未列出", r.HiddenEntries))
	}
	row++
	put(0, "乡镇指挥部办公室确认", signed("", r.OfficeConfirmedBy, r.OfficeConfirmedAt))
	row++
	put(0, "离任干部（签字）：", "", "接任干部（签字）：", "", "指挥部办公室（盖章）：")
	for col, width := range map[string]float64{"A": 8, "B": 18, "C": 40, "D": 30, "E": 30, "F": 14} {
		f.SetColWidth(sh, col, col, width)
	}
	f.SetPageLayout(sh, &excelize.PageLayoutOptions{Orientation: ptr("landscape")})
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write handover sheet: %w", err)
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

func borders() []excelize.Border {
	var out []excelize.Border
	for _, side := range []string{"left", "right", "top", "bottom"} {
		out = append(out, excelize.Border{Type: side, Color: "999999", Style: 1})
	}
	return out
}

// signed shows a party and their confirmation.
func signed(name, by string, at *time.Time) string {
	if by == "" || at == nil {
		return name + "（未确认）"
	}
	return fmt.Sprintf("%s（%s 于 %s 确认）", name, by, at.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04"))
}
