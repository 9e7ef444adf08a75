package sqlstore

import (
	"context"
	"fmt"
	"strconv"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/ledger"
	"fupin/internal/region"
	"fupin/internal/xlsx"
)

// FeedbackImport is the result of importing an inspection's feedback list.
type FeedbackImport struct {
	Created int `json:"created" description:"新建的问题数"`
}

// ImportFeedback reads an inspection's feedback list (问题清单) from r and
// creates its findings in one transaction: all or nothing. Villages are
// named by name or code within the inspection's area. Errors: invalid with
// every bad cell named in Fields ("工作表!C7" → message), also for numbers
// already used in the inspection; not_found; forbidden.
func (db *DB) ImportFeedback(ctx context.Context, actor fupin.Actor, inspectionID int64, r xlsx.Reader) (*FeedbackImport, error) {
	insp, err := db.Inspection(ctx, actor, inspectionID)
	if err != nil {
		return nil, err
	}
	if !actor.Covers(insp.AreaCode) {
		return nil, aid.ForbidArea(insp.AreaCode)
	}
	villages, err := villagesUnder(insp.AreaCode)
	if err != nil {
		return nil, err
	}
	resolve := func(s string) (string, bool) {
		for _, v := range villages {
			if v.Code == s || v.Name == s {
				return v.Code, true
			}
		}
		return "", false
	}
	fs, bad, err := ledger.ReadFeedback(r, resolve)
	if err != nil {
		return nil, err
	}
	if len(bad) > 0 {
		e := &fupin.Error{Code: fupin.EInvalid, Message: fmt.Sprintf("问题清单有 %d 处错误，未导入任何问题", len(bad)), Fields: map[string]string{}}
		for _, c := range bad {
			e.Fields[fmt.Sprintf("%s!%s%d", c.Sheet, c.Column, c.Row)] = c.Message
		}
		return nil, e
	}
	out := &FeedbackImport{}
	err = db.update(ctx, actor, func(tx *Tx) error {
		*out = FeedbackImport{} // a failover retry counts afresh
		for i, f := range fs {
			f.InspectionID = inspectionID
			if _, err := tx.insertFinding(ctx, f, nil); err != nil {
				return withField(err, fmt.Sprintf("rows[%d]", i))
			}
			out.Created++
		}
		return tx.auditValue(ctx, "ledger.finding.import", "ledger_inspection", strconv.FormatInt(inspectionID, 10), nil, out)
	})
	return out, err
}

// villagesUnder lists the villages of a county, township or village code.
func villagesUnder(code string) ([]region.Region, error) {
	r, err := region.Lookup(code)
	if err != nil {
		return nil, fmt.Errorf("region %s: %w", code, err)
	}
	if r.Level == region.LevelVillage {
		return []region.Region{r}, nil
	}
	kids, err := region.Children(code)
	if err != nil {
		return nil, fmt.Errorf("region children %s: %w", code, err)
	}
	if r.Level == region.LevelTownship {
		return kids, nil
	}
	var out []region.Region
	for _, k := range kids {
		vs, err := villagesUnder(k.Code)
		if err != nil {
			return nil, err
		}
		out = append(out, vs...)
	}
	return out, nil
}
