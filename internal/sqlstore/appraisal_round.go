package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"fupin/internal/aid"
	"fupin/internal/appraisal"
	"fupin/internal/fupin"
	"fupin/internal/ledger"
)

// CreateRound draws a sampling round (抽查轮次) over the live households of
// r.AreaCode by r.Rule and stores the households drawn. Households drawn in
// any earlier round are left out (a unique index keeps it so). Errors:
// invalid, forbidden (area outside the actor's).
func (db *DB) CreateRound(ctx context.Context, actor fupin.Actor, r appraisal.Round) (*appraisal.Round, error) {
	if err := r.Normalize(); err != nil {
		return nil, err
	}
	if aid.AreaName(r.AreaCode) == "" {
		return nil, &fupin.Error{Code: fupin.EInvalid, Message: "区域不是有效的统计用区划代码：" + r.AreaCode,
			Fields: map[string]string{"area_code": "不是有效的统计用区划代码"}}
	}
	if !actor.Covers(r.AreaCode) {
		return nil, aid.ForbidArea(r.AreaCode)
	}
	var out *appraisal.Round
	err := db.update(ctx, actor, func(tx *Tx) error {
		if tx.dialect == Postgres {
			if _, err := tx.ExecContext(ctx, `LOCK TABLE appraisal_rounds IN EXCLUSIVE MODE`); err != nil {
				return fmt.Errorf("lock rounds: %w", err)
			}
		}
		cands, kinds, err := tx.roundCandidates(ctx, r.AreaCode)
		if err != nil {
			return err
		}
		s := appraisal.Draw(r.Rule, cands, nil)
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO appraisal_rounds (name, area_code, year, villages, registered, others, seed,
			shortfalls, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			r.Name, r.AreaCode, r.Year, r.Rule.Villages, r.Rule.Registered, r.Rule.Others, int64(r.Rule.Seed),
			strings.Join(s.Shortfalls, "\n"), actor.Name, tx.now).Scan(&id); err != nil {
			return fmt.Errorf("create round: %w", err)
		}
		for start := 0; start < len(s.Households); start += 200 {
			part := s.Households[start:min(start+200, len(s.Households))]
			var args []any
			var rows []string
			for _, p := range part {
				rows = append(rows, "("+placeholders(len(args)+1, 4)+")")
				args = append(args, id, p.HouseholdID, p.VillageCode, kinds[p.HouseholdID])
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO appraisal_round_households (round_id, household_id, village_code, kind)
				VALUES `+strings.Join(rows, ", "), args...); err != nil {
				return fmt.Errorf("round households: %w", err)
			}
		}
		if out, err = tx.round(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "appraisal.round.create", "appraisal_round", strconv.FormatInt(id, 10), nil, out)
	})
	return out, err
}

// roundCandidates lists the live households of area not drawn before, with
// their kind.
func (tx *Tx) roundCandidates(ctx context.Context, area string) ([]appraisal.Candidate, map[int64]string, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	rows, err := tx.QueryContext(ctx, `SELECT h.id, h.village_code, h.household_type = 'ex_poor',
		h.monitor_type <> '' AND h.risk_eliminated_on IS NULL FROM households h
		WHERE `+areaCond("h.village_code", []string{area}, arg)+` AND h.deleted_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM appraisal_round_households r WHERE r.household_id = h.id)`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("round candidates: %w", err)
	}
	defer rows.Close()
	var out []appraisal.Candidate
	kinds := map[int64]string{}
	for rows.Next() {
		var c appraisal.Candidate
		var exPoor, monitored bool
		if err := rows.Scan(&c.HouseholdID, &c.VillageCode, &exPoor, &monitored); err != nil {
			return nil, nil, fmt.Errorf("scan candidate: %w", err)
		}
		kind := appraisal.KindOther
		switch {
		case exPoor:
			kind = appraisal.KindExPoor
		case monitored:
			kind = appraisal.KindMonitored
		}
		c.Registered, kinds[c.HouseholdID] = kind != appraisal.KindOther, kind
		out = append(out, c)
	}
	return out, kinds, rows.Err()
}

const roundCols = `r.id, r.name, r.area_code, r.year, r.villages, r.registered, r.others, r.seed, r.shortfalls,
	r.created_by, r.created_at, (SELECT COUNT(*) FROM appraisal_round_households x WHERE x.round_id = r.id),
	(SELECT COUNT(*) FROM appraisal_round_households x WHERE x.round_id = r.id AND x.recorded)`

func scanRound(row scanner) (*appraisal.Round, error) {
	var r appraisal.Round
	var seed int64
	var shortfalls string
	err := row.Scan(&r.ID, &r.Name, &r.AreaCode, &r.Year, &r.Rule.Villages, &r.Rule.Registered, &r.Rule.Others,
		&seed, &shortfalls, &r.CreatedBy, &r.CreatedAt, &r.Households, &r.Recorded)
	r.Rule.Seed, r.CreatedAt, r.Shortfalls = uint64(seed), r.CreatedAt.UTC(), []string{}
	if shortfalls != "" {
		r.Shortfalls = strings.Split(shortfalls, "\n")
	}
	return &r, err
}

// round loads a round whose area lies within the actor's areas (else
// not_found), with its counts.
func (tx *Tx) round(ctx context.Context, id int64) (*appraisal.Round, error) {
	r, err := scanRound(tx.QueryRowContext(ctx, `SELECT `+roundCols+` FROM appraisal_rounds r WHERE r.id = $1`, id))
	if isNoRows(err) || (err == nil && !tx.actor.Covers(r.AreaCode)) {
		return nil, notFound("抽查轮次", id)
	} else if err != nil {
		return nil, fmt.Errorf("load round: %w", err)
	}
	return r, nil
}

// Rounds lists, newest first (at most 1,000), the sampling rounds whose
// area lies within area and within the actor's areas, with their counts.
func (db *DB) Rounds(ctx context.Context, actor fupin.Actor, area string) ([]appraisal.Round, error) {
	out := []appraisal.Round{}
	err := db.view(ctx, actor, func(tx *Tx) error {
		out = out[:0]
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		rows, err := tx.QueryContext(ctx, `SELECT `+roundCols+` FROM appraisal_rounds r WHERE `+
			areaCond("r.area_code", actor.Narrow(area), arg)+` ORDER BY r.id DESC LIMIT 1000`, args...)
		if err != nil {
			return fmt.Errorf("rounds: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanRound(rows)
			if err != nil {
				return fmt.Errorf("scan round: %w", err)
			}
			if actor.Covers(r.AreaCode) {
				out = append(out, *r)
			}
		}
		return rows.Err()
	})
	return out, err
}

// Round returns one sampling round. Errors: not_found.
func (db *DB) Round(ctx context.Context, actor fupin.Actor, id int64) (*appraisal.Round, error) {
	var out *appraisal.Round
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		out, err = tx.round(ctx, id)
		return err
	})
	return out, err
}

// SheetRow is one line of a round's field sheet (现场核查表): who to visit
// and, once entered, what was found.
type SheetRow struct {
	HouseholdID  int64             `json:"household_id"`
	HouseholdNo  string            `json:"household_no"`
	VillageCode  string            `json:"village_code"`
	VillageName  string            `json:"village_name"`
	HeadName     string            `json:"head_name"`
	HeadIDNumber string            `json:"head_id_number" description:"户主身份证号（无权查看身份的角色打码）"`
	Phone        string            `json:"phone" description:"联系电话（无权查看身份的角色打码）"`
	Kind         string            `json:"kind" description:"ex_poor 脱贫户、monitored 监测户、other 其他农户"`
	Result       *appraisal.Result `json:"result" description:"核查结果，未录入为空"`
	FindingID    *int64            `json:"finding_id,omitempty" description:"转入整改台账的问题编号"`
}

// RoundSheet lists the households of a round in the actor's villages, by
// village and id. Errors: not_found.
func (db *DB) RoundSheet(ctx context.Context, actor fupin.Actor, id int64) ([]SheetRow, error) {
	out := []SheetRow{}
	err := db.view(ctx, actor, func(tx *Tx) error {
		out = out[:0]
		if _, err := tx.round(ctx, id); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT r.household_id, COALESCE(h.household_no, ''), r.village_code, h.head_name,
			COALESCE((SELECT m.id_number FROM members m WHERE m.household_id = h.id AND m.relation = 'head' AND m.left_on IS NULL
				ORDER BY m.id LIMIT 1), ''), h.phone, r.kind, r.recorded, r.wrong_inclusion, r.wrong_exit, r.missed, r.problem,
			r.note, r.finding_id
			FROM appraisal_round_households r JOIN households h ON h.id = r.household_id
			WHERE r.round_id = $1 ORDER BY r.village_code, r.household_id`, id)
		if err != nil {
			return fmt.Errorf("round sheet: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var s SheetRow
			var res appraisal.Result
			var recorded bool
			var finding sql.NullInt64
			if err := rows.Scan(&s.HouseholdID, &s.HouseholdNo, &s.VillageCode, &s.HeadName, &s.HeadIDNumber, &s.Phone, &s.Kind,
				&recorded, &res.WrongInclusion, &res.WrongExit, &res.Missed, &res.Problem, &res.Note, &finding); err != nil {
				return fmt.Errorf("scan sheet row: %w", err)
			}
			if !actor.Covers(s.VillageCode) {
				continue
			}
			if recorded {
				s.Result = &res
			}
			s.FindingID, s.VillageName = idPtr(finding), aid.AreaName(s.VillageCode)
			out = append(out, s)
		}
		return rows.Err()
	})
	return out, err
}

// ResultIn is a result for one sampled household and, optionally, the
// rectification finding it opens (its area defaults to the village, and the
// household is attached).
type ResultIn struct {
	appraisal.Result
	Finding *ledger.Finding `json:"finding,omitempty" description:"发现问题时直接转入整改台账（问题编号、类别、描述、牵头单位、时限等；所在村默认为该户所在村）"`
}

// RecordResult enters (or corrects) the result of a sampled household and,
// when in.Finding is set, creates that finding in the same transaction.
// Errors: not_found (round, or household not in it or outside the actor's
// areas), invalid, conflict (the household already opened a finding).
func (db *DB) RecordResult(ctx context.Context, actor fupin.Actor, roundID, householdID int64, in ResultIn) (*SheetRow, error) {
	err := db.update(ctx, actor, func(tx *Tx) error {
		if _, err := tx.round(ctx, roundID); err != nil {
			return err
		}
		var village, kind string
		var finding sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT village_code, kind, finding_id FROM appraisal_round_households
			WHERE round_id = $1 AND household_id = $2`, roundID, householdID).Scan(&village, &kind, &finding)
		if isNoRows(err) || (err == nil && !actor.Covers(village)) {
			return notFound("抽中的农户", householdID)
		} else if err != nil {
			return fmt.Errorf("load sampled household: %w", err)
		}
		if err := in.Result.Validate(kind); err != nil {
			return err
		}
		if in.Finding != nil {
			if finding.Valid {
				return &fupin.Error{Code: fupin.EConflict, Message: "该户已转入整改台账（问题 #" + strconv.FormatInt(finding.Int64, 10) + "）",
					Fields: map[string]string{"finding": "已转入"}}
			}
			f := *in.Finding
			if f.AreaCode == "" {
				f.AreaCode = village
			}
			if err := f.Validate(); err != nil {
				return prefixFields(err, "finding.")
			}
			if !actor.Covers(f.AreaCode) {
				return aid.ForbidArea(f.AreaCode)
			}
			id, err := tx.insertFinding(ctx, f, []int64{householdID})
			if err != nil {
				return prefixFields(err, "finding.")
			}
			finding = sql.NullInt64{Int64: id, Valid: true}
		}
		r := in.Result
		if _, err := tx.ExecContext(ctx, `UPDATE appraisal_round_households SET recorded = TRUE, wrong_inclusion = $1,
			wrong_exit = $2, missed = $3, problem = $4, note = $5, finding_id = $6, recorded_by = $7, recorded_at = $8
			WHERE round_id = $9 AND household_id = $10`, r.WrongInclusion, r.WrongExit, r.Missed, r.Problem, r.Note,
			finding, actor.Name, tx.now, roundID, householdID); err != nil {
			return fmt.Errorf("record result: %w", err)
		}
		return tx.auditValue(ctx, "appraisal.result.record", "appraisal_round", strconv.FormatInt(roundID, 10), nil,
			map[string]any{"household_id": householdID, "result": r, "finding_id": idPtr(finding)})
	})
	if err != nil {
		return nil, err
	}
	rows, err := db.RoundSheet(ctx, actor, roundID)
	for i := range rows {
		if rows[i].HouseholdID == householdID {
			return &rows[i], err
		}
	}
	return nil, err
}

// RoundRates are a round's counts (entered results only, in the actor's
// villages), the rates with their intervals and the verdicts of the
// thresholds in force for the round's area and year.
type RoundRates struct {
	Counts   appraisal.Counts    `json:"counts"`
	Rates    []appraisal.Rate    `json:"rates"`
	Outcomes []appraisal.Outcome `json:"outcomes"`
}

// RoundRates computes a round's accuracy rates. Errors: not_found.
func (db *DB) RoundRates(ctx context.Context, actor fupin.Actor, id int64) (*RoundRates, error) {
	sheet, err := db.RoundSheet(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	r, err := db.Round(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	rec := make([]appraisal.Recorded, len(sheet))
	for i, s := range sheet {
		rec[i] = appraisal.Recorded{Kind: s.Kind, Result: s.Result}
	}
	rows, err := db.ThresholdRows(ctx, actor)
	if err != nil {
		return nil, err
	}
	c := appraisal.CountsOf(rec)
	rates := appraisal.Rates(c)
	return &RoundRates{Counts: c, Rates: rates, Outcomes: appraisal.Judge(rates, appraisal.ResolveThresholds(rows, r.AreaCode, r.Year))}, nil
}

// prefixFields puts prefix before the field paths of a *fupin.Error.
func prefixFields(err error, prefix string) error {
	e, ok := err.(*fupin.Error)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	f := map[string]string{}
	for k, v := range e.Fields {
		f[prefix+k] = v
	}
	return &fupin.Error{Code: e.Code, Message: e.Message, Fields: f}
}
