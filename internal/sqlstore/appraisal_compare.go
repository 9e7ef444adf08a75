package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"fupin/internal/appraisal"
	"fupin/internal/fupin"
)

// CompareSnapshots compares snapshot to with snapshot from (both of the same
// area): households in and out of each category and the verdict changes with
// their reasons, limited to the actor's areas. Errors: not_found (either
// snapshot), invalid (different areas).
func (db *DB) CompareSnapshots(ctx context.Context, actor fupin.Actor, from, to int64) (*appraisal.Comparison, error) {
	var out appraisal.Comparison
	err := db.view(ctx, actor, func(tx *Tx) error {
		a, err := tx.snapshot(ctx, from)
		if err != nil {
			return withField(err, "from")
		}
		b, err := tx.snapshot(ctx, to)
		if err != nil {
			return withField(err, "to")
		}
		if a.AreaCode != b.AreaCode {
			return &fupin.Error{Code: fupin.EInvalid, Message: "只能比较同一区域的两个快照",
				Fields: map[string]string{"to": "与前一快照的区域不同"}}
		}
		ea, err := tx.snapshotEntries(ctx, from)
		if err != nil {
			return err
		}
		eb, err := tx.snapshotEntries(ctx, to)
		if err != nil {
			return err
		}
		out = appraisal.Compare(from, to, ea, eb)
		return nil
	})
	return &out, err
}

// snapshotEntries reads a snapshot's households in the actor's areas, by id.
func (tx *Tx) snapshotEntries(ctx context.Context, id int64) ([]appraisal.Entry, error) {
	out := []appraisal.Entry{}
	err := tx.eachSnapshotEntry(ctx, id, true, func(e *appraisal.Entry) { out = append(out, *e) })
	return out, err
}

// eachSnapshotEntry calls fn with each household of a snapshot in the
// actor's areas, by id, reusing one Entry; reasons are decoded only when
// asked for (a count does not need them).
func (tx *Tx) eachSnapshotEntry(ctx context.Context, id int64, reasons bool, fn func(*appraisal.Entry)) error {
	// A household is in the version tables once it changed after the
	// snapshot, else still live at the snapshot's version.
	rows, err := tx.QueryContext(ctx, `SELECT s.household_id, COALESCE(a.household_no, h.household_no, ''),
		COALESCE(a.head_name, h.head_name), COALESCE(a.village_code, h.village_code),
		COALESCE(a.household_type, h.household_type), COALESCE(a.monitor_type, h.monitor_type),
		CASE WHEN a.id IS NOT NULL THEN a.risk_eliminated_on IS NOT NULL ELSE h.risk_eliminated_on IS NOT NULL END, v.pass, v.s_food, v.s_clothing, v.s_education,
		v.s_medical, v.s_housing, v.s_water, v.s_standard, v.s_income, v.reasons
		FROM appraisal_snapshot_households s
		LEFT JOIN appraisal_households a ON a.id = s.household_id AND a.version = s.hh_version
		LEFT JOIN households h ON h.id = s.household_id AND h.version = s.hh_version
		LEFT JOIN appraisal_verdicts v ON v.vid = s.vid
		WHERE s.snapshot_id = $1 ORDER BY s.household_id`, id)
	if err != nil {
		return fmt.Errorf("snapshot entries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e appraisal.Entry
		var pass sql.NullBool
		var st [8]sql.NullString
		var why sql.NullString
		if err := rows.Scan(&e.HouseholdID, &e.HouseholdNo, &e.HeadName, &e.VillageCode, &e.HouseholdType, &e.MonitorType,
			&e.Eliminated, &pass, &st[0], &st[1], &st[2], &st[3], &st[4], &st[5], &st[6], &st[7], &why); err != nil {
			return fmt.Errorf("scan snapshot entry: %w", err)
		}
		if !tx.actor.Covers(e.VillageCode) {
			continue
		}
		e.HasVerdict, e.Pass = pass.Valid, pass.Bool
		for i := range st {
			e.Statuses[i] = st[i].String
		}
		if reasons && e.HasVerdict && !e.Pass && why.String != "" {
			if err := json.Unmarshal([]byte(why.String), &e.Reasons); err != nil {
				return fmt.Errorf("snapshot reasons of household %d: %w", e.HouseholdID, err)
			}
		}
		fn(&e)
	}
	return rows.Err()
}

// SnapshotHousehold returns a household as snapshot id froze it, with its
// members and income years. Errors: not_found (the snapshot, or the
// household is not in it or not in the actor's areas).
func (db *DB) SnapshotHousehold(ctx context.Context, actor fupin.Actor, id, householdID int64) (*fupin.Household, error) {
	var out *fupin.Household
	err := db.view(ctx, actor, func(tx *Tx) error {
		if _, err := tx.snapshot(ctx, id); err != nil {
			return err
		}
		var version int64
		err := tx.QueryRowContext(ctx, `SELECT hh_version FROM appraisal_snapshot_households
			WHERE snapshot_id = $1 AND household_id = $2`, id, householdID).Scan(&version)
		if isNoRows(err) {
			return notFound("快照中的农户", householdID)
		} else if err != nil {
			return fmt.Errorf("snapshot household: %w", err)
		}
		h, kept, err := tx.frozenHousehold(ctx, householdID, version)
		if err != nil {
			return err
		}
		if !actor.Covers(h.VillageCode) {
			return notFound("快照中的农户", householdID)
		}
		if !kept { // unchanged since: the live rows are the snapshot's
			h.Members, err = tx.members(ctx, householdID)
			if err == nil {
				h.Incomes, err = tx.incomes(ctx, householdID, h.Members)
			}
			out = h
			return err
		}
		if h.Members, err = tx.frozenMembers(ctx, householdID, version); err != nil {
			return err
		}
		h.Incomes, err = tx.frozenIncomes(ctx, householdID, version, h.Members)
		out = h
		return err
	})
	return out, err
}

// frozenHousehold reads a household at a version: from the version tables
// when it changed since (kept), else the live row, which must still be at
// that version.
func (tx *Tx) frozenHousehold(ctx context.Context, id, version int64) (*fupin.Household, bool, error) {
	h, err := scanHousehold(tx.QueryRowContext(ctx, strings.Replace(householdSelect, "FROM households h",
		"FROM appraisal_households h", 1)+` WHERE h.id = $1 AND h.version = $2`, id, version))
	if err == nil {
		return h, true, nil
	} else if !isNoRows(err) {
		return nil, false, fmt.Errorf("snapshot household %d: %w", id, err)
	}
	h, err = scanHousehold(tx.QueryRowContext(ctx, householdSelect+` WHERE h.id = $1 AND h.version = $2`, id, version))
	if err != nil {
		return nil, false, fmt.Errorf("snapshot household %d version %d neither kept nor live: %w", id, version, err)
	}
	return h, false, nil
}

func (tx *Tx) frozenMembers(ctx context.Context, householdID, version int64) ([]fupin.Member, error) {
	rows, err := tx.QueryContext(ctx, strings.Replace(memberSelect, "FROM members", "FROM appraisal_members", 1)+`
		WHERE household_id = $1 AND hh_version = $2 ORDER BY CASE WHEN left_on IS NULL THEN 0 ELSE 1 END, id`, householdID, version)
	if err != nil {
		return nil, fmt.Errorf("snapshot members: %w", err)
	}
	defer rows.Close()
	out := []fupin.Member{}
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, fmt.Errorf("scan snapshot member: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (tx *Tx) frozenIncomes(ctx context.Context, householdID, version int64, members []fupin.Member) ([]fupin.IncomeYear, error) {
	rows, err := tx.QueryContext(ctx, `SELECT household_id, `+incomeCols+`, updated_at FROM appraisal_incomes
		WHERE household_id = $1 AND hh_version = $2 ORDER BY year DESC`, householdID, version)
	if err != nil {
		return nil, fmt.Errorf("snapshot incomes: %w", err)
	}
	defer rows.Close()
	out := []fupin.IncomeYear{}
	for rows.Next() {
		y, err := scanIncome(rows)
		if err != nil {
			return nil, fmt.Errorf("scan snapshot income: %w", err)
		}
		y.Compute(members)
		out = append(out, y)
	}
	return out, rows.Err()
}
