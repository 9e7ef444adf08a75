package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// Uncovered is a household the policy engine flags (a failing 两不愁三保障 /
// 饮水 item, or income below the monitoring line) that is not monitored and
// has no open case: 应纳未纳.
type Uncovered struct {
	HouseholdID int64        `json:"household_id"`
	HouseholdNo string       `json:"household_no"`
	HeadName    string       `json:"head_name"`
	VillageCode string       `json:"village_code"`
	VillageName string       `json:"village_name"`
	Problems    int          `json:"problems" description:"未达标项目数"`
	IncomeRisk  bool         `json:"income_risk" description:"人均纯收入低于监测线"`
	PerCapita   *fupin.Money `json:"per_capita"`
}

// UncoveredPage is one page of the 应纳未纳 list with its total (the 待办 count).
type UncoveredPage struct {
	Year  int         `json:"year"`
	Total int         `json:"total"`
	Items []Uncovered `json:"items"`
}

// uncoveredWhere: the default-year verdict flags the household, it is live,
// not a monitoring object whose risk stands (eliminated ones count again),
// and no case is open.
const uncoveredWhere = ` FROM verdicts v JOIN households h ON h.id = v.household_id
	WHERE v.year = $1 AND (v.problems > 0 OR v.income_risk) AND h.deleted_at IS NULL
	AND (h.monitor_type = '' OR h.risk_eliminated_on IS NOT NULL)
	AND NOT EXISTS (SELECT 1 FROM monitor_cases c WHERE c.household_id = h.id AND c.stage NOT IN ('rejected', 'eliminated'))`

// MonitorUncovered lists the 应纳未纳 households in the actor's areas for the
// default assessment year, by village and id.
func (db *DB) MonitorUncovered(ctx context.Context, actor fupin.Actor, area string, offset, limit int) (UncoveredPage, error) {
	page := UncoveredPage{Items: []Uncovered{}}
	if err := checkPage(area, &offset, &limit); err != nil {
		return page, err
	}
	err := db.view(ctx, actor, func(tx *Tx) error {
		page.Items = page.Items[:0]
		page.Year = fupin.AssessmentYear(tx.today())
		args := []any{page.Year}
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		where := uncoveredWhere + " AND " + areaCond("v.village_code", actor.Narrow(area), arg)
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*)`+where, args...).Scan(&page.Total); err != nil {
			return fmt.Errorf("count uncovered: %w", err)
		}
		rows, err := tx.QueryContext(ctx, `SELECT h.id, COALESCE(h.household_no, ''), h.head_name, h.village_code,
			v.problems, v.income_risk, v.per_capita`+where+fmt.Sprintf(` ORDER BY v.village_code, h.id LIMIT %d OFFSET %d`, limit, offset), args...)
		if err != nil {
			return fmt.Errorf("list uncovered: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var u Uncovered
			var pc sql.NullInt64
			if err := rows.Scan(&u.HouseholdID, &u.HouseholdNo, &u.HeadName, &u.VillageCode, &u.Problems, &u.IncomeRisk, &pc); err != nil {
				return err
			}
			if pc.Valid {
				m := fupin.Money(pc.Int64)
				u.PerCapita = &m
			}
			u.VillageName = aid.AreaName(u.VillageCode)
			page.Items = append(page.Items, u)
		}
		return rows.Err()
	})
	return page, err
}
