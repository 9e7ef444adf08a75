package sqlstore

import (
	"context"
	"fmt"
	"time"

	"fupin/internal/criteria"
	"fupin/internal/fupin"
)

// BulkStats counts what a bulk load wrote.
type BulkStats struct {
	Households int `json:"households" description:"新增户数"`
	Members    int `json:"members" description:"新增户的人数"`
	Incomes    int `json:"incomes" description:"新增户的收入年度数"`
	Updated    int `json:"updated" description:"已有户（按户编号匹配）有变化而更新的户数"`
	Unchanged  int `json:"unchanged" description:"已有户内容相同未改动的户数"`
	// IncomeNotes are merged households whose file income total disagrees
	// with the components the registry keeps (at most 10,000).
	IncomeNotes []IncomeNote `json:"-"`
}

// rowBatch is a run of households turned into flat rows of driver-native
// values (int64, float64, string, bool, time.Time, nil), ids assigned.
type rowBatch struct {
	households, members, incomes []any
	villages                     []string
	// verdicts are the new households' verdicts for the default assessment
	// year, under policies (each listed once, in the batch that first uses it).
	verdicts []any
	policies []*criteria.Params
	stats    BulkStats
	// updates are households that already exist (their ID is set by the
	// caller): they are merged one by one instead of inserted; sources are
	// their rows in the file (for an import's change rows).
	updates []*fupin.Household
	sources []Source
	absent  []absentPaths
	// changes are the import's change rows of the new households.
	changes []any
}

const bulkBatch = 500

// vacuumAfter is the size of a PostgreSQL load (new households) after which
// BulkLoad vacuums the registry tables itself rather than leave it to
// autovacuum.
const vacuumAfter = 10000

// batchPool hands batches back from the writer to the producer, so that
// their slices are allocated once per load rather than once per batch.
type batchPool chan rowBatch

func (p batchPool) get() rowBatch {
	select {
	case b := <-p:
		return b
	default:
		return rowBatch{}
	}
}

func (p batchPool) put(b rowBatch) {
	b = rowBatch{households: b.households[:0], members: b.members[:0], incomes: b.incomes[:0], verdicts: b.verdicts[:0],
		changes: b.changes[:0]}
	select {
	case p <- b:
	default:
	}
}

// BulkLoad writes many already-validated households in one transaction:
// all or nothing. produce calls emit once per household; a household whose
// ID the caller has set to an existing live household is merged into it
// (see mergeHousehold) instead of inserted. New households are assessed on
// the way in (verdicts for the default assessment year, as Assess would
// store them), so no re-reading pass is needed after a load. Producing the
// households and turning them into rows run on a goroutine of their own, so
// that they overlap with the database work. Ids are assigned here, after the
// largest existing ones. One audit entry records the load. SQLite gets
// multi-row prepared INSERTs, PostgreSQL COPY.
func (db *DB) BulkLoad(ctx context.Context, actor fupin.Actor, action string, produce func(emit func(*fupin.Household) error) error) (BulkStats, error) {
	return db.BulkLoadWith(ctx, actor, action, LoadOptions{}, produce)
}

// BulkLoadWith is BulkLoad for an import job (see LoadOptions): each
// household added or updated gets a change row naming the job and its row
// in the file, and the job's final state is written in the load's
// transaction.
func (db *DB) BulkLoadWith(ctx context.Context, actor fupin.Actor, action string, opts LoadOptions, produce func(emit func(*fupin.Household) error) error) (BulkStats, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	firstIDs := make(chan loadStart, 1)
	batches := make(chan rowBatch, 4)
	pool := make(batchPool, 6)
	prodErr := make(chan error, 1)
	var terms *loadTerms // SQLite: the new households' search terms, made by the producer
	if db.dialect != Postgres {
		terms = &loadTerms{held: opts.Held}
	}
	go func() {
		err := db.produceRows(ctx, opts, firstIDs, batches, pool, terms, produce)
		close(batches)
		if err == nil && terms != nil {
			terms.sort() // while the writer rebuilds the indexes
		}
		prodErr <- err
	}()
	var stats BulkStats
	err := db.updateOnConn(ctx, actor, func(tx *Tx) error {
		if db.dialect == Postgres {
			// The load assigns ids from MAX(id)+1 and moves the sequences past
			// them at the end; a household or member inserted meanwhile would
			// take one of those ids from the sequence. Other writers of these
			// two tables wait for the load (on SQLite they always do: one
			// writer); readers do not.
			if _, err := tx.ExecContext(ctx, `LOCK TABLE households, members IN SHARE ROW EXCLUSIVE MODE`); err != nil {
				return fmt.Errorf("lock for load: %w", err)
			}
		}
		hid, mid, err := tx.nextIDs(ctx)
		if err != nil {
			return err
		}
		params, err := tx.paramRows(ctx)
		if err != nil {
			return err
		}
		firstIDs <- loadStart{hid: hid, mid: mid, params: params}
		tx.importID = opts.ImportID
		if db.dialect == Postgres {
			stats, err = tx.copyPostgres(ctx, batches, pool, hid == 1)
		} else {
			stats, err = tx.insertSQLite(ctx, batches, pool, hid == 1)
		}
		if err != nil {
			return err
		}
		if err := <-prodErr; err != nil {
			return err
		}
		if err := tx.indexLoadedTerms(ctx, hid, hid == 1, terms); err != nil {
			return err
		}
		if err := tx.audit(ctx, action, "bulk", int64(stats.Households), 0, nil, stats); err != nil {
			return err
		}
		if opts.Finish != nil {
			return opts.Finish(tx, stats)
		}
		return nil
	})
	if err != nil {
		cancel()
		for range batches { // let the producer finish
		}
		return stats, err
	}
	step(ctx, "load.committed")
	if db.dialect == Postgres && stats.Households >= vacuumAfter {
		// Statistics for the planner and a visibility map for index-only
		// counts; VACUUM cannot run inside the load's transaction. The load
		// is committed: neither a cancellation now nor a failure here undoes
		// it, so the caller is not told of one (autovacuum catches up).
		vctx := context.WithoutCancel(ctx)
		db.write.ExecContext(vctx, `VACUUM (ANALYZE) households, members, incomes, verdicts`)
		// The search terms need statistics too: without them the planner
		// guesses that a name matches 0.5 % of the terms and walks every
		// household in id order (3.5 s for a two-character name at 300,000
		// households, 0.3 ms with them). The VACUUM sets the visibility map,
		// so a search reads the terms from the index alone: at 3 million
		// households q=龚 fetched 99,555 heap rows before it and none after
		// (11 s for 37.6 million terms).
		db.write.ExecContext(vctx, `VACUUM (ANALYZE) household_terms`)
	}
	return stats, nil
}

// loadStart is what the writer tells the producer once the transaction has
// begun: the first free ids and the policy parameter rows.
type loadStart struct {
	hid, mid int64
	params   []criteria.ParamRow
}

// produceRows runs produce, assigns ids, assesses new households and sends
// flat rows in batches.
func (db *DB) produceRows(ctx context.Context, opts LoadOptions, firstIDs <-chan loadStart, out chan<- rowBatch, pool batchPool, terms *loadTerms, produce func(emit func(*fupin.Household) error) error) error {
	var start loadStart
	select {
	case start = <-firstIDs:
	case <-ctx.Done():
		return ctx.Err()
	}
	hid, mid := start.hid, start.mid
	if terms != nil {
		terms.first = hid
	}
	now := db.Now().UTC()
	pg := db.dialect == Postgres
	// The load's one timestamp, converted once for the household and income
	// rows (formatting it per row took about half a second at a million
	// people).
	stamp := appendNative(nil, pg, now)[0]
	year := fupin.AssessmentYear(fupin.DateOf(now.In(chinaTime)))
	policies := map[string]*criteria.Params{} // by village code
	savedPolicies := map[string]bool{}        // by version
	var ev criteria.Evaluator
	b := pool.get()
	seen := map[string]bool{}
	send := func() error {
		select {
		case out <- b:
			b = pool.get()
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	err := produce(func(h *fupin.Household) error {
		if h.ID != 0 {
			// A member the merge adds takes the id reserved for it here: the
			// merge runs while this goroutine hands out ids after the largest
			// existing one, so an id from the database's own counter would be
			// one given to a new household's member too.
			for i := range h.Members {
				h.Members[i].ID, mid = mid, mid+1
			}
			b.updates = append(b.updates, h)
			if opts.Source != nil {
				b.sources = append(b.sources, opts.Source())
			}
			if opts.Absent != nil {
				hh, mem := opts.Absent()
				b.absent = append(b.absent, absentPaths{hh, mem})
			}
			if len(b.updates) == bulkBatch {
				return send()
			}
			return nil
		}
		if !seen[h.VillageCode] {
			seen[h.VillageCode] = true
			b.villages = append(b.villages, h.VillageCode)
		}
		h.ID, hid = hid, hid+1
		h.Version, h.CreatedAt, h.UpdatedAt = 1, now, now
		h.Size, h.HeadName = 0, ""
		for i := range h.Members {
			m := &h.Members[i]
			m.ID, m.HouseholdID, mid = mid, h.ID, mid+1
			if m.Active() {
				h.Size++
				if m.Relation == "head" {
					h.HeadName = m.Name
				}
			}
			b.members = appendNative(b.members, pg, m.ID, m.HouseholdID)
			b.members = appendNative(b.members, pg, memberArgs(m)...)
			b.members = appendNative(b.members, pg, m.Active())
		}
		for i := range h.Incomes {
			b.incomes = appendNative(b.incomes, pg, h.ID)
			b.incomes = appendNative(b.incomes, pg, incomeArgs(&h.Incomes[i])...)
			b.incomes = append(b.incomes, stamp)
		}
		if terms != nil {
			terms.add(h)
		}
		b.households = appendNative(b.households, pg, h.ID)
		b.households = appendNative(b.households, pg, householdArgs(h)...)
		b.households = appendNative(b.households, pg, h.HeadName, h.Size, h.Version)
		b.households = append(b.households, stamp, stamp)
		p := policies[h.VillageCode]
		if p == nil {
			var err error
			if p, err = criteria.Resolve(start.params, h.VillageCode, year); err != nil {
				return fmt.Errorf("resolve policy: %w", err)
			}
			policies[h.VillageCode] = p
			if !savedPolicies[p.Version()] {
				savedPolicies[p.Version()] = true
				b.policies = append(b.policies, p)
			}
		}
		if opts.ImportID != 0 && opts.Source != nil {
			src := opts.Source()
			b.changes = appendNative(b.changes, pg, opts.ImportID, h.ID, "add", src.Sheet, src.Row, "")
		}
		v := ev.Evaluate(h, year, fupin.Date{}, p)
		b.verdicts = verdictRow(b.verdicts, h, &v, now, pg)
		b.stats.Households++
		b.stats.Members += len(h.Members)
		b.stats.Incomes += len(h.Incomes)
		if b.stats.Households == bulkBatch {
			return send()
		}
		return nil
	})
	if err == nil && (b.stats.Households > 0 || len(b.updates) > 0) {
		err = send()
	}
	return err
}

// appendNative appends values converted to what the drivers take without
// reflection: dates become text (SQLite) or time.Time (PostgreSQL COPY),
// pointers are dereferenced or nil, ints and money become int64.
func appendNative(dst []any, pg bool, vals ...any) []any {
	for _, v := range vals {
		switch x := v.(type) {
		case fupin.Date:
			switch {
			case x.IsZero():
				v = nil
			case pg:
				v = x.Time()
			default:
				v = x.String()
			}
		case fupin.Money:
			v = int64(x)
		case int:
			v = int64(x)
		case *float64:
			v = nil
			if x != nil {
				v = *x
			}
		case *bool:
			v = nil
			if x != nil {
				v = *x
			}
		case *int:
			v = nil
			if x != nil {
				v = int64(*x)
			}
		case time.Time:
			if !pg {
				v = x.Format("2006-01-02 15:04:05.999999999-07:00")
			}
		}
		dst = append(dst, v)
	}
	return dst
}

// nextIDs returns the first free household and member ids.
func (tx *Tx) nextIDs(ctx context.Context) (hid, mid int64, err error) {
	err = tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM households`).Scan(&hid)
	if err == nil {
		err = tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM members`).Scan(&mid)
	}
	return hid, mid, err
}

// savePolicies records the policy versions a batch's verdicts refer to.
func (tx *Tx) savePolicies(ctx context.Context, ps []*criteria.Params) error {
	for _, p := range ps {
		if err := tx.savePolicyVersion(ctx, p); err != nil {
			return fmt.Errorf("save policy version: %w", err)
		}
	}
	return nil
}

// ensureVillages checks and records the villages a batch introduces.
func (tx *Tx) ensureVillages(ctx context.Context, codes []string) error {
	for _, c := range codes {
		if err := tx.ensureVillage(ctx, c); err != nil {
			return fmt.Errorf("村 %s：%w", c, err)
		}
	}
	return nil
}

const (
	bulkHouseholdCols = "id, " + householdCols + ", head_name, size, version, created_at, updated_at"
	bulkMemberCols    = "id, household_id, " + memberCols + ", is_current"
	bulkIncomeCols    = "household_id, " + incomeCols + ", updated_at"
	bulkHouseholdW    = householdColCount + 6
	bulkMemberW       = memberColCount + 3
	bulkIncomeW       = incomeColCount
)

// bulkTables are the tables a load writes, whose secondary indexes (and, on
// PostgreSQL, foreign keys) are rebuilt after a load into an empty registry.
const bulkTables = "'households', 'members', 'incomes', 'verdicts'"
