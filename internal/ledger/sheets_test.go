package ledger

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"fupin/internal/fupin"
)

func TestWriteSheets(t *testing.T) {
	closed := time.Date(2026, 11, 30, 20, 0, 0, 0, time.UTC) // 12-01 in China
	prev := int64(3)
	rows := []SheetRow{
		{Finding: Finding{Number: "1", Category: "water", Description: "饮水<不稳定>", AreaCode: "500236266200", AreaName: "天台村",
			LeadUnit: "乡水利站", Kind: KindDeadline, Deadline: fupin.NewDate(2026, 12, 1), Status: StatusInProgress, Households: 3, Fixed: 1},
			Source: "inspection", InspectionTitle: "市委巡视"},
		{Finding: Finding{Number: "2", Category: "conduct", Description: "作风", LeadUnit: "乡纪委", CountyLevel: true, Kind: KindImmediate,
			Deadline: fupin.NewDate(2026, 12, 1), Status: StatusClosed, ClosedAt: &closed, ClosedBy: "county", RecurrenceOf: &prev},
			Source: "recheck", InspectionTitle: "回头看"},
	}
	var buf bytes.Buffer
	if err := WriteSheets(&buf, rows, time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); len(got) != 3 || got[0] != "问题清单" || got[1] != "责任清单" || got[2] != "整改清单" {
		t.Fatalf("sheets %v", got)
	}
	for _, c := range []struct{ sheet, cell, want string }{
		{"问题清单", "B2", "巡视"},
		{"问题清单", "F2", "饮水<不稳定>"},
		{"问题清单", "M2", "已超期"},
		{"问题清单", "M3", ""}, // closed: no bucket
		{"责任清单", "I2", "乡镇指挥部办公室"},
		{"责任清单", "I3", "县巡视整改办"},
		{"整改清单", "E2", "1"},
		{"整改清单", "J3", "2026-12-01"},
		{"整改清单", "M3", "#3"},
	} {
		if got, _ := f.GetCellValue(c.sheet, c.cell); got != c.want {
			t.Errorf("%s!%s = %q, want %q", c.sheet, c.cell, got, c.want)
		}
	}
}
