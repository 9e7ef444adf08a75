package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"fupin/internal/aid"
	"fupin/internal/criteria"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
)

// CaseAction is one action on a case (monitor.Actions) with what it needs:
// the version the caller saw, a reason for return, reject and rollback, the
// participants and result when closing 民主评议, the elimination mode when
// closing 县审定公告, and for starting elimination whether rigid spending is
// resolved and the county's override reason.
type CaseAction struct {
	Action           string `json:"action" required:"true" description:"complete / return / reject / eliminate / rollback"`
	Version          int64  `json:"version" required:"true"`
	Reason           string `json:"reason"`
	Participants     string `json:"participants" description:"民主评议参加人员"`
	Result           string `json:"result" description:"民主评议结果"`
	Mode             string `json:"mode" description:"风险消除方式：assisted / natural"`
	SpendingResolved bool   `json:"spending_resolved" description:"大额刚性支出已稳定解决"`
	Override         string `json:"override" description:"县级同意无劳动能力户启动风险消除的理由"`
}

func (a *CaseAction) validate() error {
	errs := fupin.FieldErrors{}
	aid.TrimLen(errs, "participants", &a.Participants, 500, false)
	aid.TrimLen(errs, "result", &a.Result, 500, false)
	aid.TrimLen(errs, "override", &a.Override, 500, false)
	if a.Mode != "" && !fupin.EliminationModes.Has(a.Mode) {
		errs.Add("mode", "风险消除方式应为 assisted 或 natural")
	}
	return errs.Err()
}

// ActOnCase applies an action by a role (auth role name) to a case, in one
// transaction: the stage moves, the timeline gains an entry, and at 县审定
// the household's monitor type, risks and identification date are set
// (and its verdicts recomputed); at 风险消除 and its rollback the
// household's elimination date and mode are set or cleared. Errors:
// forbidden (role and stage), invalid, not_found, conflict (stale version —
// of two concurrent actions exactly one wins —, open objections, 公示 not
// over, no plan, not eligible).
func (db *DB) ActOnCase(ctx context.Context, actor fupin.Actor, role string, id int64, a CaseAction) (*MonitorCase, error) {
	if err := a.validate(); err != nil {
		return nil, err
	}
	var out *MonitorCase
	err := db.update(ctx, actor, func(tx *Tx) error {
		c, err := tx.monitorCase(ctx, id, false)
		if err != nil {
			return err
		}
		if !monitor.Acts(role) { // before the version: such a role never may
			return fupin.Errorf(fupin.EForbidden, "您的角色无权办理监测案件")
		}
		if c.Version != a.Version { // before the stage: a racing loser learns it was stale
			return staleVersion(a.Version, c.Version)
		}
		f, err := tx.caseFacts(ctx, c, a)
		if err != nil {
			return err
		}
		t, err := monitor.Next(c.Stage, a.Action, role, a.Reason, f)
		if err != nil {
			return err
		}
		if t.To == monitor.StageEliminated && a.Mode == "" {
			return field(fupin.EInvalid, "mode", "请选择风险消除方式")
		}
		step(ctx, "case.checked")
		if err := tx.moveCase(ctx, c, t, a); err != nil {
			return err
		}
		if err := tx.addStep(ctx, id, t.From, t.To, a.Action, t.Summary); err != nil {
			return err
		}
		if err := tx.applyToHousehold(ctx, c, t, a.Mode); err != nil {
			return err
		}
		if out, err = tx.monitorCase(ctx, id, true); err != nil {
			return err
		}
		return tx.audit(ctx, "monitor.case."+a.Action, "monitor_case", id, c.HouseholdID, c, out)
	})
	return out, err
}

func (tx *Tx) caseFacts(ctx context.Context, c *MonitorCase, a CaseAction) (monitor.Facts, error) {
	f := monitor.Facts{Today: tx.today(), NoticeEnds: c.NoticeEndsOn, Participants: a.Participants,
		Result: a.Result, Override: a.Override}
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM monitor_objections WHERE case_id = $1 AND stage = $2
		AND resolved_at IS NULL`, c.ID, c.Stage).Scan(&f.OpenObjections); err != nil {
		return f, fmt.Errorf("objections: %w", err)
	}
	var plans int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM monitor_measures WHERE case_id = $1`, c.ID).Scan(&plans); err != nil {
		return f, fmt.Errorf("measures: %w", err)
	}
	f.HasPlan = plans > 0
	if a.Action == monitor.ActEliminate && c.Stage == monitor.StageMonitored {
		e, err := tx.eligibility(ctx, c, a.SpendingResolved)
		if err != nil {
			return f, err
		}
		f.Eligibility = &e
	}
	return f, nil
}

func (tx *Tx) moveCase(ctx context.Context, c *MonitorCase, t monitor.Transition, a CaseAction) error {
	today := tx.today()
	notice := c.NoticeEndsOn
	if t.To == monitor.StageNotice || t.To == monitor.StageElimNotice {
		rows, err := tx.limitRows(ctx)
		if err != nil {
			return err
		}
		notice = monitor.AddDays(today, monitor.ResolveLimits(rows, c.VillageCode).NoticeDays-1)
	}
	participants, result := c.Participants, c.ReviewResult
	if t.From == monitor.StageReview && t.To == monitor.StageNotice {
		participants, result = a.Participants, a.Result
	}
	identified, eliminated, mode := c.IdentifiedOn, c.EliminatedOn, c.EliminationMode
	switch {
	case t.From == monitor.StageCounty && t.To == monitor.StageMonitored:
		identified = today
	case t.To == monitor.StageEliminated:
		eliminated, mode = today, a.Mode
	case a.Action == monitor.ActRollback:
		eliminated, mode = fupin.Date{}, ""
	}
	res, err := tx.ExecContext(ctx, `UPDATE monitor_cases SET stage = $1, stage_started_on = $2, notice_ends_on = $3,
		participants = $4, review_result = $5, identified_on = $6, eliminated_on = $7, elimination_mode = $8,
		version = version + 1, updated_at = $9 WHERE id = $10 AND version = $11`,
		t.To, today, notice, participants, result, identified, eliminated, mode, tx.now, c.ID, c.Version)
	return versioned(res, err, "move case")
}

// applyToHousehold writes the outcome of identification, elimination or a
// rollback onto the household through its own version and re-assesses it.
func (tx *Tx) applyToHousehold(ctx context.Context, c *MonitorCase, t monitor.Transition, mode string) error {
	identify := t.From == monitor.StageCounty && t.To == monitor.StageMonitored
	eliminate := t.To == monitor.StageEliminated
	rollback := t.From == monitor.StageEliminated
	if !identify && !eliminate && !rollback {
		return nil
	}
	before, err := tx.household(ctx, c.HouseholdID, true)
	if err != nil {
		return err
	}
	h := *before
	switch {
	case identify:
		h.MonitorType, h.Risks = c.Category, c.Risks
		h.MonitorIdentifiedOn, h.RiskEliminatedOn, h.EliminationMode = tx.today(), fupin.Date{}, ""
	case eliminate:
		h.RiskEliminatedOn, h.EliminationMode = tx.today(), mode
	case rollback:
		h.RiskEliminatedOn, h.EliminationMode = fupin.Date{}, ""
	}
	// Only the monitoring fields are this write's business; other problems
	// of the record are left to the registry's own edits.
	errs, mine := fupin.FieldErrors{}, fupin.FieldErrors{}
	h.ValidateFields(errs, tx.today())
	for k, v := range errs {
		for _, f := range []string{"monitor_type", "risks", "monitor_identified_on", "risk_eliminated_on", "elimination_mode"} {
			if strings.HasPrefix(k, f) {
				mine.Add(k, v)
			}
		}
	}
	if len(mine) > 0 {
		return &fupin.Error{Code: fupin.EConflict, Message: "该户登记信息与认定结果不一致，请先核对农户信息", Fields: mine}
	}
	res, err := tx.ExecContext(ctx, `UPDATE households SET monitor_type = $1, risks = $2, monitor_identified_on = $3,
		risk_eliminated_on = $4, elimination_mode = $5, version = version + 1, updated_at = $6
		WHERE id = $7 AND version = $8`, h.MonitorType, strings.Join(h.Risks, ","), h.MonitorIdentifiedOn,
		h.RiskEliminatedOn, h.EliminationMode, tx.now, h.ID, before.Version)
	if err := versioned(res, err, "household monitoring"); err != nil {
		return err
	}
	after, err := tx.household(ctx, h.ID, true)
	if err != nil {
		return err
	}
	if err := tx.reassess(ctx, after); err != nil {
		return err
	}
	return tx.audit(ctx, "household.monitor", "household", h.ID, h.ID, before, after)
}

// MonitorEligibility answers, item by item, whether a monitored case's
// household meets the conditions of 风险消除 today.
func (db *DB) MonitorEligibility(ctx context.Context, actor fupin.Actor, caseID int64, spendingResolved bool) (monitor.Eligibility, error) {
	var e monitor.Eligibility
	err := db.view(ctx, actor, func(tx *Tx) error {
		c, err := tx.monitorCase(ctx, caseID, false)
		if err != nil {
			return err
		}
		e, err = tx.eligibility(ctx, c, spendingResolved)
		return err
	})
	return e, err
}

func (tx *Tx) eligibility(ctx context.Context, c *MonitorCase, spendingResolved bool) (monitor.Eligibility, error) {
	h, err := tx.household(ctx, c.HouseholdID, true)
	if err != nil {
		return monitor.Eligibility{}, err
	}
	today := tx.today()
	dl, err := tx.deadlines(ctx)
	if err != nil {
		return monitor.Eligibility{}, err
	}
	in := monitor.EligibilityInput{IdentifiedOn: c.IdentifiedOn, Today: today, MinMonths: dl.limits(c.VillageCode).MinMonths,
		SpendingResolved: spendingResolved, NoLabour: true}
	year := fupin.AssessmentYear(today)
	if len(h.Incomes) > 0 {
		last := h.Incomes[0] // newest first
		year = last.Year
		if last.PerCapitaNet != nil {
			in.Incomes = append(in.Incomes, monitor.IncomePoint{Period: fmt.Sprintf("%d 年", last.Year), PerCapita: *last.PerCapitaNet})
		}
	}
	rows, err := tx.paramRows(ctx)
	if err != nil {
		return monitor.Eligibility{}, err
	}
	p, err := criteria.Resolve(rows, h.VillageCode, year)
	if err != nil {
		return monitor.Eligibility{}, fmt.Errorf("resolve policy: %w", err)
	}
	in.Line = fupin.YuanToMoney(p.Number(criteria.KeyMonitoringLine))
	for _, m := range h.Members {
		if m.Active() && m.Labour != "lost" && m.Labour != "none" {
			in.NoLabour = false
		}
	}
	if in.Items, err = tx.verdictItems(ctx, h.ID, fupin.AssessmentYear(today)); err != nil {
		return monitor.Eligibility{}, err
	}
	ms, err := tx.measures(ctx, "case_id = $1 AND status IN ('planned', 'active')", c.ID)
	if err != nil {
		return monitor.Eligibility{}, err
	}
	for _, m := range ms {
		in.Measures = append(in.Measures, m.Category)
	}
	return monitor.CheckElimination(in), nil
}

// verdictItems are the 两不愁三保障 and 饮水 statuses of a household's stored
// verdict for a year (none when it has no verdict).
func (tx *Tx) verdictItems(ctx context.Context, householdID int64, year int) ([]monitor.ItemStatus, error) {
	var s [6]string
	err := tx.QueryRowContext(ctx, `SELECT s_food, s_clothing, s_education, s_medical, s_housing, s_water
		FROM verdicts WHERE household_id = $1 AND year = $2`, householdID, year).Scan(&s[0], &s[1], &s[2], &s[3], &s[4], &s[5])
	if isNoRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("verdict items: %w", err)
	}
	labels := []string{"不愁吃", "不愁穿", "义务教育", "基本医疗", "住房安全", "饮水安全"}
	out := make([]monitor.ItemStatus, len(labels))
	for i, l := range labels {
		out[i] = monitor.ItemStatus{Label: l, Status: s[i]}
	}
	return out, nil
}
