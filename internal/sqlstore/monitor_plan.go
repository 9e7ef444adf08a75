package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
)

// MonitorObjection is an objection received during a 公示, with how it was
// resolved. A notice cannot close while one is unresolved.
type MonitorObjection struct {
	ID         int64      `json:"id"`
	Stage      string     `json:"stage"`
	RaisedBy   string     `json:"raised_by" description:"异议人（或“匿名”）"`
	Content    string     `json:"content"`
	ReceivedOn fupin.Date `json:"received_on"`
	RecordedBy string     `json:"recorded_by"`
	Resolution string     `json:"resolution"`
	ResolvedBy string     `json:"resolved_by"`
	ResolvedAt *time.Time `json:"resolved_at"`
}

// NewObjection records an objection.
type NewObjection struct {
	RaisedBy   string     `json:"raised_by" required:"true"`
	Content    string     `json:"content" required:"true"`
	ReceivedOn fupin.Date `json:"received_on" description:"收到日期，默认今天"`
}

func (tx *Tx) objections(ctx context.Context, caseID int64) ([]MonitorObjection, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, stage, raised_by, content, received_on, recorded_by, resolution,
		resolved_by, resolved_at FROM monitor_objections WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("objections: %w", err)
	}
	defer rows.Close()
	out := []MonitorObjection{}
	for rows.Next() {
		var o MonitorObjection
		var at sql.NullTime
		if err := rows.Scan(&o.ID, &o.Stage, &o.RaisedBy, &o.Content, &o.ReceivedOn, &o.RecordedBy, &o.Resolution,
			&o.ResolvedBy, &at); err != nil {
			return nil, err
		}
		o.ResolvedAt = utcPtr(at)
		out = append(out, o)
	}
	return out, rows.Err()
}

// AddObjection records an objection against a case in 公示. Errors:
// invalid, not_found, conflict (the case is not in 公示, or its version is
// stale).
func (db *DB) AddObjection(ctx context.Context, actor fupin.Actor, caseID, version int64, o NewObjection) (*MonitorCase, error) {
	errs := fupin.FieldErrors{}
	aid.TrimLen(errs, "raised_by", &o.RaisedBy, 50, true)
	aid.TrimLen(errs, "content", &o.Content, 1000, true)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var out *MonitorCase
	err := db.update(ctx, actor, func(tx *Tx) error {
		c, err := tx.lockCase(ctx, caseID, version)
		if err != nil {
			return err
		}
		if c.Stage != monitor.StageNotice && c.Stage != monitor.StageElimNotice {
			return fupin.Errorf(fupin.EConflict, "案件不在公示环节，不能登记异议")
		}
		if o.ReceivedOn.IsZero() {
			o.ReceivedOn = tx.today()
		}
		if o.ReceivedOn.After(tx.today()) || o.ReceivedOn.Before(c.StageStartedOn) {
			return field(fupin.EInvalid, "received_on", "收到日期应在公示开始之后、今天之前")
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO monitor_objections (case_id, stage, raised_by, content,
			received_on, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			caseID, c.Stage, o.RaisedBy, o.Content, o.ReceivedOn, tx.actor.Name, tx.now).Scan(&id); err != nil {
			return fmt.Errorf("insert objection: %w", err)
		}
		if err := tx.touchCase(ctx, caseID, version); err != nil {
			return err
		}
		if err := tx.addStep(ctx, caseID, c.Stage, c.Stage, "objection", "登记异议："+o.Content); err != nil {
			return err
		}
		if out, err = tx.monitorCase(ctx, caseID, true); err != nil {
			return err
		}
		return tx.audit(ctx, "monitor.objection.add", "monitor_case", caseID, c.HouseholdID, nil, out.Objections)
	})
	return out, err
}

// ResolveObjection records how an objection was resolved. Errors: invalid,
// not_found, conflict (already resolved, stale version).
func (db *DB) ResolveObjection(ctx context.Context, actor fupin.Actor, caseID, version, objectionID int64, resolution string) (*MonitorCase, error) {
	errs := fupin.FieldErrors{}
	aid.TrimLen(errs, "resolution", &resolution, 1000, true)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var out *MonitorCase
	err := db.update(ctx, actor, func(tx *Tx) error {
		c, err := tx.lockCase(ctx, caseID, version)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE monitor_objections SET resolution = $1, resolved_by = $2, resolved_at = $3
			WHERE id = $4 AND case_id = $5 AND resolved_at IS NULL`, resolution, tx.actor.Name, tx.now, objectionID, caseID)
		if err != nil {
			return fmt.Errorf("resolve objection: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fupin.Errorf(fupin.EConflict, "异议 #%d 不存在或已处理", objectionID)
		}
		if err := tx.touchCase(ctx, caseID, version); err != nil {
			return err
		}
		if err := tx.addStep(ctx, caseID, c.Stage, c.Stage, "objection_resolved", "异议处理："+resolution); err != nil {
			return err
		}
		if out, err = tx.monitorCase(ctx, caseID, true); err != nil {
			return err
		}
		return tx.audit(ctx, "monitor.objection.resolve", "monitor_case", caseID, c.HouseholdID, nil, out.Objections)
	})
	return out, err
}

// MonitorMeasure is one measure of a household's 一户一策 plan.
type MonitorMeasure struct {
	ID          int64       `json:"id"`
	CaseID      int64       `json:"case_id"`
	HouseholdID int64       `json:"household_id"`
	Category    string      `json:"category" required:"true" description:"措施类别"`
	Content     string      `json:"content" required:"true"`
	Responsible string      `json:"responsible" required:"true" description:"责任人"`
	StartsOn    fupin.Date  `json:"starts_on" required:"true"`
	EndsOn      fupin.Date  `json:"ends_on"`
	Funds       fupin.Money `json:"funds" description:"资金（元）"`
	FundSource  string      `json:"fund_source"`
	Status      string      `json:"status" description:"planned / active / done / stopped"`
	Outcome     string      `json:"outcome"`
	CreatedBy   string      `json:"created_by"`
}

// MaxMeasures bounds a plan.
const MaxMeasures = 30

func (m *MonitorMeasure) validate() error {
	errs := fupin.FieldErrors{}
	if !monitor.Measures.Has(m.Category) {
		errs.Add("category", "请选择措施类别")
	}
	aid.TrimLen(errs, "content", &m.Content, 500, true)
	aid.TrimLen(errs, "responsible", &m.Responsible, 50, true)
	aid.TrimLen(errs, "fund_source", &m.FundSource, 100, false)
	aid.TrimLen(errs, "outcome", &m.Outcome, 500, false)
	if m.Status == "" {
		m.Status = "planned"
	}
	if !monitor.MeasureStatuses.Has(m.Status) {
		errs.Add("status", "未知的措施状态")
	}
	if m.StartsOn.IsZero() {
		errs.Add("starts_on", "请填写开始日期")
	}
	if !m.EndsOn.IsZero() && m.EndsOn.Before(m.StartsOn) {
		errs.Add("ends_on", "结束日期不能早于开始日期")
	}
	if m.Funds < 0 || m.Funds > 1e12 {
		errs.Add("funds", "资金应在 0 到 100 亿元之间")
	}
	return errs.Err()
}

func (tx *Tx) measures(ctx context.Context, where string, args ...any) ([]MonitorMeasure, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, case_id, household_id, category, content, responsible, starts_on,
		ends_on, funds, fund_source, status, outcome, created_by FROM monitor_measures WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("measures: %w", err)
	}
	defer rows.Close()
	out := []MonitorMeasure{}
	for rows.Next() {
		var m MonitorMeasure
		if err := rows.Scan(&m.ID, &m.CaseID, &m.HouseholdID, &m.Category, &m.Content, &m.Responsible, &m.StartsOn,
			&m.EndsOn, &m.Funds, &m.FundSource, &m.Status, &m.Outcome, &m.CreatedBy); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// AddMeasure adds a measure to a case's plan. Errors: invalid, not_found,
// conflict (case closed, stale version, plan full).
func (db *DB) AddMeasure(ctx context.Context, actor fupin.Actor, caseID, version int64, m MonitorMeasure) (*MonitorCase, error) {
	if err := m.validate(); err != nil {
		return nil, err
	}
	var out *MonitorCase
	err := db.update(ctx, actor, func(tx *Tx) error {
		c, err := tx.lockCase(ctx, caseID, version)
		if err != nil {
			return err
		}
		if !monitor.Open(c.Stage) {
			return fupin.Errorf(fupin.EConflict, "案件已%s，不能再添加措施", monitor.Stages.LabelOf(c.Stage))
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM monitor_measures WHERE case_id = $1`, caseID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxMeasures {
			return fupin.Errorf(fupin.EConflict, "一个案件最多 %d 项措施", MaxMeasures)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO monitor_measures (case_id, household_id, category, content,
			responsible, starts_on, ends_on, funds, fund_source, status, outcome, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, caseID, c.HouseholdID, m.Category,
			m.Content, m.Responsible, m.StartsOn, m.EndsOn, int64(m.Funds), m.FundSource, m.Status, m.Outcome,
			tx.actor.Name, tx.now); err != nil {
			return fmt.Errorf("insert measure: %w", err)
		}
		if err := tx.touchCase(ctx, caseID, version); err != nil {
			return err
		}
		if out, err = tx.monitorCase(ctx, caseID, true); err != nil {
			return err
		}
		return tx.audit(ctx, "monitor.measure.add", "monitor_case", caseID, c.HouseholdID, nil, out.Measures)
	})
	return out, err
}

// HouseholdMeasures lists the measures of every case of a household, for
// the household page and the helper's list.
func (db *DB) HouseholdMeasures(ctx context.Context, actor fupin.Actor, householdID int64) ([]MonitorMeasure, error) {
	var out []MonitorMeasure
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		if _, err = tx.household(ctx, householdID, false); err != nil {
			return err
		}
		out, err = tx.measures(ctx, "household_id = $1", householdID)
		return err
	})
	return out, err
}

// lockCase loads a case for a change and checks the version the caller saw.
func (tx *Tx) lockCase(ctx context.Context, id, version int64) (*MonitorCase, error) {
	c, err := tx.monitorCase(ctx, id, false)
	if err != nil {
		return nil, err
	}
	if c.Version != version {
		return nil, staleVersion(version, c.Version)
	}
	return c, nil
}

// touchCase bumps a case's version; no row matched means a concurrent
// writer won.
func (tx *Tx) touchCase(ctx context.Context, id, version int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE monitor_cases SET version = version + 1, updated_at = $1
		WHERE id = $2 AND version = $3`, tx.now, id, version)
	return versioned(res, err, "case version")
}

func field(code, path, msg string) error {
	return &fupin.Error{Code: code, Message: msg, Fields: map[string]string{path: msg}}
}

// UpdateMeasure rewrites a measure of a case's plan: its content, dates,
// funds, status and outcome (ending a measure is setting status done or
// stopped with its end date and outcome). Measures of an eliminated case
// may still change, because some run on after elimination (小额信贷、公益岗位、
// 教育资助). Errors: invalid, not_found (case or measure outside the area or
// not of this case), conflict (rejected case, stale version).
func (db *DB) UpdateMeasure(ctx context.Context, actor fupin.Actor, caseID, version, measureID int64, m MonitorMeasure) (*MonitorCase, error) {
	if err := m.validate(); err != nil {
		return nil, err
	}
	var out *MonitorCase
	err := db.update(ctx, actor, func(tx *Tx) error {
		c, err := tx.lockCase(ctx, caseID, version)
		if err != nil {
			return err
		}
		if c.Stage == monitor.StageRejected {
			return fupin.Errorf(fupin.EConflict, "案件已不予认定，不能修改措施")
		}
		before, err := tx.measures(ctx, "id = $1 AND case_id = $2", measureID, caseID)
		if err != nil {
			return err
		}
		if len(before) == 0 {
			return notFound("帮扶措施", measureID)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE monitor_measures SET category = $1, content = $2, responsible = $3,
			starts_on = $4, ends_on = $5, funds = $6, fund_source = $7, status = $8, outcome = $9
			WHERE id = $10 AND case_id = $11`, m.Category, m.Content, m.Responsible, m.StartsOn, m.EndsOn,
			int64(m.Funds), m.FundSource, m.Status, m.Outcome, measureID, caseID); err != nil {
			return fmt.Errorf("update measure: %w", err)
		}
		if err := tx.touchCase(ctx, caseID, version); err != nil {
			return err
		}
		if out, err = tx.monitorCase(ctx, caseID, true); err != nil {
			return err
		}
		var after MonitorMeasure
		for _, x := range out.Measures {
			if x.ID == measureID {
				after = x
			}
		}
		return tx.audit(ctx, "monitor.measure.update", "monitor_case", caseID, c.HouseholdID, before[0], after)
	})
	return out, err
}
