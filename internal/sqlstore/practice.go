package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"fupin/internal/fupin"
	"fupin/internal/practice"
)

// PracticeFilter selects practices: an area prefix, a theme, a status and
// a search (any part of the title or text, or the title's pinyin
// initials), a page of at most 500.
type PracticeFilter struct {
	Area   string
	Theme  string
	Status string
	Query  string
	Offset int
	Limit  int
}

// PracticePage is a page of practices (without their long texts' documents).
type PracticePage struct {
	Items []practice.Practice `json:"items"`
	Total int                 `json:"total"`
}

const practiceCols = `id, title, initials, area_code, themes, problem, actions, results, figures, source, source_id, status, version,
	created_by, created_at, published_by, published_at`

func scanPractice(row scanner) (*practice.Practice, error) {
	var p practice.Practice
	var themes, figures string
	var source sql.NullInt64
	var published sql.NullTime
	if err := row.Scan(&p.ID, &p.Title, &p.Initials, &p.AreaCode, &themes, &p.Problem, &p.Actions, &p.Results, &figures, &p.Source, &source,
		&p.Status, &p.Version, &p.CreatedBy, &p.CreatedAt, &p.PublishedBy, &published); err != nil {
		return nil, err
	}
	p.Themes = strings.Split(strings.Trim(themes, ","), ",")
	if err := json.Unmarshal([]byte(figures), &p.Figures); err != nil {
		return nil, fmt.Errorf("practice %d figures: %w", p.ID, err)
	}
	p.SourceID = source.Int64
	p.CreatedAt = p.CreatedAt.UTC()
	if published.Valid {
		t := published.Time.UTC()
		p.PublishedAt = &t
	}
	p.AreaName = regionName(p.AreaCode)
	p.Documents = []practice.Document{}
	return &p, nil
}

// practice loads one practice the actor may see, with its documents.
func (tx *Tx) practice(ctx context.Context, id int64) (*practice.Practice, error) {
	p, err := scanPractice(tx.QueryRowContext(ctx, `SELECT `+practiceCols+` FROM practices WHERE id = $1`, id))
	if isNoRows(err) || (err == nil && !practice.Visible(tx.actor, p.AreaCode, p.Status)) {
		return nil, notFound("案例", id)
	} else if err != nil {
		return nil, fmt.Errorf("load practice: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, file_name, content_type, size, created_by, created_at FROM practice_documents
		WHERE practice_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("practice documents: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d practice.Document
		if err := rows.Scan(&d.ID, &d.FileName, &d.ContentType, &d.Size, &d.CreatedBy, &d.CreatedAt); err != nil {
			return nil, err
		}
		d.CreatedAt = d.CreatedAt.UTC()
		p.Documents = append(p.Documents, d)
	}
	return p, rows.Err()
}

// Practice returns one practice with its documents. Errors: not_found
// (also when the actor may not see it: see practice.Visible).
func (db *DB) Practice(ctx context.Context, actor fupin.Actor, id int64) (*practice.Practice, error) {
	var out *practice.Practice
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		out, err = tx.practice(ctx, id)
		return err
	})
	return out, err
}

// practiceVisibleCond is the SQL form of practice.Visible for the actor's
// areas narrowed to area: inside one of them, or published in an area
// that contains one of them (a county or township code that prefixes it).
func practiceVisibleCond(actor fupin.Actor, area string, arg func(any) string) string {
	var or []string
	for _, p := range actor.Narrow(area) {
		if p == "" {
			return "TRUE"
		}
		or = append(or, "(area_code >= "+arg(p)+" AND area_code < "+arg(p+":")+")")
	}
	var above []string
	for _, p := range actor.Areas {
		for _, n := range []int{6, 9} {
			if len(p) > n && strings.HasPrefix(p[:n], area) {
				above = append(above, arg(p[:n]))
			}
		}
	}
	if len(above) > 0 {
		or = append(or, "(status = 'published' AND area_code IN ("+strings.Join(above, ", ")+"))")
	}
	if len(or) == 0 {
		return "FALSE"
	}
	return "(" + strings.Join(or, " OR ") + ")"
}

// ListPractices lists the practices the actor may see that match f, newest
// first. A search of letters only also matches the titles' pinyin
// initials (GFCY finds 光伏产业…). Errors: invalid.
func (db *DB) ListPractices(ctx context.Context, actor fupin.Actor, f PracticeFilter) (*PracticePage, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
	conds := []string{practiceVisibleCond(actor, f.Area, arg)}
	if f.Theme != "" {
		conds = append(conds, "themes LIKE "+arg(likeContains(","+f.Theme+","))+` ESCAPE '\'`)
	}
	if f.Status != "" {
		conds = append(conds, "status = "+arg(f.Status))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		text := arg(likeContains(q))
		or := "title LIKE " + text + ` ESCAPE '\' OR problem LIKE ` + text + ` ESCAPE '\' OR actions LIKE ` + text + ` ESCAPE '\' OR results LIKE ` + text + ` ESCAPE '\'`
		if ini := fupin.Initials(q); ini != "" && strings.Trim(q, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") == "" {
			or += " OR initials LIKE " + arg(likeContains(ini)) + ` ESCAPE '\'`
		}
		conds = append(conds, "("+or+")")
	}
	where := strings.Join(conds, " AND ")
	out := &PracticePage{Items: []practice.Practice{}}
	err := db.view(ctx, actor, func(tx *Tx) error {
		out.Items = out.Items[:0]
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM practices WHERE `+where, args...).Scan(&out.Total); err != nil {
			return fmt.Errorf("count practices: %w", err)
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+practiceCols+` FROM practices WHERE `+where+` ORDER BY id DESC LIMIT `+itoa(f.Limit)+` OFFSET `+itoa(f.Offset), args...)
		if err != nil {
			return fmt.Errorf("list practices: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPractice(rows)
			if err != nil {
				return err
			}
			out.Items = append(out.Items, *p)
		}
		return rows.Err()
	})
	return out, err
}

// CreatePractice proposes a practice inside the actor's areas; one
// proposed from a finding needs it closed (已销号), from a rotation needs it
// completed, both visible to the actor. Errors: invalid, forbidden (role
// or area), not_found (source), conflict (source not finished).
func (db *DB) CreatePractice(ctx context.Context, actor fupin.Actor, role string, p practice.Practice) (*practice.Practice, error) {
	if !practice.CanPropose(role) {
		return nil, fupin.Errorf(fupin.EForbidden, "只有县、乡镇、村级用户可以推荐案例")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if !actor.Covers(p.AreaCode) {
		return nil, forbidPracticeArea(p.AreaCode)
	}
	var out *practice.Practice
	err := db.update(ctx, actor, func(tx *Tx) error {
		if err := tx.checkPracticeSource(ctx, p.Source, p.SourceID); err != nil {
			return err
		}
		figures, _ := json.Marshal(p.Figures)
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO practices (title, initials, area_code, themes, problem, actions, results, figures, source,
			source_id, status, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
			p.Title, fupin.Initials(p.Title), p.AreaCode, ","+strings.Join(p.Themes, ",")+",", p.Problem, p.Actions, p.Results, string(figures),
			p.Source, nullID(&p.SourceID), practice.StatusProposed, actor.Name, tx.now).Scan(&id); err != nil {
			return fmt.Errorf("insert practice: %w", err)
		}
		var err error
		if out, err = tx.practice(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "practice.create", "practice", strconv.FormatInt(id, 10), nil, out)
	})
	return out, err
}

func forbidPracticeArea(code string) error {
	return &fupin.Error{Code: fupin.EForbidden, Message: "只能推荐、修改本辖区的案例：" + code,
		Fields: map[string]string{"area_code": "不在管辖区域内"}}
}

// checkPracticeSource checks the record a practice is proposed from.
func (tx *Tx) checkPracticeSource(ctx context.Context, source string, id int64) error {
	switch source {
	case "finding":
		f, err := tx.finding(ctx, id, nil)
		if err != nil {
			return err
		}
		if f.Status != "closed" {
			return &fupin.Error{Code: fupin.EConflict, Message: "只有已销号的问题可以推荐为典型案例", Fields: map[string]string{"source_id": "问题尚未销号"}}
		}
	case "rotation":
		r, err := tx.rotation(ctx, id)
		if err != nil {
			return err
		}
		if r.Status != "completed" {
			return &fupin.Error{Code: fupin.EConflict, Message: "只有已完成的轮换交接可以推荐为典型案例", Fields: map[string]string{"source_id": "轮换尚未完成"}}
		}
	}
	return nil
}

// UpdatePractice edits a practice's text, area, themes and figures (its
// source and status stay): proposers inside the area while it is proposed,
// the county while it is published. Errors: invalid, not_found,
// forbidden, conflict (stale version, withdrawn).
func (db *DB) UpdatePractice(ctx context.Context, actor fupin.Actor, role string, id int64, p practice.Practice) (*practice.Practice, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var out *practice.Practice
	err := db.update(ctx, actor, func(tx *Tx) error {
		before, err := tx.practice(ctx, id)
		if err != nil {
			return err
		}
		if !actor.Covers(before.AreaCode) || !actor.Covers(p.AreaCode) {
			return forbidPracticeArea(p.AreaCode)
		}
		if err := practice.CanEdit(role, before.Status); err != nil {
			return err
		}
		if p.Version != before.Version {
			return staleVersion(p.Version, before.Version)
		}
		figures, _ := json.Marshal(p.Figures)
		res, err := tx.ExecContext(ctx, `UPDATE practices SET title = $1, initials = $2, area_code = $3, themes = $4, problem = $5, actions = $6,
			results = $7, figures = $8, version = version + 1, updated_at = $9 WHERE id = $10 AND version = $11`,
			p.Title, fupin.Initials(p.Title), p.AreaCode, ","+strings.Join(p.Themes, ",")+",", p.Problem, p.Actions, p.Results, string(figures),
			tx.now, id, p.Version)
		if err := versioned(res, err, "update practice"); err != nil {
			return err
		}
		if out, err = tx.practice(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "practice.update", "practice", strconv.FormatInt(id, 10), before, out)
	})
	return out, err
}

// PracticeAction asks to publish or withdraw a practice at a version.
type PracticeAction struct {
	Action  string `json:"action" required:"true" enum:"publish,withdraw" description:"publish 审核入库、withdraw 撤回"`
	Version int64  `json:"version" required:"true"`
}

// ActOnPractice publishes or withdraws a practice inside the actor's areas
// (practice.Next). Errors: invalid, not_found, forbidden, conflict.
func (db *DB) ActOnPractice(ctx context.Context, actor fupin.Actor, role string, id int64, in PracticeAction) (*practice.Practice, error) {
	var out *practice.Practice
	err := db.update(ctx, actor, func(tx *Tx) error {
		before, err := tx.practice(ctx, id)
		if err != nil {
			return err
		}
		next, err := practice.Next(before.Status, in.Action, role)
		if err != nil {
			return err
		}
		if !actor.Covers(before.AreaCode) {
			return forbidPracticeArea(before.AreaCode)
		}
		if in.Version != before.Version {
			return staleVersion(in.Version, before.Version)
		}
		q := `UPDATE practices SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4`
		args := []any{next, tx.now, id, in.Version}
		if next == practice.StatusPublished {
			q = `UPDATE practices SET status = $1, version = version + 1, updated_at = $2, published_by = $5, published_at = $2 WHERE id = $3 AND version = $4`
			args = append(args, actor.Name)
		}
		res, err := tx.ExecContext(ctx, q, args...)
		if err := versioned(res, err, "act on practice"); err != nil {
			return err
		}
		if out, err = tx.practice(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "practice."+in.Action, "practice", strconv.FormatInt(id, 10), before, out)
	})
	return out, err
}
