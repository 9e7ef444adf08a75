package sqlstore

import (
	"context"
	"strconv"

	"fupin/internal/aid"
	"fupin/internal/monitor"
)

// handoverMeasures adds to a rotation's handover list the 一户一策 measures
// still planned or running for each household the rotation hands over, so
// the incoming helper takes the plan over with the pairing (防返贫监测).
func (tx *Tx) handoverMeasures(ctx context.Context, rotation int64, moves []aid.PairingMove) error {
	for _, mv := range moves {
		ms, err := tx.measures(ctx, "household_id = $1 AND status IN ('planned', 'active')", mv.HouseholdID)
		if err != nil {
			return err
		}
		for _, m := range ms {
			item, ref := mv.Item.ID, m.CaseID
			title := []rune("一户一策：" + mv.HeadName + " · " + monitor.Measures.LabelOf(m.Category) + " · " + m.Content)
			detail := "责任人 " + m.Responsible + "，" + m.StartsOn.String() + " 起"
			if !m.EndsOn.IsZero() {
				detail += "至 " + m.EndsOn.String()
			}
			detail += "，" + monitor.MeasureStatuses.LabelOf(m.Status) + "（监测案件 #" + strconv.FormatInt(m.CaseID, 10) + "）"
			if err := tx.addEntry(ctx, rotation, &item, "case", &ref, string(title[:min(len(title), 200)]), detail, true); err != nil {
				return err
			}
		}
	}
	return nil
}
