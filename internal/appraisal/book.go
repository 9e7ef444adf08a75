package appraisal

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"fupin/internal/xlsx"
)

// Sheet is one named sheet of a workbook (抽查轮次, 现场核查表, 年度报告):
// a header and rows of cell text. Masking identities is the caller's
// business: it knows the reader's role.
type Sheet struct {
	Name   string     `json:"name"`
	Header []string   `json:"header"`
	Rows   [][]string `json:"rows"`
}

// WriteBook writes sheets as one .xlsx, in order. Sheet names are at most
// 31 characters and unique (the caller's business, as xlsx.StartSheet says).
func WriteBook(w io.Writer, sheets []Sheet) error {
	x := xlsx.NewWriter(w, nil)
	for _, s := range sheets {
		if err := x.StartSheet(s.Name); err != nil {
			x.Abort()
			return err
		}
		if err := x.WriteRow(s.Name, s.Header); err != nil {
			x.Abort()
			return err
		}
		for _, row := range s.Rows {
			if err := x.WriteRow(s.Name, row); err != nil {
				x.Abort()
				return err
			}
		}
	}
	return x.Close()
}

// KindLabel is the Chinese name of a sampled household's kind.
func KindLabel(kind string) string {
	switch kind {
	case KindExPoor:
		return "脱贫户"
	case KindMonitored:
		return "监测户"
	case KindOther:
		return "其他农户"
	}
	return kind
}

var china = time.FixedZone("CST", 8*3600)

// RoundsSheet lists rounds: rule, seed, counts and who drew them.
func RoundsSheet(rounds []Round) Sheet {
	s := Sheet{Name: "抽查轮次", Header: []string{"编号", "名称", "抽查区域", "考核年度", "抽取村数", "每村脱贫户监测户数", "每村其他农户数",
		"随机种子", "抽中户数", "已录入户数", "样本不足", "抽取人", "抽取时间"}}
	for _, r := range rounds {
		short := ""
		for i, v := range r.Shortfalls {
			if i > 0 {
				short += "；"
			}
			short += v
		}
		s.Rows = append(s.Rows, []string{strconv.FormatInt(r.ID, 10), r.Name, r.AreaCode, strconv.Itoa(r.Year), strconv.Itoa(r.Rule.Villages),
			strconv.Itoa(r.Rule.Registered), strconv.Itoa(r.Rule.Others), strconv.FormatUint(r.Rule.Seed, 10), strconv.Itoa(r.Households),
			strconv.Itoa(r.Recorded), short, r.CreatedBy, r.CreatedAt.In(china).Format(time.DateTime)})
	}
	return s
}

// Percent renders a 0–1 proportion as a percentage with two decimals, or
// "—" when there is none.
func Percent(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.2f%%", *v*100)
}

// thresholdText is a threshold as the standards write it (< 2%, > 90%).
func thresholdText(t Threshold) string {
	switch {
	case t.Max != nil:
		return "< " + Percent(t.Max)
	case t.Min != nil:
		return "> " + Percent(t.Min)
	}
	return ""
}

// OutcomeLabel is the Chinese name of an outcome's status.
func OutcomeLabel(status string) string {
	switch status {
	case "pass":
		return "达标"
	case "fail":
		return "不达标"
	case "no_data":
		return "无样本"
	}
	return status
}

// RatesSheet lists rates with their formulas, numerator and denominator,
// point estimate and 95 % interval, and, where a threshold applies, the
// threshold, its source and the judgement.
func RatesSheet(name string, rates []Rate, outcomes []Outcome) Sheet {
	s := Sheet{Name: name, Header: []string{"指标", "计算公式", "分子", "分母", "点估计", "95%置信区间", "阈值", "结论", "说明", "阈值依据"}}
	judged := map[string]Outcome{}
	for _, o := range outcomes {
		judged[o.Rate.Code] = o
	}
	for _, r := range rates {
		interval := "—"
		if r.Low != nil && r.High != nil {
			interval = Percent(r.Low) + " – " + Percent(r.High)
		}
		row := []string{r.Name, r.Formula, strconv.Itoa(r.X), strconv.Itoa(r.N), Percent(r.Value), interval, "", "", "", ""}
		if o, ok := judged[r.Code]; ok {
			row[6], row[7], row[8], row[9] = thresholdText(o.Threshold), OutcomeLabel(o.Status), o.Note, o.Threshold.Source
		}
		s.Rows = append(s.Rows, row)
	}
	return s
}

// ApprovalSheet lists a survey's 认可度 overall and by village, work team
// and helper (groups under MinGroup households are already withheld).
func ApprovalSheet(name string, r ApprovalReport) Sheet {
	s := Sheet{Name: name, Header: []string{"范围", "名称", "认可户数", "有效受访户数", "认可度", "95%置信区间"}}
	add := func(scope, who string, rt Rate) {
		interval := "—"
		if rt.Low != nil && rt.High != nil {
			interval = Percent(rt.Low) + " – " + Percent(rt.High)
		}
		s.Rows = append(s.Rows, []string{scope, who, strconv.Itoa(rt.X), strconv.Itoa(rt.N), Percent(rt.Value), interval})
	}
	add("总体", "全部受访户", r.Overall)
	for _, t := range r.Villages {
		add("村", t.Name, t.Rate)
	}
	for _, t := range r.Teams {
		add("驻村工作队", t.Name, t.Rate)
	}
	for _, t := range r.Helpers {
		add("帮扶责任人", t.Name, t.Rate)
	}
	if r.Withheld > 0 {
		s.Rows = append(s.Rows, []string{"说明", fmt.Sprintf("受访不足 %d 户的 %d 个组未单列（防止推知个人回答）", MinGroup, r.Withheld), "", "", "", ""})
	}
	return s
}
