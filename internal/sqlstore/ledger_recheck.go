package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/ledger"
)

// RecheckIn is the result of re-checking a closed finding in a 回头看.
type RecheckIn struct {
	InspectionID int64      `json:"inspection_id" required:"true" description:"回头看（来源为 recheck 的巡视检查）编号"`
	Recurred     bool       `json:"recurred" description:"问题反弹：按原问题新建一个问题并与之关联"`
	Text         string     `json:"text" required:"true" description:"复查情况"`
	Deadline     fupin.Date `json:"deadline" description:"反弹问题的整改时限（反弹时必填，长期坚持除外）"`
}

// RecheckResult is the re-checked finding and, when it recurred, the new
// finding linked to it.
type RecheckResult struct {
	Finding    *FindingDetail `json:"finding"`
	Recurrence *FindingDetail `json:"recurrence,omitempty"`
}

// RecheckFinding records a 回头看 re-check of a closed (已销号) finding by
// a township, county or admin account; a recurrence opens a new finding
// under the re-inspection linked to the old one, with its households.
// Errors: invalid, not_found, forbidden, conflict (not closed).
func (db *DB) RecheckFinding(ctx context.Context, actor fupin.Actor, role string, id int64, in RecheckIn) (*RecheckResult, error) {
	errs := fupin.FieldErrors{}
	in.Text = strings.TrimSpace(in.Text)
	if in.Text == "" || len([]rune(in.Text)) > ledger.MaxText {
		errs.Add("text", fmt.Sprintf("请填写复查情况（不超过 %d 个字）", ledger.MaxText))
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if !slices.Contains([]string{ledger.RoleAdmin, ledger.RoleCounty, ledger.RoleTownship}, role) {
		return nil, fupin.Errorf(fupin.EForbidden, "回头看复查须由乡镇指挥部办公室或县级账号办理")
	}
	out := &RecheckResult{}
	err := db.update(ctx, actor, func(tx *Tx) error {
		old, err := tx.finding(ctx, id, nil)
		if err != nil {
			return err
		}
		if !actor.Covers(old.AreaCode) {
			return aid.ForbidArea(old.AreaCode)
		}
		if old.Status != ledger.StatusClosed {
			return fupin.Errorf(fupin.EConflict, "只能复查已销号的问题（当前为“%s”）", ledger.Statuses.LabelOf(old.Status))
		}
		insp, err := tx.inspection(ctx, in.InspectionID)
		if err != nil {
			return withField(err, "inspection_id")
		}
		if insp.Source != "recheck" {
			return &fupin.Error{Code: fupin.EInvalid, Message: "复查须记在来源为“回头看”的巡视（检查）下", Fields: map[string]string{"inspection_id": "不是回头看"}}
		}
		if err := tx.addFindingStep(ctx, id, ledger.Step{Kind: "recheck", Account: actor.Name, Text: in.Text, From: old.Status, To: old.Status}); err != nil {
			return err
		}
		if in.Recurred {
			if out.Recurrence, err = tx.recur(ctx, old, in); err != nil {
				return err
			}
		}
		if out.Finding, err = tx.findingDetail(ctx, id); err != nil {
			return err
		}
		return tx.auditValue(ctx, "ledger.finding.recheck", "ledger_finding", strconv.FormatInt(id, 10), nil, out)
	})
	return out, err
}

func (tx *Tx) recur(ctx context.Context, old *ledger.Finding, in RecheckIn) (*FindingDetail, error) {
	nf := ledger.Recurred(*old, in.InspectionID, "回头看发现反弹："+in.Text)
	nf.Deadline = in.Deadline
	if err := nf.Validate(); err != nil {
		return nil, err
	}
	var hh []int64
	rows, err := tx.QueryContext(ctx, `SELECT household_id FROM ledger_finding_households WHERE finding_id = $1 ORDER BY household_id`, old.ID)
	if err != nil {
		return nil, fmt.Errorf("recurrence households: %w", err)
	}
	for rows.Next() {
		var h int64
		if err := rows.Scan(&h); err != nil {
			rows.Close()
			return nil, err
		}
		hh = append(hh, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	nid, err := tx.insertFinding(ctx, nf, hh)
	if err != nil {
		return nil, err
	}
	if old.PersonID != nil {
		// The same person answers for the recurrence: the old finding's
		// cadre, not whoever of that name is posted there now.
		if _, err := tx.ExecContext(ctx, `UPDATE ledger_findings SET responsible_cadre_id = $1 WHERE id = $2`, *old.PersonID, nid); err != nil {
			return nil, fmt.Errorf("recurrence cadre: %w", err)
		}
	}
	return tx.findingDetail(ctx, nid)
}

// Recurrences counts the findings that recurred after a 回头看, per lead
// unit and category, within area and the actor's areas.
func (db *DB) Recurrences(ctx context.Context, actor fupin.Actor, area string) ([]ledger.Recurrence, error) {
	var fs []ledger.Finding
	err := db.view(ctx, actor, func(tx *Tx) error {
		fs = nil
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + itoa(len(args)) }
		rows, err := tx.QueryContext(ctx, `SELECT lead_unit, category, recurrence_of FROM ledger_findings f
			WHERE recurrence_of IS NOT NULL AND `+areaCond("f.area_code", actor.Narrow(area), arg), args...)
		if err != nil {
			return fmt.Errorf("recurrences: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var f ledger.Finding
			var rec int64
			if err := rows.Scan(&f.LeadUnit, &f.Category, &rec); err != nil {
				return err
			}
			f.RecurrenceOf = &rec
			fs = append(fs, f)
		}
		return rows.Err()
	})
	return ledger.CountRecurrences(fs), err
}
