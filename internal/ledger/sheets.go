package ledger

import (
	"fmt"
	"io"
	"time"

	"fupin/internal/xlsx"
)

// SheetRow is a finding with the inspection it came from, for the 三单.
type SheetRow struct {
	Finding
	Source          string // inspection source key
	InspectionTitle string
}

// MaxSheetRows bounds one 三单 export (a county has about 10,000 findings).
const MaxSheetRows = 200_000

// WriteSheets writes the 三单 — 问题清单, 责任清单 and 整改清单 sheets — as
// .xlsx in the layout townships send upward, one row per finding in the
// order given, with deadline buckets as seen on today.
func WriteSheets(w io.Writer, rows []SheetRow, today time.Time, count WorkingDays) error {
	x := xlsx.NewWriter(w, nil)
	sheets := []struct {
		name   string
		header []string
		cells  func(i int, r *SheetRow) []string
	}{
		{"问题清单", []string{"序号", "问题来源", "巡视（检查）", "问题编号", "问题类别", "问题描述", "所在区域", "区划代码", "涉及户数", "整改类型", "整改时限", "整改状态", "期限分组"},
			func(i int, r *SheetRow) []string {
				return []string{fmt.Sprint(i + 1), Sources.LabelOf(r.Source), r.InspectionTitle, r.Number, Categories.LabelOf(r.Category),
					r.Description, r.AreaName, r.AreaCode, fmt.Sprint(r.Households), Kinds.LabelOf(r.Kind), r.Deadline.String(),
					Statuses.LabelOf(r.Status), Buckets.LabelOf(Bucket(r.Status, r.Deadline.Time(), today, count))}
			}},
		{"责任清单", []string{"序号", "问题编号", "问题描述", "牵头单位", "责任单位", "责任人", "整改措施", "整改时限", "销号单位"},
			func(i int, r *SheetRow) []string {
				closer := "乡镇指挥部办公室"
				if r.CountyLevel {
					closer = "县巡视整改办"
				}
				return []string{fmt.Sprint(i + 1), r.Number, r.Description, r.LeadUnit, r.Responsible, r.Person, r.Measures, r.Deadline.String(), closer}
			}},
		{"整改清单", []string{"序号", "问题编号", "整改状态", "整改成效和佐证", "已整改户数", "涉及户数", "申请销号", "牵头单位审核", "销号", "销号日期", "验收意见", "退回原因", "反弹自"},
			func(i int, r *SheetRow) []string {
				closed, rec := "", ""
				if r.ClosedAt != nil {
					closed = r.ClosedAt.In(china).Format(time.DateOnly)
				}
				if r.RecurrenceOf != nil {
					rec = fmt.Sprintf("#%d", *r.RecurrenceOf)
				}
				return []string{fmt.Sprint(i + 1), r.Number, Statuses.LabelOf(r.Status), r.Evidence, fmt.Sprint(r.Fixed), fmt.Sprint(r.Households),
					r.AppliedBy, r.ReviewedBy, r.ClosedBy, closed, r.Opinion, r.RejectReason, rec}
			}},
	}
	for _, s := range sheets {
		if err := x.StartSheet(s.name); err != nil {
			x.Abort()
			return err
		}
		if err := x.WriteRow(s.name, s.header); err != nil {
			x.Abort()
			return err
		}
		for i := range rows {
			if err := x.WriteRow(s.name, s.cells(i, &rows[i])); err != nil {
				x.Abort()
				return err
			}
		}
	}
	return x.Close()
}

var china = time.FixedZone("CST", 8*3600)
