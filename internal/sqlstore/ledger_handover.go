package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fupin/internal/aid"
	"fupin/internal/ledger"
)

// ledgerPosts turns rotation items into the ledger's view of them.
func ledgerPosts(items []aid.RotationItem) []ledger.HandoverPost {
	out := make([]ledger.HandoverPost, len(items))
	for i, it := range items {
		out[i] = ledger.HandoverPost{ItemID: it.ID, Area: it.AreaCode, Outgoing: it.OutgoingName, OutgoingID: it.OutgoingCadreID,
			Incoming: it.IncomingName, IncomingID: it.IncomingCadreID}
	}
	return out
}

// ledgerDuties reads, in two queries, the open findings whose 责任人 and
// the unfinished key tasks whose 责任领导 is an outgoing cadre of the
// items (linked to the cadre, or by name where a duty has a name only),
// and picks those the items hand over (ledger.HandoverDuties).
func (tx *Tx) ledgerDuties(ctx context.Context, items []aid.RotationItem) ([]ledger.DutyMove, error) {
	posts := ledgerPosts(items)
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	var names, ids []string
	seenName, seenID := map[string]bool{}, map[int64]bool{}
	for _, p := range posts {
		if p.Outgoing != "" && !seenName[p.Outgoing] {
			seenName[p.Outgoing] = true
			names = append(names, arg(p.Outgoing))
		}
		if p.OutgoingID != 0 && !seenID[p.OutgoingID] {
			seenID[p.OutgoingID] = true
			ids = append(ids, arg(p.OutgoingID))
		}
	}
	if len(args) == 0 {
		return nil, nil
	}
	who := func(idCol, nameCol string) string {
		var or []string
		if len(ids) > 0 {
			or = append(or, idCol+" IN ("+strings.Join(ids, ", ")+")")
		}
		if len(names) > 0 {
			or = append(or, "("+idCol+" IS NULL AND "+nameCol+" IN ("+strings.Join(names, ", ")+"))")
		}
		return "(" + strings.Join(or, " OR ") + ")"
	}
	var duties []ledger.Duty
	read := func(kind, q string, args ...any) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("ledger duties: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			d := ledger.Duty{Kind: kind}
			var cadre sql.NullInt64
			if err := rows.Scan(&d.ID, &d.Title, &d.Area, &d.Person, &cadre); err != nil {
				return err
			}
			d.PersonID = cadreID(cadre)
			duties = append(duties, d)
		}
		return rows.Err()
	}
	findings := `SELECT id, number || ' ' || description, area_code, responsible_person, responsible_cadre_id FROM ledger_findings
		WHERE ` + who("responsible_cadre_id", "responsible_person")
	taskArgs := slices.Clone(args)
	if err := read("finding", findings+` AND status <> `+arg(ledger.StatusClosed)+` ORDER BY id`, args...); err != nil {
		return nil, err
	}
	// A task is unfinished while it has no milestones or one not done.
	if err := read("task", `SELECT t.id, t.title, t.area_code, t.leader, t.leader_cadre_id FROM ledger_tasks t WHERE `+who("t.leader_cadre_id", "t.leader")+`
		AND (NOT EXISTS (SELECT 1 FROM ledger_milestones m WHERE m.task_id = t.id)
			OR EXISTS (SELECT 1 FROM ledger_milestones m WHERE m.task_id = t.id AND m.done_on IS NULL)) ORDER BY t.id`, taskArgs...); err != nil {
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
		table, col, idCol := "ledger_findings", "responsible_person", "responsible_cadre_id"
		if m.Kind == "task" {
			table, col, idCol = "ledger_tasks", "leader", "leader_cadre_id"
		}
		// The duty passes to the incoming cadre by id, unless it changed
		// hands since it was read.
		res, err := tx.ExecContext(ctx, `UPDATE `+table+` SET `+col+` = $1, `+idCol+` = $2, version = version + 1, updated_at = $3
			WHERE id = $4 AND `+idCol+` IS NOT DISTINCT FROM $5 AND `+col+` = $6`,
			m.Post.Incoming, nullID(&m.Post.IncomingID), tx.now, m.ID, nullID(&m.PersonID), m.Person)
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
		change := map[string]string{col: m.Person, idCol: strconv.FormatInt(m.PersonID, 10)}
		after := map[string]string{col: m.Post.Incoming, idCol: strconv.FormatInt(m.Post.IncomingID, 10), "rotation": strconv.FormatInt(rotation, 10)}
		if err := tx.auditValue(ctx, "ledger."+m.Kind+".handover", m.Kind, strconv.FormatInt(m.ID, 10), change, after); err != nil {
			return err
		}
	}
	return tx.addDutyEntries(ctx, rotation, moves)
}

// handoverPlanned reports whether some rotation is being planned and, if
// so, takes the aid lock before the caller writes a finding or task that
// may change what it hands over: CompleteRotation takes the lock and then
// the findings' rows, so a ledger write takes them in the same order.
func (tx *Tx) handoverPlanned(ctx context.Context) (bool, error) {
	var planned bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM rotations WHERE status = 'planned')`).Scan(&planned); err != nil {
		return false, fmt.Errorf("planned rotations: %w", err)
	}
	if !planned {
		return false, nil
	}
	return true, tx.lockAid(ctx)
}

// refreshLedgerHandover rebuilds the handover list of every planned
// rotation in which the cadre (or, for a duty that names someone only, a
// cadre of that name) hands over: one of their findings or tasks was
// added or finished, so the list no longer shows what would move, and
// the confirmations given for it are withdrawn (refreshRotations). The
// caller holds the aid lock (handoverPlanned).
func (tx *Tx) refreshLedgerHandover(ctx context.Context, cadre *int64, name string) error {
	cond, arg := "i.outgoing_cadre_id = $1", any(nil)
	switch {
	case cadre != nil:
		arg = *cadre
	case name != "":
		cond, arg = "c.name = $1", name
	default:
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT i.outgoing_cadre_id FROM rotation_items i
		JOIN rotations r ON r.id = i.rotation_id JOIN cadres c ON c.id = i.outgoing_cadre_id
		WHERE r.status = 'planned' AND `+cond, arg)
	if err != nil {
		return fmt.Errorf("rotations handing over: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(ids) == 0 {
		return err
	}
	return tx.refreshRotations(ctx, ids...)
}
