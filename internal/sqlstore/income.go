package sqlstore

import (
	"context"
	"fmt"

	"fupin/internal/fupin"
)

// PutIncome records (or replaces) a household's income for a year. The net
// and per-capita figures are computed, never taken from input.
func (db *DB) PutIncome(ctx context.Context, actor fupin.Actor, householdID int64, year int, in fupin.IncomeInput) (*fupin.IncomeYear, error) {
	var out *fupin.IncomeYear
	err := db.update(ctx, actor, func(tx *Tx) error {
		y, err := in.IncomeYear(year, tx.today())
		if err != nil {
			return err
		}
		before, err := tx.lockForWrite(ctx, householdID, in.Version)
		if err != nil {
			return err
		}
		args := append([]any{householdID}, incomeArgs(&y)...)
		args = append(args, tx.now)
		_, err = tx.ExecContext(ctx, `INSERT INTO incomes (household_id, `+incomeCols+`, updated_at)
			VALUES (`+placeholders(1, incomeColCount)+`)
			ON CONFLICT (household_id, year) DO UPDATE SET wage = excluded.wage,
				business = excluded.business, property = excluded.property,
				transfer = excluded.transfer, business_expense = excluded.business_expense,
				claims = excluded.claims, out_of_pocket = excluded.out_of_pocket,
				items = excluded.items, declared_net = excluded.declared_net,
				updated_at = excluded.updated_at`, args...)
		if err != nil {
			return fmt.Errorf("put income: %w", err)
		}
		if err := tx.bumpVersion(ctx, householdID, before.Version); err != nil {
			return err
		}
		after, err := tx.household(ctx, householdID, true)
		if err != nil {
			return err
		}
		out = findIncome(after.Incomes, year)
		if err := tx.reassess(ctx, after); err != nil {
			return err
		}
		return tx.audit(ctx, "income.put", "income", int64(year), householdID, findIncome(before.Incomes, year), out)
	})
	return out, err
}

func findIncome(ys []fupin.IncomeYear, year int) *fupin.IncomeYear {
	for i := range ys {
		if ys[i].Year == year {
			return &ys[i]
		}
	}
	return nil
}
