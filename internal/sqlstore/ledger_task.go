package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/ledger"
)

// CreateTask stores a key task (阶段性重点工作) with its milestones.
// Errors: invalid, forbidden (area outside the actor's).
func (db *DB) CreateTask(ctx context.Context, actor fupin.Actor, t ledger.Task) (*ledger.Task, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	if aid.AreaName(t.AreaCode) == "" {
		return nil, &fupin.Error{Code: fupin.EInvalid, Message: "不是有效的统计用区划代码：" + t.AreaCode, Fields: map[string]string{"area_code": "无效代码"}}
	}
	if !actor.Covers(t.AreaCode) {
		return nil, aid.ForbidArea(t.AreaCode)
	}
	var out *ledger.Task
	err := db.update(ctx, actor, func(tx *Tx) error {
		if err := tx.linkCadre(ctx, "leader_cadre_id", &t.LeaderID, &t.Leader, t.AreaCode); err != nil {
			return err
		}
		planned, err := tx.handoverPlanned(ctx)
		if err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO ledger_tasks (title, area_code, lead_unit, responsible_units, leader, deadline,
			created_by, created_at, updated_at, leader_cadre_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) RETURNING id`,
			t.Title, t.AreaCode, t.LeadUnit, t.Responsible, t.Leader, t.Deadline, actor.Name, tx.now, nullID(t.LeaderID)).Scan(&id); err != nil {
			return fmt.Errorf("create task: %w", err)
		}
		for _, m := range t.Milestones {
			if _, err := tx.ExecContext(ctx, `INSERT INTO ledger_milestones (task_id, title, due_on) VALUES ($1, $2, $3)`, id, m.Title, m.DueOn); err != nil {
				return fmt.Errorf("create milestone: %w", err)
			}
		}
		if planned {
			if err := tx.refreshLedgerHandover(ctx, t.LeaderID, t.Leader); err != nil {
				return err
			}
		}
		if out, err = tx.task(ctx, id, db.WorkingDays); err != nil {
			return err
		}
		return tx.auditValue(ctx, "ledger.task.create", "ledger_task", strconv.FormatInt(id, 10), nil, out)
	})
	return out, err
}

func (tx *Tx) task(ctx context.Context, id int64, count ledger.WorkingDays) (*ledger.Task, error) {
	var t ledger.Task
	var leader sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT id, title, area_code, lead_unit, responsible_units, leader, deadline, version, leader_cadre_id
		FROM ledger_tasks WHERE id = $1`, id).Scan(&t.ID, &t.Title, &t.AreaCode, &t.LeadUnit, &t.Responsible, &t.Leader, &t.Deadline, &t.Version, &leader)
	t.LeaderID = idPtr(leader)
	if isNoRows(err) || (err == nil && !aid.Sees(tx.actor, t.AreaCode)) {
		return nil, notFound("重点工作", id)
	} else if err != nil {
		return nil, fmt.Errorf("load task: %w", err)
	}
	if err := tx.milestones(ctx, []*ledger.Task{&t}); err != nil {
		return nil, err
	}
	t.AreaName = aid.AreaName(t.AreaCode)
	t.Derive(tx.today().Time(), count)
	return &t, nil
}

// milestones loads the milestones of tasks in one query.
func (tx *Tx) milestones(ctx context.Context, tasks []*ledger.Task) error {
	if len(tasks) == 0 {
		return nil
	}
	by := map[int64]*ledger.Task{}
	args := make([]any, len(tasks))
	for i, t := range tasks {
		by[t.ID], args[i] = t, t.ID
		t.Milestones = []ledger.Milestone{}
	}
	rows, err := tx.QueryContext(ctx, `SELECT task_id, id, title, due_on, done_on, note FROM ledger_milestones
		WHERE task_id IN (`+placeholders(1, len(args))+`) ORDER BY due_on, id`, args...)
	if err != nil {
		return fmt.Errorf("milestones: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var tid int64
		var m ledger.Milestone
		if err := rows.Scan(&tid, &m.ID, &m.Title, &m.DueOn, &m.DoneOn, &m.Note); err != nil {
			return err
		}
		by[tid].Milestones = append(by[tid].Milestones, m)
	}
	return rows.Err()
}

// Task returns a key task with its milestones. Errors: not_found.
func (db *DB) Task(ctx context.Context, actor fupin.Actor, id int64) (*ledger.Task, error) {
	var out *ledger.Task
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		out, err = tx.task(ctx, id, db.WorkingDays)
		return err
	})
	return out, err
}

// Tasks lists the key tasks inside area and the actor's areas by deadline
// (at most 1,000), with progress, bucket and escalation.
func (db *DB) Tasks(ctx context.Context, actor fupin.Actor, area string) ([]ledger.Task, error) {
	out := []ledger.Task{}
	err := db.view(ctx, actor, func(tx *Tx) error {
		out = out[:0]
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		rows, err := tx.QueryContext(ctx, `SELECT id, title, area_code, lead_unit, responsible_units, leader, deadline, version, leader_cadre_id
			FROM ledger_tasks WHERE `+areaCond("area_code", actor.Narrow(area), arg)+` ORDER BY deadline, id LIMIT 1000`, args...)
		if err != nil {
			return fmt.Errorf("tasks: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var t ledger.Task
			var leader sql.NullInt64
			if err := rows.Scan(&t.ID, &t.Title, &t.AreaCode, &t.LeadUnit, &t.Responsible, &t.Leader, &t.Deadline, &t.Version, &leader); err != nil {
				return err
			}
			t.LeaderID = idPtr(leader)
			t.AreaName = aid.AreaName(t.AreaCode)
			out = append(out, t)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		ptrs := make([]*ledger.Task, len(out))
		for i := range out {
			ptrs[i] = &out[i]
		}
		if err := tx.milestones(ctx, ptrs); err != nil {
			return err
		}
		for i := range out {
			out[i].Derive(tx.today().Time(), db.WorkingDays)
		}
		return nil
	})
	return out, err
}

// MilestoneDone is the report that a milestone is done, with the task
// version the caller saw.
type MilestoneDone struct {
	Note    string `json:"note" required:"true" description:"完成情况"`
	Version int64  `json:"version" required:"true"`
}

// CompleteMilestone marks a task's milestone done on today's date.
// Errors: invalid (note), not_found, forbidden, conflict (stale version or
// already done).
func (db *DB) CompleteMilestone(ctx context.Context, actor fupin.Actor, taskID, milestoneID int64, in MilestoneDone) (*ledger.Task, error) {
	errs := fupin.FieldErrors{}
	in.Note = strings.TrimSpace(in.Note)
	if n := len([]rune(in.Note)); n == 0 || n > ledger.MaxText {
		errs.Add("note", fmt.Sprintf("请填写完成情况（不超过 %d 个字）", ledger.MaxText))
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	var out *ledger.Task
	err := db.update(ctx, actor, func(tx *Tx) error {
		planned, err := tx.handoverPlanned(ctx)
		if err != nil {
			return err
		}
		before, err := tx.task(ctx, taskID, db.WorkingDays)
		if err != nil {
			return err
		}
		if !actor.Covers(before.AreaCode) {
			return aid.ForbidArea(before.AreaCode)
		}
		if in.Version != before.Version {
			return staleVersion(in.Version, before.Version)
		}
		res, err := tx.ExecContext(ctx, `UPDATE ledger_milestones SET done_on = $1, note = $2 WHERE id = $3 AND task_id = $4 AND done_on IS NULL`,
			tx.today(), in.Note, milestoneID, taskID)
		if err != nil {
			return fmt.Errorf("complete milestone: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fupin.Errorf(fupin.EConflict, "节点不存在或已完成")
		}
		res, err = tx.ExecContext(ctx, `UPDATE ledger_tasks SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3`, tx.now, taskID, in.Version)
		if err := versioned(res, err, "task version"); err != nil {
			return err
		}
		if out, err = tx.task(ctx, taskID, db.WorkingDays); err != nil {
			return err
		}
		if planned && out.Done != before.Done {
			if err := tx.refreshLedgerHandover(ctx, before.LeaderID, before.Leader); err != nil {
				return err
			}
		}
		return tx.auditValue(ctx, "ledger.task.milestone", "ledger_task", strconv.FormatInt(taskID, 10), before, out)
	})
	return out, err
}
