package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"fupin/internal/fupin"
)

// LiveHouseholdNos maps the 户编号 of the live households in the actor's
// areas to their ids, for matching imported households.
func (db *DB) LiveHouseholdNos(ctx context.Context, actor fupin.Actor) (map[string]int64, error) {
	where, args := householdWhere(actor, fupin.HouseholdFilter{})
	rows, err := db.read.QueryContext(ctx, `SELECT h.household_no, h.id FROM households h WHERE `+where+
		` AND h.household_no IS NOT NULL`, args...)
	if err != nil {
		return nil, fmt.Errorf("household numbers: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var no string
		var id int64
		if err := rows.Scan(&no, &id); err != nil {
			return nil, err
		}
		out[no] = id
	}
	return out, rows.Err()
}

func (tx *Tx) mergeAll(ctx context.Context, b rowBatch, st *BulkStats) error {
	sources := b.sources
	ids := make([]int64, len(b.updates))
	for i, h := range b.updates {
		ids[i] = h.ID
	}
	stored, err := tx.storedHouseholds(ctx, ids)
	if err != nil {
		return err
	}
	for i, h := range b.updates {
		var absent absentPaths
		if i < len(b.absent) {
			absent = b.absent[i]
		}
		cur, ok := stored[h.ID]
		if ok && cur == nil {
			// Merged earlier in this batch: the batch's copy is stale.
			if cur, err = tx.household(ctx, h.ID, true); err != nil {
				return fmt.Errorf("户编号 %s：%w", h.HouseholdNo, err)
			}
		}
		changed, err := tx.mergeHousehold(ctx, cur, h, absent, &st.IncomeNotes)
		if err != nil {
			return fmt.Errorf("户编号 %s：%w", h.HouseholdNo, err)
		}
		if changed == nil {
			st.Unchanged++
			continue
		}
		stored[h.ID] = nil
		st.Updated++
		if tx.importID != 0 && i < len(sources) {
			if err := tx.importChange(ctx, h.ID, "update", sources[i], changed); err != nil {
				return err
			}
		}
	}
	return nil
}

// mergeHousehold brings an existing household (in.ID) in line with an
// imported one: its own fields, members matched by ID number (changed ones
// updated, new ones added; members missing from the file are left as they
// are), and the income years the file carries. Nothing is written when
// nothing differs, which makes a second import of the same file a no-op.
// A change bumps the version, re-assesses and is audited with before and
// after; the answer is the top-level fields that changed (nil: none).
// Fields the file has no column for (absent) keep their stored values.
// cur is the stored household (nil: none in the actor's areas), read for
// the whole batch by storedHouseholds.
func (tx *Tx) mergeHousehold(ctx context.Context, cur, in *fupin.Household, absent absentPaths, notes *[]IncomeNote) ([]string, error) {
	if cur == nil {
		return nil, fupin.Errorf(fupin.ENotFound, "农户 #%d 不存在", in.ID)
	}
	if cur.Deleted() {
		return nil, fupin.Errorf(fupin.EConflict, "农户已删除，不能导入更新")
	}
	if err := keepAbsent(cur, in, absent); err != nil {
		return nil, err
	}
	changed := false
	if !sameHousehold(cur, in) {
		in.Version = cur.Version
		if err := tx.ensureVillage(ctx, in.VillageCode); err != nil {
			return nil, err
		}
		args := append(householdArgs(in), tx.now, in.ID)
		if _, err := tx.ExecContext(ctx, `UPDATE households SET (`+householdCols+`, updated_at) =
			(`+placeholders(1, householdColCount+1)+`) WHERE id = $`+itoa(householdColCount+2), args...); err != nil {
			return nil, tx.mapUnique(err)
		}
		changed = true
	}
	olds, same := matchMembers(cur.Members, in.Members)
	for i := range in.Members {
		m := &in.Members[i]
		old := olds[i]
		switch {
		case old == nil:
			if err := tx.checkUnique(ctx, in.ID, "", []fupin.Member{*m}); err != nil {
				return nil, err
			}
			if m.JoinReason == "" {
				m.JoinReason = "registered"
			}
			if err := tx.insertMemberAt(ctx, in.ID, m); err != nil {
				return nil, err
			}
			changed = true
		case !same[i]:
			args := append(memberArgs(m), m.Active(), old.ID)
			if _, err := tx.ExecContext(ctx, `UPDATE members SET (`+memberCols+`, is_current) = (`+
				placeholders(1, memberColCount+1)+`) WHERE id = $`+itoa(memberColCount+2), args...); err != nil {
				return nil, tx.mapUnique(err)
			}
			changed = true
		}
	}
	for i := range in.Incomes {
		y := &in.Incomes[i]
		old := findIncome(cur.Incomes, y.Year)
		if old != nil && totalOnly(y) && hasComponents(old) {
			// The file gives a total where the registry has the components:
			// the components stay, and a total that disagrees is reported.
			if !closeTotals(old, y) && len(*notes) < maxIncomeNotes {
				*notes = append(*notes, IncomeNote{HouseholdID: in.ID, Year: y.Year, File: y.Net, Stored: old.Net})
			}
			continue
		}
		if old != nil && len(y.Items) == 0 && len(old.Items) > 0 {
			// The national layout carries the totals only: detail lines the
			// registry holds stay while the file's totals agree with them.
			withItems := *y
			withItems.Items = old.Items
			if sameValues(incomeArgs(old), incomeArgs(&withItems)) {
				continue
			}
		}
		if old != nil && sameValues(incomeArgs(old), incomeArgs(y)) {
			continue
		}
		args := append([]any{in.ID}, incomeArgs(y)...)
		if _, err := tx.ExecContext(ctx, `INSERT INTO incomes (household_id, `+incomeCols+`, updated_at)
			VALUES (`+placeholders(1, incomeColCount)+`) ON CONFLICT (household_id, year) DO UPDATE SET
			wage = excluded.wage, business = excluded.business, property = excluded.property,
			transfer = excluded.transfer, business_expense = excluded.business_expense,
			claims = excluded.claims, out_of_pocket = excluded.out_of_pocket, items = excluded.items,
			declared_net = excluded.declared_net, updated_at = excluded.updated_at`, append(args, tx.now)...); err != nil {
			return nil, fmt.Errorf("import income: %w", err)
		}
		changed = true
	}
	if !changed {
		return nil, nil
	}
	if err := tx.refreshHead(ctx, in.ID); err != nil {
		return nil, err
	}
	if err := tx.bumpVersion(ctx, in.ID, cur.Version); err != nil {
		return nil, err
	}
	after, err := tx.household(ctx, in.ID, true)
	if err != nil {
		return nil, err
	}
	if err := tx.reassess(ctx, after); err != nil {
		return nil, err
	}
	if err := tx.audit(ctx, "household.import", "household", in.ID, in.ID, cur, after); err != nil {
		return nil, err
	}
	return changedKeys(mustJSON(cur), mustJSON(after)), nil
}

// matchMembers pairs each imported member with a stored one of the same
// ID number (nil: a new member). A person can have several rows in a
// household (left and re-joined), so rows pair first with an identical
// row, then with one of the same state (current with current, left with
// left on the same day), then with any row of that person left over.
func matchMembers(cur, in []fupin.Member) (olds []*fupin.Member, same []bool) {
	byID := map[string][]int{}
	curKeys := make([]fupin.Member, len(cur))
	for i := range cur {
		byID[cur[i].IDNumber] = append(byID[cur[i].IDNumber], i)
		curKeys[i] = memberCmp(&cur[i])
	}
	used := make([]bool, len(cur))
	olds, same = make([]*fupin.Member, len(in)), make([]bool, len(in))
	inKeys := make([]fupin.Member, len(in))
	for i := range in {
		inKeys[i] = memberCmp(&in[i])
	}
	rules := []func(j, i int) bool{
		func(j, i int) bool { return curKeys[j] == inKeys[i] },
		func(j, i int) bool { return cur[j].Active() == in[i].Active() && cur[j].LeftOn == in[i].LeftOn },
		func(j, i int) bool { return cur[j].Active() == in[i].Active() },
		func(j, i int) bool { return true },
	}
	for _, match := range rules {
		for i := range in {
			if olds[i] != nil {
				continue
			}
			for _, j := range byID[in[i].IDNumber] {
				if !used[j] && match(j, i) {
					used[j], olds[i], same[i] = true, &cur[j], curKeys[j] == inKeys[i]
					break
				}
			}
		}
	}
	return olds, same
}

// insertMemberAt inserts a member under the id BulkLoad reserved for it
// (m.ID), so that it cannot collide with the ids the load assigns.
func (tx *Tx) insertMemberAt(ctx context.Context, householdID int64, m *fupin.Member) error {
	if m.ID == 0 {
		_, err := tx.insertMember(ctx, householdID, m)
		return err
	}
	args := append([]any{m.ID, householdID}, memberArgs(m)...)
	args = append(args, m.Active())
	if _, err := tx.ExecContext(ctx, `INSERT INTO members (id, household_id, `+memberCols+`, is_current)
		VALUES (`+placeholders(1, memberColCount+3)+`)`, args...); err != nil {
		return tx.mapUnique(err)
	}
	m.HouseholdID = householdID
	return nil
}

// IncomeNote is an imported household whose file gives a net income total
// for a year the registry holds in components, and the two disagree: the
// components were kept.
type IncomeNote struct {
	HouseholdID  int64
	Year         int
	File, Stored fupin.Money
}

// maxIncomeNotes bounds the notes one load keeps.
const maxIncomeNotes = 10000

// totalOnly reports an income year known only by its net total.
func totalOnly(y *fupin.IncomeYear) bool {
	return y.DeclaredNet != nil && y.Wage == 0 && y.Business == 0 && y.Property == 0 &&
		y.Transfer == 0 && y.BusinessExpense == 0 && len(y.Items) == 0
}

// hasComponents reports an income year with any component or detail line.
func hasComponents(y *fupin.IncomeYear) bool {
	return y.Wage != 0 || y.Business != 0 || y.Property != 0 || y.Transfer != 0 || y.BusinessExpense != 0 || len(y.Items) > 0
}

// closeTotals reports whether two years' per-capita net incomes (or nets,
// without members) agree within one yuan, the rounding of files.
func closeTotals(a, b *fupin.IncomeYear) bool {
	x, y := a.Net, b.Net
	if a.PerCapitaNet != nil && b.PerCapitaNet != nil {
		x, y = *a.PerCapitaNet, *b.PerCapitaNet
	}
	return x-y <= 100 && y-x <= 100
}

// memberKey is a member's stored fields as JSON, without ids.
func memberKey(m *fupin.Member) string {
	c := *m
	c.ID, c.HouseholdID = 0, 0
	if c.JoinReason == "" {
		c.JoinReason = "registered"
	}
	return mustJSON(c)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // domain structs always marshal
	}
	return string(b)
}

// CurrentPeople maps the ID numbers of current members of live households
// in the actor's areas to their household ids, for matching imported
// households that have no (or a new) 户编号.
func (db *DB) CurrentPeople(ctx context.Context, actor fupin.Actor) (map[string]int64, error) {
	where, args := householdWhere(actor, fupin.HouseholdFilter{})
	rows, err := db.read.QueryContext(ctx, `SELECT m.id_number, m.household_id FROM members m
		JOIN households h ON h.id = m.household_id WHERE m.is_current AND `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("current people: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var idn string
		var hid int64
		if err := rows.Scan(&idn, &hid); err != nil {
			return nil, err
		}
		out[idn] = hid
	}
	return out, rows.Err()
}
