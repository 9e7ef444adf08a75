package sqlstore

import (
	"context"

	"fupin/internal/fupin"
)

// ChangeOwnPassword stores a new password hash for a user who proved the
// current one (the caller checks it) and ends the user's other sessions;
// keepSession is the id hash of the session that made the change (empty
// ends them all). Audited as user.password.self in the same transaction.
// Errors: not_found when the user does not exist or is disabled.
func (db *DB) ChangeOwnPassword(ctx context.Context, username, passwordHash, keepSession string) error {
	return db.update(ctx, fupin.Actor{Name: username}, func(tx *Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2
			WHERE username = $3 AND disabled = $4 RETURNING id`, passwordHash, tx.now, username, false).Scan(&id)
		if err != nil {
			if isNoRows(err) {
				return fupin.Errorf(fupin.ENotFound, "用户不存在或已停用：%s", username)
			}
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2`, id, keepSession)
		if err != nil {
			return err
		}
		ended, err := res.RowsAffected()
		if err != nil {
			return err
		}
		return tx.auditValue(ctx, "user.password.self", "user", username, nil, map[string]int64{"other_sessions_ended": ended})
	})
}
