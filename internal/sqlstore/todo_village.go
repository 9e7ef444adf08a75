package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"fupin/internal/fupin"
)

// The costly counts of the 待办 panel (应纳未纳, 未结对, 超期未走访) are kept
// per village, each under its village's version in todo_changes (migration
// 0030) and the version of scope ” (every village): a write about one
// household advances the versions of the villages that household's records
// name, so the next panel recounts those villages only and sums the others
// from the memo; any other write advances ” and everything is recounted.
// The day is part of every token: overdue visits move with the date.
//
// todoBase is one computation of an area: the counts of each of its
// villages and the versions they were counted under (read before the
// count, so a write during the count only makes the village look stale),
// with the term alerts, which change only with postings and the aid
// settings (writes that advance ”).
type todoBase struct {
	villages     map[string]villageTodo
	versions     map[string]int64
	termsEnding  int
	termsOverdue int
}

// villageTodo is what the panel counts per village.
type villageTodo struct {
	uncovered, unpaired, overdueVisits int
}

// todoVillageEntries bounds the per-village memo: a county has a few
// hundred villages.
const todoVillageEntries = 4096

// todoVillageActions are the audited writes whose effect on the per-village
// counts stays within the villages the records of their household name
// (households, pairings, verdicts), before and after the write. A member
// write changes one household's members and recomputes that household's
// verdicts only (a person moving between households is a leave from one and
// an add to the other, two writes). Any other write advances every village.
var todoVillageActions = []string{"aid.visit.", "aid.pairing.set", "aid.pairing.end", "household.create",
	"household.update", "household.delete", "household.monitor", "income.put", "member.", "monitor.case.", "monitor.measure."}

// todoUntouchedActions are audited writes that change nothing the
// per-village counts or the term alerts read (households, verdicts, monitor
// cases' stages, pairings, visits, postings, aid settings and the
// recomputation queue, which is part of the token): they advance no
// version. The dashboard's counts and the list totals are kept under the
// same versions (village_memo.go): an action listed here must not write
// households, members, search terms or verdicts either. Only writes that advance the data or aid change counter reach
// markTodo (accounts, tokens, sign-ins, exports and snapshots never do).
// The classification of every other audited write:
//   - village-scoped (todoVillageActions): visits, pairings set or ended,
//     household writes, member changes (the household's verdicts are
//     recomputed in the transaction), incomes, cases and their measures;
//   - every village (scope ”): imports and bulk loads (household.import,
//     aid.demo.load), postings (term alerts), rotations carried out
//     (aid.rotation.complete ends pairings and postings), pairing rotation,
//     aid settings (visit intervals, term alert days), policy parameters
//     and monitoring categories (policy.set, monitor.categories), and any
//     action not named here, so a new kind of write is never counted stale.
//
// A write below that opens a case (a verified alert, a decided
// application) audits monitor.case.open in the same transaction, which
// advances the case's villages.
var todoUntouchedActions = []string{
	// A cadre's check-in (table checkins) and leave (table leaves): the
	// most frequent aid writes.
	"aid.checkin", "aid.leave.",
	// Cadres, 工作队 and units: names and rosters, not pairings or postings.
	"aid.cadre.", "aid.group.", "aid.unit.save",
	// Rotations planned, handed over, confirmed or cancelled (tables
	// rotations, rotation_items, handover_entries); completing one is not here.
	"aid.rotation.plan", "aid.rotation.entry", "aid.rotation.confirm", "aid.rotation.cancel",
	// The ledger (findings, tasks, evidence, inspections, imports, rechecks).
	"ledger.",
	// Monitoring: department files and alerts, public applications,
	// objections (they bump the case's version, not its stage), the
	// calendar and the limits by area (policy_params, alerts).
	"monitor.department.load", "monitor.alert.verify", "monitor.application.", "monitor.objection.",
	"monitor.calendar.save", "monitor.limit",
	// 典型经验, projects and their assets and funds, appraisal rounds, surveys,
	// results and thresholds.
	"practice.", "project.", "appraisal.",
}

// markTodo marks the todo_changes versions an audited write touches.
func (tx *Tx) markTodo(ctx context.Context, r auditRow) error {
	if tx.todoMarked[""] || r.uncounted || matchAction(todoUntouchedActions, r.action) {
		return nil
	}
	villages, err := tx.todoVillagesOf(ctx, r)
	if err != nil {
		return err
	}
	if len(villages) == 0 {
		villages = []string{""}
	}
	for _, v := range villages {
		tx.markTodoScope(v)
	}
	return nil
}

// markTodoScope marks one scope's version to advance once, when the
// transaction commits (flushAudit).
func (tx *Tx) markTodoScope(scope string) {
	if tx.todoMarked == nil {
		tx.todoMarked = map[string]bool{}
	}
	tx.todoMarked[scope] = true
}

// todoVillagesOf returns the villages a write about one household can
// change the counts of: those its household, pairings and verdicts name
// after the write and the village_code of the record before it (a move).
// None (every village) for any other write.
func (tx *Tx) todoVillagesOf(ctx context.Context, r auditRow) ([]string, error) {
	if r.householdID == 0 || !villageScoped(r.action) {
		return nil, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT village_code FROM households WHERE id = $1
		UNION SELECT village_code FROM pairings WHERE household_id = $1
		UNION SELECT village_code FROM verdicts WHERE household_id = $1`, r.householdID)
	if err != nil {
		return nil, fmt.Errorf("todo villages: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	if s, ok := r.before.(string); ok {
		var before struct {
			VillageCode string `json:"village_code"`
		}
		if err := json.Unmarshal([]byte(s), &before); err != nil {
			return nil, nil // unreadable: every village
		}
		if before.VillageCode != "" {
			out = append(out, before.VillageCode)
		}
	}
	return out, nil
}

func villageScoped(action string) bool { return matchAction(todoVillageActions, action) }

// matchAction reports whether action is one of names, a name ending in a
// dot standing for every action it begins.
func matchAction(names []string, action string) bool {
	for _, p := range names {
		if action == p || strings.HasSuffix(p, ".") && strings.HasPrefix(action, p) {
			return true
		}
	}
	return false
}

// todoVersions reads the version of scope ” and those of the villages
// under prefixes.
func (db *DB) todoVersions(ctx context.Context, prefixes []string) (all int64, villages map[string]int64, err error) {
	args := []any{}
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	rows, err := db.read.QueryContext(ctx, `SELECT scope, n FROM todo_changes WHERE scope = '' OR `+
		areaCond("scope", prefixes, arg), args...)
	if err != nil {
		return 0, nil, fmt.Errorf("todo versions: %w", err)
	}
	defer rows.Close()
	villages = map[string]int64{}
	for rows.Next() {
		var scope string
		var n int64
		if err := rows.Scan(&scope, &n); err != nil {
			return 0, nil, err
		}
		if scope == "" {
			all = n
		} else {
			villages[scope] = n
		}
	}
	return all, villages, rows.Err()
}

// cachedTodoVillages returns the per-village counts of the actor's villages
// under area, summed, with the term alerts.
func (db *DB) cachedTodoVillages(ctx context.Context, actor fupin.Actor, area string) (Todo, error) {
	var t Todo
	prefixes := actor.Narrow(area)
	data, err := db.dataToken(ctx) // recomputed verdicts advance no version
	if err != nil {
		return t, err
	}
	all, versions, err := db.todoVersions(ctx, prefixes)
	if err != nil {
		return t, err
	}
	token := fmt.Sprintf("%d/%s/%s", all, data[strings.Index(data, "/")+1:], fupin.DateOf(db.Now().In(chinaTime)))
	base, err := db.todoBase.get(ctx, fmt.Sprintf("%q|%q", area, prefixes), token, func(ctx context.Context) (todoBase, error) {
		return db.countTodoBase(ctx, actor, area, prefixes, versions)
	})
	if err != nil {
		return t, err
	}
	t.TermsEnding, t.TermsOverdue = base.termsEnding, base.termsOverdue
	var stale []string
	add := func(c villageTodo) {
		t.Uncovered, t.Unpaired, t.OverdueVisits = t.Uncovered+c.uncovered, t.Unpaired+c.unpaired, t.OverdueVisits+c.overdueVisits
	}
	for v, c := range base.villages {
		if versions[v] == base.versions[v] {
			add(c)
		} else {
			stale = append(stale, v)
		}
	}
	for v, n := range versions {
		if _, ok := base.villages[v]; !ok && n != base.versions[v] {
			stale = append(stale, v)
		}
	}
	var missing []string
	for _, v := range stale {
		if c, ok := db.todoVillage.peek(v, fmt.Sprintf("%s/%d", token, versions[v])); ok {
			add(c)
		} else {
			missing = append(missing, v)
		}
	}
	if len(missing) == 0 {
		return t, nil
	}
	slices.Sort(missing)
	counted, err := db.countVillages(ctx, actor, missing)
	if err != nil {
		return t, err
	}
	for _, v := range missing {
		add(counted[v])
		db.todoVillage.put(v, fmt.Sprintf("%s/%d", token, versions[v]), counted[v])
	}
	return t, nil
}

// countTodoBase counts the villages under prefixes and the term alerts of
// area; versions were read before.
func (db *DB) countTodoBase(ctx context.Context, actor fupin.Actor, area string, prefixes []string, versions map[string]int64) (todoBase, error) {
	b := todoBase{versions: versions}
	var wg sync.WaitGroup
	var errs [2]error
	wg.Add(2)
	go func() {
		defer wg.Done()
		b.villages, errs[0] = db.countVillages(ctx, actor, prefixes)
	}()
	go func() {
		defer wg.Done()
		alerts, err := db.ListTermAlerts(ctx, actor, area)
		for _, a := range alerts {
			if a.Kind == "overdue" {
				b.termsOverdue++
			} else {
				b.termsEnding++
			}
		}
		errs[1] = err
	}()
	wg.Wait()
	return b, errors.Join(errs[:]...)
}

// countVillages counts 应纳未纳, unpaired households and overdue visits of
// each village under prefixes (village codes or wider), the two halves on
// separate read connections at once. A village's counts do not depend on
// which others are counted with it.
func (db *DB) countVillages(ctx context.Context, actor fupin.Actor, prefixes []string) (map[string]villageTodo, error) {
	if db.todoCounted != nil {
		db.todoCounted(prefixes)
	}
	var uncovered map[string]int
	var visits map[string]visitCounts
	var wg sync.WaitGroup
	var errs [2]error
	wg.Add(2)
	go func() { defer wg.Done(); uncovered, errs[0] = db.countUncovered(ctx, actor, prefixes) }()
	go func() { defer wg.Done(); visits, errs[1] = db.countVisits(ctx, actor, prefixes) }()
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	out := make(map[string]villageTodo, len(visits))
	for v, n := range uncovered {
		c := out[v]
		c.uncovered = n
		out[v] = c
	}
	for v, n := range visits {
		c := out[v]
		c.unpaired, c.overdueVisits = n.unpaired, n.overdue
		out[v] = c
	}
	return out, nil
}

// uncoveredCount is uncoveredWhere counted per village without reading
// the households table: the flagged verdicts (index verdicts_flagged) less
// those of households deleted or monitored at risk (the small partial index
// households_not_uncovered, migration 0038) and those with an open case.
// monitor_type is NOT NULL, so the negation is exact. NOT IN, not a
// correlated NOT EXISTS: SQLite would look each household up by rowid (a
// household page per flagged verdict) instead of reading the small index
// once; PostgreSQL hashes it.
const uncoveredCount = `SELECT v.village_code, COUNT(*) FROM verdicts v
	WHERE v.year = $1 AND (v.problems > 0 OR v.income_risk)
	AND v.household_id NOT IN (SELECT h.id FROM households h
		WHERE h.deleted_at IS NOT NULL OR (h.monitor_type <> '' AND h.risk_eliminated_on IS NULL))
	AND NOT EXISTS (SELECT 1 FROM monitor_cases c WHERE c.household_id = v.household_id AND c.stage NOT IN ('rejected', 'eliminated'))`

// countUncovered counts the 应纳未纳 households (MonitorUncovered's total)
// of each village under prefixes.
func (db *DB) countUncovered(ctx context.Context, actor fupin.Actor, prefixes []string) (map[string]int, error) {
	out := map[string]int{}
	err := db.view(ctx, actor, func(tx *Tx) error {
		args := []any{fupin.AssessmentYear(tx.today())}
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		rows, err := tx.QueryContext(ctx, uncoveredCount+` AND `+
			areaRanges("v.village_code", prefixes, arg)+` GROUP BY v.village_code`, args...)
		if err != nil {
			return fmt.Errorf("count uncovered: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var v string
			var n int
			if err := rows.Scan(&v, &n); err != nil {
				return err
			}
			out[v] = n
		}
		return rows.Err()
	})
	return out, err
}

// areaRanges is areaCond with a range for villages too: the grouped counts
// need no id order, and with a range SQLite picks the narrower partial
// indexes (the households that need a helper) over the village's index.
func areaRanges(col string, prefixes []string, arg func(any) string) string {
	if len(prefixes) == 0 || slices.Contains(prefixes, "") {
		return areaCond(col, prefixes, arg)
	}
	ors := make([]string, len(prefixes))
	for i, p := range prefixes {
		ors[i] = "(" + col + " >= " + arg(p) + " AND " + col + " < " + arg(p+":") + ")"
	}
	return "(" + strings.Join(ors, " OR ") + ")"
}
