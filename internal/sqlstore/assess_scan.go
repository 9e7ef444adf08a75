package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"fupin/internal/fupin"
)

// Batch reads (assessment, export) merge three queries that walk the
// primary key and the household_id indexes in order, so nothing is sorted
// and memory stays flat; they run on three goroutines that meet in a merge
// by household id, and members and incomes are limited to the id range of
// the area's households. The assessment reads only the columns the policy
// engine looks at, dates as text (modernc would otherwise parse every DATE
// into a time.Time).

// scanSet is the queries and scanners of one kind of batch read.
type scanSet struct {
	households string
	household  func(scanner) (*fupin.Household, error)
	members    string
	member     func(scanner, *fupin.Member) error
	incomes    string
	income     func(scanner, *fupin.IncomeYear) error
}

// leanScan is the assessment's read; exportScan (export_scan.go) is the export's.
var leanScan = scanSet{leanHouseholdSelect, scanLeanHousehold, leanMemberSelect, scanLeanMember,
	leanIncomeSelect, scanLeanIncome}

const leanHouseholdSelect = `SELECT h.id, COALESCE(h.household_no, ''), h.village_code, h.head_name,
	h.food_secure, h.clothing_secure, h.housing_grade, h.housing_relocated, h.housing_other_safe,
	h.housing_institutional, h.water_supply, h.water_lpd, h.water_scarce, h.water_quality_ok, h.water_tap,
	h.water_fetch_minutes, h.water_fetch_distance, h.water_fetch_vertical, h.water_days_short
	FROM households h`

func scanLeanHousehold(row scanner) (*fupin.Household, error) {
	h := &fupin.Household{}
	err := row.Scan(&h.ID, &h.HouseholdNo, &h.VillageCode, &h.HeadName, &h.Basics.FoodSecure,
		&h.Basics.ClothingSecure, &h.Housing.Grade, &h.Housing.Relocated, &h.Housing.OtherSafeHome,
		&h.Housing.InstitutionalCare, &h.Water.Supply, &h.Water.LitresPerDay, &h.Water.ScarceArea,
		&h.Water.QualityOK, &h.Water.TapAtHome, &h.Water.FetchMinutes, &h.Water.FetchDistanceM,
		&h.Water.FetchVerticalM, &h.Water.DaysWithoutSupply)
	return h, err
}

const leanMemberSelect = `SELECT id, household_id, name, CAST(birth_date AS TEXT), school_status,
	dropout_exemption, health, disability_grade, labour, medical_insurance, CAST(joined_on AS TEXT),
	CAST(left_on AS TEXT), relation FROM members`

func scanLeanMember(row scanner, m *fupin.Member) error {
	return row.Scan(&m.ID, &m.HouseholdID, &m.Name, &m.BirthDate, &m.SchoolStatus, &m.DropoutExemption,
		&m.Health, &m.DisabilityGrade, &m.Labour, &m.MedicalInsurance, &m.JoinedOn, &m.LeftOn, &m.Relation)
}

const leanIncomeSelect = `SELECT household_id, year, wage, business, property, transfer, business_expense,
	claims, out_of_pocket FROM incomes`

func scanLeanIncome(row scanner, y *fupin.IncomeYear) error {
	return row.Scan(&y.HouseholdID, &y.Year, &y.Wage, &y.Business, &y.Property, &y.Transfer,
		&y.BusinessExpense, &y.Claims, &y.EligibleOutOfPocket)
}

// group is the rows of one household.
type group[T any] struct {
	id    int64
	items []T
}

// produceGroups scans rows ordered by household id and sends them grouped.
// Rows are scanned into one value and copied into the group (scanned into
// a value of their own, each escaped to the heap).
func produceGroups[T any](ctx context.Context, rows *sql.Rows, scan func(scanner, *T) error, id func(*T) int64, out chan<- group[T]) error {
	defer close(out)
	defer rows.Close()
	var cur group[T]
	v := new(T)
	for rows.Next() {
		var zero T
		*v = zero
		if err := scan(rows, v); err != nil {
			return err
		}
		if k := id(v); k != cur.id {
			if len(cur.items) > 0 {
				select {
				case out <- cur:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			// Households have three or four members and income years: room
			// for four saves growing the slice through 1, 2 and 4.
			cur = group[T]{id: k, items: make([]T, 0, 4)}
		}
		cur.items = append(cur.items, *v)
	}
	if len(cur.items) > 0 {
		select {
		case out <- cur:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return rows.Err()
}

// groupCursor hands out the group of a household id from an ordered stream.
type groupCursor[T any] struct {
	in      <-chan group[T]
	pending *group[T]
	done    bool
}

func (c *groupCursor[T]) take(id int64) []T {
	for {
		if c.pending == nil && !c.done {
			g, ok := <-c.in
			if !ok {
				c.done = true
			} else {
				c.pending = &g
			}
		}
		if c.pending == nil || c.pending.id > id {
			return nil
		}
		g := c.pending
		c.pending = nil
		if g.id == id {
			return g.items
		}
	}
}

// eachHousehold streams the live households of an area with what set
// reads, in id order.
func (db *DB) eachHousehold(ctx context.Context, actor fupin.Actor, area string, set scanSet, fn func(*fupin.Household) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	where, args := householdWhere(actor, fupin.HouseholdFilter{Area: area})
	var lo, hi sql.NullInt64
	if err := db.read.QueryRowContext(ctx, `SELECT MIN(h.id), MAX(h.id) FROM households h WHERE `+where, args...).Scan(&lo, &hi); err != nil {
		return fmt.Errorf("scan households: %w", err)
	}
	if !lo.Valid {
		return nil
	}
	// In id order by walking the primary key over the area's id range
	// (SQLite would otherwise read the area index and sort whole rows).
	village := "h.village_code"
	if db.dialect == SQLite {
		village = "+h.village_code"
	}
	scanWhere, scanArgs := householdWhereOn(village, actor, fupin.HouseholdFilter{Area: area})
	// All three connections under one slot (scan_conn.go).
	releaseSlot, err := db.scanSlot(ctx)
	if err != nil {
		return fmt.Errorf("scan households: %w", err)
	}
	defer releaseSlot()
	n := len(scanArgs)
	hs, hsDone, err := db.scanQuery(ctx, set.households+` WHERE `+scanWhere+` AND h.id BETWEEN $`+itoa(n+1)+` AND $`+itoa(n+2)+
		` ORDER BY h.id`, append(scanArgs, lo.Int64, hi.Int64)...)
	if err != nil {
		return fmt.Errorf("scan households: %w", err)
	}
	defer hsDone()
	ms, msDone, err := db.scanQuery(ctx, set.members+` WHERE household_id BETWEEN $1 AND $2 ORDER BY household_id, id`, lo.Int64, hi.Int64)
	if err != nil {
		return fmt.Errorf("scan members: %w", err)
	}
	defer msDone()
	is, isDone, err := db.scanQuery(ctx, set.incomes+` WHERE household_id BETWEEN $1 AND $2 ORDER BY household_id, year`, lo.Int64, hi.Int64)
	if err != nil {
		return fmt.Errorf("scan incomes: %w", err)
	}
	defer isDone()
	mch, ich := make(chan group[fupin.Member], 256), make(chan group[fupin.IncomeYear], 256)
	errs := make(chan error, 2)
	go func() {
		errs <- produceGroups(ctx, ms, set.member, func(m *fupin.Member) int64 { return m.HouseholdID }, mch)
	}()
	go func() {
		errs <- produceGroups(ctx, is, set.income, func(y *fupin.IncomeYear) int64 { return y.HouseholdID }, ich)
	}()
	mc, ic := &groupCursor[fupin.Member]{in: mch}, &groupCursor[fupin.IncomeYear]{in: ich}
	err = func() error {
		for hs.Next() {
			h, err := set.household(hs)
			if err != nil {
				return fmt.Errorf("scan household: %w", err)
			}
			h.Members, h.Incomes = mc.take(h.ID), ic.take(h.ID)
			// Newest first, as everywhere: read oldest first, the order of
			// the primary key, which SQLite walks without sorting each
			// household's years in a temporary b-tree.
			slices.Reverse(h.Incomes)
			for i := range h.Incomes {
				h.Incomes[i].Compute(h.Members)
			}
			if err := fn(h); err != nil {
				return err
			}
		}
		return hs.Err()
	}()
	cancel()
	for range mch {
	}
	for range ich {
	}
	for i := 0; i < 2; i++ {
		if e := <-errs; err == nil && e != nil && e != context.Canceled {
			err = e
		}
	}
	return err
}
