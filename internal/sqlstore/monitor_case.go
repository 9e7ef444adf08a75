package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
)

// MonitorFacts are the facts at discovery: per-capita net income, rigid
// spending (yuan, two decimals in JSON) and the 三保障/饮水 items that fail.
type MonitorFacts struct {
	PerCapita     fupin.Money `json:"per_capita" description:"发现时人均纯收入（元）"`
	RigidSpending fupin.Money `json:"rigid_spending" description:"发现时刚性支出（元）"`
	FailingItems  []string    `json:"failing_items" description:"未达标的三保障、饮水项目"`
	Note          string      `json:"note" description:"情况说明"`
}

// MonitorCase is a household's 监测对象认定 / 风险消除 record: how it was found,
// its category and risks, the stage it is in with the deadline of that
// stage, and (when read one at a time) its timeline, objections and plan.
type MonitorCase struct {
	ID              int64              `json:"id"`
	HouseholdID     int64              `json:"household_id"`
	HouseholdNo     string             `json:"household_no"`
	HeadName        string             `json:"head_name"`
	VillageCode     string             `json:"village_code"`
	VillageName     string             `json:"village_name"`
	Path            string             `json:"path" description:"发现渠道"`
	Category        string             `json:"category" description:"监测对象类别（认定时的类别，之后不随配置改变）"`
	Risks           []string           `json:"risks"`
	Facts           MonitorFacts       `json:"facts"`
	Stage           string             `json:"stage"`
	StageLabel      string             `json:"stage_label"`
	OpenedOn        fupin.Date         `json:"opened_on"`
	StageStartedOn  fupin.Date         `json:"stage_started_on"`
	NoticeEndsOn    fupin.Date         `json:"notice_ends_on"`
	Participants    string             `json:"participants"`
	ReviewResult    string             `json:"review_result"`
	IdentifiedOn    fupin.Date         `json:"identified_on"`
	EliminatedOn    fupin.Date         `json:"eliminated_on"`
	EliminationMode string             `json:"elimination_mode"`
	AlertID         *int64             `json:"alert_id"`
	DueOn           fupin.Date         `json:"due_on" description:"本环节办理期限"`
	Overdue         bool               `json:"overdue"`
	DueNote         string             `json:"due_note" description:"期限按周末计算等提示"`
	Version         int64              `json:"version"`
	CreatedBy       string             `json:"created_by"`
	Steps           []CaseStep         `json:"steps"`
	Objections      []MonitorObjection `json:"objections"`
	Measures        []MonitorMeasure   `json:"measures"`
	// Actions is filled by the API for the caller's role (monitor.Allowed).
	Actions []string `json:"actions,omitempty" description:"当前用户在本环节可办理的操作"`
}

// CaseStep is one entry of a case's timeline: who did what, when.
type CaseStep struct {
	ID      int64     `json:"id"`
	From    string    `json:"from_stage"`
	To      string    `json:"to_stage"`
	Action  string    `json:"action"`
	Summary string    `json:"summary"`
	Actor   string    `json:"actor"`
	At      time.Time `json:"at"`
}

const caseCols = `c.id, c.household_id, COALESCE(h.household_no, ''), h.head_name, c.village_code, c.path,
	c.category, c.risks, c.facts, c.stage, c.opened_on, c.stage_started_on, c.notice_ends_on, c.participants,
	c.review_result, c.identified_on, c.eliminated_on, c.elimination_mode, c.alert_id, c.version, c.created_by`

const caseFrom = ` FROM monitor_cases c JOIN households h ON h.id = c.household_id`

func scanCase(row interface{ Scan(...any) error }) (*MonitorCase, error) {
	var c MonitorCase
	var risks, facts string
	var alert sql.NullInt64
	if err := row.Scan(&c.ID, &c.HouseholdID, &c.HouseholdNo, &c.HeadName, &c.VillageCode, &c.Path, &c.Category,
		&risks, &facts, &c.Stage, &c.OpenedOn, &c.StageStartedOn, &c.NoticeEndsOn, &c.Participants, &c.ReviewResult,
		&c.IdentifiedOn, &c.EliminatedOn, &c.EliminationMode, &alert, &c.Version, &c.CreatedBy); err != nil {
		return nil, err
	}
	c.Risks = []string{}
	if risks != "" {
		c.Risks = strings.Split(risks, ",")
	}
	if facts != "" {
		if err := json.Unmarshal([]byte(facts), &c.Facts); err != nil {
			return nil, fmt.Errorf("case %d facts: %w", c.ID, err)
		}
	}
	if c.Facts.FailingItems == nil {
		c.Facts.FailingItems = []string{}
	}
	c.AlertID, c.VillageName, c.StageLabel = idPtr(alert), aid.AreaName(c.VillageCode), monitor.Stages.LabelOf(c.Stage)
	c.Steps, c.Objections, c.Measures = []CaseStep{}, []MonitorObjection{}, []MonitorMeasure{}
	return &c, nil
}

// NewCase opens a case for a household.
type NewCase struct {
	HouseholdID int64        `json:"household_id" required:"true"`
	Path        string       `json:"path" required:"true" description:"发现渠道：self_report、cadre、department、engine"`
	Category    string       `json:"category" required:"true" description:"监测对象类别"`
	Risks       []string     `json:"risks" description:"风险类型，1–5 项"`
	Facts       MonitorFacts `json:"facts"`
}

// validate checks a new case; categories are those in force for its
// village today (monitor.CategoriesFor).
func (n *NewCase) validate(categories []fupin.CodeItem) error {
	errs := fupin.FieldErrors{}
	if !monitor.Paths.Has(n.Path) {
		errs.Add("path", "请选择发现渠道")
	}
	if !monitor.HasCode(categories, n.Category) {
		errs.Add("category", "请选择本地区本年度适用的监测对象类别")
	}
	switch {
	case len(n.Risks) == 0:
		errs.Add("risks", "请至少选择一项风险类型")
	case len(n.Risks) > monitor.MaxRisks:
		errs.Add("risks", fmt.Sprintf("风险类型最多 %d 项", monitor.MaxRisks))
	}
	seen := map[string]bool{}
	for i, r := range n.Risks {
		if !monitor.Risks.Has(r) || seen[r] {
			errs.Add(fmt.Sprintf("risks[%d]", i), "风险类型无效或重复："+r)
		}
		seen[r] = true
	}
	if len(n.Facts.FailingItems) > 10 {
		errs.Add("facts.failing_items", "未达标项目最多 10 项")
	}
	for i, it := range n.Facts.FailingItems {
		if it == "" || len([]rune(it)) > 20 {
			errs.Add(fmt.Sprintf("facts.failing_items[%d]", i), "项目名称应为 1–20 个字")
		}
	}
	aid.TrimLen(errs, "facts.note", &n.Facts.Note, 1000, false)
	if n.Facts.PerCapita < 0 || n.Facts.RigidSpending < 0 || n.Facts.RigidSpending > 1e12 || n.Facts.PerCapita > 1e12 {
		errs.Add("facts", "金额应在 0 到 100 亿元之间")
	}
	return errs.Err()
}

// OpenCase opens a case at 入户核查 for a household in the actor's areas.
// Errors: invalid, not_found (household), conflict (deleted household, or it
// already has an open case).
func (db *DB) OpenCase(ctx context.Context, actor fupin.Actor, n NewCase) (*MonitorCase, error) {
	var out *MonitorCase
	err := db.update(ctx, actor, func(tx *Tx) (err error) {
		out, err = tx.openCase(ctx, n, nil)
		return err
	})
	return out, err
}

func (tx *Tx) openCase(ctx context.Context, n NewCase, alertID *int64) (*MonitorCase, error) {
	h, err := tx.household(ctx, n.HouseholdID, false)
	if err != nil {
		return nil, withField(err, "household_id")
	}
	if h.Deleted() {
		return nil, fupin.Errorf(fupin.EConflict, "农户 #%d 已删除", h.ID)
	}
	cats, err := tx.categoryRows(ctx)
	if err != nil {
		return nil, err
	}
	if err := n.validate(monitor.CategoriesFor(cats, h.VillageCode, tx.today().Year())); err != nil {
		return nil, err
	}
	if (n.Category == "unstable" && h.Type != "ex_poor") || (n.Category == "marginal" && h.Type != "ordinary") {
		return nil, field(fupin.EInvalid, "category", "脱贫不稳定户须为脱贫户，边缘易致贫户须为普通农户")
	}
	var open int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM monitor_cases WHERE household_id = $1
		AND stage NOT IN ('rejected', 'eliminated')`, h.ID).Scan(&open)
	if err == nil {
		return nil, fupin.Errorf(fupin.EConflict, "该户已有办理中的监测案件 #%d", open)
	} else if !isNoRows(err) {
		return nil, fmt.Errorf("open case: %w", err)
	}
	facts, _ := json.Marshal(n.Facts)
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO monitor_cases (household_id, village_code, path, category, risks,
		facts, stage, opened_on, stage_started_on, alert_id, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $11) RETURNING id`,
		h.ID, h.VillageCode, n.Path, n.Category, strings.Join(n.Risks, ","), string(facts), monitor.StageHomeCheck,
		tx.today(), nullID(alertID), tx.actor.Name, tx.now).Scan(&id)
	if err != nil {
		if tx.mapUnique(err) != err {
			return nil, fupin.Errorf(fupin.EConflict, "该户已有办理中的监测案件")
		}
		return nil, fmt.Errorf("insert case: %w", err)
	}
	if err := tx.addStep(ctx, id, "", monitor.StageHomeCheck, "open",
		"立案（"+monitor.Paths.LabelOf(n.Path)+"）"); err != nil {
		return nil, err
	}
	c, err := tx.monitorCase(ctx, id, true)
	if err != nil {
		return nil, err
	}
	return c, tx.audit(ctx, "monitor.case.open", "monitor_case", id, h.ID, nil, c)
}

func (tx *Tx) addStep(ctx context.Context, caseID int64, from, to, action, summary string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO monitor_steps (case_id, from_stage, to_stage, action, summary, actor, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, caseID, from, to, action, summary, tx.actor.Name, tx.now)
	if err != nil {
		return fmt.Errorf("case step: %w", err)
	}
	return nil
}

// monitorCase loads a case the actor sees (not_found otherwise), with its
// timeline, objections and measures when full.
func (tx *Tx) monitorCase(ctx context.Context, id int64, full bool) (*MonitorCase, error) {
	c, err := scanCase(tx.QueryRowContext(ctx, `SELECT `+caseCols+caseFrom+` WHERE c.id = $1`, id))
	if isNoRows(err) || (err == nil && !tx.actor.Covers(c.VillageCode)) {
		return nil, notFound("监测案件", id)
	} else if err != nil {
		return nil, fmt.Errorf("load case %d: %w", id, err)
	}
	if !full {
		return c, nil
	}
	if c.Steps, err = tx.caseSteps(ctx, id); err != nil {
		return nil, err
	}
	if c.Objections, err = tx.objections(ctx, id); err != nil {
		return nil, err
	}
	if c.Measures, err = tx.measures(ctx, "case_id = $1", id); err != nil {
		return nil, err
	}
	return c, nil
}

func (tx *Tx) caseSteps(ctx context.Context, id int64) ([]CaseStep, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, from_stage, to_stage, action, summary, actor, at
		FROM monitor_steps WHERE case_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("case steps: %w", err)
	}
	defer rows.Close()
	out := []CaseStep{}
	for rows.Next() {
		var s CaseStep
		if err := rows.Scan(&s.ID, &s.From, &s.To, &s.Action, &s.Summary, &s.Actor, &s.At); err != nil {
			return nil, err
		}
		s.At = s.At.UTC()
		out = append(out, s)
	}
	return out, rows.Err()
}

// MonitorCase returns one case with its timeline, objections, plan and the
// deadline of its current step. Errors: not_found (also outside the area).
func (db *DB) MonitorCase(ctx context.Context, actor fupin.Actor, id int64) (*MonitorCase, error) {
	var c *MonitorCase
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		if c, err = tx.monitorCase(ctx, id, true); err != nil {
			return err
		}
		dl, err := tx.deadlines(ctx)
		if err != nil {
			return err
		}
		c.setDue(dl, tx.today())
		return nil
	})
	return c, err
}

// setDue sets the deadline of the case's step by its village's limits.
func (c *MonitorCase) setDue(dl *deadlines, today fupin.Date) {
	if !monitor.IsStep(c.Stage) {
		return
	}
	due := monitor.StepDue(dl.cal, dl.limits(c.VillageCode), c.Stage, c.OpenedOn, c.StageStartedOn, today)
	c.DueOn, c.Overdue, c.DueNote = due.On, due.Overdue, due.Coverage.Note()
}

// CaseFilter selects cases for a list.
type CaseFilter struct {
	Area    string `query:"area" description:"区划代码前缀"`
	Stage   string `query:"stage" description:"环节"`
	Open    bool   `query:"open" description:"只列未结案（未消除、未否决）的案件"`
	Overdue bool   `query:"overdue" description:"只列超期的"`
	Offset  int    `query:"offset" minimum:"0" maximum:"1000000"`
	Limit   int    `query:"limit" minimum:"0" maximum:"500" description:"每页条数，默认 20，最多 500"`
}

// CasePage is one page of cases, overdue first, then oldest step first.
type CasePage struct {
	Total   int           `json:"total"`
	Overdue int           `json:"overdue"`
	Note    string        `json:"note" description:"期限计算提示（如某年节假日未载入）"`
	Items   []MonitorCase `json:"items"`
}

// MonitorCases lists the cases in the actor's areas, overdue first, then
// oldest step first. Whether a case is overdue depends on the working-day
// calendar and its village's limits; they are turned into date bounds per
// stage and limit area (overdueSQL), so the database counts, orders and
// pages, and only the page's rows are read in full.
func (db *DB) MonitorCases(ctx context.Context, actor fupin.Actor, f CaseFilter) (CasePage, error) {
	page := CasePage{Items: []MonitorCase{}}
	errs := fupin.FieldErrors{}
	if strings.Trim(f.Area, "0123456789") != "" || len(f.Area) > 12 {
		errs.Add("area", "区域应为统计用区划代码（前缀）")
	}
	if f.Stage != "" && !monitor.Stages.Has(f.Stage) {
		errs.Add("stage", "未知的环节："+f.Stage)
	}
	if f.Limit == 0 {
		f.Limit = 20
	}
	if f.Limit < 0 || f.Limit > 500 {
		errs.Add("limit", "每页条数应在 1–500 之间")
	}
	if f.Offset < 0 || f.Offset > 1_000_000 {
		errs.Add("offset", "偏移量应在 0–1000000 之间")
	}
	if err := errs.Err(); err != nil {
		return page, err
	}
	err := db.view(ctx, actor, func(tx *Tx) error {
		page.Items = page.Items[:0]
		dl, err := tx.deadlines(ctx)
		if err != nil {
			return err
		}
		today := tx.today()
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		where := areaCond("c.village_code", actor.Narrow(f.Area), arg)
		if f.Stage != "" {
			where += " AND c.stage = " + arg(f.Stage)
		}
		if f.Open {
			where += " AND c.stage NOT IN ('rejected', 'eliminated')"
		}
		late := dl.overdueSQL(today, arg)
		outer := ""
		if f.Overdue {
			outer = " WHERE late = 1"
		}
		ids, err := tx.casePage(ctx, `SELECT id, COUNT(*) OVER (), SUM(late) OVER () FROM (SELECT c.id, c.stage_started_on,
			CASE WHEN `+late+` THEN 1 ELSE 0 END AS late FROM monitor_cases c WHERE `+where+`) x`+outer+`
			ORDER BY late DESC, stage_started_on, id LIMIT `+arg(f.Limit)+` OFFSET `+arg(f.Offset), args, &page)
		if err != nil {
			return err
		}
		// The list does not compute every case's due date: it says when the
		// due dates of steps begun in the last 90 days (the overdue bounds,
		// and every step not yet overdue) reach a year without its
		// holidays; a page's own cases add theirs (caseRows).
		page.Note = monitor.SpanCoverage(dl.cal, monitor.AddDays(today, -90), today).Note()
		if len(ids) == 0 && f.Offset > 0 {
			// Past the end: the window gave no counts.
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(late), 0) FROM (SELECT CASE WHEN `+late+
				` THEN 1 ELSE 0 END AS late FROM monitor_cases c WHERE `+where+`) x`+outer, args[:len(args)-2]...).Scan(&page.Total, &page.Overdue); err != nil {
				return fmt.Errorf("count cases: %w", err)
			}
		}
		return tx.caseRows(ctx, ids, dl, today, &page)
	})
	return page, err
}

// casePage runs the list's id query (id, total, overdue per row) and
// returns the page's ids in order, with the counts set on page.
func (tx *Tx) casePage(ctx context.Context, query string, args []any, page *CasePage) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id, &page.Total, &page.Overdue); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// caseRows reads the page's cases in full, in the order of ids, with their
// due dates.
func (tx *Tx) caseRows(ctx context.Context, ids []int64, dl *deadlines, today fupin.Date, page *CasePage) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+caseCols+caseFrom+` WHERE c.id IN (`+placeholders(1, len(ids))+`)`, args...)
	if err != nil {
		return fmt.Errorf("list cases: %w", err)
	}
	defer rows.Close()
	byID := make(map[int64]*MonitorCase, len(ids))
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return err
		}
		c.setDue(dl, today)
		if page.Note == "" {
			page.Note = c.DueNote
		}
		byID[c.ID] = c
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		if c := byID[id]; c != nil {
			page.Items = append(page.Items, *c)
		}
	}
	return nil
}

// overdueSQL is the SQL condition under which a case (alias c) is overdue
// today: per limit area and per step, the date bounds of
// monitor.OverdueBefore.
func (d *deadlines) overdueSQL(today fupin.Date, arg func(any) string) string {
	return d.byArea("c.village_code", arg, func(l monitor.Limits) string { return d.stepsLate(l, today) })
}

// byArea is a SQL condition on the rows of a village column: per limit area
// (the stored rows' prefixes, longest first, then the rest) the condition
// cond writes for that area's limits. Dates in it are written into the text
// (they are ours, YYYY-MM-DD); the area prefixes are arguments.
func (d *deadlines) byArea(col string, arg func(any) string, cond func(monitor.Limits) string) string {
	var areas []string
	for _, r := range d.rows {
		if r.Area != "" && !slices.Contains(areas, r.Area) {
			areas = append(areas, r.Area)
		}
	}
	sort.Slice(areas, func(i, j int) bool { return len(areas[i]) > len(areas[j]) })
	rest := cond(monitor.ResolveLimits(d.rows, ""))
	if len(areas) == 0 {
		return rest
	}
	var b strings.Builder
	b.WriteString("(CASE")
	for _, p := range areas {
		b.WriteString(" WHEN " + col + " >= " + arg(p) + " AND " + col + " < " + arg(p+":") + " THEN ")
		b.WriteString(cond(monitor.ResolveLimits(d.rows, p)))
	}
	b.WriteString(" ELSE " + rest + " END)")
	return b.String()
}

// stepsLate is the overdue condition under one set of limits.
func (d *deadlines) stepsLate(l monitor.Limits, today fupin.Date) string {
	var conds []string
	for _, stage := range monitor.Steps() {
		started, opened := monitor.OverdueBefore(d.cal, l, stage, today)
		var or []string
		if !started.IsZero() {
			or = append(or, "c.stage_started_on < '"+started.String()+"'")
		}
		if !opened.IsZero() {
			or = append(or, "c.opened_on < '"+opened.String()+"'")
		}
		if len(or) > 0 {
			conds = append(conds, "(c.stage = '"+stage+"' AND ("+strings.Join(or, " OR ")+"))")
		}
	}
	if len(conds) == 0 {
		return "(1 = 0)"
	}
	return "(" + strings.Join(conds, " OR ") + ")"
}
