package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/ledger"
)

// FindingDetail is a finding with its households and timeline.
type FindingDetail struct {
	ledger.Finding
	HouseholdList []FindingHousehold    `json:"household_list" description:"涉及的农户（fixed_at 为核查已达标、自动标记已整改的时间）"`
	Steps         []ledger.Step         `json:"steps" description:"进展报告、销号申请、审核、销号、退回和回头看记录，按时间先后"`
	EvidenceFiles []ledger.EvidenceFile `json:"evidence_files" description:"佐证材料（仅问题在本辖区内时列出；GET /api/v1/ledger/evidence/{id} 下载）"`
}

// FindingHousehold is a household named by a finding.
type FindingHousehold struct {
	HouseholdID int64       `json:"household_id"`
	HouseholdNo string      `json:"household_no"`
	HeadName    string      `json:"head_name"`
	VillageCode string      `json:"village_code"`
	FixedAt     *fupin.Date `json:"fixed_at,omitempty" description:"该户核查已达标（已整改）的日期"`
}

// CreateFinding stores a finding of an inspection with the households it
// names (at most ledger.MaxHouseholds, all within the finding's area).
// Errors: invalid (fields named), forbidden (area outside the actor's),
// not_found (the inspection), conflict (number already used in the
// inspection).
func (db *DB) CreateFinding(ctx context.Context, actor fupin.Actor, f ledger.Finding, households []int64) (*FindingDetail, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if len(households) > ledger.MaxHouseholds {
		return nil, &fupin.Error{Code: fupin.EInvalid, Message: fmt.Sprintf("一个问题最多关联 %d 户", ledger.MaxHouseholds),
			Fields: map[string]string{"households": "户数过多"}}
	}
	errs := fupin.FieldErrors{}
	if aid.AreaName(f.AreaCode) == "" {
		errs.Add("area_code", "不是有效的统计用区划代码："+f.AreaCode)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if !actor.Covers(f.AreaCode) {
		return nil, aid.ForbidArea(f.AreaCode)
	}
	var out *FindingDetail
	err := db.update(ctx, actor, func(tx *Tx) error {
		id, err := tx.insertFinding(ctx, f, households)
		if err != nil {
			return err
		}
		if out, err = tx.findingDetail(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "ledger.finding.create", "ledger_finding", strconv.FormatInt(id, 10), nil, out)
	})
	return out, err
}

// insertFinding writes a validated finding, not started, and links its
// households after checking each lies in the finding's area.
func (tx *Tx) insertFinding(ctx context.Context, f ledger.Finding, households []int64) (int64, error) {
	if _, err := tx.inspection(ctx, f.InspectionID); err != nil {
		return 0, withField(err, "inspection_id")
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_findings WHERE inspection_id = $1 AND number = $2`,
		f.InspectionID, f.Number).Scan(&n); err != nil {
		return 0, fmt.Errorf("finding number: %w", err)
	}
	if n > 0 {
		return 0, &fupin.Error{Code: fupin.EConflict, Message: "该巡视（检查）已有编号为 " + f.Number + " 的问题",
			Fields: map[string]string{"number": "编号重复"}}
	}
	if err := tx.linkCadre(ctx, "responsible_cadre_id", &f.PersonID, &f.Person, f.AreaCode); err != nil {
		return 0, err
	}
	planned, err := tx.handoverPlanned(ctx)
	if err != nil {
		return 0, err
	}
	status := f.Status
	if status == "" {
		status = ledger.StatusNotStarted
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO ledger_findings (inspection_id, number, category, description, area_code,
		county_level, lead_unit, responsible_units, responsible_person, measures, deadline, kind, item, year, recurrence_of,
		status, created_at, updated_at, responsible_cadre_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18)
		RETURNING id`, f.InspectionID, f.Number, f.Category, f.Description, f.AreaCode, f.CountyLevel, f.LeadUnit,
		f.Responsible, f.Person, f.Measures, f.Deadline, f.Kind, f.Item, f.Year, nullID(f.RecurrenceOf), status, tx.now,
		nullID(f.PersonID)).Scan(&id); err != nil {
		return 0, fmt.Errorf("create finding: %w", err)
	}
	seen := map[int64]bool{}
	for i, hid := range households {
		if seen[hid] {
			continue
		}
		seen[hid] = true
		var village string
		err := tx.QueryRowContext(ctx, `SELECT village_code FROM households WHERE id = $1 AND deleted_at IS NULL`, hid).Scan(&village)
		if isNoRows(err) || (err == nil && !tx.actor.Covers(village)) {
			return 0, &fupin.Error{Code: fupin.EInvalid, Message: fmt.Sprintf("农户 #%d 不存在", hid),
				Fields: map[string]string{fmt.Sprintf("households[%d]", i): "农户不存在"}}
		} else if err != nil {
			return 0, fmt.Errorf("finding household: %w", err)
		}
		if !overlaps(village, f.AreaCode) || len(village) < len(f.AreaCode) {
			return 0, &fupin.Error{Code: fupin.EInvalid, Message: fmt.Sprintf("农户 #%d 不在问题所在区域内", hid),
				Fields: map[string]string{fmt.Sprintf("households[%d]", i): "不在问题所在区域内"}}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO ledger_finding_households (finding_id, household_id) VALUES ($1, $2)`, id, hid); err != nil {
			return 0, fmt.Errorf("link household: %w", err)
		}
	}
	if planned && status != ledger.StatusClosed {
		if err := tx.refreshLedgerHandover(ctx, f.PersonID, f.Person); err != nil {
			return 0, err
		}
	}
	return id, nil
}

const findingCols = `f.id, f.inspection_id, f.number, f.category, f.description, f.area_code, f.county_level, f.lead_unit,
	f.responsible_units, f.responsible_person, f.measures, f.deadline, f.kind, f.item, f.year, f.recurrence_of, f.status,
	f.applied_by, f.applied_at, f.evidence, f.reviewed_by, f.reviewed_at, f.closed_by, f.closed_at, f.opinion,
	f.reject_reason, f.version, f.created_at, f.updated_at, f.responsible_cadre_id,
	(SELECT COUNT(*) FROM ledger_finding_households fh WHERE fh.finding_id = f.id),
	(SELECT COUNT(fh.fixed_at) FROM ledger_finding_households fh WHERE fh.finding_id = f.id)`

func scanFinding(row scanner) (*ledger.Finding, error) {
	var f ledger.Finding
	var rec, person sql.NullInt64
	var applied, reviewed, closed sql.NullTime
	err := row.Scan(&f.ID, &f.InspectionID, &f.Number, &f.Category, &f.Description, &f.AreaCode, &f.CountyLevel, &f.LeadUnit,
		&f.Responsible, &f.Person, &f.Measures, &f.Deadline, &f.Kind, &f.Item, &f.Year, &rec, &f.Status,
		&f.AppliedBy, &applied, &f.Evidence, &f.ReviewedBy, &reviewed, &f.ClosedBy, &closed, &f.Opinion,
		&f.RejectReason, &f.Version, &f.CreatedAt, &f.UpdatedAt, &person, &f.Households, &f.Fixed)
	f.RecurrenceOf, f.PersonID = idPtr(rec), idPtr(person)
	f.AppliedAt, f.ReviewedAt, f.ClosedAt = utcPtr(applied), utcPtr(reviewed), utcPtr(closed)
	f.CreatedAt, f.UpdatedAt, f.AreaName = f.CreatedAt.UTC(), f.UpdatedAt.UTC(), aid.AreaName(f.AreaCode)
	return &f, err
}

// finding loads a finding the actor sees, with its deadline bucket.
func (tx *Tx) finding(ctx context.Context, id int64, count ledger.WorkingDays) (*ledger.Finding, error) {
	f, err := scanFinding(tx.QueryRowContext(ctx, `SELECT `+findingCols+` FROM ledger_findings f WHERE f.id = $1`, id))
	if isNoRows(err) || (err == nil && !aid.Sees(tx.actor, f.AreaCode)) {
		return nil, notFound("问题", id)
	} else if err != nil {
		return nil, fmt.Errorf("load finding: %w", err)
	}
	f.Bucket = ledger.Bucket(f.Status, f.Deadline.Time(), tx.today().Time(), count)
	return f, nil
}

func (tx *Tx) findingDetail(ctx context.Context, id int64) (*FindingDetail, error) {
	f, err := tx.finding(ctx, id, nil)
	if err != nil {
		return nil, err
	}
	d := &FindingDetail{Finding: *f, HouseholdList: []FindingHousehold{}, Steps: []ledger.Step{}}
	rows, err := tx.QueryContext(ctx, `SELECT h.id, COALESCE(h.household_no, ''), h.head_name, h.village_code, fh.fixed_at
		FROM ledger_finding_households fh JOIN households h ON h.id = fh.household_id WHERE fh.finding_id = $1 ORDER BY h.id`, id)
	if err != nil {
		return nil, fmt.Errorf("finding households: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h FindingHousehold
		var fixed sql.NullTime
		if err := rows.Scan(&h.HouseholdID, &h.HouseholdNo, &h.HeadName, &h.VillageCode, &fixed); err != nil {
			return nil, err
		}
		if fixed.Valid {
			day := fupin.DateOf(fixed.Time.In(chinaTime))
			h.FixedAt = &day
		}
		// A township-level finding may name households of villages the
		// caller does not cover: they are counted, not listed.
		if tx.actor.Covers(h.VillageCode) {
			d.HouseholdList = append(d.HouseholdList, h)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if d.Steps, err = tx.findingSteps(ctx, id); err != nil {
		return nil, err
	}
	d.EvidenceFiles = []ledger.EvidenceFile{}
	if tx.actor.Covers(f.AreaCode) {
		d.EvidenceFiles, err = tx.evidenceFiles(ctx, id)
	}
	return d, err
}

func (tx *Tx) findingSteps(ctx context.Context, id int64) ([]ledger.Step, error) {
	rows, err := tx.QueryContext(ctx, `SELECT kind, account, text, from_status, to_status, at FROM ledger_steps
		WHERE finding_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("finding steps: %w", err)
	}
	defer rows.Close()
	out := []ledger.Step{}
	for rows.Next() {
		var s ledger.Step
		if err := rows.Scan(&s.Kind, &s.Account, &s.Text, &s.From, &s.To, &s.At); err != nil {
			return nil, err
		}
		s.At = s.At.UTC()
		out = append(out, s)
	}
	return out, rows.Err()
}

// Finding returns a finding with its households and timeline. Errors: not_found.
func (db *DB) Finding(ctx context.Context, actor fupin.Actor, id int64) (*FindingDetail, error) {
	var out *FindingDetail
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		out, err = tx.findingDetail(ctx, id)
		if err == nil {
			out.Bucket = ledger.Bucket(out.Status, out.Deadline.Time(), tx.today().Time(), db.WorkingDays)
		}
		return err
	})
	return out, err
}

// FindingAction is one step of the state machine or the 销号 chain, with
// the version of the finding the caller saw.
type FindingAction struct {
	Kind    string `json:"kind" required:"true" description:"start 启动整改、report 报送进展、apply 申请销号、review 牵头单位审核、close 销号、reject 退回"`
	Text    string `json:"text" description:"进展、整改成效和佐证、验收意见或退回原因（报送、申请、退回必填）"`
	Version int64  `json:"version" required:"true" description:"乐观锁版本号"`
}

// ActOnFinding applies an action by the actor (whose role the caller
// vouches for) to a finding inside the actor's areas, records the step and
// audits it. Errors: invalid, not_found, forbidden (role, area or an
// account that already acted in the chain), conflict (status or a stale
// version: of two concurrent actions exactly one wins).
func (db *DB) ActOnFinding(ctx context.Context, actor fupin.Actor, role string, id int64, in FindingAction) (*FindingDetail, error) {
	var out *FindingDetail
	err := db.update(ctx, actor, func(tx *Tx) error {
		planned, err := tx.handoverPlanned(ctx)
		if err != nil {
			return err
		}
		before, err := tx.finding(ctx, id, nil)
		if err != nil {
			return err
		}
		if !actor.Covers(before.AreaCode) {
			return aid.ForbidArea(before.AreaCode)
		}
		if in.Version != before.Version {
			return staleVersion(in.Version, before.Version)
		}
		f := *before
		st, err := ledger.Act(&f, ledger.Action{Kind: in.Kind, Account: actor.Name, Role: role, Text: in.Text, At: tx.now})
		if err != nil {
			return err
		}
		step(ctx, "finding.act")
		res, err := tx.ExecContext(ctx, `UPDATE ledger_findings SET status = $1, applied_by = $2, applied_at = $3, evidence = $4,
			reviewed_by = $5, reviewed_at = $6, closed_by = $7, closed_at = $8, opinion = $9, reject_reason = $10,
			version = version + 1, updated_at = $11 WHERE id = $12 AND version = $13`,
			f.Status, f.AppliedBy, f.AppliedAt, f.Evidence, f.ReviewedBy, f.ReviewedAt, f.ClosedBy, f.ClosedAt, f.Opinion,
			f.RejectReason, tx.now, id, in.Version)
		if err := versioned(res, err, "act on finding"); err != nil {
			return err
		}
		if err := tx.addFindingStep(ctx, id, st); err != nil {
			return err
		}
		if planned && (f.Status == ledger.StatusClosed) != (before.Status == ledger.StatusClosed) {
			if err := tx.refreshLedgerHandover(ctx, before.PersonID, before.Person); err != nil {
				return err
			}
		}
		if out, err = tx.findingDetail(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "ledger.finding."+in.Kind, "ledger_finding", strconv.FormatInt(id, 10), before, out)
	})
	return out, err
}

func (tx *Tx) addFindingStep(ctx context.Context, id int64, st ledger.Step) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO ledger_steps (finding_id, kind, account, text, from_status, to_status, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, st.Kind, st.Account, st.Text, st.From, st.To, tx.now)
	if err != nil {
		return fmt.Errorf("finding step: %w", err)
	}
	return nil
}

// HouseholdFindings lists the open findings (not 已销号) naming a household,
// for its page. Errors: not_found (the household is outside the actor's areas).
func (db *DB) HouseholdFindings(ctx context.Context, actor fupin.Actor, householdID int64) ([]ledger.Finding, error) {
	out := []ledger.Finding{}
	err := db.view(ctx, actor, func(tx *Tx) error {
		out = out[:0]
		var village string
		err := tx.QueryRowContext(ctx, `SELECT village_code FROM households WHERE id = $1`, householdID).Scan(&village)
		if isNoRows(err) || (err == nil && !actor.Covers(village)) {
			return notFound("农户", householdID)
		} else if err != nil {
			return fmt.Errorf("household: %w", err)
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+findingCols+` FROM ledger_findings f JOIN ledger_finding_households x
			ON x.finding_id = f.id WHERE x.household_id = $1 AND f.status <> $2 ORDER BY f.deadline, f.id`, householdID, ledger.StatusClosed)
		if err != nil {
			return fmt.Errorf("household findings: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			f, err := scanFinding(rows)
			if err != nil {
				return fmt.Errorf("scan finding: %w", err)
			}
			f.Bucket = ledger.Bucket(f.Status, f.Deadline.Time(), tx.today().Time(), db.WorkingDays)
			out = append(out, *f)
		}
		return rows.Err()
	})
	return out, err
}

// validStatus reports whether s is a finding status key.
func validStatus(s string) bool {
	return ledger.Statuses.Has(s)
}
