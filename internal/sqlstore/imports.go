package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"fupin/internal/fupin"
)

// Import is a spreadsheet import job: its options, state and counts.
type Import struct {
	ID          int64      `json:"id"`
	FileName    string     `json:"file_name"`
	Actor       string     `json:"actor"`
	Area        string     `json:"area"`
	DryRun      bool       `json:"dry_run"`
	SkipInvalid bool       `json:"skip_invalid"`
	State       string     `json:"state" description:"queued 排队 / running 进行中 / done 完成 / failed 失败 / rejected 有错误未写入"`
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
	Message     string     `json:"message"`
	CreatedAt   time.Time  `json:"created_at"`
	FinishedAt  *time.Time `json:"finished_at,omitempty"`
}

// ImportError is one problem of an import, with the bad row's cells.
type ImportError struct {
	Sheet  string   `json:"sheet"`
	Row    int      `json:"row"`
	Column string   `json:"column"`
	Value  string   `json:"value"`
	Reason string   `json:"reason"`
	Cells  []string `json:"cells,omitempty"`
}

const importCols = `id, file_name, actor, area, dry_run, skip_invalid, state, phase, rows_read, households,
	valid, invalid, written, updated, unchanged, bytes_done, bytes_total, message, created_at, finished_at`

func scanImport(row scanner) (*Import, error) {
	var im Import
	err := row.Scan(&im.ID, &im.FileName, &im.Actor, &im.Area, &im.DryRun, &im.SkipInvalid, &im.State, &im.Phase,
		&im.RowsRead, &im.Households, &im.Valid, &im.Invalid, &im.Written, &im.Updated, &im.Unchanged,
		&im.BytesDone, &im.BytesTotal, &im.Message, &im.CreatedAt, &im.FinishedAt)
	return &im, err
}

// CreateImport records a queued import job for the actor.
func (db *DB) CreateImport(ctx context.Context, actor fupin.Actor, im Import) (*Import, error) {
	err := db.update(ctx, actor, func(tx *Tx) error {
		im.Actor, im.State, im.CreatedAt = actor.Name, "queued", tx.now
		return tx.QueryRowContext(ctx, `INSERT INTO imports (file_name, actor, area, dry_run, skip_invalid, state, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, im.FileName, im.Actor, im.Area, im.DryRun, im.SkipInvalid,
			im.State, tx.now).Scan(&im.ID)
	})
	return &im, err
}

// SaveImportProgress stores a job's state and counts; when finished it
// stamps the time.
func (db *DB) SaveImportProgress(ctx context.Context, im *Import) error {
	var finished any
	if im.State == "done" || im.State == "failed" || im.State == "rejected" {
		finished = db.Now().UTC().Truncate(time.Microsecond)
	}
	_, err := db.write.ExecContext(ctx, `UPDATE imports SET state = $1, phase = $2, rows_read = $3, households = $4,
		valid = $5, invalid = $6, written = $7, updated = $8, unchanged = $9, bytes_done = $10, bytes_total = $11,
		message = $12, finished_at = $13 WHERE id = $14`, im.State, im.Phase, im.RowsRead, im.Households, im.Valid,
		im.Invalid, im.Written, im.Updated, im.Unchanged, im.BytesDone, im.BytesTotal, im.Message, finished, im.ID)
	if err != nil {
		return fmt.Errorf("import progress: %w", err)
	}
	return nil
}

// SaveImportErrors appends problems to a job, numbering them from first.
func (db *DB) SaveImportErrors(ctx context.Context, id int64, first int, errs []ImportError) error {
	return db.update(ctx, fupin.SystemActor(""), func(tx *Tx) error {
		for i, e := range errs {
			cells, _ := json.Marshal(e.Cells)
			if _, err := tx.ExecContext(ctx, `INSERT INTO import_errors (import_id, seq, sheet, row_num, column_name, value, reason, cells)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, first+i, e.Sheet, e.Row, e.Column, e.Value, e.Reason, string(cells)); err != nil {
				return fmt.Errorf("import errors: %w", err)
			}
		}
		return nil
	})
}

// ImportJob returns a job visible to the actor (their own, or any for a
// whole-country actor). Errors: not_found.
func (db *DB) ImportJob(ctx context.Context, actor fupin.Actor, id int64) (*Import, error) {
	im, err := scanImport(db.read.QueryRowContext(ctx, `SELECT `+importCols+` FROM imports WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.Covers("") && im.Actor != actor.Name) {
		return nil, fupin.Errorf(fupin.ENotFound, "导入任务 #%d 不存在", id)
	}
	if err != nil {
		return nil, err
	}
	im.CreatedAt = im.CreatedAt.UTC()
	return im, nil
}

// ImportJobs lists the latest jobs visible to the actor, newest first.
func (db *DB) ImportJobs(ctx context.Context, actor fupin.Actor) ([]Import, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+importCols+` FROM imports ORDER BY id DESC LIMIT 200`)
	if err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	defer rows.Close()
	out := []Import{}
	for rows.Next() {
		im, err := scanImport(rows)
		if err != nil {
			return nil, err
		}
		if actor.Covers("") || im.Actor == actor.Name {
			out = append(out, *im)
		}
	}
	return out, rows.Err()
}

// ImportErrors lists a job's problems in order (at most limit).
func (db *DB) ImportErrors(ctx context.Context, id int64, limit int) ([]ImportError, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT sheet, row_num, column_name, value, reason, cells FROM import_errors
		WHERE import_id = $1 ORDER BY seq LIMIT $2`, id, limit)
	if err != nil {
		return nil, fmt.Errorf("import errors: %w", err)
	}
	defer rows.Close()
	out := []ImportError{}
	for rows.Next() {
		var e ImportError
		var cells string
		if err := rows.Scan(&e.Sheet, &e.Row, &e.Column, &e.Value, &e.Reason, &cells); err != nil {
			return nil, err
		}
		json.Unmarshal([]byte(cells), &e.Cells)
		out = append(out, e)
	}
	return out, rows.Err()
}

// FailInterruptedImports marks jobs left queued or running by a previous
// process as failed: their transaction never committed, so nothing of
// them was written.
func (db *DB) FailInterruptedImports(ctx context.Context) (int64, error) {
	res, err := db.write.ExecContext(ctx, `UPDATE imports SET state = 'failed',
		message = '服务重启，导入中断；未写入任何数据，请重新导入', finished_at = $1
		WHERE state IN ('queued', 'running')`, db.Now().UTC().Truncate(time.Microsecond))
	if err != nil {
		return 0, fmt.Errorf("interrupted imports: %w", err)
	}
	return res.RowsAffected()
}
