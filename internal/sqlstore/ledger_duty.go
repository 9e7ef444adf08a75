package sqlstore

import (
	"context"
	"database/sql"
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
		out.Units = out.Units[:0]
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
		if err := tx.dutyVisits(ctx, actor, area, units); err != nil {
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
		leaders := newDutyCount()
		for _, t := range tasks {
			u := unit(t.LeadUnit)
			u.Tasks++
			if t.Bucket == ledger.BucketOverdue {
				u.TasksOverdue++
			}
			leaders.add(t.LeaderID, t.Leader)
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

// dutyVisits counts, per listed unit, the households its cadres help in
// area that are overdue for a visit (ListOverdueVisits), by the unit the
// helper was sent by (or registered with by name).
func (tx *Tx) dutyVisits(ctx context.Context, actor fupin.Actor, area string, units map[string]*ledger.UnitDuty) error {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT x.cadre_id, COALESCE(u.name, c.unit_name) FROM pairings x
		JOIN cadres c ON c.id = x.cadre_id LEFT JOIN aid_units u ON u.id = c.unit_id
		WHERE x.ended_on IS NULL AND `+areaCond("x.village_code", actor.Narrow(area), arg), args...)
	if err != nil {
		return fmt.Errorf("duty helpers: %w", err)
	}
	unitOfCadre := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return err
		}
		unitOfCadre[id] = name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	overdue, err := tx.overdueVisits(ctx, actor, area)
	if err != nil {
		return err
	}
	for _, o := range overdue {
		if u := units[unitOfCadre[o.CadreID]]; o.CadreID != 0 && u != nil {
			u.VisitsOverdue++
		}
	}
	return nil
}

// dutyCount counts duties per person: per cadre where linked, per name
// where a duty names someone only.
type dutyCount struct {
	byID   map[int64]int
	byName map[string]int
}

func newDutyCount() dutyCount { return dutyCount{byID: map[int64]int{}, byName: map[string]int{}} }

func (d dutyCount) add(id *int64, name string) {
	if id != nil {
		d.byID[*id]++
	} else {
		d.byName[name]++
	}
}

// of is the count of cadre id, named name: the duties linked to the cadre,
// and those naming name only when no other listed cadre shares the name.
func (d dutyCount) of(id int64, name string, nameUnique bool) int {
	n := d.byID[id]
	if nameUnique {
		n += d.byName[name]
	}
	return n
}

// dutyFindings counts findings per lead unit and returns the open findings
// per responsible person.
func (tx *Tx) dutyFindings(ctx context.Context, actor fupin.Actor, area string, unit func(string) *ledger.UnitDuty, count ledger.WorkingDays) (dutyCount, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	people := newDutyCount()
	rows, err := tx.QueryContext(ctx, `SELECT lead_unit, responsible_person, responsible_cadre_id, status, deadline FROM ledger_findings f WHERE `+
		areaCond("f.area_code", actor.Narrow(area), arg), args...)
	if err != nil {
		return people, fmt.Errorf("duty findings: %w", err)
	}
	defer rows.Close()
	today := tx.today().Time()
	for rows.Next() {
		var lead, person, status string
		var cadre sql.NullInt64
		var deadline fupin.Date
		if err := rows.Scan(&lead, &person, &cadre, &status, &deadline); err != nil {
			return people, err
		}
		u := unit(lead)
		if status == ledger.StatusClosed {
			u.FindingsClosed++
			continue
		}
		u.FindingsOpen++
		people.add(idPtr(cadre), person)
		if ledger.Bucket(status, deadline.Time(), today, count) == ledger.BucketOverdue {
			u.FindingsOverdue++
		}
	}
	return people, rows.Err()
}

func (db *DB) tasksIn(ctx context.Context, tx *Tx, actor fupin.Actor, area string) ([]ledger.Task, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	rows, err := tx.QueryContext(ctx, `SELECT id, lead_unit, leader, leader_cadre_id, deadline FROM ledger_tasks WHERE `+
		areaCond("area_code", actor.Narrow(area), arg), args...)
	if err != nil {
		return nil, fmt.Errorf("duty tasks: %w", err)
	}
	var out []ledger.Task
	for rows.Next() {
		var t ledger.Task
		var leader sql.NullInt64
		if err := rows.Scan(&t.ID, &t.LeadUnit, &t.Leader, &leader, &t.Deadline); err != nil {
			rows.Close()
			return nil, err
		}
		t.LeaderID = idPtr(leader)
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

// dutyPeople lists the cadres with an active posting inside area, each
// with the findings and tasks linked to them (and those naming them only
// by a name no other listed cadre has).
func (tx *Tx) dutyPeople(ctx context.Context, actor fupin.Actor, area string, findings, tasks dutyCount) ([]ledger.PersonDuty, error) {
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
	var ids []int64
	for rows.Next() {
		var id int64
		var p ledger.PersonDuty
		var role, code string
		if err := rows.Scan(&id, &p.Name, &p.Unit, &role, &code, &p.HouseholdsPaired); err != nil {
			return nil, err
		}
		if len(ids) == 0 || ids[len(ids)-1] != id {
			p.CadreID, p.Posts, p.PostLabels = id, []string{}, []string{}
			out, ids = append(out, p), append(ids, id)
		}
		cur := &out[len(out)-1]
		cur.Posts = append(cur.Posts, role+"@"+code)
		cur.PostLabels = append(cur.PostLabels, aid.Roles.LabelOf(role)+" · "+aid.AreaName(code))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	named := map[string]int{}
	for _, p := range out {
		named[p.Name]++
	}
	for i := range out {
		unique := named[out[i].Name] == 1
		out[i].FindingsOpen = findings.of(ids[i], out[i].Name, unique)
		out[i].Tasks = tasks.of(ids[i], out[i].Name, unique)
	}
	return append(out, nameOnlyDuties(named, findings, tasks)...), nil
}

// nameOnlyDuties lists, by name, the duties that name someone no listed
// cadre answers for alone: nobody listed has the name, or two listed
// cadres share it (the duty cannot be given to either).
func nameOnlyDuties(named map[string]int, findings, tasks dutyCount) []ledger.PersonDuty {
	var names []string
	for _, m := range []map[string]int{findings.byName, tasks.byName} {
		for name := range m {
			if name != "" && named[name] != 1 && !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)
	out := make([]ledger.PersonDuty, 0, len(names))
	for _, name := range names {
		out = append(out, ledger.PersonDuty{Name: name, Posts: []string{}, PostLabels: []string{},
			FindingsOpen: findings.byName[name], Tasks: tasks.byName[name]})
	}
	return out
}
