package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fupin/internal/aid"
	"fupin/internal/criteria"
	"fupin/internal/fupin"
	"fupin/internal/ledger"
)

// FromProblemsIn turns the policy engine's 问题清单 into findings: one per
// village with households failing the item in the year.
type FromProblemsIn struct {
	InspectionID int64      `json:"inspection_id" required:"true"`
	Area         string     `json:"area" required:"true" description:"乡镇（9 位）或村（12 位）区划代码"`
	Year         int        `json:"year" required:"true" description:"核查年度"`
	Item         string     `json:"item" required:"true" description:"核查项目：food、clothing、education、medical、housing、water、income…"`
	LeadUnit     string     `json:"lead_unit" required:"true" description:"牵头单位"`
	Deadline     fupin.Date `json:"deadline" required:"true" description:"整改时限"`
}

// itemCategory maps a policy item to a finding category.
func itemCategory(item string) string {
	switch item {
	case string(criteria.ItemWater):
		return "water"
	case string(criteria.ItemIncome):
		return "income"
	}
	return "basic_needs"
}

// FindingsFromProblems creates, in one transaction, one finding per
// village of in.Area whose stored verdicts of in.Year fail in.Item, with
// those households attached (at most ledger.MaxHouseholds per village).
// The item and year stay on the finding, so a household whose verdict
// later passes is marked fixed (markFixed). Errors: invalid, forbidden,
// not_found (inspection), conflict (findings for the item already exist).
func (db *DB) FindingsFromProblems(ctx context.Context, actor fupin.Actor, in FromProblemsIn) ([]ledger.Finding, error) {
	errs := fupin.FieldErrors{}
	if !knownItem(in.Item) || in.Item == string(criteria.ItemStandard) {
		errs.Add("item", "没有这个核查项目："+in.Item)
	}
	if n := len(in.Area); (n != 9 && n != 12) || aid.AreaName(in.Area) == "" {
		errs.Add("area", "应为乡镇（9 位）或村（12 位）区划代码")
	}
	if in.Year < 2014 || in.Year > 2100 {
		errs.Add("year", "年度应在 2014–2100 之间")
	}
	if in.Deadline.IsZero() {
		errs.Add("deadline", "请填写整改时限")
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if !actor.Covers(in.Area) {
		return nil, aid.ForbidArea(in.Area)
	}
	out := []ledger.Finding{}
	err := db.update(ctx, actor, func(tx *Tx) error {
		out = out[:0] // a failover retry starts afresh
		byVillage, villages, err := tx.failingHouseholds(ctx, in)
		if err != nil {
			return err
		}
		label := criteria.Item(in.Item).Label()
		for _, v := range villages {
			hh := byVillage[v]
			if len(hh) > ledger.MaxHouseholds {
				return fupin.Errorf(fupin.EInvalid, "%s 有 %d 户%s不达标，超过一个问题可关联的 %d 户", aid.AreaName(v), len(hh), label, ledger.MaxHouseholds)
			}
			f := ledger.Finding{InspectionID: in.InspectionID, Number: fmt.Sprintf("核查-%d-%s-%s", in.Year, in.Item, v),
				Category: itemCategory(in.Item), AreaCode: v, LeadUnit: in.LeadUnit, Kind: ledger.KindDeadline, Deadline: in.Deadline,
				Description: fmt.Sprintf("%d 年度核查：%s %d 户“%s”不达标", in.Year, aid.AreaName(v), len(hh), label),
				Item:        in.Item, Year: in.Year}
			if err := f.Validate(); err != nil {
				return err
			}
			id, err := tx.insertFinding(ctx, f, hh)
			if err != nil {
				return err
			}
			saved, err := tx.finding(ctx, id, nil)
			if err != nil {
				return err
			}
			out = append(out, *saved)
		}
		return tx.auditValue(ctx, "ledger.finding.from_problems", "ledger_inspection", strconv.FormatInt(in.InspectionID, 10), nil,
			map[string]any{"request": in, "findings": len(out)})
	})
	return out, err
}

func knownItem(item string) bool {
	for _, it := range criteria.Items {
		if string(it) == item {
			return true
		}
	}
	return false
}

// failingHouseholds reads the households of area (within the actor's
// areas) whose verdict of the year fails the item, by village.
func (tx *Tx) failingHouseholds(ctx context.Context, in FromProblemsIn) (map[string][]int64, []string, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	// in.Item is one of criteria.Items (checked), so it may name the column.
	q := `SELECT v.village_code, v.household_id FROM verdicts v JOIN households h ON h.id = v.household_id
		WHERE h.deleted_at IS NULL AND v.year = ` + arg(in.Year) + ` AND v.s_` + in.Item + ` = ` + arg(string(criteria.Fail)) +
		` AND ` + areaCond("v.village_code", tx.actor.Narrow(in.Area), arg) + ` ORDER BY v.village_code, v.household_id`
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("failing households: %w", err)
	}
	defer rows.Close()
	by := map[string][]int64{}
	var villages []string
	for rows.Next() {
		var v string
		var id int64
		if err := rows.Scan(&v, &id); err != nil {
			return nil, nil, err
		}
		if _, ok := by[v]; !ok {
			villages = append(villages, v)
		}
		by[v] = append(by[v], id)
	}
	return by, villages, rows.Err()
}

// markFixed marks the open findings' households (made from the 问题清单)
// fixed when the household's stored verdict of the finding's year now
// passes the finding's item: the verdict is the evidence. householdID 0
// checks every household (after a batch assessment).
func (tx *Tx) markFixed(ctx context.Context, householdID int64) error {
	var cases strings.Builder
	for _, it := range criteria.Items {
		fmt.Fprintf(&cases, " WHEN '%s' THEN v.s_%s", it, it)
	}
	q := `UPDATE ledger_finding_households SET fixed_at = $1 WHERE fixed_at IS NULL AND EXISTS (
		SELECT 1 FROM ledger_findings f JOIN verdicts v ON v.household_id = ledger_finding_households.household_id AND v.year = f.year
		WHERE f.id = ledger_finding_households.finding_id AND f.item <> '' AND f.status <> $2
		AND CASE f.item` + cases.String() + ` END = $3)`
	args := []any{tx.now, ledger.StatusClosed, string(criteria.Pass)}
	if householdID != 0 {
		q += ` AND household_id = $4`
		args = append(args, householdID)
	}
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("mark fixed: %w", err)
	}
	return nil
}
