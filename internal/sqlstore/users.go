package sqlstore

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"fupin/internal/fupin"
	"fupin/internal/region"
)

// User is a person who signs in: a role and the areas (division-code
// prefixes, "" = the whole country) every query of theirs is limited to.
type User struct {
	ID          int64     `json:"id" readOnly:"true"`
	Username    string    `json:"username" required:"true"`
	DisplayName string    `json:"display_name"`
	Role        string    `json:"role" required:"true" description:"admin/county/township/village/aid_unit/inspector"`
	Areas       []string  `json:"areas" required:"true" description:"区划代码前缀；空字符串表示全国"`
	Disabled    bool      `json:"disabled" readOnly:"true"`
	CreatedBy   string    `json:"created_by" readOnly:"true"`
	CreatedAt   time.Time `json:"created_at" readOnly:"true"`
	UpdatedAt   time.Time `json:"updated_at" readOnly:"true"`
	// PasswordResetBy and PasswordResetAt name who last reset the password
	// and when, until the user next signs in (and is told).
	PasswordResetBy string     `json:"password_reset_by,omitempty" readOnly:"true"`
	PasswordResetAt *time.Time `json:"password_reset_at,omitempty" readOnly:"true"`
}

// Actor returns the store actor for the user.
func (u *User) Actor() fupin.Actor { return fupin.Actor{Name: u.Username, Areas: u.Areas} }

var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9_.\-]{2,32}$`)

// ValidateAreas checks that every area is "" or an existing division code
// (any level), returning them normalised. path names the field.
func ValidateAreas(areas []string, path string) ([]string, error) {
	errs := fupin.FieldErrors{}
	if len(areas) == 0 {
		errs.Add(path, "至少指定一个管辖区域")
	}
	out := make([]string, 0, len(areas))
	for i, a := range areas {
		a = strings.TrimSpace(a)
		if a != "" {
			r, err := region.Lookup(a)
			if err != nil {
				errs.Add(fmt.Sprintf("%s[%d]", path, i), "不是有效的区划代码："+a)
				continue
			}
			a = r.Code
		}
		out = append(out, a)
	}
	return out, errs.Err()
}

// CreateUser stores a new user with an already hashed password. The role
// must have been checked by the caller. Errors: invalid, forbidden (an area
// outside the actor's), conflict (name taken).
func (db *DB) CreateUser(ctx context.Context, actor fupin.Actor, u User, passwordHash string) (*User, error) {
	u.Username = strings.TrimSpace(u.Username)
	if !usernamePattern.MatchString(u.Username) {
		return nil, &fupin.Error{Code: fupin.EInvalid, Message: "用户名应为 2–32 位字母、数字、下划线、点或连字符",
			Fields: map[string]string{"username": "格式不正确"}}
	}
	areas, err := ValidateAreas(u.Areas, "areas")
	if err != nil {
		return nil, err
	}
	u.Areas = areas
	if err := CheckRoleAreas(u.Role, u.Areas); err != nil {
		return nil, err
	}
	if !coversAll(actor, u.Areas) {
		return nil, fupin.Errorf(fupin.EForbidden, "不能创建管辖区域以外的用户")
	}
	err = db.update(ctx, actor, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE username = $1`, u.Username).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &fupin.Error{Code: fupin.EConflict, Message: "用户名已存在：" + u.Username,
				Fields: map[string]string{"username": "已存在"}}
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO users (username, display_name, role, password_hash,
			created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
			u.Username, u.DisplayName, u.Role, passwordHash, actor.Name, tx.now).Scan(&u.ID); err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		if err := tx.setAreas(ctx, u.ID, u.Areas); err != nil {
			return err
		}
		u.CreatedBy, u.CreatedAt, u.UpdatedAt = actor.Name, tx.now, tx.now
		return tx.auditValue(ctx, "user.create", "user", u.Username, nil, u)
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

func (tx *Tx) setAreas(ctx context.Context, userID int64, areas []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM user_areas WHERE user_id = $1`, userID); err != nil {
		return err
	}
	for _, a := range areas {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_areas (user_id, area) VALUES ($1, $2)
			ON CONFLICT DO NOTHING`, userID, a); err != nil {
			return fmt.Errorf("user areas: %w", err)
		}
	}
	return nil
}

const userSelect = `SELECT id, username, display_name, role, disabled, created_by, created_at, updated_at, password_hash,
	password_reset_by, password_reset_at FROM users`

func (tx *Tx) scanUsers(ctx context.Context, where string, args ...any) ([]User, []string, error) {
	rows, err := tx.QueryContext(ctx, userSelect+` `+where+` ORDER BY username`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("users: %w", err)
	}
	var users []User
	var hashes []string
	for rows.Next() {
		var u User
		var h string
		if err := rows.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.Disabled, &u.CreatedBy, &u.CreatedAt, &u.UpdatedAt, &h,
			&u.PasswordResetBy, &u.PasswordResetAt); err != nil {
			rows.Close()
			return nil, nil, err
		}
		u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
		if u.PasswordResetAt != nil {
			at := u.PasswordResetAt.UTC()
			u.PasswordResetAt = &at
		}
		users, hashes = append(users, u), append(hashes, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	for i := range users {
		ar, err := tx.QueryContext(ctx, `SELECT area FROM user_areas WHERE user_id = $1 ORDER BY area`, users[i].ID)
		if err != nil {
			return nil, nil, err
		}
		users[i].Areas = []string{}
		for ar.Next() {
			var a string
			if err := ar.Scan(&a); err != nil {
				ar.Close()
				return nil, nil, err
			}
			users[i].Areas = append(users[i].Areas, a)
		}
		ar.Close()
	}
	return users, hashes, nil
}

// Users lists users whose areas all lie within the actor's areas.
func (db *DB) Users(ctx context.Context, actor fupin.Actor) ([]User, error) {
	var out []User
	err := db.view(ctx, actor, func(tx *Tx) error {
		out = nil
		all, _, err := tx.scanUsers(ctx, "")
		out = []User{}
		for _, u := range all {
			if coversAll(actor, u.Areas) {
				out = append(out, u)
			}
		}
		return err
	})
	return out, err
}

// coversAll reports whether every area lies inside the actor's areas.
func coversAll(actor fupin.Actor, areas []string) bool {
	for _, a := range areas {
		if !actor.Covers(a) {
			return false
		}
	}
	return len(areas) > 0
}

// UserForSignIn returns a user by name with the password hash.
// Errors: not_found.
func (db *DB) UserForSignIn(ctx context.Context, username string) (*User, string, error) {
	var u *User
	var hash string
	err := db.view(ctx, fupin.SystemActor(""), func(tx *Tx) error {
		users, hashes, err := tx.scanUsers(ctx, `WHERE username = $1`, username)
		if err != nil {
			return err
		}
		if len(users) == 0 {
			return fupin.Errorf(fupin.ENotFound, "用户不存在")
		}
		u, hash = &users[0], hashes[0]
		return nil
	})
	return u, hash, err
}

// CountUsers counts users, enabled or not.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

// UpdateUser changes a user inside the actor's areas: a new password hash
// (when not empty) and/or disabled state. Either change ends the user's
// sessions. Errors: not_found (also outside the actor's areas).
func (db *DB) UpdateUser(ctx context.Context, actor fupin.Actor, username, passwordHash string, disabled *bool) error {
	return db.update(ctx, actor, func(tx *Tx) error {
		users, _, err := tx.scanUsers(ctx, `WHERE username = $1`, username)
		if err != nil {
			return err
		}
		if len(users) == 0 || !coversAll(actor, users[0].Areas) {
			return fupin.Errorf(fupin.ENotFound, "用户不存在：%s", username)
		}
		u := users[0]
		if passwordHash != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`, passwordHash, tx.now, u.ID); err != nil {
				return err
			}
			if actor.Name != u.Username { // someone else reset it: tell the user at the next sign-in
				if _, err := tx.ExecContext(ctx, `UPDATE users SET password_reset_by = $1, password_reset_at = $2 WHERE id = $3`,
					actor.Name, tx.now, u.ID); err != nil {
					return err
				}
			}
			if err := tx.auditValue(ctx, "user.password", "user", u.Username, nil, nil); err != nil {
				return err
			}
		}
		if disabled != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3`, *disabled, tx.now, u.ID); err != nil {
				return err
			}
			if err := tx.auditValue(ctx, "user.disable", "user", u.Username, map[string]bool{"disabled": u.Disabled}, map[string]bool{"disabled": *disabled}); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.ID)
		return err
	})
}

// AuditEvent records an event that is not a data change (sign-in,
// failure, lock-out, unmasked view) under the given actor name.
func (db *DB) AuditEvent(ctx context.Context, actorName, action, entity, entityID string, detail any) error {
	return db.update(ctx, fupin.Actor{Name: actorName}, func(tx *Tx) error {
		return tx.auditValue(ctx, action, entity, entityID, nil, detail)
	})
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, idHash, username string) error {
	return db.update(ctx, fupin.Actor{Name: username}, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, idHash); err != nil {
			return err
		}
		return tx.auditValue(ctx, "auth.sign_out", "user", username, nil, nil)
	})
}
