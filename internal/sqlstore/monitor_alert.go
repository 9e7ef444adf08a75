package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
)

// DeptLoad is the result of loading a department list.
type DeptLoad struct {
	FileID    int64 `json:"file_id"`
	Duplicate bool  `json:"duplicate" description:"该文件此前已导入，本次未新增预警"`
	Rows      int   `json:"rows"`
	Matched   int   `json:"matched" description:"匹配到本区域在册人员的行数"`
	NewAlerts int   `json:"new_alerts"`
	Unmatched int   `json:"unmatched" description:"未匹配到在册人员的身份证号数（交村核查）"`
}

// LoadDepartmentList matches a department's list by ID number against the
// current members of households in the actor's areas, in one transaction:
// each match becomes an alert for the household's village with a deadline
// to verify, IDs not found are kept for the village to check. A file is
// matched once (by its SHA-256): loading it again changes nothing and
// answers Duplicate; the same fact about the same person is one alert even
// across files. Errors: invalid (department, empty or oversized list).
func (db *DB) LoadDepartmentList(ctx context.Context, actor fupin.Actor, department, name, sha string, rows []monitor.DeptRow) (DeptLoad, error) {
	out := DeptLoad{Rows: len(rows)}
	errs := fupin.FieldErrors{}
	if !monitor.Departments.Has(department) {
		errs.Add("department", "未知的预警部门："+department)
	}
	aid.TrimLen(errs, "name", &name, 200, true)
	if len(sha) != 64 {
		errs.Add("file", "文件摘要无效")
	}
	if len(rows) == 0 || len(rows) > monitor.MaxDeptRows {
		errs.Add("file", fmt.Sprintf("名单应有 1–%d 行", monitor.MaxDeptRows))
	}
	if err := errs.Err(); err != nil {
		return out, err
	}
	area := ""
	if len(actor.Areas) > 0 {
		area = actor.Areas[0]
	}
	err := db.update(ctx, actor, func(tx *Tx) error {
		var prev DeptLoad
		err := tx.QueryRowContext(ctx, `SELECT id, rows_read, matched, unmatched FROM monitor_dept_files WHERE sha256 = $1`,
			sha).Scan(&prev.FileID, &prev.Rows, &prev.Matched, &prev.Unmatched)
		if err == nil {
			prev.Duplicate = true
			out = prev
			return nil
		} else if !isNoRows(err) {
			return fmt.Errorf("department file: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO monitor_dept_files (sha256, department, name, rows_read, matched,
			unmatched, loaded_by, loaded_at) VALUES ($1, $2, $3, $4, 0, 0, $5, $6) RETURNING id`,
			sha, department, name, len(rows), tx.actor.Name, tx.now).Scan(&out.FileID); err != nil {
			return fmt.Errorf("insert department file: %w", err)
		}
		dl, err := tx.deadlines(ctx)
		if err != nil {
			return err
		}
		due, _ := monitor.AlertDue(dl.cal, dl.limits(area), tx.today())
		if err := tx.matchDeptRows(ctx, &out, department, area, due, rows); err != nil {
			return err
		}
		if err := tx.setAlertDue(ctx, dl, out.FileID, area, tx.today()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE monitor_dept_files SET matched = $1, unmatched = $2 WHERE id = $3`,
			out.Matched, out.Unmatched, out.FileID); err != nil {
			return err
		}
		return tx.audit(ctx, "monitor.department.load", "monitor_dept_file", out.FileID, 0, nil,
			map[string]any{"department": department, "name": name, "sha256": sha, "result": out})
	})
	return out, err
}

// insertMany inserts args (cols values per row) with one multi-row INSERT
// and reports the rows written.
func (tx *Tx) insertMany(ctx context.Context, head string, cols int, args []any, tail string) (int, error) {
	if len(args) == 0 {
		return 0, nil
	}
	var b strings.Builder
	b.WriteString(head)
	for i := 0; i < len(args)/cols; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(" + tx.bulkMarks(i*cols+1, cols) + ")")
	}
	b.WriteString(tail)
	// Full batches repeat one statement: prepare it once per transaction
	// (parsing thousands of placeholders costs more than executing them).
	q := b.String()
	st, ok := tx.prepared[q]
	if !ok {
		var err error
		if st, err = tx.PrepareContext(ctx, q); err != nil {
			return 0, err
		}
		if tx.prepared == nil {
			tx.prepared = map[string]*sql.Stmt{}
		}
		tx.prepared[q] = st
	}
	res, err := st.ExecContext(ctx, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// MonitorAlert is a department alert to verify.
type MonitorAlert struct {
	ID          int64      `json:"id"`
	HouseholdID int64      `json:"household_id"`
	HeadName    string     `json:"head_name"`
	VillageCode string     `json:"village_code"`
	VillageName string     `json:"village_name"`
	IDNumber    string     `json:"id_number"`
	Department  string     `json:"department"`
	Fact        string     `json:"fact"`
	FactOn      fupin.Date `json:"fact_on"`
	ReceivedOn  fupin.Date `json:"received_on"`
	DueOn       fupin.Date `json:"due_on"`
	Overdue     bool       `json:"overdue"`
	Outcome     string     `json:"outcome" description:"空为待核实；include 纳入；exclude 不纳入"`
	Reason      string     `json:"reason"`
	CaseID      *int64     `json:"case_id"`
	VerifiedBy  string     `json:"verified_by"`
	VerifiedAt  *time.Time `json:"verified_at"`
	Version     int64      `json:"version"`
}

// AlertFilter selects alerts.
type AlertFilter struct {
	Area   string `query:"area"`
	Open   bool   `query:"open" description:"只列待核实的"`
	Offset int    `query:"offset" minimum:"0" maximum:"1000000"`
	Limit  int    `query:"limit" minimum:"0" maximum:"500"`
}

// AlertPage is one page of alerts, open ones by deadline first.
type AlertPage struct {
	Total int            `json:"total"`
	Items []MonitorAlert `json:"items"`
}

const alertCols = `a.id, a.household_id, h.head_name, a.village_code, a.id_number, a.department, a.fact, a.fact_on,
	a.received_on, a.due_on, a.outcome, a.reason, a.case_id, a.verified_by, a.verified_at, a.version
	FROM monitor_alerts a JOIN households h ON h.id = a.household_id`

func scanAlert(row interface{ Scan(...any) error }, today fupin.Date) (*MonitorAlert, error) {
	var a MonitorAlert
	var caseID sql.NullInt64
	var at sql.NullTime
	if err := row.Scan(&a.ID, &a.HouseholdID, &a.HeadName, &a.VillageCode, &a.IDNumber, &a.Department, &a.Fact,
		&a.FactOn, &a.ReceivedOn, &a.DueOn, &a.Outcome, &a.Reason, &caseID, &a.VerifiedBy, &at, &a.Version); err != nil {
		return nil, err
	}
	a.CaseID, a.VerifiedAt, a.VillageName = idPtr(caseID), utcPtr(at), aid.AreaName(a.VillageCode)
	a.Overdue = a.Outcome == "" && today.After(a.DueOn)
	return &a, nil
}

// MonitorAlerts lists the alerts in the actor's areas.
func (db *DB) MonitorAlerts(ctx context.Context, actor fupin.Actor, f AlertFilter) (AlertPage, error) {
	page := AlertPage{Items: []MonitorAlert{}}
	if err := checkPage(f.Area, &f.Offset, &f.Limit); err != nil {
		return page, err
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	where := areaCond("a.village_code", actor.Narrow(f.Area), arg)
	if f.Open {
		where += " AND a.outcome = ''"
	}
	err := db.view(ctx, actor, func(tx *Tx) error {
		page.Items = page.Items[:0]
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM monitor_alerts a WHERE `+where, args...).Scan(&page.Total); err != nil {
			return fmt.Errorf("count alerts: %w", err)
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+alertCols+` WHERE `+where+
			fmt.Sprintf(` ORDER BY CASE WHEN a.outcome = '' THEN 0 ELSE 1 END, a.due_on, a.id LIMIT %d OFFSET %d`, f.Limit, f.Offset), args...)
		if err != nil {
			return fmt.Errorf("list alerts: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanAlert(rows, tx.today())
			if err != nil {
				return err
			}
			page.Items = append(page.Items, *a)
		}
		return rows.Err()
	})
	return page, err
}

// AlertVerdict closes an alert: include (opens a case with Category and
// Risks, or joins the household's open case) or exclude with a reason.
type AlertVerdict struct {
	Version  int64    `json:"version" required:"true"`
	Outcome  string   `json:"outcome" required:"true" description:"include / exclude"`
	Reason   string   `json:"reason"`
	Category string   `json:"category" description:"纳入时的监测对象类别"`
	Risks    []string `json:"risks" description:"纳入时的风险类型"`
}

// VerifyAlert records the outcome of checking an alert. Errors: invalid,
// not_found, conflict (already verified or stale version).
func (db *DB) VerifyAlert(ctx context.Context, actor fupin.Actor, id int64, v AlertVerdict) (*MonitorAlert, error) {
	errs := fupin.FieldErrors{}
	if !monitor.AlertOutcomes.Has(v.Outcome) {
		errs.Add("outcome", "核实结果应为纳入或不纳入")
	}
	aid.TrimLen(errs, "reason", &v.Reason, 500, v.Outcome == "exclude")
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var out *MonitorAlert
	err := db.update(ctx, actor, func(tx *Tx) error {
		a, err := scanAlert(tx.QueryRowContext(ctx, `SELECT `+alertCols+` WHERE a.id = $1`, id), tx.today())
		if isNoRows(err) || (err == nil && !tx.actor.Covers(a.VillageCode)) {
			return notFound("预警", id)
		} else if err != nil {
			return err
		}
		if a.Outcome != "" || a.Version != v.Version {
			return staleVersion(v.Version, a.Version)
		}
		var caseID *int64
		if v.Outcome == "include" {
			var open int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM monitor_cases WHERE household_id = $1
				AND stage NOT IN ('rejected', 'eliminated')`, a.HouseholdID).Scan(&open)
			if isNoRows(err) {
				c, err := tx.openCase(ctx, NewCase{HouseholdID: a.HouseholdID, Path: "department", Category: v.Category,
					Risks: v.Risks, Facts: MonitorFacts{Note: monitor.Departments.LabelOf(a.Department) + "：" + a.Fact}}, &a.ID)
				if err != nil {
					return err
				}
				open = c.ID
			} else if err != nil {
				return err
			}
			caseID = &open
		}
		res, err := tx.ExecContext(ctx, `UPDATE monitor_alerts SET outcome = $1, reason = $2, case_id = $3,
			verified_by = $4, verified_at = $5, version = version + 1 WHERE id = $6 AND version = $7 AND outcome = ''`,
			v.Outcome, v.Reason, nullID(caseID), tx.actor.Name, tx.now, id, v.Version)
		if err := versioned(res, err, "verify alert"); err != nil {
			return err
		}
		if out, err = scanAlert(tx.QueryRowContext(ctx, `SELECT `+alertCols+` WHERE a.id = $1`, id), tx.today()); err != nil {
			return err
		}
		return tx.audit(ctx, "monitor.alert.verify", "monitor_alert", id, a.HouseholdID, a, out)
	})
	return out, err
}

// UnmatchedID is an ID number of a department list not found among the
// current members of the loader's areas.
type UnmatchedID struct {
	ID       int64  `json:"id"`
	FileID   int64  `json:"file_id"`
	Area     string `json:"area"`
	IDNumber string `json:"id_number"`
	Fact     string `json:"fact"`
}

// MonitorUnmatched lists the unmatched IDs of lists loaded for areas within
// the actor's (newest first, at most limit): a list loaded for a township
// is the township's to check, not each village's, since an ID outside the
// registry names no village.
func (db *DB) MonitorUnmatched(ctx context.Context, actor fupin.Actor, offset, limit int) ([]UnmatchedID, error) {
	out := []UnmatchedID{}
	if err := checkPage("", &offset, &limit); err != nil {
		return out, err
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	cond := areaCond("area", actor.Narrow(""), arg)
	err := db.view(ctx, actor, func(tx *Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, `SELECT id, file_id, area, id_number, fact FROM monitor_unmatched WHERE `+cond+
			fmt.Sprintf(` ORDER BY id DESC LIMIT %d OFFSET %d`, limit, offset), args...)
		if err != nil {
			return fmt.Errorf("unmatched: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var u UnmatchedID
			if err := rows.Scan(&u.ID, &u.FileID, &u.Area, &u.IDNumber, &u.Fact); err != nil {
				return err
			}
			out = append(out, u)
		}
		return rows.Err()
	})
	return out, err
}

func checkPage(area string, offset, limit *int) error {
	errs := fupin.FieldErrors{}
	if strings.Trim(area, "0123456789") != "" || len(area) > 12 {
		errs.Add("area", "区域应为统计用区划代码（前缀）")
	}
	if *limit == 0 {
		*limit = 20
	}
	if *limit < 0 || *limit > 500 {
		errs.Add("limit", "每页条数应在 1–500 之间")
	}
	if *offset < 0 || *offset > 1_000_000 {
		errs.Add("offset", "偏移量应在 0–1000000 之间")
	}
	return errs.Err()
}
