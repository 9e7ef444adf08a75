package sqlstore

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
)

// publicApplicant is who the audit log names for a public submission.
const publicApplicant = "公众自主申报"

// SubmitApplication stores an application from the public page and
// answers its receipt number only. addr is the client address; it is
// stored as a hash, in the per-day counters that bound the page:
// monitor.MaxApplyPerAddr per address and monitor.MaxApplyPerTownship per
// township (the queue the application lands in), for the townships this
// system serves only (one of their villages is in use). The counters are
// raised in the same transaction as the insert, so a refused submission
// writes nothing, and an accepted one writes its application, an audit row
// and at most two counter rows. Errors: invalid (naming the field; a
// village of a township the system does not serve), rate_limited.
func (db *DB) SubmitApplication(ctx context.Context, addr, township string, a monitor.Application) (string, error) {
	if err := a.Check(township); err != nil {
		return "", err
	}
	var random [8]byte
	if _, err := rand.Read(random[:]); err != nil {
		return "", err
	}
	receipt := monitor.Receipt(random)
	sum := sha256.Sum256([]byte(addr))
	client := hex.EncodeToString(sum[:8])
	town := monitor.ApplyTownship(a.Village)
	err := db.update(ctx, fupin.SystemActor(publicApplicant), func(tx *Tx) error {
		if ok, err := tx.servesTownship(ctx, town); err != nil || !ok {
			return cmp.Or(err, field(fupin.EInvalid, "village", "本系统未开通该乡镇（街道）的网上申报，请直接向村（社区）、乡镇反映"))
		}
		today := tx.today()
		if _, err := tx.ExecContext(ctx, `DELETE FROM monitor_apply_quota WHERE day < $1`, today); err != nil {
			return fmt.Errorf("apply quota: %w", err)
		}
		for _, q := range []struct {
			key string
			max int
			msg string
		}{
			{"t:" + town, monitor.MaxApplyPerTownship, "本乡镇（街道）今日网上申报已达上限，请明天再试，或直接向村（社区）、乡镇反映"},
			{client, monitor.MaxApplyPerAddr, "同一网络今日申报次数已达上限，请明天再试，或直接向村（社区）、乡镇反映"},
		} {
			var n int
			if err := tx.QueryRowContext(ctx, `INSERT INTO monitor_apply_quota (day, addr, n) VALUES ($1, $2, 1)
				ON CONFLICT (day, addr) DO UPDATE SET n = monitor_apply_quota.n + 1 RETURNING n`, today, q.key).Scan(&n); err != nil {
				return fmt.Errorf("apply quota: %w", err)
			}
			if n > q.max {
				return fupin.Errorf(fupin.ERateLimited, "%s", q.msg)
			}
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO monitor_applications (receipt, village_code, name, phone, content,
			submitted_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, receipt, a.Village, a.Name, a.Phone, a.Content,
			tx.now).Scan(&id); err != nil {
			return fmt.Errorf("insert application: %w", err)
		}
		// The audit row names the receipt and village only: the
		// application itself is the record of what was said.
		return tx.audit(ctx, "monitor.application.submit", "monitor_application", id, 0, nil,
			map[string]string{"receipt": receipt, "village_code": a.Village})
	})
	return receipt, err
}

// MonitorApplication is a 自主申报 in the queue of its village and township.
type MonitorApplication struct {
	ID          int64      `json:"id"`
	Receipt     string     `json:"receipt"`
	VillageCode string     `json:"village_code"`
	VillageName string     `json:"village_name"`
	Name        string     `json:"name"`
	Phone       string     `json:"phone"`
	Content     string     `json:"content"`
	SubmittedAt time.Time  `json:"submitted_at"`
	Outcome     string     `json:"outcome" description:"空为待受理；accept 受理，decline 不受理"`
	Reason      string     `json:"reason"`
	HouseholdID *int64     `json:"household_id"`
	CaseID      *int64     `json:"case_id"`
	DecidedBy   string     `json:"decided_by"`
	DecidedAt   *time.Time `json:"decided_at"`
	RecordedBy  string     `json:"recorded_by" description:"代为申报的干部；空为群众网上申报"`
	// Authorization is set when the signed 承诺授权书 is attached.
	Authorization bool  `json:"has_authorization" description:"已上传签字的承诺授权书"`
	Version       int64 `json:"version"`
}

// ApplicationPage is one page of applications, open ones first.
type ApplicationPage struct {
	Total int                  `json:"total"`
	Items []MonitorApplication `json:"items"`
}

// ApplicationFilter selects applications for the queue.
type ApplicationFilter struct {
	Area   string `query:"area" description:"区划代码前缀"`
	Open   bool   `query:"open" description:"只列待受理的"`
	Offset int    `query:"offset" minimum:"0" maximum:"1000000"`
	Limit  int    `query:"limit" minimum:"0" maximum:"500" description:"每页条数，默认 20，最多 500"`
}

const applicationCols = `id, receipt, village_code, name, phone, content, submitted_at, outcome, reason,
	household_id, case_id, decided_by, decided_at, recorded_by,
	EXISTS (SELECT 1 FROM monitor_application_files f WHERE f.application_id = monitor_applications.id),
	version FROM monitor_applications`

func scanApplication(row interface{ Scan(...any) error }) (*MonitorApplication, error) {
	var a MonitorApplication
	var hh, cs sql.NullInt64
	var at sql.NullTime
	if err := row.Scan(&a.ID, &a.Receipt, &a.VillageCode, &a.Name, &a.Phone, &a.Content, &a.SubmittedAt, &a.Outcome,
		&a.Reason, &hh, &cs, &a.DecidedBy, &at, &a.RecordedBy, &a.Authorization, &a.Version); err != nil {
		return nil, err
	}
	a.SubmittedAt = a.SubmittedAt.UTC()
	a.HouseholdID, a.CaseID, a.DecidedAt, a.VillageName = idPtr(hh), idPtr(cs), utcPtr(at), aid.AreaName(a.VillageCode)
	return &a, nil
}

// MonitorApplications lists the applications of villages in the actor's
// areas, open ones first, oldest first.
func (db *DB) MonitorApplications(ctx context.Context, actor fupin.Actor, f ApplicationFilter) (ApplicationPage, error) {
	page := ApplicationPage{Items: []MonitorApplication{}}
	if err := checkPage(f.Area, &f.Offset, &f.Limit); err != nil {
		return page, err
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	where := areaCond("village_code", actor.Narrow(f.Area), arg)
	if f.Open {
		where += " AND outcome = ''"
	}
	err := db.view(ctx, actor, func(tx *Tx) error {
		page.Items = page.Items[:0]
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM monitor_applications WHERE `+where, args...).Scan(&page.Total); err != nil {
			return fmt.Errorf("count applications: %w", err)
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+applicationCols+` WHERE `+where+
			fmt.Sprintf(` ORDER BY CASE WHEN outcome = '' THEN 0 ELSE 1 END, id LIMIT %d OFFSET %d`, f.Limit, f.Offset), args...)
		if err != nil {
			return fmt.Errorf("list applications: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanApplication(rows)
			if err != nil {
				return err
			}
			page.Items = append(page.Items, *a)
		}
		return rows.Err()
	})
	return page, err
}

// ApplicationDecision closes an application: accept opens a case for the
// household the township matched it to (path 自主申报, at 入户核查), or
// decline with a reason.
type ApplicationDecision struct {
	Version     int64    `json:"version" required:"true"`
	Outcome     string   `json:"outcome" required:"true" description:"accept 受理 / decline 不受理"`
	Reason      string   `json:"reason" description:"不受理的原因"`
	HouseholdID int64    `json:"household_id" description:"受理时：申报人所在的在册农户"`
	Category    string   `json:"category" description:"受理时的监测对象类别"`
	Risks       []string `json:"risks" description:"受理时的风险类型"`
}

// DecideApplication accepts or declines an application. Errors: invalid
// (naming the field; also a household outside the actor's areas or with
// an open case), not_found (outside the actor's areas), conflict (decided
// already or a stale version).
func (db *DB) DecideApplication(ctx context.Context, actor fupin.Actor, id int64, d ApplicationDecision) (*MonitorApplication, error) {
	errs := fupin.FieldErrors{}
	if !monitor.ApplicationOutcomes.Has(d.Outcome) {
		errs.Add("outcome", "受理结果应为受理或不受理")
	}
	aid.TrimLen(errs, "reason", &d.Reason, 500, d.Outcome == "decline")
	if d.Outcome == "accept" && d.HouseholdID <= 0 {
		errs.Add("household_id", "请选择申报人所在的在册农户")
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var out *MonitorApplication
	err := db.update(ctx, actor, func(tx *Tx) error {
		a, err := scanApplication(tx.QueryRowContext(ctx, `SELECT `+applicationCols+` WHERE id = $1`, id))
		if isNoRows(err) || (err == nil && !tx.actor.Covers(a.VillageCode)) {
			return notFound("申报", id)
		} else if err != nil {
			return err
		}
		if a.Outcome != "" || a.Version != d.Version {
			return staleVersion(d.Version, a.Version)
		}
		var household, caseID *int64
		if d.Outcome == "accept" {
			c, err := tx.openCase(ctx, NewCase{HouseholdID: d.HouseholdID, Path: "self_report", Category: d.Category,
				Risks: d.Risks, Facts: MonitorFacts{FailingItems: []string{}, Note: "自主申报（" + a.Receipt + "）：" + a.Content}}, nil)
			if err != nil {
				return err
			}
			household, caseID = &d.HouseholdID, &c.ID
		}
		res, err := tx.ExecContext(ctx, `UPDATE monitor_applications SET outcome = $1, reason = $2, household_id = $3,
			case_id = $4, decided_by = $5, decided_at = $6, version = version + 1 WHERE id = $7 AND version = $8 AND outcome = ''`,
			d.Outcome, d.Reason, nullID(household), nullID(caseID), tx.actor.Name, tx.now, id, d.Version)
		if err := versioned(res, err, "decide application"); err != nil {
			return err
		}
		if out, err = scanApplication(tx.QueryRowContext(ctx, `SELECT `+applicationCols+` WHERE id = $1`, id)); err != nil {
			return err
		}
		return tx.audit(ctx, "monitor.application.decide", "monitor_application", id, d.HouseholdID, a, out)
	})
	return out, err
}

// CadreApplication is an application a cadre records on a registered
// household's behalf (自主申报 brought to the village), with the
// household's signed 承诺授权书 attached.
type CadreApplication struct {
	HouseholdID int64  `json:"household_id"`
	Phone       string `json:"phone"`
	Content     string `json:"content"`
}

// RecordApplication stores an application on a household's behalf: the
// applicant is the household's head, the village its village, the
// authorization file a PDF or image checked like ledger evidence
// (checkDocument). It joins the queue like a public one. Errors: invalid
// (naming the field; file), too_large, not_found (household outside the
// actor's areas).
func (db *DB) RecordApplication(ctx context.Context, actor fupin.Actor, in CadreApplication, fileName string, data []byte) (*MonitorApplication, error) {
	data, ct, err := checkDocument(data, "承诺授权书")
	if err != nil {
		return nil, err
	}
	var random [8]byte
	if _, err := rand.Read(random[:]); err != nil {
		return nil, err
	}
	receipt := monitor.Receipt(random)
	var out *MonitorApplication
	err = db.update(ctx, actor, func(tx *Tx) error {
		h, err := tx.household(ctx, in.HouseholdID, false)
		if err != nil {
			return withField(err, "household_id")
		}
		a := monitor.Application{Village: h.VillageCode, Name: h.HeadName, Phone: in.Phone, Content: in.Content}
		if err := a.Check(""); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO monitor_applications (receipt, village_code, name, phone, content,
			submitted_at, household_id, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, receipt, a.Village,
			a.Name, a.Phone, a.Content, tx.now, h.ID, tx.actor.Name).Scan(&id); err != nil {
			return fmt.Errorf("insert application: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO monitor_application_files (application_id, file_name, content_type,
			size, data, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, documentName(fileName), ct, len(data),
			data, tx.actor.Name, tx.now); err != nil {
			return fmt.Errorf("insert authorization: %w", err)
		}
		if out, err = scanApplication(tx.QueryRowContext(ctx, `SELECT `+applicationCols+` WHERE id = $1`, id)); err != nil {
			return err
		}
		return tx.audit(ctx, "monitor.application.record", "monitor_application", id, h.ID, nil, out)
	})
	return out, err
}

// ApplicationFile is an application's 承诺授权书.
type ApplicationFile struct {
	FileName    string
	ContentType string
	Data        []byte
}

// ApplicationAuthorization returns the 承诺授权书 of an application in the
// actor's areas. Errors: not_found (no file, or outside the areas).
func (db *DB) ApplicationAuthorization(ctx context.Context, actor fupin.Actor, id int64) (*ApplicationFile, error) {
	var f ApplicationFile
	err := db.view(ctx, actor, func(tx *Tx) error {
		var village string
		err := tx.QueryRowContext(ctx, `SELECT a.village_code, f.file_name, f.content_type, f.data FROM monitor_application_files f
			JOIN monitor_applications a ON a.id = f.application_id WHERE f.application_id = $1`, id).Scan(&village, &f.FileName, &f.ContentType, &f.Data)
		if isNoRows(err) || (err == nil && !actor.Covers(village)) {
			return fupin.Errorf(fupin.ENotFound, "申报 #%d 没有承诺授权书或不在您的管辖区域内", id)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// ServesTownship reports whether the system serves a township (9-digit
// code): one of its villages is in use, so the public page may take its
// applications. Errors: only the database's.
func (db *DB) ServesTownship(ctx context.Context, township string) (bool, error) {
	var ok bool
	err := db.view(ctx, fupin.SystemActor(publicApplicant), func(tx *Tx) (err error) {
		ok, err = tx.servesTownship(ctx, township)
		return err
	})
	return ok, err
}

func (tx *Tx) servesTownship(ctx context.Context, township string) (bool, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM regions WHERE code = $1`, township).Scan(&n); err != nil {
		return false, fmt.Errorf("served township: %w", err)
	}
	return n > 0, nil
}
