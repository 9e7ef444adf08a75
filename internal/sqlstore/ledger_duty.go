package sqlstore

import (
	"context"
	"fmt"
	"slices"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/ledger"
)

// Responsibility generates the 责任清单 of area (within the actor's
// areas) from the data already in Fupin: the aid units of the groups there
// with their villages, cadres and paired households, the findings and
// tasks each unit leads, and per cadre with an active posting there the
// posts, paired households, findings naming them as the responsible person
// and tasks naming them as leader. Units are ranked side by side.
func (db *DB) Responsibility(ctx context.Context, actor fupin.Actor, area string) (*ledger.Responsibility, error) {
	out := &ledger.Responsibility{Units: []ledger.UnitDuty{}, People: []ledger.PersonDuty{}}
	err := db.view(ctx, actor, func(tx *Tx) error {
		units := map[string]*ledger.UnitDuty{}
		unit := func(name string) *ledger.UnitDuty {
			if units[name] == nil {
				units[name] = &ledger.UnitDuty{Unit: name, Villages: []string{}}
			}
			return units[name]
		}
		if err := tx.dutyAidUnits(ctx, actor, area, unit); err != nil {
			return err
		}
		byPerson, err := tx.dutyFindings(ctx, actor, area, unit, db.WorkingDays)
		if err != nil {
			return err
		}
		tasks, err := db.tasksIn(ctx, tx, actor, area)
		if err != nil {
			return err
		}
		leaders := map[string]int{}
		for _, t := range tasks {
			u := unit(t.LeadUnit)
			u.Tasks++
			if t.Bucket == ledger.BucketOverdue {
				u.TasksOverdue++
			}
			leaders[t.Leader]++
		}
		for _, u := range units {
			out.Units = append(out.Units, *u)
		}
		ledger.RankUnits(out.Units)
		out.People, err = tx.dutyPeople(ctx, actor, area, byPerson, leaders)
		return err
	})
	return out, err
}

// unitOf matches the cadres of aid unit u: by the unit they were sent by,
// or by its name where the cadre was registered with a unit name only.
const unitOf = `(c.unit_id = u.id OR (c.unit_id IS NULL AND c.unit_name = u.name))`

// dutyAidUnits adds the aid units of the groups overlapping area.
func (tx *Tx) dutyAidUnits(ctx context.Context, actor fupin.Actor, area string, unit func(string) *ledger.UnitDuty) error {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	rows, err := tx.QueryContext(ctx, `SELECT g.area_code, u.name, COALESCE(u.village_code, ''),
		(SELECT COUNT(DISTINCT c.id) FROM cadres c JOIN postings p ON p.cadre_id = c.id AND p.ended_on IS NULL WHERE `+unitOf+`),
		(SELECT COUNT(*) FROM pairings x JOIN cadres c ON c.id = x.cadre_id WHERE `+unitOf+` AND x.ended_on IS NULL)
		FROM aid_units u JOIN aid_groups g ON g.id = u.group_id WHERE `+overlapCond("g.area_code", actor, area, arg)+` ORDER BY u.id`, args...)
	if err != nil {
		return fmt.Errorf("duty units: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var town, name, village string
		var cadres, paired int
		if err := rows.Scan(&town, &name, &village, &cadres, &paired); err != nil {
			return err
		}
		if !aid.Sees(actor, town) || !overlaps(town, area) {
			continue
		}
		u := unit(name)
		if village != "" && !slices.Contains(u.Villages, village) {
			u.Villages = append(u.Villages, village)
		}
		u.Cadres += cadres
		u.HouseholdsPaired += paired
	}
	return rows.Err()
}

// dutyFindings counts findings per lead unit and returns the open findings
// per responsible person.
func (tx *Tx) dutyFindings(ctx context.Context, actor fupin.Actor, area string, unit func(string) *ledger.UnitDuty, count ledger.WorkingDays) (map[string]int, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	rows, err := tx.QueryContext(ctx, `SELECT lead_unit, responsible_person, status, deadline FROM ledger_findings f WHERE `+
		areaCond("f.area_code", actor.Narrow(area), arg), args...)
	if err != nil {
		return nil, fmt.Errorf("duty findings: %w", err)
	}
	defer rows.Close()
	today := tx.today().Time()
	people := map[string]int{}
	for rows.Next() {
		var lead, person, status string
		var deadline fupin.Date
		if err := rows.Scan(&lead, &person, &status, &deadline); err != nil {
			return nil, err
		}
		u := unit(lead)
		if status == ledger.StatusClosed {
			u.FindingsClosed++
			continue
		}
		u.FindingsOpen++
		people[person]++
		if ledger.Bucket(status, deadline.Time(), today, count) == ledger.BucketOverdue {
			u.FindingsOverdue++
		}
	}
	return people, rows.Err()
}

func (db *DB) tasksIn(ctx context.Context, tx *Tx, actor fupin.Actor, area string) ([]ledger.Task, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	rows, err := tx.QueryContext(ctx, `SELECT id, lead_unit, leader, deadline FROM ledger_tasks WHERE `+
		areaCond("area_code", actor.Narrow(area), arg), args...)
	if err != nil {
		return nil, fmt.Errorf("duty tasks: %w", err)
	}
	var out []ledger.Task
	for rows.Next() {
		var t ledger.Task
		if err := rows.Scan(&t.ID, &t.LeadUnit, &t.Leader, &t.Deadline); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ptrs := make([]*ledger.Task, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	if err := tx.milestones(ctx, ptrs); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Derive(tx.today().Time(), db.WorkingDays)
	}
	return out, nil
}

// dutyPeople lists the cadres with an active posting inside area.
func (tx *Tx) dutyPeople(ctx context.Context, actor fupin.Actor, area string, findings, tasks map[string]int) ([]ledger.PersonDuty, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.name, c.unit_name, p.role, p.area_code,
		(SELECT COUNT(*) FROM pairings x WHERE x.cadre_id = c.id AND x.ended_on IS NULL)
		FROM postings p JOIN cadres c ON c.id = p.cadre_id WHERE p.ended_on IS NULL AND `+
		areaCond("p.area_code", actor.Narrow(area), arg)+` ORDER BY c.id, p.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("duty people: %w", err)
	}
	defer rows.Close()
	out := []ledger.PersonDuty{}
	last := int64(0)
	for rows.Next() {
		var id int64
		var p ledger.PersonDuty
		var role, code string
		if err := rows.Scan(&id, &p.Name, &p.Unit, &role, &code, &p.HouseholdsPaired); err != nil {
			return nil, err
		}
		if id != last {
			p.Posts, p.FindingsOpen, p.Tasks = []string{}, findings[p.Name], tasks[p.Name]
			out = append(out, p)
			last = id
		}
		cur := &out[len(out)-1]
		cur.Posts = append(cur.Posts, role+"@"+code)
	}
	return out, rows.Err()
}
