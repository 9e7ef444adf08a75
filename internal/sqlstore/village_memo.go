package sqlstore

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
)

// The dashboard's counts and the household list's totals are kept per
// village (issue 19): memoised under the whole-database data token they
// were recounted over the whole area after every write, and at 50 writes a
// second every 总览 and every list total was a full count. They now follow
// the 待办 panel (todo_village.go): each village's counts are kept under
// the village's version in todo_changes (migration 0030), the version of
// scope ” and the recomputation queue's part of the data token, and a
// request recounts only the villages whose version moved.
//
// Those versions suffice for these counts, which read households
// (village, deletion, type, monitoring type, poverty attribute, size),
// their search terms and members' ID numbers (a list's search), and the
// stored verdicts of a year. Every write to those goes through an audited
// action that advances a version that covers it:
//   - household.create/update/delete/monitor, member.*, income.put and
//     monitor.case.* (todoVillageActions) write one household, its members,
//     terms and verdicts (recomputed in the write's transaction): the
//     household's villages before and after the write advance; a visit that
//     records 不愁吃穿 also audits household.update;
//   - imports (household.import, bulk loads), Assess (verdicts rewritten),
//     policy parameters (the income bands' lines) and every action not
//     classified advance scope ”;
//   - a recomputation worked by the queue shows in the queue's part of the
//     token;
//   - the writes in todoUntouchedActions (the ledger, check-ins, leave,
//     cadres, groups, rotations not carried out, department files and
//     alerts, public applications, objections, the calendar, monitoring
//     limits, practices, projects, appraisal) write none of these tables:
//     a verified alert or a decided application that opens a case audits
//     monitor.case.open, and monitoring limits are policy rows under the
//     monitor. prefix, not the poverty or monitoring line.
//
// Writes that advance a village without changing these counts (visits,
// pairings) only cost that village's recount; a household update that
// changes only what no count reads (a phone number) advances no village
// (uncounted.go).
//
// A village's counts are labelled with the versions read before them in
// the same read transaction, so a write committed in between only makes
// the village look stale. The versions and the counts are read in the same
// place (the replica for the dashboard, see viewReportAt), and the source
// is part of the token: a replica lagging behind the primary has versions
// of its own.

// villageSnap is the counts of one kind for one area, per village.
type villageSnap[V any] struct {
	token    string           // where read, the version of scope ” and the recomputation queue
	versions map[string]int64 // the versions the villages' counts were read under
	parts    map[string]V     // villages without anything counted are absent
	counted  time.Time        // the last count of the whole area
	used     time.Time
}

// villageMemo keeps villageSnaps per key (the kind's parameters and the
// caller's narrowed areas), at most limit of them, the least recently used
// dropped first. A snapshot is replaced, never changed, so a caller may read
// one after the lock is released.
type villageMemo[V any] struct {
	limit int
	mu    sync.Mutex
	snaps map[string]*villageSnap[V]
	// counted, when set (tests), receives the villages of each recount,
	// or the area's prefixes for a count of the whole area.
	counted func(villages []string)
}

const (
	// villageMaxAge bounds how long a village is kept uncounted: writes
	// that bypass the store (SQL run by hand) advance no version.
	villageMaxAge = 10 * time.Minute
	// villageBatch bounds the villages of one recount's IN list.
	villageBatch = 500
)

func newVillageMemo[V any](limit int) *villageMemo[V] {
	return &villageMemo[V]{limit: limit, snaps: map[string]*villageSnap[V]{}}
}

func (m *villageMemo[V]) get(key string) *villageSnap[V] {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.snaps[key]
	if s != nil {
		s.used = time.Now()
	}
	return s
}

func (m *villageMemo[V]) put(key string, s *villageSnap[V]) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s.used = time.Now()
	m.snaps[key] = s
	dropLeastUsed(m.snaps, m.limit, func(e *villageSnap[V]) time.Time { return e.used })
}

// villageCond is an area condition on a village code column for count
// functions: the caller's areas, or a batch of villages.
type villageCond func(col string, arg func(any) string) string

func prefixCond(prefixes []string) villageCond {
	return func(col string, arg func(any) string) string { return areaCond(col, prefixes, arg) }
}

func villagesIn(villages []string) villageCond {
	return func(col string, arg func(any) string) string {
		ph := make([]string, len(villages))
		for i, v := range villages {
			ph[i] = arg(v)
		}
		return col + " IN (" + strings.Join(ph, ", ") + ")"
	}
}

// villageParts returns the counts of each village under prefixes, read in
// tx, from m's snapshot of key where the village's version still holds;
// count counts the villages of a condition and returns those with
// anything counted. source names where tx reads. The map returned must
// not be changed.
func villageParts[V any](ctx context.Context, tx *Tx, m *villageMemo[V], source, key string, prefixes []string,
	count func(villageCond) (map[string]V, error)) (map[string]V, error) {
	token, versions, err := tx.villageVersions(ctx, prefixes)
	if err != nil {
		return nil, err
	}
	token = source + "/" + token
	now := time.Now()
	old := m.get(key)
	var stale []string
	if old != nil && old.token == token && now.Sub(old.counted) <= villageMaxAge {
		for v, n := range versions {
			if old.versions[v] != n {
				stale = append(stale, v)
			}
		}
		for v := range old.versions {
			if _, ok := versions[v]; !ok { // versions are never removed: another source
				stale = append(stale, v)
			}
		}
		if len(stale) == 0 {
			return old.parts, nil
		}
	}
	if old == nil || old.token != token || now.Sub(old.counted) > villageMaxAge || len(stale) > villageBatch {
		if m.counted != nil {
			m.counted(prefixes)
		}
		parts, err := count(prefixCond(prefixes))
		if err != nil {
			return nil, err
		}
		m.put(key, &villageSnap[V]{token: token, versions: versions, parts: parts, counted: now})
		return parts, nil
	}
	slices.Sort(stale)
	parts := maps.Clone(old.parts)
	for b := range slices.Chunk(stale, villageBatch) {
		if m.counted != nil {
			m.counted(b)
		}
		counted, err := count(villagesIn(b))
		if err != nil {
			return nil, err
		}
		for _, v := range b {
			if c, ok := counted[v]; ok {
				parts[v] = c
			} else {
				delete(parts, v)
			}
		}
	}
	m.put(key, &villageSnap[V]{token: token, versions: versions, parts: parts, counted: old.counted})
	return parts, nil
}

// villageVersions reads, in tx, the version of scope ” with the
// recomputation queue's part of the data token (token), and the versions
// of the villages under prefixes (villages never written have none: 0).
func (tx *Tx) villageVersions(ctx context.Context, prefixes []string) (string, map[string]int64, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	rows, err := tx.QueryContext(ctx, `SELECT scope, n FROM todo_changes WHERE scope = '' OR `+areaCond("scope", prefixes, arg)+`
		UNION ALL SELECT '#queued', COALESCE(MAX(id), 0) FROM recompute_queue
		UNION ALL SELECT '#done', COUNT(*) FROM recompute_queue WHERE done_at IS NOT NULL`, args...)
	if err != nil {
		return "", nil, fmt.Errorf("village versions: %w", err)
	}
	defer rows.Close()
	versions := map[string]int64{}
	var all, queued, done int64
	for rows.Next() {
		var scope string
		var n int64
		if err := rows.Scan(&scope, &n); err != nil {
			return "", nil, fmt.Errorf("scan village versions: %w", err)
		}
		switch scope {
		case "":
			all = n
		case "#queued":
			queued = n
		case "#done":
			done = n
		default:
			versions[scope] = n
		}
	}
	if err := rows.Err(); err != nil {
		return "", nil, fmt.Errorf("village versions: %w", err)
	}
	return fmt.Sprintf("%d/%d/%d", all, queued, done), versions, nil
}

// areaDigestSQL reads what names the state of the villages under an area:
// the version of scope ”, the recomputation queue's part of the data token,
// and the sum and number of the area's village versions. Versions only
// grow, so the sum moves with any of them.
func areaDigestSQL(prefixes []string) (string, []any) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	return `SELECT COALESCE((SELECT n FROM todo_changes WHERE scope = ''), 0),
		(SELECT COALESCE(MAX(id), 0) FROM recompute_queue), (SELECT COUNT(*) FROM recompute_queue WHERE done_at IS NOT NULL),
		(SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM todo_changes WHERE scope <> '' AND ` + areaCond("scope", prefixes, arg) + `),
		(SELECT COUNT(*) FROM todo_changes WHERE scope <> '' AND ` + areaCond("scope", prefixes, arg) + `)`, args
}

// areaDigest reads areaDigestSQL on the primary.
func (db *DB) areaDigest(ctx context.Context, prefixes []string) (string, error) {
	q, args := areaDigestSQL(prefixes)
	var d [5]int64
	if err := db.readRow(ctx, q, args, &d[0], &d[1], &d[2], &d[3], &d[4]); err != nil {
		return "", fmt.Errorf("area versions: %w", err)
	}
	return fmt.Sprintf("primary/%d/%d/%d/%d/%d", d[0], d[1], d[2], d[3], d[4]), nil
}
