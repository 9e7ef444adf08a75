package sqlstore

import (
	"context"
	"fmt"
	"strconv"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/project"
)

// ProjectAction is a state change asked of a project.
type ProjectAction struct {
	Kind    string `json:"kind" required:"true" description:"approve 批复（县级）、start 开工（县级、乡镇）、accept 验收（县级，须写验收意见）"`
	Opinion string `json:"opinion" description:"验收意见"`
	Version int64  `json:"version" required:"true" description:"乐观锁版本号"`
}

// ActOnProject applies an action by the actor (whose role the caller
// vouches for) to a project inside the actor's areas and audits it.
// Errors: invalid, not_found, forbidden (role or area), conflict (status or
// a stale version).
func (db *DB) ActOnProject(ctx context.Context, actor fupin.Actor, role string, id int64, in ProjectAction) (*ProjectDetail, error) {
	var out *ProjectDetail
	err := db.update(ctx, actor, func(tx *Tx) error {
		before, err := tx.projectDetail(ctx, id)
		if err != nil {
			return err
		}
		if !actor.Covers(before.AreaCode) {
			return aid.ForbidArea(before.AreaCode)
		}
		if in.Version != before.Version {
			return staleVersion(in.Version, before.Version)
		}
		p := before.Project
		if err := project.Act(&p, project.Action{Kind: in.Kind, Account: actor.Name, Role: role, Opinion: in.Opinion, At: tx.now}); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE projects SET status = $1, approved_by = $2, approved_at = $3, started_by = $4, started_at = $5,
			accepted_by = $6, accepted_at = $7, accept_opinion = $8, version = version + 1, updated_at = $9 WHERE id = $10 AND version = $11`,
			p.Status, p.ApprovedBy, p.ApprovedAt, p.StartedBy, p.StartedAt, p.AcceptedBy, p.AcceptedAt, p.AcceptOpinion, tx.now, id, in.Version)
		if err := versioned(res, err, "act on project"); err != nil {
			return err
		}
		if out, err = tx.projectDetail(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "project."+in.Kind, "project", strconv.FormatInt(id, 10), before.Project, out.Project)
	})
	return out, err
}

// AddDisbursement records a payment of project funds. The project's row is
// updated (version + 1) in the same transaction, so two concurrent payments
// that together exceed a source's budget cannot both commit. Errors:
// invalid (fields, over budget), not_found, forbidden (role or area),
// conflict (status).
func (db *DB) AddDisbursement(ctx context.Context, actor fupin.Actor, role string, id int64, d project.Disbursement) (*ProjectDetail, error) {
	if !project.CanEdit(role) {
		return nil, fupin.Errorf(fupin.EForbidden, "只有县级、乡镇用户可以登记资金拨付")
	}
	var out *ProjectDetail
	err := db.update(ctx, actor, func(tx *Tx) error {
		// Claim the row first: on PostgreSQL a concurrent payment waits here
		// and then reads the sums this one committed.
		if _, err := tx.ExecContext(ctx, `UPDATE projects SET version = version + 1, updated_at = $1 WHERE id = $2`, tx.now, id); err != nil {
			return fmt.Errorf("lock project: %w", err)
		}
		p, err := tx.projectDetail(ctx, id)
		if err != nil {
			return err
		}
		if !actor.Covers(p.AreaCode) {
			return aid.ForbidArea(p.AreaCode)
		}
		if err := project.CheckDisbursement(&p.Project, p.SpentBySource, len(p.Disbursements), &d, tx.today()); err != nil {
			return err
		}
		var did int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO project_disbursements (project_id, paid_on, amount, source, note, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, id, d.PaidOn, d.Amount, d.Source, d.Note, actor.Name, tx.now).Scan(&did); err != nil {
			return fmt.Errorf("add disbursement: %w", err)
		}
		d.ID, d.ProjectID, d.CreatedBy, d.CreatedAt = did, id, actor.Name, tx.now
		if out, err = tx.projectDetail(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "project.disburse", "project", strconv.FormatInt(id, 10), nil, d)
	})
	return out, err
}

// ProjectFilter selects projects for a list or roll-up.
type ProjectFilter struct {
	Area    string // division code prefix; projects whose area overlaps it
	Village string // a benefiting village (the project's own or one it names)
	Year    int
	Status  string
	Type    string
	Offset  int
	Limit   int
}

// ProjectPage is a page of projects and the count of all that match.
type ProjectPage struct {
	Items []project.Project `json:"items"`
	Total int               `json:"total"`
}

func (f ProjectFilter) where(actor fupin.Actor, arg func(any) string) string {
	w := overlapCond("p.area_code", actor, f.Area, arg)
	if f.Village != "" {
		w += " AND (p.area_code = " + arg(f.Village) + " OR EXISTS (SELECT 1 FROM project_villages pv WHERE pv.project_id = p.id AND pv.village_code = " + arg(f.Village) + "))"
	}
	if f.Year != 0 {
		w += " AND p.year = " + arg(f.Year)
	}
	if f.Status != "" {
		w += " AND p.status = " + arg(f.Status)
	}
	if f.Type != "" {
		w += " AND p.type = " + arg(f.Type)
	}
	return w
}

// maxRollupProjects bounds the projects one roll-up reads.
const maxRollupProjects = 20000

// Projects lists the projects the actor sees that match f, newest first.
func (db *DB) Projects(ctx context.Context, actor fupin.Actor, f ProjectFilter) (*ProjectPage, error) {
	out := &ProjectPage{Items: []project.Project{}}
	err := db.view(ctx, actor, func(tx *Tx) error {
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		where := f.where(actor, arg)
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM projects p WHERE `+where, args...).Scan(&out.Total); err != nil {
			return fmt.Errorf("count projects: %w", err)
		}
		items, err := tx.projects(ctx, where+` ORDER BY p.year DESC, p.id DESC LIMIT `+arg(f.Limit)+` OFFSET `+arg(f.Offset), args)
		out.Items = items
		return err
	})
	return out, err
}

func (tx *Tx) projects(ctx context.Context, where string, args []any) ([]project.Project, error) {
	out := []project.Project{}
	rows, err := tx.QueryContext(ctx, `SELECT `+projectCols+` FROM projects p WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("projects: %w", err)
	}
	defer rows.Close()
	today := tx.today()
	for rows.Next() {
		p, err := scanProject(rows, today)
		if err != nil {
			return nil, fmt.Errorf("scan project: %w", err)
		}
		if aid.Sees(tx.actor, p.AreaCode) {
			out = append(out, *p)
		}
	}
	return out, rows.Err()
}

// ProjectRollup sums the funds of the projects matching f (paging ignored;
// at most 20,000 projects): by area, year, use and source, with spend rate,
// households per 10,000 yuan and the overdue projects. Errors: invalid when
// more projects match than one roll-up reads.
func (db *DB) ProjectRollup(ctx context.Context, actor fupin.Actor, f ProjectFilter) (*project.Rollup, error) {
	var out project.Rollup
	err := db.view(ctx, actor, func(tx *Tx) error {
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		where := f.where(actor, arg)
		items, err := tx.projects(ctx, where+` ORDER BY p.id LIMIT `+arg(maxRollupProjects+1), args)
		if err != nil {
			return err
		}
		if len(items) > maxRollupProjects {
			return invalidField("area", "项目超过 %d 个，请缩小区域或指定年度", maxRollupProjects)
		}
		rows, err := tx.QueryContext(ctx, `SELECT b.project_id, b.source, b.amount,
			(SELECT COALESCE(SUM(d.amount), 0) FROM project_disbursements d WHERE d.project_id = b.project_id AND d.source = b.source)
			FROM project_budget b JOIN projects p ON p.id = b.project_id WHERE `+where, args[:len(args)-1]...)
		if err != nil {
			return fmt.Errorf("project budgets: %w", err)
		}
		defer rows.Close()
		budgets := map[int64][]project.BudgetLine{}
		spent := map[int64]map[string]fupin.Money{}
		for rows.Next() {
			var id int64
			var b project.BudgetLine
			var paid fupin.Money
			if err := rows.Scan(&id, &b.Source, &b.Amount, &paid); err != nil {
				return fmt.Errorf("scan budget: %w", err)
			}
			budgets[id] = append(budgets[id], b)
			if spent[id] == nil {
				spent[id] = map[string]fupin.Money{}
			}
			spent[id][b.Source] = paid
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range items {
			items[i].Budget = budgets[items[i].ID]
		}
		out = project.Summarise(items, spent, tx.today())
		return nil
	})
	return &out, err
}
