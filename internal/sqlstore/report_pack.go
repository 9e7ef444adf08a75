package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fupin/internal/appraisal"
	"fupin/internal/fupin"
	"fupin/internal/ledger"
	"fupin/internal/project"
)

// PackIn asks for the year's report pack (年度成效考核材料) of an area, from
// the live registry or from a snapshot: exactly one of Live and SnapshotID.
type PackIn struct {
	Area       string
	Year       int
	Live       bool
	SnapshotID int64
}

// Pack is the year's report pack of an area: one sheet per part, the same
// for the .xlsx and the printed page.
type Pack struct {
	Title    string            `json:"title"`
	Area     string            `json:"area"`
	AreaName string            `json:"area_name"`
	Year     int               `json:"year"`
	Source   string            `json:"source" description:"数据来源：实时数据（生成时间）或快照（编号、名称、所代表日期）"`
	Sheets   []appraisal.Sheet `json:"sheets"`
}

func (in *PackIn) validate() error {
	errs := fupin.FieldErrors{}
	if n := len(in.Area); (n != 6 && n != 9 && n != 12) || strings.Trim(in.Area, "0123456789") != "" {
		errs.Add("area", "应为县（6 位）、乡镇（9 位）或村（12 位）区划代码")
	}
	if in.Year < appraisal.MinYear || in.Year > appraisal.MaxYear {
		errs.Add("year", "考核年度应在 2013–2100 之间")
	}
	if in.Live == (in.SnapshotID > 0) {
		errs.Add("source", "须明确选择实时数据或一个快照（二选一）")
	}
	return errs.Err()
}

// ReportPack assembles the pack: 说明, 总览 (registry and verdict numbers,
// live or from the snapshot), 核查比率 (the year's sampling results pooled,
// with formulas, intervals and thresholds), 抽查轮次, 群众认可度, 问题整改
// (findings by status and deadline bucket, now), 项目资金 (the year's funds by
// use and source) and 项目资产 (the year's asset register totals), all within
// the actor's areas. Errors: invalid, not_found (snapshot).
func (db *DB) ReportPack(ctx context.Context, actor fupin.Actor, in PackIn) (*Pack, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	if len(actor.Narrow(in.Area)) == 0 {
		return nil, &fupin.Error{Code: fupin.ENotFound, Message: "区域 " + in.Area + " 不在管辖范围内", Fields: map[string]string{"area": "不在管辖范围内"}}
	}
	p := &Pack{Area: in.Area, AreaName: regionName(in.Area), Year: in.Year}
	p.Title = fmt.Sprintf("%s %d 年度巩固拓展脱贫攻坚成果成效材料", p.AreaName, in.Year)
	overview, err := db.packOverview(ctx, actor, in, p)
	if err != nil {
		return nil, err
	}
	rounds, rates, approval, err := db.packSampling(ctx, actor, in)
	if err != nil {
		return nil, err
	}
	findings, err := db.packFindings(ctx, actor, in.Area)
	if err != nil {
		return nil, err
	}
	funds, assets, err := db.packFunds(ctx, actor, in)
	if err != nil {
		return nil, err
	}
	about := appraisal.Sheet{Name: "说明", Header: []string{"项目", "内容"}, Rows: [][]string{
		{"材料名称", p.Title}, {"区域", p.AreaName + "（" + in.Area + "）"}, {"考核年度", strconv.Itoa(in.Year)}, {"总览数据来源", p.Source},
		{"抽查、认可度、整改、项目资金", "生成时的记录（抽查轮次、问卷、整改台账、项目和资产登记），不随快照冻结"},
		{"生成时间", db.Now().In(chinaTime).Format(time.DateTime)}, {"生成人", actor.Name},
	}}
	p.Sheets = []appraisal.Sheet{about, overview, rates, rounds, approval, findings, funds, assets}
	return p, nil
}

// packOverview is 总览: the dashboard's numbers (live) or the snapshot's
// categories.
func (db *DB) packOverview(ctx context.Context, actor fupin.Actor, in PackIn, p *Pack) (appraisal.Sheet, error) {
	s := appraisal.Sheet{Name: "总览", Header: []string{"指标", "户数", "说明"}}
	add := func(name string, n int, note string) { s.Rows = append(s.Rows, []string{name, strconv.Itoa(n), note}) }
	if in.Live {
		d, err := db.Dashboard(ctx, actor, in.Area, in.Year)
		if err != nil {
			return s, err
		}
		p.Source = "实时数据（" + db.Now().In(chinaTime).Format(time.DateTime) + "）"
		add("在册农户", d.Total.Households, fmt.Sprintf("在册人数 %d 人", d.Total.People))
		add("脱贫户", d.Total.ExPoor, "")
		add("监测户", d.Total.Monitored, "")
		for _, it := range fupin.MonitorTypes.Items {
			add("　"+it.Label, d.Total.MonitorTypes[it.Code], "")
		}
		v := d.Verdicts.Total
		add("已核查农户", v.Households, fmt.Sprintf("%d 年度核查结论", in.Year))
		add("两不愁三保障及饮水安全全部达标", v.Pass, "")
		add("至少一项不达标", v.WithProblem, "")
		add("人均纯收入低于监测线", v.IncomeRisk, fmt.Sprintf("监测线 %s 元/人·年", d.MonitoringLine))
		for _, b := range d.Income {
			add("收入分布："+b.Label, b.Households, "")
		}
		return s, nil
	}
	var snap *appraisal.Snapshot
	counter := appraisal.NewCategoryCounter(in.Area)
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		if snap, err = tx.snapshot(ctx, in.SnapshotID); err != nil {
			return withField(err, "snapshot_id")
		}
		if snap.Year != in.Year || !strings.HasPrefix(in.Area, snap.AreaCode) {
			return &fupin.Error{Code: fupin.EInvalid, Message: fmt.Sprintf("快照 #%d 是 %s %d 年度的，不含所选区域和年度", snap.ID, snap.AreaCode, snap.Year),
				Fields: map[string]string{"snapshot_id": "区域或年度不符"}}
		}
		return tx.eachSnapshotEntry(ctx, in.SnapshotID, false, counter.Add)
	})
	if err != nil {
		return s, err
	}
	p.Source = fmt.Sprintf("快照 #%d「%s」（所代表日期 %s，拍摄于 %s）", snap.ID, snap.Name, snap.AsOf, snap.CreatedAt.In(chinaTime).Format(time.DateTime))
	for _, c := range counter.Counts() {
		add(c.Name, c.Households, "快照中的农户")
	}
	return s, nil
}

// packSampling pools the results of the year's rounds whose area overlaps
// the pack's, counting only sampled households in its villages.
func (db *DB) packSampling(ctx context.Context, actor fupin.Actor, in PackIn) (rounds, rates, approval appraisal.Sheet, err error) {
	rounds = appraisal.Sheet{Name: "抽查轮次", Header: []string{"编号", "名称", "抽查区域", "本区域抽中户数", "已录入", "错退/已退出", "漏评/未建档", "错评/建档立卡", "发现其他问题"}}
	approval = appraisal.Sheet{Name: "群众认可度", Header: []string{"抽查轮次", "认可户数", "有效受访户数", "认可度", "95%置信区间", "说明"}}
	list, err := db.Rounds(ctx, actor, "")
	if err != nil {
		return
	}
	var pooled []appraisal.Recorded
	var surveyed, approving int
	for _, r := range list {
		if r.Year != in.Year || !strings.HasPrefix(r.AreaCode, in.Area) && !strings.HasPrefix(in.Area, r.AreaCode) {
			continue
		}
		sheet, e := db.RoundSheet(ctx, actor, r.ID)
		if e != nil {
			return rounds, rates, approval, e
		}
		var rec []appraisal.Recorded
		problems := 0
		for _, row := range sheet {
			if strings.HasPrefix(row.VillageCode, in.Area) {
				rec = append(rec, appraisal.Recorded{Kind: row.Kind, Result: row.Result})
				if row.Result != nil && row.Result.Problem {
					problems++
				}
			}
		}
		pooled = append(pooled, rec...)
		c := appraisal.CountsOf(rec)
		recorded := 0
		for _, x := range rec {
			if x.Result != nil {
				recorded++
			}
		}
		rounds.Rows = append(rounds.Rows, []string{strconv.FormatInt(r.ID, 10), r.Name, r.AreaCode, strconv.Itoa(len(rec)), strconv.Itoa(recorded),
			fmt.Sprintf("%d/%d", c.WrongExits, c.ExitedSampled), fmt.Sprintf("%d/%d", c.Missed, c.OthersSampled),
			fmt.Sprintf("%d/%d", c.WrongInclusions, c.RegisteredSampled), strconv.Itoa(problems)})
		x, n, note, e := db.packApproval(ctx, actor, r, in.Area)
		if e != nil {
			return rounds, rates, approval, e
		}
		if n >= 0 {
			surveyed, approving = surveyed+n, approving+x
			rt := appraisal.Rates(appraisal.Counts{Surveyed: n, Approving: x})[5]
			approval.Rows = append(approval.Rows, []string{r.Name, strconv.Itoa(x), strconv.Itoa(n), appraisal.Percent(rt.Value), interval(rt), note})
		}
	}
	c := appraisal.CountsOf(pooled)
	c.Surveyed, c.Approving = surveyed, approving
	thresholds, err := db.ThresholdRows(ctx, actor)
	if err != nil {
		return
	}
	rs := appraisal.Rates(c)
	rates = appraisal.RatesSheet("核查比率", rs, appraisal.Judge(rs, appraisal.ResolveThresholds(thresholds, in.Area, in.Year)))
	return rounds, rates, approval, nil
}

// packApproval is a round's 认可度 within area: the overall tally when the
// round lies inside it, else the sum of its villages' tallies there (small
// villages are withheld, and said so). n is -1 when the round has no survey.
func (db *DB) packApproval(ctx context.Context, actor fupin.Actor, r appraisal.Round, area string) (x, n int, note string, err error) {
	rep, err := db.SurveyApproval(ctx, actor, r.ID)
	if fe, ok := err.(*fupin.Error); ok && fe.Code == fupin.ENotFound {
		return 0, -1, "", nil
	} else if err != nil {
		return 0, 0, "", err
	}
	if strings.HasPrefix(r.AreaCode, area) {
		return rep.Overall.X, rep.Overall.N, "", nil
	}
	for _, v := range rep.Villages {
		if strings.HasPrefix(v.Key, area) {
			x, n = x+v.Rate.X, n+v.Rate.N
		}
	}
	if rep.Withheld > 0 {
		note = "受访不足 3 户的村未单列，未计入"
	}
	return x, n, note, nil
}

func interval(r appraisal.Rate) string {
	if r.Low == nil || r.High == nil {
		return "—"
	}
	return appraisal.Percent(r.Low) + " – " + appraisal.Percent(r.High)
}

// packFindings is 问题整改: the area's findings by status and, open ones,
// by deadline bucket, as of now.
func (db *DB) packFindings(ctx context.Context, actor fupin.Actor, area string) (appraisal.Sheet, error) {
	s := appraisal.Sheet{Name: "问题整改", Header: []string{"分类", "问题数"}}
	page, err := db.Findings(ctx, actor, FindingFilter{Area: area, Limit: 1})
	if err != nil {
		return s, err
	}
	closed := page.Statuses[ledger.StatusClosed]
	all := 0
	for _, n := range page.Statuses {
		all += n
	}
	s.Rows = append(s.Rows, []string{"全部问题", strconv.Itoa(all)}, []string{"已销号", strconv.Itoa(closed)}, []string{"未销号", strconv.Itoa(all - closed)})
	for _, st := range ledger.Statuses.Items {
		s.Rows = append(s.Rows, []string{"状态：" + st.Label, strconv.Itoa(page.Statuses[st.Code])})
	}
	for _, b := range ledger.Buckets.Items {
		s.Rows = append(s.Rows, []string{"未销号：" + b.Label, strconv.Itoa(page.Buckets[b.Code])})
	}
	return s, nil
}

// packFunds is 项目资金 (the year's projects by use and source, the spend
// rate, households per 10,000 yuan, overdue projects) and 项目资产.
func (db *DB) packFunds(ctx context.Context, actor fupin.Actor, in PackIn) (funds, assets appraisal.Sheet, err error) {
	funds = appraisal.Sheet{Name: "项目资金", Header: []string{"区域", "年度", "用途", "资金来源", "预算（元）", "已拨付（元）", "支出进度"}}
	assets = appraisal.Sheet{Name: "项目资产", Header: []string{"指标", "数值"}}
	r, err := db.ProjectRollup(ctx, actor, ProjectFilter{Area: in.Area, Year: in.Year})
	if err != nil {
		return
	}
	for _, row := range r.Rows {
		funds.Rows = append(funds.Rows, []string{row.AreaName, strconv.Itoa(row.Year), project.Types.LabelOf(row.Type), project.Sources.LabelOf(row.Source),
			row.Budget.String(), row.Spent.String(), spendRate(row.Spent, row.Budget)})
	}
	funds.Rows = append(funds.Rows,
		[]string{"合计", strconv.Itoa(in.Year), fmt.Sprintf("%d 个项目", r.Projects), "", r.Budget.String(), r.Spent.String(), spendRate(r.Spent, r.Budget)},
		[]string{"受益农户", "", strconv.Itoa(r.Households) + " 户", "每万元受益户数", fmt.Sprintf("%.2f", r.PerTenThousand), "", ""},
		[]string{"超期项目", "", strconv.Itoa(len(r.Overdue)) + " 个", "", "", "", ""})
	reg, err := db.Assets(ctx, actor, in.Area, in.Year)
	if err != nil {
		return
	}
	assets.Rows = [][]string{{"资产数", strconv.Itoa(len(reg.Items))}, {"原值合计（元）", reg.Value.String()},
		{fmt.Sprintf("%d 年收益（元）", in.Year), reg.Income.String()}, {"分配给农户（元）", reg.Shared.String()}, {"未核查资产数", strconv.Itoa(reg.Unchecked)}}
	return funds, assets, nil
}

func spendRate(spent, budget fupin.Money) string {
	if budget == 0 {
		return "—"
	}
	v := float64(spent) / float64(budget)
	return appraisal.Percent(&v)
}
