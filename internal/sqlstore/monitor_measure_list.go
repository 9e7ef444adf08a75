package sqlstore

import (
	"context"
	"fmt"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
)

// DueMeasure is a measure of a 一户一策 plan still planned or running whose
// end date is past (已到期) or near (即将到期), with its household and case.
type DueMeasure struct {
	MonitorMeasure
	Due         string `json:"due" description:"overdue（已到期）或 soon（即将到期）"`
	HeadName    string `json:"head_name" description:"户主"`
	HouseholdNo string `json:"household_no"`
	VillageCode string `json:"village_code"`
	VillageName string `json:"village_name"`
	CaseStage   string `json:"case_stage" description:"案件所处环节"`
	CaseType    string `json:"case_category" description:"监测对象类别"`
	Helper      string `json:"helper" description:"农户当前的帮扶责任人（结对干部），无则为空"`
}

// MeasureFilter selects due measures: area prefix, due (overdue, soon or
// all), the household's current helper, and a page.
type MeasureFilter struct {
	Area    string
	Due     string
	CadreID int64
	Offset  int
	Limit   int
}

// DueMeasurePage is one page of due measures with the total (the 待办 count
// for the same filter) and the end date up to which a measure is 即将到期.
type DueMeasurePage struct {
	Total     int          `json:"total"`
	SoonUntil fupin.Date   `json:"soon_until" description:"即将到期的截止日期（今天起 30 天）"`
	Items     []DueMeasure `json:"items"`
}

// dueMeasureWhere is the condition of f's measures on today, the alias m
// for monitor_measures and x for their case.
func dueMeasureWhere(actor fupin.Actor, f MeasureFilter, today fupin.Date, arg func(any) string) string {
	where := "m.status IN ('planned', 'active') AND m.ends_on IS NOT NULL"
	switch f.Due {
	case monitor.MeasureOverdue:
		where += " AND m.ends_on < " + arg(today)
	case monitor.MeasureSoon:
		where += " AND m.ends_on >= " + arg(today) + " AND m.ends_on <= " + arg(monitor.MeasureSoonUntil(today))
	default:
		where += " AND m.ends_on <= " + arg(monitor.MeasureSoonUntil(today))
	}
	if f.CadreID != 0 {
		where += " AND EXISTS (SELECT 1 FROM pairings p WHERE p.household_id = m.household_id AND p.ended_on IS NULL AND p.cadre_id = " +
			arg(f.CadreID) + ")"
	}
	return where + " AND " + areaCond("x.village_code", actor.Narrow(f.Area), arg)
}

func (f *MeasureFilter) check() error {
	if err := checkPage(f.Area, &f.Offset, &f.Limit); err != nil {
		return err
	}
	switch f.Due {
	case "", "all", monitor.MeasureOverdue, monitor.MeasureSoon:
	default:
		return field(fupin.EInvalid, "due", "due 应为 overdue、soon 或 all")
	}
	if f.CadreID < 0 {
		return field(fupin.EInvalid, "cadre_id", "干部编号不能为负数")
	}
	return nil
}

// DueMeasures lists the measures of the actor's areas that are past or near
// their end date and still planned or running, overdue first, by end date.
// Errors: invalid (area, due, cadre_id, page).
func (db *DB) DueMeasures(ctx context.Context, actor fupin.Actor, f MeasureFilter) (DueMeasurePage, error) {
	page := DueMeasurePage{Items: []DueMeasure{}}
	if err := f.check(); err != nil {
		return page, err
	}
	err := db.view(ctx, actor, func(tx *Tx) error {
		page.Items = page.Items[:0]
		today := tx.today()
		page.SoonUntil = monitor.MeasureSoonUntil(today)
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		where := dueMeasureWhere(actor, f, today, arg)
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM monitor_measures m JOIN monitor_cases x ON x.id = m.case_id
			WHERE `+where, args...).Scan(&page.Total); err != nil {
			return fmt.Errorf("count due measures: %w", err)
		}
		rows, err := tx.QueryContext(ctx, `SELECT m.id, m.case_id, m.household_id, m.category, m.content, m.responsible,
			m.starts_on, m.ends_on, m.funds, m.fund_source, m.status, m.outcome, m.created_by,
			h.head_name, COALESCE(h.household_no, ''), x.village_code, x.stage, x.category,
			COALESCE((SELECT MIN(c.name) FROM pairings p JOIN cadres c ON c.id = p.cadre_id
				WHERE p.household_id = m.household_id AND p.ended_on IS NULL), '')
			FROM monitor_measures m JOIN monitor_cases x ON x.id = m.case_id JOIN households h ON h.id = m.household_id
			WHERE `+where+fmt.Sprintf(` ORDER BY m.ends_on, m.id LIMIT %d OFFSET %d`, f.Limit, f.Offset), args...)
		if err != nil {
			return fmt.Errorf("list due measures: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var d DueMeasure
			m := &d.MonitorMeasure
			if err := rows.Scan(&m.ID, &m.CaseID, &m.HouseholdID, &m.Category, &m.Content, &m.Responsible, &m.StartsOn,
				&m.EndsOn, &m.Funds, &m.FundSource, &m.Status, &m.Outcome, &m.CreatedBy,
				&d.HeadName, &d.HouseholdNo, &d.VillageCode, &d.CaseStage, &d.CaseType, &d.Helper); err != nil {
				return err
			}
			d.Due = monitor.MeasureDue(m.Status, m.EndsOn, today)
			d.VillageName = aid.AreaName(d.VillageCode)
			page.Items = append(page.Items, d)
		}
		return rows.Err()
	})
	return page, err
}
