package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"fupin/internal/fupin"
)

// Import is a spreadsheet import job: its options, state and counts.
type Import struct {
	ID          int64      `json:"id"`
	FileName    string     `json:"file_name"`
	Actor       string     `json:"actor"`
	ActorName   string     `json:"actor_name,omitempty" readOnly:"true" description:"操作人姓名（账号的显示名）"`
	Area        string     `json:"area"`
	DryRun      bool       `json:"dry_run"`
	SkipInvalid bool       `json:"skip_invalid"`
	State       string     `json:"state" description:"queued 排队 / running 进行中 / done 完成 / failed 失败 / rejected 有错误未写入 / interrupted 中断（服务或命令在导入中退出）"`
	Phase       string     `json:"phase" description:"check 仅检查（试导入）/ write 检查并写入（一遍读完）"`
	RowsRead    int        `json:"rows_read"`
	Households  int        `json:"households"`
	Valid       int        `json:"valid"`
	Invalid     int        `json:"invalid"`
	Written     int        `json:"written" description:"新增户数"`
	Updated     int        `json:"updated"`
	Unchanged   int        `json:"unchanged"`
	BytesDone   int64      `json:"bytes_done"`
	BytesTotal  int64      `json:"bytes_total"`
	Errors      int        `json:"errors" description:"错误处数（准确计数；清单只保存前若干处）"`
	Warnings    int        `json:"warnings" description:"提示处数（不影响写入）"`
	IncomeYear  int        `json:"income_year" description:"文件没有收入年度列时收入所属年度，0 为未指定"`
	Message     string     `json:"message"`
	CreatedAt   time.Time  `json:"created_at"`
	FinishedAt  *time.Time `json:"finished_at,omitempty"`
	// Principal is the account that started the job ("user:5", "token:3",
	// "cli"); with the actor's areas (Scope) it decides who may read the
	// job and its problems, never the display name.
	Principal string   `json:"-"`
	Scope     []string `json:"-"`
}

// ImportError is one problem of an import, with the bad row's cells.
type ImportError struct {
	Sheet  string   `json:"sheet"`
	Row    int      `json:"row"`
	Column string   `json:"column"`
	Value  string   `json:"value"`
	Reason string   `json:"reason"`
	Level  string   `json:"level" enum:"error,warning" description:"error 错误（该户不写入）/ warning 提示（照常写入）"`
	Cells  []string `json:"cells,omitempty"`
}

const importCols = `id, file_name, actor, area, dry_run, skip_invalid, state, phase, rows_read, households,
	valid, invalid, written, updated, unchanged, bytes_done, bytes_total, message, created_at, finished_at,
	errors, warnings, income_year, principal, scope`

func scanImport(row scanner) (*Import, error) {
	var im Import
	var scope string
	err := row.Scan(&im.ID, &im.FileName, &im.Actor, &im.Area, &im.DryRun, &im.SkipInvalid, &im.State, &im.Phase,
		&im.RowsRead, &im.Households, &im.Valid, &im.Invalid, &im.Written, &im.Updated, &im.Unchanged,
		&im.BytesDone, &im.BytesTotal, &im.Message, &im.CreatedAt, &im.FinishedAt,
		&im.Errors, &im.Warnings, &im.IncomeYear, &im.Principal, &scope)
	im.Scope = splitScope(scope)
	return &im, err
}

// splitScope reads the stored areas ("" is no area: only a whole-country
// reader sees the job; "," alone is the whole country).
func splitScope(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// CreateImport records a queued import job for the actor, owned by
// im.Principal within the actor's areas.
func (db *DB) CreateImport(ctx context.Context, actor fupin.Actor, im Import) (*Import, error) {
	err := db.update(ctx, actor, func(tx *Tx) error {
		im.Actor, im.State, im.CreatedAt, im.Scope = actor.Name, "queued", tx.now, actor.Areas
		return tx.QueryRowContext(ctx, `INSERT INTO imports (file_name, actor, area, dry_run, skip_invalid, state, created_at,
			principal, scope, income_year) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			im.FileName, im.Actor, im.Area, im.DryRun, im.SkipInvalid, im.State, tx.now,
			im.Principal, strings.Join(actor.Areas, ","), im.IncomeYear).Scan(&im.ID)
	})
	return &im, err
}

// visible reports whether the actor (as principal) may read a job: its own,
// or one started within the actor's areas.
func (im *Import) visible(actor fupin.Actor, principal string) bool {
	if principal != "" && im.Principal == principal {
		return true
	}
	if len(im.Scope) == 0 {
		return actor.Covers("")
	}
	for _, a := range im.Scope {
		if !actor.Covers(a) {
			return false
		}
	}
	return true
}

// SaveImportProgress stores a running job's state and counts; once the job has its final
// state (finished_at set) it changes nothing, so a late write cannot undo the end.
func (db *DB) SaveImportProgress(ctx context.Context, im *Import) error {
	_, err := db.write.ExecContext(ctx, `UPDATE imports SET state = $1, phase = $2, rows_read = $3, households = $4,
		valid = $5, invalid = $6, written = $7, updated = $8, unchanged = $9, bytes_done = $10, bytes_total = $11,
		message = $12, errors = $13, warnings = $14 WHERE id = $15 AND finished_at IS NULL`, im.State, im.Phase, im.RowsRead, im.Households, im.Valid,
		im.Invalid, im.Written, im.Updated, im.Unchanged, im.BytesDone, im.BytesTotal, im.Message, im.Errors, im.Warnings, im.ID)
	if err != nil {
		return fmt.Errorf("import progress: %w", err)
	}
	return nil
}

// FinishImport saves a finished job's problems and final state in one
// transaction, so that nobody reads the final state without its problems.
func (db *DB) FinishImport(ctx context.Context, im *Import, problems []ImportError) error {
	return db.update(ctx, fupin.SystemActor(""), func(tx *Tx) error {
		return tx.FinishImport(ctx, im, problems, false)
	})
}

// FinishImport saves a job's problems and final state within tx. committed
// says that tx also carries the job's data: its commit marker is then set,
// and the job's final state is decided by whether that transaction commits.
func (tx *Tx) FinishImport(ctx context.Context, im *Import, problems []ImportError, committed bool) error {
	if err := tx.saveImportErrors(ctx, im.ID, problems); err != nil {
		return err
	}
	var marker any
	if committed {
		marker = tx.now
	}
	now := tx.now
	im.FinishedAt = &now
	_, err := tx.ExecContext(ctx, `UPDATE imports SET state = $1, phase = $2, rows_read = $3, households = $4,
		valid = $5, invalid = $6, written = $7, updated = $8, unchanged = $9, bytes_done = $10, bytes_total = $11,
		message = $12, errors = $13, warnings = $14, finished_at = $15, committed_at = $16 WHERE id = $17`,
		im.State, im.Phase, im.RowsRead, im.Households, im.Valid, im.Invalid, im.Written, im.Updated, im.Unchanged,
		im.BytesDone, im.BytesTotal, im.Message, im.Errors, im.Warnings, now, marker, im.ID)
	if err != nil {
		return fmt.Errorf("finish import: %w", err)
	}
	return nil
}

// saveImportErrors writes a job's problems, numbered in order, with
// multi-row INSERTs.
func (tx *Tx) saveImportErrors(ctx context.Context, id int64, errs []ImportError) error {
	const per = 100
	for start := 0; start < len(errs); start += per {
		chunk := errs[start:min(start+per, len(errs))]
		var b strings.Builder
		args := make([]any, 0, 9*len(chunk))
		b.WriteString(`INSERT INTO import_errors (import_id, seq, sheet, row_num, column_name, value, reason, cells, level) VALUES `)
		for i, e := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(" + placeholders(len(args)+1, 9) + ")")
			cells, _ := json.Marshal(e.Cells)
			level := e.Level
			if level == "" {
				level = "error"
			}
			args = append(args, id, start+i, e.Sheet, e.Row, e.Column, e.Value, e.Reason, string(cells), level)
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("import errors: %w", err)
		}
	}
	return nil
}

// ImportJob returns a job the actor, signed in as principal, may read: its
// own, or one started within the actor's areas (see Import.Principal).
// Errors: not_found.
func (db *DB) ImportJob(ctx context.Context, actor fupin.Actor, principal string, id int64) (*Import, error) {
	im, err := scanImport(db.read.QueryRowContext(ctx, `SELECT `+importCols+` FROM imports WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !im.visible(actor, principal)) {
		return nil, fupin.Errorf(fupin.ENotFound, "导入任务 #%d 不存在", id)
	}
	if err != nil {
		return nil, err
	}
	im.CreatedAt = im.CreatedAt.UTC()
	return im, nil
}

// ImportJobs lists the latest jobs the actor may read, newest first.
func (db *DB) ImportJobs(ctx context.Context, actor fupin.Actor, principal string) ([]Import, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+importCols+` FROM imports ORDER BY id DESC LIMIT 2000`)
	if err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	defer rows.Close()
	out := []Import{}
	for rows.Next() && len(out) < 200 {
		im, err := scanImport(rows)
		if err != nil {
			return nil, err
		}
		if im.visible(actor, principal) {
			out = append(out, *im)
		}
	}
	return out, rows.Err()
}

// ImportErrors lists a job's problems in order (at most limit): errors
// first, then warnings.
func (db *DB) ImportErrors(ctx context.Context, id int64, limit int) ([]ImportError, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT sheet, row_num, column_name, value, reason, cells, level FROM import_errors
		WHERE import_id = $1 ORDER BY level, seq LIMIT $2`, id, limit)
	if err != nil {
		return nil, fmt.Errorf("import errors: %w", err)
	}
	defer rows.Close()
	out := []ImportError{}
	for rows.Next() {
		var e ImportError
		var cells string
		if err := rows.Scan(&e.Sheet, &e.Row, &e.Column, &e.Value, &e.Reason, &cells, &e.Level); err != nil {
			return nil, err
		}
		json.Unmarshal([]byte(cells), &e.Cells)
		out = append(out, e)
	}
	return out, rows.Err()
}

// FailInterruptedImports marks jobs left queued or running by a process that is gone as
// interrupted (中断). A job's final state is written in the transaction that writes its
// data, so a job still running did not commit; the commit marker is checked all the same and
// the message says whether anything was written.
//
// On SQLite every such job is taken as gone (call it at start, before any job runs). On
// PostgreSQL other servers may be running jobs: a job is gone when nobody holds its lock
// (HoldImport; a session's locks end with its connection, so a killed server's jobs are
// found), and a queued job only after a minute, the time its server has to start it.
func (db *DB) FailInterruptedImports(ctx context.Context) (int64, error) {
	now := db.Now().UTC().Truncate(time.Microsecond)
	where := `state IN ('queued', 'running')`
	if db.dialect == Postgres {
		where = `((state = 'running') OR (state = 'queued' AND created_at < $2))
			AND pg_try_advisory_xact_lock(hashtext(current_schema() || ':import'), id::int4)`
	}
	args := []any{now}
	if db.dialect == Postgres {
		args = append(args, now.Add(-time.Minute))
	}
	res, err := db.write.ExecContext(ctx, `UPDATE imports SET state = 'interrupted', finished_at = $1,
		message = CASE WHEN committed_at IS NULL THEN '导入中断（服务或命令在导入过程中退出）；导入事务未提交，未写入任何数据，请重新导入'
		ELSE '导入中断（服务或命令在导入过程中退出）；导入事务已提交，数据已写入，计数可能不完整' END
		WHERE `+where, args...)
	if err != nil {
		return 0, fmt.Errorf("interrupted imports: %w", err)
	}
	return res.RowsAffected()
}

// HoldImport marks a job as worked by this process until release is called: on PostgreSQL
// a session advisory lock on a connection of its own, which ends with the process, so other
// servers tell a running job from one whose server was killed (FailInterruptedImports).
// On SQLite it does nothing.
func (db *DB) HoldImport(ctx context.Context, id int64) (release func(), err error) {
	if db.dialect != Postgres {
		return func() {}, nil
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("import lock: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(hashtext(current_schema() || ':import'), $1::int4)`, id); err != nil {
		conn.Close()
		return nil, fmt.Errorf("import lock: %w", err)
	}
	return func() {
		conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(hashtext(current_schema() || ':import'), $1::int4)`, id)
		conn.Close()
	}, nil
}
