package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/project"
)

// ProjectDetail is a project with its disbursements.
type ProjectDetail struct {
	project.Project
	Disbursements []project.Disbursement `json:"disbursements"`
	SpentBySource map[string]fupin.Money `json:"spent_by_source" description:"按资金来源的已拨付（元）"`
}

// CreateProject stores a project in the plan status. Errors: invalid
// (fields, households outside the benefiting villages or unknown),
// forbidden (the role may not write projects, or the area is outside the
// actor's).
func (db *DB) CreateProject(ctx context.Context, actor fupin.Actor, role string, p project.Project) (*ProjectDetail, error) {
	if err := checkProject(actor, role, &p); err != nil {
		return nil, err
	}
	var out *ProjectDetail
	err := db.update(ctx, actor, func(tx *Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO projects (name, type, subtype, area_code, year, content, unit, planned_start,
			planned_end, people, status, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
			RETURNING id`, p.Name, p.Type, p.Subtype, p.AreaCode, p.Year, p.Content, p.Unit, p.PlannedStart, p.PlannedEnd,
			p.People, project.StatusPlan, actor.Name, tx.now).Scan(&id); err != nil {
			return fmt.Errorf("create project: %w", err)
		}
		if err := tx.putProjectLists(ctx, id, &p); err != nil {
			return err
		}
		var err error
		if out, err = tx.projectDetail(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "project.create", "project", strconv.FormatInt(id, 10), nil, out)
	})
	return out, err
}

// UpdateProject replaces a project's fields, budget and beneficiaries
// (p.Version must be the stored version). Errors: as CreateProject, plus
// not_found, conflict (stale version, accepted project) and invalid when a
// source's budget would fall below what was paid from it.
func (db *DB) UpdateProject(ctx context.Context, actor fupin.Actor, role string, id int64, p project.Project) (*ProjectDetail, error) {
	if err := checkProject(actor, role, &p); err != nil {
		return nil, err
	}
	var out *ProjectDetail
	err := db.update(ctx, actor, func(tx *Tx) error {
		before, err := tx.projectDetail(ctx, id)
		if err != nil {
			return err
		}
		if !actor.Covers(before.AreaCode) {
			return aid.ForbidArea(before.AreaCode)
		}
		if p.Version != before.Version {
			return staleVersion(p.Version, before.Version)
		}
		if err := project.CheckEdit(before.Status); err != nil {
			return err
		}
		if err := project.CheckBudget(&p, before.SpentBySource); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE projects SET name = $1, type = $2, subtype = $3, area_code = $4, year = $5, content = $6,
			unit = $7, planned_start = $8, planned_end = $9, people = $10, version = version + 1, updated_at = $11 WHERE id = $12 AND version = $13`,
			p.Name, p.Type, p.Subtype, p.AreaCode, p.Year, p.Content, p.Unit, p.PlannedStart, p.PlannedEnd, p.People, tx.now, id, p.Version)
		if err := versioned(res, err, "update project"); err != nil {
			return err
		}
		for _, table := range []string{"project_budget", "project_villages", "project_households"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE project_id = $1`, id); err != nil {
				return fmt.Errorf("clear %s: %w", table, err)
			}
		}
		if err := tx.putProjectLists(ctx, id, &p); err != nil {
			return err
		}
		if out, err = tx.projectDetail(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "project.update", "project", strconv.FormatInt(id, 10), before, out)
	})
	return out, err
}

// checkProject validates p and the actor's right to write it where it is.
func checkProject(actor fupin.Actor, role string, p *project.Project) error {
	if !project.CanEdit(role) {
		return fupin.Errorf(fupin.EForbidden, "只有县级、乡镇用户可以登记和修改项目")
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if aid.AreaName(p.AreaCode) == "" {
		return invalidField("area_code", "不是有效的统计用区划代码：%s", p.AreaCode)
	}
	for i, v := range p.Villages {
		if aid.AreaName(v) == "" {
			return invalidField(fmt.Sprintf("villages[%d]", i), "不是有效的统计用区划代码：%s", v)
		}
	}
	if !actor.Covers(p.AreaCode) {
		return aid.ForbidArea(p.AreaCode)
	}
	return nil
}

// putProjectLists writes the budget lines, villages and households of
// project id; a household must be live and in a benefiting village (the
// project's area when no villages are named).
func (tx *Tx) putProjectLists(ctx context.Context, id int64, p *project.Project) error {
	for _, b := range p.Budget {
		if _, err := tx.ExecContext(ctx, `INSERT INTO project_budget (project_id, source, amount) VALUES ($1, $2, $3)`, id, b.Source, b.Amount); err != nil {
			return fmt.Errorf("project budget: %w", err)
		}
	}
	for _, v := range p.Villages {
		if _, err := tx.ExecContext(ctx, `INSERT INTO project_villages (project_id, village_code) VALUES ($1, $2)`, id, v); err != nil {
			return fmt.Errorf("project village: %w", err)
		}
	}
	within := p.Villages
	if len(within) == 0 {
		within = []string{p.AreaCode}
	}
	for i, h := range p.Households {
		var village string
		err := tx.QueryRowContext(ctx, `SELECT village_code FROM households WHERE id = $1 AND deleted_at IS NULL`, h).Scan(&village)
		path := fmt.Sprintf("households[%d]", i)
		if isNoRows(err) {
			return invalidField(path, "农户 #%d 不存在", h)
		} else if err != nil {
			return fmt.Errorf("project household: %w", err)
		}
		if !hasPrefixIn(village, within) {
			return invalidField(path, "农户 #%d 不在受益村内", h)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO project_households (project_id, household_id) VALUES ($1, $2)`, id, h); err != nil {
			return fmt.Errorf("project household: %w", err)
		}
	}
	return nil
}

func hasPrefixIn(code string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(code, p) {
			return true
		}
	}
	return false
}

// invalidField is an invalid error about one request field.
func invalidField(field, format string, args ...any) error {
	errs := fupin.FieldErrors{}
	errs.Add(field, fmt.Sprintf(format, args...))
	return errs.Err()
}

const projectCols = `p.id, p.name, p.type, p.subtype, p.area_code, p.year, p.content, p.unit, p.planned_start, p.planned_end, p.people,
	p.status, p.approved_by, p.approved_at, p.started_by, p.started_at, p.accepted_by, p.accepted_at, p.accept_opinion, p.version,
	p.created_by, p.created_at,
	(SELECT COALESCE(SUM(amount), 0) FROM project_budget b WHERE b.project_id = p.id),
	(SELECT COALESCE(SUM(amount), 0) FROM project_disbursements d WHERE d.project_id = p.id),
	(SELECT COUNT(*) FROM project_households ph WHERE ph.project_id = p.id)`

func scanProject(row scanner, today fupin.Date) (*project.Project, error) {
	var p project.Project
	var approved, started, accepted sql.NullTime
	err := row.Scan(&p.ID, &p.Name, &p.Type, &p.Subtype, &p.AreaCode, &p.Year, &p.Content, &p.Unit, &p.PlannedStart, &p.PlannedEnd, &p.People,
		&p.Status, &p.ApprovedBy, &approved, &p.StartedBy, &started, &p.AcceptedBy, &accepted, &p.AcceptOpinion, &p.Version,
		&p.CreatedBy, &p.CreatedAt, &p.BudgetTotal, &p.Spent, &p.HouseholdCount)
	if err != nil {
		return nil, err
	}
	p.ApprovedAt, p.StartedAt, p.AcceptedAt = utcPtr(approved), utcPtr(started), utcPtr(accepted)
	p.CreatedAt = p.CreatedAt.UTC()
	p.AreaName = aid.AreaName(p.AreaCode)
	p.Overdue = p.IsOverdue(today)
	p.Villages, p.Households, p.Budget = []string{}, []int64{}, []project.BudgetLine{}
	return &p, nil
}

// projectDetail loads a project the actor sees (its area overlaps theirs)
// with its lists and disbursements.
func (tx *Tx) projectDetail(ctx context.Context, id int64) (*ProjectDetail, error) {
	p, err := scanProject(tx.QueryRowContext(ctx, `SELECT `+projectCols+` FROM projects p WHERE p.id = $1`, id), tx.today())
	if isNoRows(err) || (err == nil && !aid.Sees(tx.actor, p.AreaCode)) {
		return nil, notFound("项目", id)
	} else if err != nil {
		return nil, fmt.Errorf("load project: %w", err)
	}
	out := &ProjectDetail{Project: *p, Disbursements: []project.Disbursement{}}
	if err := tx.projectLists(ctx, &out.Project); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, project_id, paid_on, amount, source, note, created_by, created_at
		FROM project_disbursements WHERE project_id = $1 ORDER BY paid_on, id`, id)
	if err != nil {
		return nil, fmt.Errorf("disbursements: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d project.Disbursement
		if err := rows.Scan(&d.ID, &d.ProjectID, &d.PaidOn, &d.Amount, &d.Source, &d.Note, &d.CreatedBy, &d.CreatedAt); err != nil {
			return nil, fmt.Errorf("scan disbursement: %w", err)
		}
		d.CreatedAt = d.CreatedAt.UTC()
		out.Disbursements = append(out.Disbursements, d)
	}
	out.SpentBySource = project.Spent(out.Disbursements)
	return out, rows.Err()
}

func (tx *Tx) projectLists(ctx context.Context, p *project.Project) error {
	rows, err := tx.QueryContext(ctx, `SELECT source, amount FROM project_budget WHERE project_id = $1`, p.ID)
	if err != nil {
		return fmt.Errorf("project budget: %w", err)
	}
	for rows.Next() {
		var b project.BudgetLine
		if err := rows.Scan(&b.Source, &b.Amount); err != nil {
			rows.Close()
			return fmt.Errorf("scan budget: %w", err)
		}
		p.Budget = append(p.Budget, b)
	}
	rows.Close()
	order := map[string]int{}
	for i, s := range project.Sources.Items {
		order[s.Code] = i
	}
	sort.Slice(p.Budget, func(i, j int) bool { return order[p.Budget[i].Source] < order[p.Budget[j].Source] })
	if err := tx.scanStrings(ctx, &p.Villages, `SELECT village_code FROM project_villages WHERE project_id = $1 ORDER BY village_code`, p.ID); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT household_id FROM project_households WHERE project_id = $1 ORDER BY household_id`, p.ID)
	if err != nil {
		return fmt.Errorf("project households: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h int64
		if err := rows.Scan(&h); err != nil {
			return fmt.Errorf("scan project household: %w", err)
		}
		p.Households = append(p.Households, h)
	}
	return rows.Err()
}

func (tx *Tx) scanStrings(ctx context.Context, dst *[]string, query string, args ...any) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("query: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return fmt.Errorf("scan: %w", err)
		}
		*dst = append(*dst, s)
	}
	return rows.Err()
}

// Project returns one project with its disbursements. Errors: not_found.
func (db *DB) Project(ctx context.Context, actor fupin.Actor, id int64) (*ProjectDetail, error) {
	var out *ProjectDetail
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		out, err = tx.projectDetail(ctx, id)
		return err
	})
	return out, err
}
