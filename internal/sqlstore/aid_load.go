package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// ListHouseholdsNeedingHelper lists the live households in area that need
// a helper (脱贫户, and 监测户 whose risk is not eliminated), in id order,
// for a generator of aid data.
func (db *DB) ListHouseholdsNeedingHelper(ctx context.Context, area string) ([]aid.HouseholdNeed, error) {
	var out []aid.HouseholdNeed
	err := db.view(ctx, fupin.SystemActor("demo"), func(tx *Tx) error {
		out = nil
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		rows, err := tx.QueryContext(ctx, `SELECT h.id, h.village_code, h.monitor_type <> '' AND h.risk_eliminated_on IS NULL
			FROM households h WHERE `+needsHelper+` AND `+areaCond("h.village_code", []string{area}, arg)+` ORDER BY h.id`, args...)
		if err != nil {
			return fmt.Errorf("demo households: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var h aid.HouseholdNeed
			if err := rows.Scan(&h.ID, &h.VillageCode, &h.Monitored); err != nil {
				return err
			}
			out = append(out, h)
		}
		return rows.Err()
	})
	return out, err
}

// LoadAid writes a dataset (the demo's aid forces) in one transaction
// with one audit entry: the group and units, cadres and postings row by row (they
// are few), pairings, visits and check-ins as multi-row inserts, then the
// rotation in progress through the same code as PlanRotation.
func (db *DB) LoadAid(ctx context.Context, actor fupin.Actor, p *aid.Dataset) (aid.DatasetStats, error) {
	var st aid.DatasetStats
	if db.dialect == SQLite {
		// Rows are appended: a small cache does (the write connection's
		// 128 MiB filled up here and took a demo of 300,000 households to
		// 450 MB resident). Restored after the transaction: the write pool
		// has one connection.
		defer db.write.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = -`+itoa(writeCacheKiB))
	}
	err := db.update(ctx, actor, func(tx *Tx) error {
		if tx.dialect == SQLite {
			if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -`+itoa(assessCacheKiB)); err != nil {
				return err
			}
		}
		var group int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO aid_groups (name, area_code, lead_unit, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $4) RETURNING id`, p.GroupName, p.AreaCode, p.LeadUnit, tx.now).Scan(&group); err != nil {
			return fmt.Errorf("demo group: %w", err)
		}
		units, err := tx.demoUnits(ctx, group, p)
		if err != nil {
			return err
		}
		cadres, postings, err := tx.demoCadres(ctx, group, units, p)
		if err != nil {
			return err
		}
		if err := tx.demoRows(ctx, p, cadres); err != nil {
			return err
		}
		if err := tx.demoRotation(ctx, p, cadres, postings); err != nil {
			return err
		}
		st = p.Stats()
		return tx.auditValue(ctx, "aid.demo.load", "aid_group", itoa(int(group)), nil, st)
	})
	return st, err
}

func (tx *Tx) demoUnits(ctx context.Context, group int64, p *aid.Dataset) ([]int64, error) {
	if _, err := tx.ExecContext(ctx, `INSERT INTO aid_units (group_id, name, is_lead, created_at, updated_at)
		VALUES ($1, $2, TRUE, $3, $3)`, group, p.LeadUnit, tx.now); err != nil {
		return nil, fmt.Errorf("demo lead unit: %w", err)
	}
	ids := make([]int64, len(p.Units))
	for i, u := range p.Units {
		if err := tx.QueryRowContext(ctx, `INSERT INTO aid_units (group_id, name, village_code, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $4) RETURNING id`, group, u.Name, u.VillageCode, tx.now).Scan(&ids[i]); err != nil {
			return nil, fmt.Errorf("demo unit: %w", err)
		}
	}
	return ids, nil
}

func (tx *Tx) demoCadres(ctx context.Context, group int64, units []int64, p *aid.Dataset) ([]int64, []int64, error) {
	settings, err := tx.aidSettingRows(ctx)
	if err != nil {
		return nil, nil, err
	}
	cadres := make([]int64, len(p.Cadres))
	for i, c := range p.Cadres {
		var unit any
		if c.Unit >= 0 {
			unit = units[c.Unit]
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO cadres (name, id_number, phone, unit_id, unit_name, post, rank,
			political, area_code, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
			c.Name, c.IDNumber, c.Phone, unit, c.UnitName, c.Post, c.Rank, c.Political, p.AreaCode, tx.now).Scan(&cadres[i]); err != nil {
			return nil, nil, fmt.Errorf("demo cadre: %w", tx.mapAidUnique(err))
		}
	}
	postings := make([]int64, len(p.Postings))
	for i, ps := range p.Postings {
		end := ps.StartedOn.Time().AddDate(0, aid.ResolveSettings(settings, ps.AreaCode).TermMonths, 0)
		if err := tx.QueryRowContext(ctx, `INSERT INTO postings (cadre_id, role, area_code, group_id, started_on,
			planned_end_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
			cadres[ps.Cadre], ps.Role, ps.AreaCode, group, ps.StartedOn, fupin.DateOf(end), tx.now).Scan(&postings[i]); err != nil {
			return nil, nil, fmt.Errorf("demo posting: %w", err)
		}
	}
	return cadres, postings, nil
}

// demoRows writes pairings, visits, check-ins and leaves in batches, a
// thousand rows at a time: the rows of all 173,490 visits of the 300,000
// household demo held at once were 48 MB of its peak heap.
func (tx *Tx) demoRows(ctx context.Context, p *aid.Dataset, cadres []int64) error {
	villages := make(map[int64]string, len(p.Pairings))
	for _, v := range p.Visits {
		villages[v.HouseholdID] = v.VillageCode
	}
	visits := tx.rowSink("visits", "household_id, village_code, cadre_id, visited_on, kind, findings, created_by, created_at")
	for _, v := range p.Visits {
		if err := visits.add(ctx, v.HouseholdID, v.VillageCode, cadres[v.Cadre], v.On, v.Kind, v.Findings, tx.actor.Name, tx.now); err != nil {
			return err
		}
	}
	if err := visits.flush(ctx); err != nil {
		return err
	}
	pairings := tx.rowSink("pairings", "household_id, cadre_id, village_code, started_on, created_by, created_at, updated_at")
	for _, x := range p.Pairings {
		v := villages[x.HouseholdID]
		if v == "" {
			if err := tx.QueryRowContext(ctx, `SELECT village_code FROM households WHERE id = $1`, x.HouseholdID).Scan(&v); err != nil {
				return fmt.Errorf("demo pairing: %w", err)
			}
		}
		if err := pairings.add(ctx, x.HouseholdID, cadres[x.Cadre], v, x.StartedOn, tx.actor.Name, tx.now, tx.now); err != nil {
			return err
		}
	}
	if err := pairings.flush(ctx); err != nil {
		return err
	}
	checkins := tx.rowSink("checkins", "cadre_id, area_code, day, at, note, created_by")
	for _, c := range p.CheckIns {
		if err := checkins.add(ctx, cadres[c.Cadre], c.AreaCode, c.Day, c.Day.Time().Add(8*3600e9), "", tx.actor.Name); err != nil {
			return err
		}
	}
	if err := checkins.flush(ctx); err != nil {
		return err
	}
	leaves := tx.rowSink("leaves", "cadre_id, area_code, from_on, to_on, reason, status, returned_on, decided_by, created_by, created_at, updated_at")
	for _, l := range p.Leaves {
		if err := leaves.add(ctx, cadres[l.Cadre], l.AreaCode, l.From, l.To, l.Reason, "returned", l.Returned, "演示审批人", tx.actor.Name, tx.now, tx.now); err != nil {
			return err
		}
	}
	return leaves.flush(ctx)
}

// rowSink collects rows for insertRows and writes them a thousand at a time.
type rowSink struct {
	tx          *Tx
	table, cols string
	rows        [][]any
}

func (tx *Tx) rowSink(table, cols string) *rowSink {
	return &rowSink{tx: tx, table: table, cols: cols}
}

func (s *rowSink) add(ctx context.Context, row ...any) error {
	s.rows = append(s.rows, row)
	if len(s.rows) < 1000 {
		return nil
	}
	return s.flush(ctx)
}

func (s *rowSink) flush(ctx context.Context) error {
	err := s.tx.insertRows(ctx, s.table, s.cols, s.rows)
	clear(s.rows)
	s.rows = s.rows[:0]
	return err
}

// insertRows writes rows with multi-row INSERTs of up to 100 rows.
func (tx *Tx) insertRows(ctx context.Context, table, cols string, rows [][]any) error {
	for len(rows) > 0 {
		n := min(len(rows), 100)
		var b strings.Builder
		args := make([]any, 0, n*len(rows[0]))
		b.WriteString("INSERT INTO " + table + " (" + cols + ") VALUES ")
		for i, r := range rows[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(" + placeholders(len(args)+1, len(r)) + ")")
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("demo %s: %w", table, err)
		}
		rows = rows[n:]
	}
	return nil
}

// demoRotation plans the rotation in progress and records the outgoing
// cadres' confirmations; the incoming cadres and the office have not yet.
func (tx *Tx) demoRotation(ctx context.Context, p *aid.Dataset, cadres, postings []int64) error {
	if len(p.Rotation) == 0 {
		return nil
	}
	plan := aid.RotationPlan{AreaCode: p.AreaCode, Title: "驻乡工作队、驻村第一书记轮换对接", PlannedOn: tx.today(),
		Note: "市政府办公厅帮扶集团驻平安乡工作队、驻村第一书记、驻村工作队员轮换对接"}
	for _, h := range p.Rotation {
		plan.Items = append(plan.Items, aid.RotationPlanItem{PostingID: postings[h.Posting], IncomingCadreID: cadres[h.Incoming]})
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO rotations (area_code, title, planned_on, status, note, created_by,
		created_at, updated_at) VALUES ($1, $2, $3, 'planned', $4, $5, $6, $6) RETURNING id`,
		plan.AreaCode, plan.Title, plan.PlannedOn, plan.Note, tx.actor.Name, tx.now).Scan(&id); err != nil {
		return fmt.Errorf("demo rotation: %w", err)
	}
	if err := tx.insertRotationItems(ctx, id, plan); err != nil {
		return err
	}
	if err := tx.rebuildHandover(ctx, id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE rotation_items SET outgoing_confirmed_by = $1, outgoing_confirmed_at = $2
		WHERE rotation_id = $3`, tx.actor.Name, tx.now, id)
	return err
}
