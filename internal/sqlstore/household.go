package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fupin/internal/fupin"
)

// CreateHousehold validates h with its members and stores it in one
// transaction, with an audit entry. It returns the stored household.
// Errors: invalid (fields named), forbidden (village outside the actor's
// areas), conflict (a member is in another current household, or the 户编号
// is taken).
func (db *DB) CreateHousehold(ctx context.Context, actor fupin.Actor, h *fupin.Household) (*fupin.Household, error) {
	var out *fupin.Household
	err := db.update(ctx, actor, func(tx *Tx) error {
		errs := fupin.FieldErrors{}
		h.Normalize()
		h.ValidateFields(errs, tx.today())
		fupin.ValidateMembers(errs, h.Members, tx.today())
		if err := tx.checkCategory(ctx, errs, h, nil); err != nil {
			return err
		}
		if err := errs.Err(); err != nil {
			return err
		}
		if !actor.Covers(h.VillageCode) {
			return fupin.Errorf(fupin.EForbidden, "无权在 %s 新增农户：不在您的管辖区域内", h.VillageCode)
		}
		if err := tx.ensureVillage(ctx, h.VillageCode); err != nil {
			return err
		}
		if err := tx.checkUnique(ctx, 0, h.HouseholdNo, h.Members); err != nil {
			return err
		}
		id, err := tx.insertHousehold(ctx, h)
		if err != nil {
			return err
		}
		for i := range h.Members {
			if h.Members[i].JoinReason == "" {
				h.Members[i].JoinReason = "registered"
			}
			if _, err := tx.insertMember(ctx, id, &h.Members[i]); err != nil {
				return err
			}
		}
		if err := tx.refreshHead(ctx, id); err != nil {
			return err
		}
		if out, err = tx.household(ctx, id, true); err != nil {
			return err
		}
		if err := tx.reassess(ctx, out); err != nil {
			return err
		}
		return tx.audit(ctx, "household.create", "household", id, id, nil, out)
	})
	return out, err
}

func (tx *Tx) insertHousehold(ctx context.Context, h *fupin.Household) (int64, error) {
	args := append(householdArgs(h), tx.now, tx.now)
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO households (`+householdCols+`, created_at, updated_at)
		VALUES (`+placeholders(1, householdColCount+2)+`) RETURNING id`, args...).Scan(&id)
	if err != nil {
		return 0, tx.mapUnique(err)
	}
	return id, nil
}

func (tx *Tx) insertMember(ctx context.Context, householdID int64, m *fupin.Member) (int64, error) {
	args := append([]any{householdID}, memberArgs(m)...)
	args = append(args, m.Active())
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO members (household_id, `+memberCols+`, is_current)
		VALUES (`+placeholders(1, memberColCount+2)+`) RETURNING id`, args...).Scan(&id)
	if err != nil {
		return 0, tx.mapUnique(err)
	}
	m.ID, m.HouseholdID = id, householdID
	return id, nil
}

// mapUnique turns a unique violation that slipped past the explicit checks
// (two writers at once) into a conflict.
func (tx *Tx) mapUnique(err error) error {
	name, ok := uniqueViolation(err)
	if !ok {
		return err
	}
	switch {
	case strings.Contains(name, "id_number"):
		return &fupin.Error{Code: fupin.EConflict, Message: "该身份证号码已在另一户中在册",
			Fields: map[string]string{"id_number": "该身份证号码已在另一户中在册"}}
	case strings.Contains(name, "household_no"):
		return &fupin.Error{Code: fupin.EConflict, Message: "户编号已被其他农户使用",
			Fields: map[string]string{"household_no": "户编号已被其他农户使用"}}
	}
	// The constraint's name and the driver's text are for the log only
	// (fupin.ErrorMessage gives users the Chinese message).
	return fmt.Errorf("%w (%s)", fupin.Errorf(fupin.EConflict, "数据与已有记录重复，未写入"), name)
}

// checkUnique reports, with field paths, members whose ID number is current
// in another household and a 户编号 used by another live household.
func (tx *Tx) checkUnique(ctx context.Context, self int64, householdNo string, members []fupin.Member) error {
	errs := map[string]string{}
	if householdNo != "" {
		var other int64
		var village string
		err := tx.QueryRowContext(ctx, `SELECT id, village_code FROM households WHERE household_no = $1
			AND deleted_at IS NULL AND id <> $2`, householdNo, self).Scan(&other, &village)
		if err == nil && !tx.actor.Covers(village) {
			errs["household_no"] = "户编号已在系统其他地区使用"
		} else if err == nil {
			errs["household_no"] = fmt.Sprintf("户编号 %s 已被农户 #%d 使用", householdNo, other)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("check household_no: %w", err)
		}
	}
	for i, m := range members {
		if !m.Active() {
			continue
		}
		var hid int64
		var no sql.NullString
		var village string
		err := tx.QueryRowContext(ctx, `SELECT h.id, h.household_no, h.village_code FROM members m
			JOIN households h ON h.id = m.household_id
			WHERE m.id_number = $1 AND m.is_current AND m.household_id <> $2 AND m.id <> $3`,
			m.IDNumber, self, m.ID).Scan(&hid, &no, &village)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return fmt.Errorf("check id_number: %w", err)
		}
		if !tx.actor.Covers(village) {
			errs["members["+strconv.Itoa(i)+"].id_number"] = registeredElsewhere
			tx.refuseElsewhere("member", m.IDNumber, hid)
			continue
		}
		where := "农户 #" + strconv.FormatInt(hid, 10)
		if no.Valid {
			where = "户编号 " + no.String
		}
		errs["members["+strconv.Itoa(i)+"].id_number"] = "此人已在" + where + "中在册，请先在原户办理减员"
	}
	if len(errs) > 0 {
		return &fupin.Error{Code: fupin.EConflict, Message: "家庭成员或户编号与已有农户冲突", Fields: errs}
	}
	return nil
}

// refreshHead recomputes the denormalised head name and size of a household
// and its search terms.
func (tx *Tx) refreshHead(ctx context.Context, id int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE households SET
		head_name = COALESCE((SELECT name FROM members WHERE household_id = $1 AND relation = 'head'
			AND left_on IS NULL ORDER BY id LIMIT 1), ''),
		size = (SELECT COUNT(*) FROM members WHERE household_id = $1 AND left_on IS NULL)
		WHERE id = $1`, id)
	if err != nil {
		return err
	}
	return tx.refreshTerms(ctx, id)
}

// household loads one household visible to the transaction's actor, with
// members and income years when full is true. Outside the actor's areas it
// answers not_found, so that existence is not revealed.
func (tx *Tx) household(ctx context.Context, id int64, full bool) (*fupin.Household, error) {
	h, err := scanHousehold(tx.QueryRowContext(ctx, householdSelect+` WHERE h.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !tx.actor.Covers(h.VillageCode)) {
		return nil, fupin.Errorf(fupin.ENotFound, "农户 #%d 不存在", id)
	} else if err != nil {
		return nil, fmt.Errorf("load household %d: %w", id, err)
	}
	if !full {
		return h, nil
	}
	if h.Members, err = tx.members(ctx, id); err != nil {
		return nil, err
	}
	if h.Incomes, err = tx.incomes(ctx, id, h.Members); err != nil {
		return nil, err
	}
	return h, nil
}

func (tx *Tx) members(ctx context.Context, householdID int64) ([]fupin.Member, error) {
	rows, err := tx.QueryContext(ctx, memberSelect+` WHERE household_id = $1
		ORDER BY CASE WHEN left_on IS NULL THEN 0 ELSE 1 END, id`, householdID)
	if err != nil {
		return nil, fmt.Errorf("load members: %w", err)
	}
	defer rows.Close()
	out := []fupin.Member{}
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, fmt.Errorf("scan member: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (tx *Tx) incomes(ctx context.Context, householdID int64, members []fupin.Member) ([]fupin.IncomeYear, error) {
	rows, err := tx.QueryContext(ctx, `SELECT household_id, `+incomeCols+`, updated_at FROM incomes
		WHERE household_id = $1 ORDER BY year DESC`, householdID)
	if err != nil {
		return nil, fmt.Errorf("load incomes: %w", err)
	}
	defer rows.Close()
	out := []fupin.IncomeYear{}
	for rows.Next() {
		y, err := scanIncome(rows)
		if err != nil {
			return nil, fmt.Errorf("scan income: %w", err)
		}
		y.Compute(members)
		out = append(out, y)
	}
	return out, rows.Err()
}

// Household returns one household with its members and income years.
func (db *DB) Household(ctx context.Context, actor fupin.Actor, id int64) (*fupin.Household, error) {
	var h *fupin.Household
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		h, err = tx.household(ctx, id, true)
		return err
	})
	return h, err
}

// lockForWrite loads a live household for a change, checking area and the
// version the client last saw. Errors: not_found, conflict (deleted or stale).
func (tx *Tx) lockForWrite(ctx context.Context, id, version int64) (*fupin.Household, error) {
	h, err := tx.household(ctx, id, true)
	if err != nil {
		return nil, err
	}
	if h.Deleted() {
		return nil, fupin.Errorf(fupin.EConflict, "农户 #%d 已删除（%s），不能修改", id, h.DeleteReason)
	}
	if version != h.Version {
		return nil, &fupin.Error{Code: fupin.EConflict,
			Message: fmt.Sprintf("该户信息已被他人修改（您看到的是第 %d 版，当前为第 %d 版），请刷新后重试", version, h.Version),
			Fields:  map[string]string{"version": "版本已过期"}}
	}
	return h, nil
}

// bumpVersion advances the household's version; the WHERE on the old
// version makes a concurrent writer on PostgreSQL lose cleanly.
func (tx *Tx) bumpVersion(ctx context.Context, id, version int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE households SET version = version + 1, updated_at = $1
		WHERE id = $2 AND version = $3`, tx.now, id, version)
	if err != nil {
		return fmt.Errorf("bump version: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fupin.Errorf(fupin.EConflict, "该户信息已被他人修改，请刷新后重试")
	}
	return nil
}

// UpdateHousehold replaces the household's own fields (not members or
// income) when h.Version matches the stored version. Errors: invalid,
// not_found, forbidden (moving it outside the actor's areas), conflict.
func (db *DB) UpdateHousehold(ctx context.Context, actor fupin.Actor, h *fupin.Household) (*fupin.Household, error) {
	var out *fupin.Household
	err := db.update(ctx, actor, func(tx *Tx) (err error) {
		out, err = tx.updateHousehold(ctx, h)
		return err
	})
	return out, err
}

// updateHousehold is UpdateHousehold inside tx.
func (tx *Tx) updateHousehold(ctx context.Context, h *fupin.Household) (*fupin.Household, error) {
	before, err := tx.lockForWrite(ctx, h.ID, h.Version)
	if err != nil {
		return nil, err
	}
	errs := fupin.FieldErrors{}
	h.Normalize()
	h.ValidateFields(errs, tx.today())
	if err := tx.checkCategory(ctx, errs, h, before); err != nil {
		return nil, err
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if !tx.actor.Covers(h.VillageCode) {
		return nil, fupin.Errorf(fupin.EForbidden, "不能把农户迁到您管辖区域以外的村：%s", h.VillageCode)
	}
	// A village or number the household keeps was checked when it was
	// stored: only a change costs the regions insert or the duplicate lookup.
	if h.VillageCode != before.VillageCode {
		if err := tx.ensureVillage(ctx, h.VillageCode); err != nil {
			return nil, err
		}
	}
	if h.HouseholdNo != before.HouseholdNo {
		if err := tx.checkUnique(ctx, h.ID, h.HouseholdNo, nil); err != nil {
			return nil, err
		}
	}
	// The updated row comes back from the UPDATE itself. Members and incomes
	// are not this write's: the ones lockForWrite read in this transaction stand.
	args := append(householdArgs(h), tx.now, h.ID, h.Version)
	out, err := scanHousehold(tx.QueryRowContext(ctx, `UPDATE households SET (`+householdCols+`, updated_at) =
		(`+placeholders(1, householdColCount+1)+`), version = version + 1
		WHERE id = $`+itoa(householdColCount+2)+` AND version = $`+itoa(householdColCount+3)+householdReturning, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fupin.Errorf(fupin.EConflict, "该户信息已被他人修改，请刷新后重试")
	} else if err != nil {
		return nil, tx.mapUnique(err)
	}
	out.Members, out.Incomes = before.Members, before.Incomes
	// A change no per-village count reads advances no village (uncounted.go).
	uncounted := countedSame(before, out)
	var stored map[int]string
	if uncounted {
		if stored, err = tx.countedVerdicts(ctx, h.ID); err != nil {
			return nil, err
		}
	}
	verdicts, err := tx.reassessed(ctx, out)
	if err != nil {
		return nil, err
	}
	uncounted = uncounted && sameCounted(stored, out, verdicts)
	r, err := newAuditRow("household.update", "household", h.ID, h.ID, before, out)
	if err != nil {
		return nil, err
	}
	r.uncounted = uncounted
	return out, tx.appendAudit(ctx, r)
}

// DeleteHousehold soft-deletes a household with a reason; its members stop
// being current so that they can be registered elsewhere.
func (db *DB) DeleteHousehold(ctx context.Context, actor fupin.Actor, id, version int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || len([]rune(reason)) > 500 {
		return &fupin.Error{Code: fupin.EInvalid, Message: "删除农户必须填写原因（500 字以内）",
			Fields: map[string]string{"reason": "请填写删除原因"}}
	}
	return db.update(ctx, actor, func(tx *Tx) error {
		before, err := tx.lockForWrite(ctx, id, version)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE households SET deleted_at = $1, delete_reason = $2,
			version = version + 1, updated_at = $1 WHERE id = $3`, tx.now, reason, id); err != nil {
			return fmt.Errorf("delete household: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE members SET is_current = FALSE WHERE household_id = $1`, id); err != nil {
			return fmt.Errorf("release members: %w", err)
		}
		if err := tx.refreshTerms(ctx, id); err != nil {
			return err
		}
		after, err := tx.household(ctx, id, false)
		if err != nil {
			return err
		}
		if err := tx.reassess(ctx, after); err != nil {
			return err
		}
		return tx.audit(ctx, "household.delete", "household", id, id, before, after)
	})
}

func itoa(i int) string { return strconv.Itoa(i) }
