package sqlstore

import (
	"context"
	"fmt"

	"fupin/internal/fupin"
	"fupin/internal/region"
)

// roleLevels are the division levels a role's areas must be of: a county
// user is bound to counties, a township office to townships, a village
// cadre and an aid unit (对口村) to villages. Administrators and inspectors
// may be given any level; only administrators the whole country ("").
var roleLevels = map[string][]region.Level{
	"county":    {region.LevelCounty},
	"township":  {region.LevelTownship},
	"village":   {region.LevelVillage},
	"aid_unit":  {region.LevelVillage},
	"inspector": {region.LevelProvince, region.LevelCity, region.LevelCounty, region.LevelTownship, region.LevelVillage},
}

// CheckRoleAreas checks that every area (already validated by
// ValidateAreas) is of the role's level, so that a township account cannot
// be bound to a whole county. Errors: invalid, with the field path
// "areas[i]".
func CheckRoleAreas(role string, areas []string) error {
	levels, ok := roleLevels[role]
	if !ok {
		return nil // admin: any area
	}
	errs := fupin.FieldErrors{}
	for i, a := range areas {
		r, err := region.Lookup(a)
		if a == "" || err != nil || !levelIn(r.Level, levels) {
			errs.Add(fmt.Sprintf("areas[%d]", i), fmt.Sprintf("%s的管辖区域应为%s代码", roleLabel(role), levelsLabel(levels)))
		}
	}
	if len(errs) > 0 {
		return &fupin.Error{Code: fupin.EInvalid, Message: "管辖区域与角色级别不符", Fields: errs}
	}
	return nil
}

func levelIn(l region.Level, ls []region.Level) bool {
	for _, x := range ls {
		if x == l {
			return true
		}
	}
	return false
}

func levelsLabel(ls []region.Level) string {
	if len(ls) > 1 {
		return "省、市、县、乡镇或村的区划"
	}
	return map[region.Level]string{region.LevelCounty: "6 位县级区划", region.LevelTownship: "9 位乡镇级区划",
		region.LevelVillage: "12 位村级区划"}[ls[0]]
}

func roleLabel(role string) string {
	return map[string]string{"county": "县级用户", "township": "乡镇指挥部办公室", "village": "村级干部",
		"aid_unit": "帮扶单位", "inspector": "督查评估"}[role]
}

// UserChange is what an administrator (or a county user, for accounts
// below it) changes of an account; nil or empty fields stay as they are.
type UserChange struct {
	PasswordHash string   // a new password, already checked and hashed
	Disabled     *bool    // disable or enable
	Role         string   // a new role, already checked by the caller
	Areas        []string // new areas
}

// UserInArea returns a user whose areas all lie inside the actor's.
// Errors: not_found (also when outside, so as not to tell it exists).
func (db *DB) UserInArea(ctx context.Context, actor fupin.Actor, username string) (*User, error) {
	var u *User
	err := db.view(ctx, actor, func(tx *Tx) error {
		users, _, err := tx.scanUsers(ctx, `WHERE username = $1`, username)
		if err != nil {
			return err
		}
		if len(users) == 0 || !coversAll(actor, users[0].Areas) {
			return fupin.Errorf(fupin.ENotFound, "用户不存在：%s", username)
		}
		u = &users[0]
		return nil
	})
	return u, err
}

// ChangeUser applies a change to an account inside the actor's areas, in
// one transaction: new areas must lie inside the actor's and be of the
// (new) role's level. Any change ends the account's sessions; a new
// password is audited and flagged, so that the account's owner is told
// who reset it at the next sign-in. Errors: invalid, forbidden (areas
// outside the actor's), not_found.
func (db *DB) ChangeUser(ctx context.Context, actor fupin.Actor, username string, c UserChange) error {
	var areas []string
	if c.Areas != nil {
		var err error
		if areas, err = ValidateAreas(c.Areas, "areas"); err != nil {
			return err
		}
		if !coversAll(actor, areas) {
			return fupin.Errorf(fupin.EForbidden, "不能把用户的管辖区域设到您的管辖区域以外")
		}
	}
	return db.update(ctx, actor, func(tx *Tx) error {
		users, _, err := tx.scanUsers(ctx, `WHERE username = $1`, username)
		if err != nil {
			return err
		}
		if len(users) == 0 || !coversAll(actor, users[0].Areas) {
			return fupin.Errorf(fupin.ENotFound, "用户不存在：%s", username)
		}
		before := users[0]
		after := before
		if c.Role != "" {
			after.Role = c.Role
		}
		if areas != nil {
			after.Areas = areas
		}
		if err := CheckRoleAreas(after.Role, after.Areas); err != nil {
			return err
		}
		if after.Role != before.Role || areas != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET role = $1, updated_at = $2 WHERE id = $3`, after.Role, tx.now, before.ID); err != nil {
				return err
			}
			if err := tx.setAreas(ctx, before.ID, after.Areas); err != nil {
				return err
			}
			if err := tx.auditValue(ctx, "user.change", "user", before.Username, before, after); err != nil {
				return err
			}
		}
		if c.PasswordHash != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, password_reset_by = $2,
				password_reset_at = $3, updated_at = $3 WHERE id = $4`, c.PasswordHash, actor.Name, tx.now, before.ID); err != nil {
				return err
			}
			if err := tx.auditValue(ctx, "user.password", "user", before.Username, nil, map[string]string{"reset_by": actor.Name}); err != nil {
				return err
			}
		}
		if c.Disabled != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3`, *c.Disabled, tx.now, before.ID); err != nil {
				return err
			}
			if err := tx.auditValue(ctx, "user.disable", "user", before.Username, map[string]bool{"disabled": before.Disabled}, map[string]bool{"disabled": *c.Disabled}); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, before.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return tx.auditValue(ctx, "user.sessions_ended", "user", before.Username, nil, map[string]int64{"sessions": n})
		}
		return nil
	})
}
