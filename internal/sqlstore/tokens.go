package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fupin/internal/fupin"
)

// APIToken is an integration's credential: a role and areas like a user.
// Only the SHA-256 of the token is stored; the plain token is shown once.
type APIToken struct {
	ID         int64      `json:"id" readOnly:"true"`
	Name       string     `json:"name" required:"true"`
	Role       string     `json:"role" required:"true"`
	Areas      []string   `json:"areas" required:"true"`
	CreatedBy  string     `json:"created_by" readOnly:"true"`
	CreatedAt  time.Time  `json:"created_at" readOnly:"true"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty" readOnly:"true"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty" readOnly:"true"`
}

// Actor returns the store actor for the token.
func (t *APIToken) Actor() fupin.Actor {
	return fupin.Actor{Name: "token:" + t.Name, Areas: t.Areas}
}

// CreateToken stores a token by its hash. The role must have been checked.
func (db *DB) CreateToken(ctx context.Context, actor fupin.Actor, t APIToken, hash string) (*APIToken, error) {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" || len([]rune(t.Name)) > 64 {
		return nil, &fupin.Error{Code: fupin.EInvalid, Message: "令牌名称不能为空（64 字以内）", Fields: map[string]string{"name": "不能为空"}}
	}
	areas, err := ValidateAreas(t.Areas, "areas")
	if err != nil {
		return nil, err
	}
	t.Areas = areas
	if err := CheckRoleAreas(t.Role, t.Areas); err != nil {
		return nil, err
	}
	if !coversAll(actor, t.Areas) {
		return nil, fupin.Errorf(fupin.EForbidden, "不能创建超出您管辖区域的令牌")
	}
	err = db.update(ctx, actor, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (name, token_hash, role, areas, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, t.Name, hash, t.Role, strings.Join(t.Areas, ","), actor.Name, tx.now).Scan(&t.ID); err != nil {
			if name, ok := uniqueViolation(err); ok && strings.Contains(name, "name") {
				msg := "已有名为「" + t.Name + "」的令牌（含已吊销的），请换一个名称"
				return &fupin.Error{Code: fupin.EConflict, Message: msg, Fields: map[string]string{"name": "名称已被使用"}}
			}
			return fmt.Errorf("create token: %w", err)
		}
		t.CreatedBy, t.CreatedAt = actor.Name, tx.now
		return tx.auditValue(ctx, "token.create", "api_token", strconv.FormatInt(t.ID, 10), nil, t)
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

const tokenSelect = `SELECT id, name, role, areas, created_by, created_at, revoked_at, last_used_at FROM api_tokens`

func scanToken(row scanner) (*APIToken, error) {
	var t APIToken
	var areas string
	if err := row.Scan(&t.ID, &t.Name, &t.Role, &areas, &t.CreatedBy, &t.CreatedAt, &t.RevokedAt, &t.LastUsedAt); err != nil {
		return nil, err
	}
	t.Areas = strings.Split(areas, ",")
	return &t, nil
}

// Tokens lists every token, newest first.
func (db *DB) Tokens(ctx context.Context) ([]APIToken, error) {
	rows, err := db.read.QueryContext(ctx, tokenSelect+` ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	defer rows.Close()
	out := []APIToken{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *t)
	}
	return out, rows.Err()
}

// TokenByHash returns the unrevoked token with that hash and records its
// use. Errors: unauthorized.
func (db *DB) TokenByHash(ctx context.Context, hash string) (*APIToken, error) {
	// Every API request asks: the statement stays prepared on each
	// connection (SQLite: stmt_cache.go; PostgreSQL: pgx's cache).
	var t *APIToken
	err := db.retryRead(ctx, db.read, pgPoolConns, func() error {
		var err error
		t, err = scanToken(db.read.QueryRowContext(ctx, tokenSelect+` WHERE token_hash = $1 AND revoked_at IS NULL`, hash))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fupin.Errorf(fupin.EUnauthorized, "令牌无效或已吊销")
	} else if err != nil {
		return nil, err
	}
	now := db.Now().UTC().Truncate(time.Microsecond)
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		db.seen.touchToken(db, t.ID, now) // written in the background: never wait for the writer
	}
	return t, nil
}

// RevokeToken revokes a token. Errors: not_found.
func (db *DB) RevokeToken(ctx context.Context, actor fupin.Actor, id int64) error {
	return db.update(ctx, actor, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, tx.now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fupin.Errorf(fupin.ENotFound, "令牌 #%d 不存在或已吊销", id)
		}
		return tx.auditValue(ctx, "token.revoke", "api_token", strconv.FormatInt(id, 10), nil, nil)
	})
}
