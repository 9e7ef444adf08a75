package sqlstore

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"fupin/internal/fupin"
	"fupin/internal/ledger"
)

// AddEvidence attaches an evidence file to an open finding inside the
// actor's areas: a JPEG or PNG image (at most MaxPhotoBytes, decoded and
// encoded again like a visit photo) or a whole PDF (at most
// ledger.MaxEvidenceBytes), at most ledger.MaxEvidencePerFinding per
// finding. Errors: too_large, invalid (field file), not_found, forbidden
// (visible but outside the actor's areas), conflict (closed, or full).
func (db *DB) AddEvidence(ctx context.Context, actor fupin.Actor, findingID int64, fileName string, data []byte) (*ledger.EvidenceFile, error) {
	data, ct, err := checkDocument(data, "佐证材料")
	if err != nil {
		return nil, err
	}
	name := documentName(fileName)
	e := &ledger.EvidenceFile{FindingID: findingID, FileName: name, ContentType: ct, Size: len(data), CreatedBy: actor.Name}
	err = db.update(ctx, actor, func(tx *Tx) error {
		f, err := tx.finding(ctx, findingID, nil)
		if err != nil {
			return err
		}
		if !actor.Covers(f.AreaCode) {
			return fupin.Errorf(fupin.EForbidden, "只能为本辖区的问题上传佐证材料")
		}
		if f.Status == ledger.StatusClosed {
			return fupin.Errorf(fupin.EConflict, "问题已销号，不能再上传佐证材料")
		}
		// Touching the finding's row serialises uploads to it on
		// PostgreSQL (SQLite has one writer), so the count below holds.
		if _, err := tx.ExecContext(ctx, `UPDATE ledger_findings SET updated_at = $1 WHERE id = $2`, tx.now, findingID); err != nil {
			return fmt.Errorf("lock finding: %w", err)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_evidence WHERE finding_id = $1`, findingID).Scan(&n); err != nil {
			return fmt.Errorf("count evidence: %w", err)
		}
		if n >= ledger.MaxEvidencePerFinding {
			return fupin.Errorf(fupin.EConflict, "每个问题最多 %d 个佐证材料", ledger.MaxEvidencePerFinding)
		}
		e.CreatedAt = tx.now
		if err := tx.QueryRowContext(ctx, `INSERT INTO ledger_evidence (finding_id, file_name, content_type, size, data, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, findingID, e.FileName, ct, e.Size, data, actor.Name, tx.now).Scan(&e.ID); err != nil {
			return fmt.Errorf("insert evidence: %w", err)
		}
		return tx.audit(ctx, "ledger.evidence.add", "ledger_evidence", e.ID, 0, nil, e)
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// evidenceFiles lists a finding's evidence files (without bytes).
func (tx *Tx) evidenceFiles(ctx context.Context, findingID int64) ([]ledger.EvidenceFile, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, finding_id, file_name, content_type, size, created_by, created_at
		FROM ledger_evidence WHERE finding_id = $1 ORDER BY id`, findingID)
	if err != nil {
		return nil, fmt.Errorf("evidence files: %w", err)
	}
	defer rows.Close()
	out := []ledger.EvidenceFile{}
	for rows.Next() {
		var e ledger.EvidenceFile
		if err := rows.Scan(&e.ID, &e.FindingID, &e.FileName, &e.ContentType, &e.Size, &e.CreatedBy, &e.CreatedAt); err != nil {
			return nil, err
		}
		e.CreatedAt = e.CreatedAt.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// EvidenceData returns an evidence file with its bytes when its finding's
// area is inside the actor's areas (files may show households of every
// village of a township-level finding, so seeing the finding is not
// enough). Errors: not_found.
func (db *DB) EvidenceData(ctx context.Context, actor fupin.Actor, id int64) (*ledger.EvidenceFile, error) {
	var e ledger.EvidenceFile
	err := db.view(ctx, actor, func(tx *Tx) error {
		var area string
		err := tx.QueryRowContext(ctx, `SELECT e.id, e.finding_id, e.file_name, e.content_type, e.size, e.data, e.created_by, e.created_at,
			f.area_code FROM ledger_evidence e JOIN ledger_findings f ON f.id = e.finding_id WHERE e.id = $1`, id).Scan(
			&e.ID, &e.FindingID, &e.FileName, &e.ContentType, &e.Size, &e.Data, &e.CreatedBy, &e.CreatedAt, &area)
		if isNoRows(err) || (err == nil && !actor.Covers(area)) {
			return notFound("佐证材料", id)
		}
		e.CreatedAt = e.CreatedAt.UTC()
		return err
	})
	if err != nil {
		return nil, err
	}
	return &e, nil
}

// checkDocument checks an uploaded document (佐证材料, 承诺授权书): a whole PDF
// of at most ledger.MaxEvidenceBytes (ledger.CheckPDF) or a JPEG or PNG
// image of at most MaxPhotoBytes, decoded and encoded again like a visit
// photo. It answers the bytes to store and their content type. Errors:
// too_large, invalid on field file; what names the document.
func checkDocument(data []byte, what string) ([]byte, string, error) {
	if len(data) > ledger.MaxEvidenceBytes {
		return nil, "", fupin.Errorf(fupin.ETooLarge, "%s每个文件不能超过 %d MB", what, ledger.MaxEvidenceBytes>>20)
	}
	if ledger.IsPDF(data) {
		return data, "application/pdf", ledger.CheckPDF(data)
	}
	if len(data) > MaxPhotoBytes {
		return nil, "", fupin.Errorf(fupin.ETooLarge, "图片不能超过 %d MB", MaxPhotoBytes>>20)
	}
	data, ct, err := cleanImage(data)
	if err != nil {
		return nil, "", &fupin.Error{Code: fupin.EInvalid, Message: what + "只支持 JPEG、PNG 图片和 PDF 文件",
			Fields: map[string]string{"file": err.Error()}}
	}
	return data, ct, nil
}

// documentName is the base name of an uploaded file, at most 100 characters.
func documentName(fileName string) string {
	name := filepath.Base(strings.ReplaceAll(fileName, `\`, "/"))
	if r := []rune(name); len(r) > 100 {
		name = string(r[len(r)-100:])
	}
	return name
}
