package sqlstore

import (
	"context"
	"errors"
	"strconv"

	"fupin/internal/appraisal"
	"fupin/internal/fupin"
)

// RoundBook reads a sampling round as a workbook: 抽查轮次 (the round and its
// rule), 现场核查表 (the sampled households in the actor's villages with
// their results; the head's ID number and the phone are unmasked, the
// caller masks them for roles that may not see identities), 抽查结果 (rates
// with formulas and intervals against the thresholds) and, when the round
// has a survey, 群众认可度 (counts only, small groups withheld); and the
// round. Errors: not_found.
func (db *DB) RoundBook(ctx context.Context, actor fupin.Actor, id int64) (*appraisal.Round, []appraisal.Sheet, error) {
	r, err := db.Round(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	items, err := db.RoundSheet(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	rates, err := db.RoundRates(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	book := []appraisal.Sheet{appraisal.RoundsSheet([]appraisal.Round{*r}), fieldSheet(items),
		appraisal.RatesSheet("抽查结果", rates.Rates, rates.Outcomes)}
	approval, err := db.SurveyApproval(ctx, actor, id)
	var fe *fupin.Error
	switch {
	case err == nil:
		book = append(book, appraisal.ApprovalSheet("群众认可度", *approval))
	case !errors.As(err, &fe) || fe.Code != fupin.ENotFound:
		return nil, nil, err
	}
	return r, book, nil
}

// fieldSheet is the 现场核查表 with what was recorded.
func fieldSheet(items []SheetRow) appraisal.Sheet {
	s := appraisal.Sheet{Name: "现场核查表", Header: []string{"序号", "村", "户编号", "户主", "户主身份证号", "联系电话", "抽中时类别",
		"已录入", "错评", "错退", "漏评", "发现其他问题", "核查说明", "整改问题编号"}}
	yes := func(b bool) string {
		if b {
			return "是"
		}
		return ""
	}
	for i, it := range items {
		row := []string{strconv.Itoa(i + 1), it.VillageName, it.HouseholdNo, it.HeadName, it.HeadIDNumber, it.Phone,
			appraisal.KindLabel(it.Kind), "否", "", "", "", "", "", ""}
		if res := it.Result; res != nil {
			row[7], row[8], row[9], row[10], row[11], row[12] = "是", yes(res.WrongInclusion), yes(res.WrongExit), yes(res.Missed), yes(res.Problem), res.Note
		}
		if it.FindingID != nil {
			row[13] = "#" + strconv.FormatInt(*it.FindingID, 10)
		}
		s.Rows = append(s.Rows, row)
	}
	return s
}
