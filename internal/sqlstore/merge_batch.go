package sqlstore

import (
	"context"
	"fmt"

	"fupin/internal/fupin"
)

// storedHouseholds reads the stored state of a batch of households (with
// their members and income years) in three queries, keyed by id, so that a
// re-import compares in memory instead of reading each household on its
// own. Ids missing from the answer do not exist; households outside the
// actor's areas are left out too (the caller reports them as not found).
func (tx *Tx) storedHouseholds(ctx context.Context, ids []int64) (map[int64]*fupin.Household, error) {
	out := make(map[int64]*fupin.Household, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	in := placeholders(1, len(ids))
	rows, err := tx.QueryContext(ctx, householdSelect+` WHERE h.id IN (`+in+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("load households: %w", err)
	}
	for rows.Next() {
		h, err := scanHousehold(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan household: %w", err)
		}
		if tx.actor.Covers(h.VillageCode) {
			h.Members, h.Incomes = []fupin.Member{}, []fupin.IncomeYear{}
			out[h.ID] = h
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load households: %w", err)
	}
	if err := tx.storedMembers(ctx, in, args, out); err != nil {
		return nil, err
	}
	return out, tx.storedIncomes(ctx, in, args, out)
}

// storedMembers adds the members of the households in out, in the order
// Tx.members gives them (current first, then by id).
func (tx *Tx) storedMembers(ctx context.Context, in string, args []any, out map[int64]*fupin.Household) error {
	rows, err := tx.QueryContext(ctx, memberSelect+` WHERE household_id IN (`+in+`)
		ORDER BY household_id, CASE WHEN left_on IS NULL THEN 0 ELSE 1 END, id`, args...)
	if err != nil {
		return fmt.Errorf("load members: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return fmt.Errorf("scan member: %w", err)
		}
		if h := out[m.HouseholdID]; h != nil {
			h.Members = append(h.Members, m)
		}
	}
	return rows.Err()
}

// storedIncomes adds the income years of the households in out, newest
// first as Tx.incomes gives them, computed over their members.
func (tx *Tx) storedIncomes(ctx context.Context, in string, args []any, out map[int64]*fupin.Household) error {
	rows, err := tx.QueryContext(ctx, `SELECT household_id, `+incomeCols+`, updated_at FROM incomes
		WHERE household_id IN (`+in+`) ORDER BY household_id, year DESC`, args...)
	if err != nil {
		return fmt.Errorf("load incomes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		y, err := scanIncome(rows)
		if err != nil {
			return fmt.Errorf("scan income: %w", err)
		}
		if h := out[y.HouseholdID]; h != nil {
			y.Compute(h.Members)
			h.Incomes = append(h.Incomes, y)
		}
	}
	return rows.Err()
}
