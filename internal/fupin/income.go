package fupin

import "time"

// IncomeYear is a household's income and spending for one calendar year.
// Category totals may be typed or, when Items of that category are given,
// are their sum. Gross, Net, Size and PerCapitaNet are
// computed by the server and never accepted from input.
type IncomeYear struct {
	HouseholdID         int64        `json:"household_id" readOnly:"true"`
	Year                int          `json:"year" readOnly:"true"`
	Wage                Money        `json:"wage" description:"工资性收入（元）"`
	Business            Money        `json:"business" description:"生产经营性收入（元）"`
	Property            Money        `json:"property" description:"财产性收入（元）"`
	Transfer            Money        `json:"transfer" description:"转移性收入（元）"`
	BusinessExpense     Money        `json:"business_expense" description:"生产经营性支出（元）"`
	Claims              Money        `json:"claims" description:"理赔收入（元）"`
	EligibleOutOfPocket Money        `json:"eligible_out_of_pocket" description:"合规自付支出（元）"`
	Items               []IncomeItem `json:"items" description:"明细；给出某类明细时该类合计取明细之和"`
	// DeclaredNet is a net income known only as a total (an imported file's
	// 家庭年纯收入, or 人均纯收入 × household size): it is the year's net
	// income while no component is recorded. Recording the year through the
	// API replaces it with the components.
	DeclaredNet *Money `json:"declared_net,omitempty" readOnly:"true" description:"导入文件给出的年纯收入（未分项）；无分项收入时即为纯收入"`

	Gross        Money     `json:"gross" readOnly:"true" description:"年总收入"`
	Net          Money     `json:"net" readOnly:"true" description:"年纯收入 = 总收入 − 生产经营性支出"`
	Size         int       `json:"size" readOnly:"true" description:"当年 12 月 31 日在册人数"`
	PerCapitaNet *Money    `json:"per_capita_net" readOnly:"true" description:"人均纯收入；当年无在册成员时为 null"`
	UpdatedAt    time.Time `json:"updated_at" readOnly:"true"`
}

// IncomeItem is one line of detail, such as 务工收入 under 工资性收入.
type IncomeItem struct {
	Category string `json:"category" description:"wage/business/property/transfer/business_expense"`
	Name     string `json:"name"`
	Amount   Money  `json:"amount"`
}

// IncomeInput is what a client sends to record a year's income.
type IncomeInput struct {
	Version             int64        `json:"version" required:"true" description:"户的当前版本号"`
	Wage                Money        `json:"wage"`
	Business            Money        `json:"business"`
	Property            Money        `json:"property"`
	Transfer            Money        `json:"transfer"`
	BusinessExpense     Money        `json:"business_expense"`
	Claims              Money        `json:"claims"`
	EligibleOutOfPocket Money        `json:"eligible_out_of_pocket"`
	Items               []IncomeItem `json:"items"`
}

// IncomeYear turns the input into a record for year, with category totals
// taken from the items where items are given. It validates the amounts.
func (in *IncomeInput) IncomeYear(year int, today Date) (IncomeYear, error) {
	errs := FieldErrors{}
	if year < 2010 || year > today.Year() {
		errs.Add("year", "年度应在 2010 至今年之间")
	}
	y := IncomeYear{Year: year, Wage: in.Wage, Business: in.Business, Property: in.Property,
		Transfer: in.Transfer, BusinessExpense: in.BusinessExpense, Claims: in.Claims,
		EligibleOutOfPocket: in.EligibleOutOfPocket, Items: in.Items}
	if y.Items == nil {
		y.Items = []IncomeItem{}
	}
	sums := map[string]Money{}
	for i, it := range y.Items {
		p := "items[" + itoa(i) + "]"
		if !IncomeCategories.Has(it.Category) {
			errs.Add(p+".category", "收支类别不在代码表中："+it.Category)
		}
		if it.Name == "" {
			errs.Add(p+".name", "明细名称不能为空")
		}
		if it.Amount < 0 {
			errs.Add(p+".amount", "金额不能为负")
		}
		sums[it.Category] += it.Amount
	}
	for cat, total := range map[string]*Money{"wage": &y.Wage, "business": &y.Business,
		"property": &y.Property, "transfer": &y.Transfer, "business_expense": &y.BusinessExpense} {
		if s, ok := sums[cat]; ok {
			*total = s
		}
		if *total < 0 {
			errs.Add(cat, "金额不能为负")
		}
	}
	if y.Claims < 0 {
		errs.Add("claims", "金额不能为负")
	}
	if y.EligibleOutOfPocket < 0 {
		errs.Add("eligible_out_of_pocket", "金额不能为负")
	}
	return y, errs.Err()
}

// Compute fills Gross, Net, Size and PerCapitaNet from the amounts and the
// members present on 31 December of the year.
func (y *IncomeYear) Compute(members []Member) {
	y.Gross = y.Wage + y.Business + y.Property + y.Transfer
	y.Net = y.Gross - y.BusinessExpense
	if y.DeclaredNet != nil && y.Gross == 0 && y.BusinessExpense == 0 {
		y.Gross, y.Net = *y.DeclaredNet, *y.DeclaredNet
	}
	end := NewDate(y.Year, time.December, 31)
	y.Size = 0
	for i := range members {
		if members[i].PresentOn(end) {
			y.Size++
		}
	}
	y.PerCapitaNet = nil
	if y.Size > 0 {
		pc := Money((int64(y.Net) + int64(y.Size)/2) / int64(y.Size))
		if y.Net < 0 {
			pc = Money((int64(y.Net) - int64(y.Size)/2) / int64(y.Size))
		}
		y.PerCapitaNet = &pc
	}
}

// AssessmentYear is the year verdicts default to: the last complete income
// year before today (income is recorded after the year ends).
func AssessmentYear(today Date) int { return today.Year() - 1 }
