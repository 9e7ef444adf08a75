package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"unicode/utf8"

	"fupin/internal/fupin"
	"fupin/internal/practice"
)

// AddPracticeDocument attaches a document (材料) to a practice the actor may
// edit: a whole PDF or a re-encoded JPEG/PNG, checked like ledger evidence,
// at most practice.MaxDocuments per practice. Errors: too_large, invalid
// (file), not_found, forbidden, conflict (withdrawn, or full).
func (db *DB) AddPracticeDocument(ctx context.Context, actor fupin.Actor, role string, id int64, fileName string, data []byte) (*practice.Document, error) {
	data, ct, err := checkDocument(data, "案例材料")
	if err != nil {
		return nil, err
	}
	d := &practice.Document{FileName: documentName(fileName), ContentType: ct, Size: len(data), CreatedBy: actor.Name}
	err = db.update(ctx, actor, func(tx *Tx) error {
		p, err := tx.practice(ctx, id)
		if err != nil {
			return err
		}
		if !actor.Covers(p.AreaCode) {
			return forbidPracticeArea(p.AreaCode)
		}
		if err := practice.CanEdit(role, p.Status); err != nil {
			return err
		}
		// Bumping the version serialises uploads on PostgreSQL, so the
		// count holds, and tells an open edit form that the practice changed.
		if _, err := tx.ExecContext(ctx, `UPDATE practices SET version = version + 1, updated_at = $1 WHERE id = $2`, tx.now, id); err != nil {
			return fmt.Errorf("lock practice: %w", err)
		}
		if len(p.Documents) >= practice.MaxDocuments {
			return fupin.Errorf(fupin.EConflict, "每个案例最多 %d 个材料", practice.MaxDocuments)
		}
		d.CreatedAt = tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO practice_documents (practice_id, file_name, content_type, size, data, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, id, d.FileName, ct, d.Size, data, actor.Name, tx.now).Scan(&d.ID); err != nil {
			return fmt.Errorf("insert practice document: %w", err)
		}
		return tx.auditValue(ctx, "practice.document", "practice", strconv.FormatInt(id, 10), nil, d)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// PracticeDocument returns a document with its bytes when the actor sees
// its practice. Errors: not_found.
func (db *DB) PracticeDocument(ctx context.Context, actor fupin.Actor, id int64) (*practice.Document, error) {
	var d practice.Document
	err := db.view(ctx, actor, func(tx *Tx) error {
		var area, status string
		err := tx.QueryRowContext(ctx, `SELECT d.id, d.file_name, d.content_type, d.size, d.data, d.created_by, d.created_at, p.area_code, p.status
			FROM practice_documents d JOIN practices p ON p.id = d.practice_id WHERE d.id = $1`, id).Scan(
			&d.ID, &d.FileName, &d.ContentType, &d.Size, &d.Data, &d.CreatedBy, &d.CreatedAt, &area, &status)
		if isNoRows(err) || (err == nil && !practice.Visible(tx.actor, area, status)) {
			return notFound("案例材料", id)
		}
		d.CreatedAt = d.CreatedAt.UTC()
		return err
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// PracticeDraft fills a new practice from the record it is proposed from:
// a closed finding (its description, measures and evidence, the
// households it named and fixed) or a completed rotation (the posts and
// handover entries it moved). Nothing is stored. Errors: invalid (source),
// not_found, conflict (not closed or not completed).
func (db *DB) PracticeDraft(ctx context.Context, actor fupin.Actor, source string, id int64) (*practice.Practice, error) {
	out := &practice.Practice{Source: source, SourceID: id, Figures: []practice.Figure{}, Documents: []practice.Document{}}
	err := db.view(ctx, actor, func(tx *Tx) error {
		out.Figures = out.Figures[:0]
		if err := tx.checkPracticeSource(ctx, source, id); err != nil {
			return err
		}
		switch source {
		case "finding":
			f, err := tx.finding(ctx, id, nil)
			if err != nil {
				return err
			}
			out.Title, out.AreaCode, out.Themes = cut(f.Description, practice.MaxTitle-6)+"的整改经验", f.AreaCode, []string{"rectification"}
			out.Problem, out.Actions, out.Results = f.Description, f.Measures, f.Evidence
			out.Figures = append(out.Figures, practice.Figure{Label: "涉及农户", Value: float64(f.Households), Unit: "户", Source: "finding", SourceID: id},
				practice.Figure{Label: "已整改（核查达标）农户", Value: float64(f.Fixed), Unit: "户", Source: "finding", SourceID: id})
		case "rotation":
			r, err := tx.rotation(ctx, id)
			if err != nil {
				return err
			}
			out.Title, out.AreaCode, out.Themes = cut(r.Title, practice.MaxTitle-6)+"的交接经验", r.AreaCode, []string{"forces"}
			out.Problem = "驻村工作队、帮扶责任人轮换时工作不断档、责任不落空"
			out.Actions = "按交接清单逐项交接岗位、结对农户、项目、资料和未结案件，轮出人、轮入人和乡镇指挥部办公室三方确认。" + r.Note
			if r.CompletedAt != nil {
				out.Results = r.CompletedAt.In(chinaTime).Format("2006 年 1 月 2 日") + "完成交接"
			}
			out.Figures = append(out.Figures, practice.Figure{Label: "交接岗位", Value: float64(len(r.Items) + r.HiddenItems), Unit: "个", Source: "rotation", SourceID: id},
				practice.Figure{Label: "交接清单事项", Value: float64(len(r.Entries) + r.HiddenEntries), Unit: "项", Source: "rotation", SourceID: id})
		default:
			return &fupin.Error{Code: fupin.EInvalid, Message: "只能由已销号的整改问题或已完成的轮换推荐", Fields: map[string]string{"source": "应为 finding 或 rotation"}}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// cut shortens s to at most n characters.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
