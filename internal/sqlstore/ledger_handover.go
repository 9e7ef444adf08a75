package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fupin/internal/aid"
	"fupin/internal/ledger"
)

// ledgerPosts turns rotation items into the ledger's view of them.
func ledgerPosts(items []aid.RotationItem) []ledger.HandoverPost {
	out := make([]ledger.HandoverPost, len(items))
	for i, it := range items {
		out[i] = ledger.HandoverPost{ItemID: it.ID, Area: it.AreaCode, Outgoing: it.OutgoingName, Incoming: it.IncomingName}
	}
	return out
}

// ledgerDuties reads, in two queries, the open findings whose 责任人 and
// the unfinished key tasks whose 责任领导 is an outgoing cadre of the
// items, and picks those the items hand over (ledger.HandoverDuties).
func (tx *Tx) ledgerDuties(ctx context.Context, items []aid.RotationItem) ([]ledger.DutyMove, error) {
	posts := ledgerPosts(items)
	var args []any
	var marks []string
	seen := map[string]bool{}
	for _, p := range posts {
		if p.Outgoing != "" && !seen[p.Outgoing] {
			seen[p.Outgoing] = true
			args = append(args, p.Outgoing)
			marks = append(marks, "$"+strconv.Itoa(len(args)))
		}
	}
	if len(args) == 0 {
		return nil, nil
	}
	in := strings.Join(marks, ", ")
	closed := "$" + strconv.Itoa(len(args)+1)
	var duties []ledger.Duty
	read := func(kind, q string, args ...any) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("ledger duties: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			d := ledger.Duty{Kind: kind}
			if err := rows.Scan(&d.ID, &d.Title, &d.Area, &d.Person); err != nil {
				return err
			}
			duties = append(duties, d)
		}
		return rows.Err()
	}
	if err := read("finding", `SELECT id, number || ' ' || description, area_code, responsible_person FROM ledger_findings
		WHERE responsible_person IN (`+in+`) AND status <> `+closed+` ORDER BY id`, append(args, ledger.StatusClosed)...); err != nil {
		return nil, err
	}
	// A task is unfinished while it has no milestones or one not done.
	if err := read("task", `SELECT t.id, t.title, t.area_code, t.leader FROM ledger_tasks t WHERE t.leader IN (`+in+`)
		AND (NOT EXISTS (SELECT 1 FROM ledger_milestones m WHERE m.task_id = t.id)
			OR EXISTS (SELECT 1 FROM ledger_milestones m WHERE m.task_id = t.id AND m.done_on IS NULL)) ORDER BY t.id`, args...); err != nil {
		return nil, err
	}
	return ledger.HandoverDuties(posts, duties), nil
}

// ledgerHandoverEntries adds the open findings and unfinished tasks the
// outgoing cadres hand over to a planned rotation's generated list.
func (tx *Tx) ledgerHandoverEntries(ctx context.Context, rotation int64, items []aid.RotationItem) error {
	moves, err := tx.ledgerDuties(ctx, items)
	if err != nil {
		return err
	}
	return tx.addDutyEntries(ctx, rotation, moves)
}

func (tx *Tx) addDutyEntries(ctx context.Context, rotation int64, moves []ledger.DutyMove) error {
	for _, m := range moves {
		title, detail := m.Entry()
		// ref names a finding (a task has no page of its own to link to).
		item, ref := m.Post.ItemID, &m.ID
		if m.Kind == "task" {
			ref = nil
		}
		if err := tx.addEntry(ctx, rotation, &item, "ledger", ref, title, detail, true); err != nil {
			return err
		}
	}
	return nil
}

// moveLedgerDuties hands the moves' findings and tasks to the incoming
// cadres (in the completing rotation's transaction), records the change in
// each finding's timeline, lists them in the kept handover list and audits
// each.
func (tx *Tx) moveLedgerDuties(ctx context.Context, rotation int64, moves []ledger.DutyMove) error {
	for _, m := range moves {
		table, col := "ledger_findings", "responsible_person"
		if m.Kind == "task" {
			table, col = "ledger_tasks", "leader"
		}
		res, err := tx.ExecContext(ctx, `UPDATE `+table+` SET `+col+` = $1, version = version + 1, updated_at = $2
			WHERE id = $3 AND `+col+` = $4`, m.Post.Incoming, tx.now, m.ID, m.Post.Outgoing)
		if err != nil {
			return fmt.Errorf("hand over %s %d: %w", m.Kind, m.ID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			continue // changed since it was read: nothing to hand over
		}
		if m.Kind == "finding" {
			var status string
			if err := tx.QueryRowContext(ctx, `SELECT status FROM ledger_findings WHERE id = $1`, m.ID).Scan(&status); err != nil {
				return fmt.Errorf("hand over finding %d: %w", m.ID, err)
			}
			if err := tx.addFindingStep(ctx, m.ID, ledger.Step{Kind: "handover", Account: tx.actor.Name,
				Text: "轮换交接：责任人 " + m.Post.Outgoing + " → " + m.Post.Incoming, From: status, To: status}); err != nil {
				return err
			}
		}
		change := map[string]string{col: m.Post.Outgoing}
		after := map[string]string{col: m.Post.Incoming, "rotation": strconv.FormatInt(rotation, 10)}
		if err := tx.auditValue(ctx, "ledger."+m.Kind+".handover", m.Kind, strconv.FormatInt(m.ID, 10), change, after); err != nil {
			return err
		}
	}
	return tx.addDutyEntries(ctx, rotation, moves)
}
