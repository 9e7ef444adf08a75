package appraisal

import (
	"sort"
	"strings"
)

// Items are the verdict items in the order of the verdict's status
// columns (两不愁三保障、饮水安全、达标依据、收入).
var Items = []Label{
	{"food", "不愁吃"}, {"clothing", "不愁穿"}, {"education", "义务教育有保障"}, {"medical", "基本医疗有保障"},
	{"housing", "住房安全有保障"}, {"water", "饮水安全有保障"}, {"standard", "达标依据"}, {"income", "收入"},
}

// Label is a code and its Chinese name.
type Label struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Entry is one household as a snapshot holds it, reduced to what a
// comparison looks at.
type Entry struct {
	HouseholdID   int64
	HouseholdNo   string
	HeadName      string
	VillageCode   string
	HouseholdType string // fupin.HouseholdTypes
	MonitorType   string // fupin.MonitorTypes, "" when not monitored
	Eliminated    bool   // risk eliminated (风险已消除)
	// HasVerdict is false when the snapshot year has no verdict.
	HasVerdict bool
	Pass       bool
	Statuses   [8]string         // per Items: pass, fail or unknown
	Reasons    map[string]string // item → Chinese reason, non-passing items only
}

// Categories are the groups a comparison counts households in and out of.
var Categories = []Label{
	{"all", "全部农户"}, {"ex_poor", "脱贫户"}, {"ordinary", "普通农户"},
	{"monitored", "监测户（风险未消除）"}, {"monitor_unstable", "脱贫不稳定户"}, {"monitor_marginal", "边缘易致贫户"},
	{"monitor_sudden", "突发严重困难户"}, {"eliminated", "风险已消除"},
	{"verdict_pass", "核查全部达标"}, {"verdict_fail", "核查有不达标或待核实项"},
}

// In reports whether e belongs to category code.
func (e *Entry) In(code string) bool {
	switch code {
	case "all":
		return true
	case "ex_poor", "ordinary":
		return e.HouseholdType == code
	case "monitored":
		return e.MonitorType != "" && !e.Eliminated
	case "monitor_unstable", "monitor_marginal", "monitor_sudden":
		return e.MonitorType == code[len("monitor_"):] && !e.Eliminated
	case "eliminated":
		return e.MonitorType != "" && e.Eliminated
	case "verdict_pass":
		return e.HasVerdict && e.Pass
	case "verdict_fail":
		return e.HasVerdict && !e.Pass
	}
	return false
}

// MaxListed bounds the household ids listed per category and the verdict
// changes listed in a Comparison; the counts are always complete.
const MaxListed = 200

// Comparison is how snapshot To differs from snapshot From.
type Comparison struct {
	From       int64            `json:"from"`
	To         int64            `json:"to"`
	Categories []CategoryChange `json:"categories"`
	// VerdictChanges lists households present in both whose item statuses
	// changed, by household id (at most MaxListed; VerdictChangeCount is
	// the total).
	VerdictChanges     []VerdictChange `json:"verdict_changes"`
	VerdictChangeCount int             `json:"verdict_change_count"`
}

// CategoryChange counts one category in both snapshots and the households
// that came into it and went out of it (In − Out = After − Before).
type CategoryChange struct {
	Code   string  `json:"code"`
	Name   string  `json:"name"`
	Before int     `json:"before"`
	After  int     `json:"after"`
	In     int     `json:"in" description:"新进入该类别的户数（含新登记户）"`
	Out    int     `json:"out" description:"退出该类别的户数（含已删除户）"`
	InIDs  []int64 `json:"in_ids" description:"新进入的农户编号（最多 200 个）"`
	OutIDs []int64 `json:"out_ids" description:"退出的农户编号（最多 200 个）"`
}

// VerdictChange is one household whose verdict changed between the two
// snapshots, with the reason on each side.
type VerdictChange struct {
	HouseholdID int64        `json:"household_id"`
	HouseholdNo string       `json:"household_no"`
	HeadName    string       `json:"head_name"`
	VillageCode string       `json:"village_code"`
	PassBefore  *bool        `json:"pass_before" description:"前一快照是否全部达标（无结论为空）"`
	PassAfter   *bool        `json:"pass_after"`
	Items       []ItemChange `json:"items"`
}

// ItemChange is one verdict item whose status changed.
type ItemChange struct {
	Item         string `json:"item"`
	Name         string `json:"name"`
	Before       string `json:"before" description:"pass、fail、unknown，无结论为空"`
	After        string `json:"after"`
	ReasonBefore string `json:"reason_before"`
	ReasonAfter  string `json:"reason_after"`
}

// Compare compares two snapshots given as entries sorted by household id
// (the order the store reads them in). Entries missing on one side count as
// leaving or entering every category they are in.
func Compare(fromID, toID int64, from, to []Entry) Comparison {
	c := Comparison{From: fromID, To: toID, VerdictChanges: []VerdictChange{}}
	for _, l := range Categories {
		c.Categories = append(c.Categories, CategoryChange{Code: l.Code, Name: l.Name, InIDs: []int64{}, OutIDs: []int64{}})
	}
	i, j := 0, 0
	for i < len(from) || j < len(to) {
		var a, b *Entry
		switch {
		case j >= len(to) || i < len(from) && from[i].HouseholdID < to[j].HouseholdID:
			a = &from[i]
			i++
		case i >= len(from) || to[j].HouseholdID < from[i].HouseholdID:
			b = &to[j]
			j++
		default:
			a, b = &from[i], &to[j]
			i++
			j++
		}
		c.count(a, b)
		if a != nil && b != nil {
			if v, ok := verdictChange(a, b); ok {
				c.VerdictChangeCount++
				if len(c.VerdictChanges) < MaxListed {
					c.VerdictChanges = append(c.VerdictChanges, v)
				}
			}
		}
	}
	return c
}

func (c *Comparison) count(a, b *Entry) {
	for k := range c.Categories {
		cc := &c.Categories[k]
		inA, inB := a != nil && a.In(cc.Code), b != nil && b.In(cc.Code)
		if inA {
			cc.Before++
		}
		if inB {
			cc.After++
		}
		switch {
		case inB && !inA:
			cc.In++
			if len(cc.InIDs) < MaxListed {
				cc.InIDs = append(cc.InIDs, b.HouseholdID)
			}
		case inA && !inB:
			cc.Out++
			if len(cc.OutIDs) < MaxListed {
				cc.OutIDs = append(cc.OutIDs, a.HouseholdID)
			}
		}
	}
}

func verdictChange(a, b *Entry) (VerdictChange, bool) {
	v := VerdictChange{HouseholdID: b.HouseholdID, HouseholdNo: b.HouseholdNo, HeadName: b.HeadName,
		VillageCode: b.VillageCode, PassBefore: passPtr(a), PassAfter: passPtr(b)}
	for k, it := range Items {
		if a.Statuses[k] == b.Statuses[k] {
			continue
		}
		v.Items = append(v.Items, ItemChange{Item: it.Code, Name: it.Name, Before: a.Statuses[k], After: b.Statuses[k],
			ReasonBefore: a.Reasons[it.Code], ReasonAfter: b.Reasons[it.Code]})
	}
	return v, len(v.Items) > 0
}

func passPtr(e *Entry) *bool {
	if !e.HasVerdict {
		return nil
	}
	p := e.Pass
	return &p
}

// SortEntries orders entries by household id, as Compare expects.
func SortEntries(es []Entry) {
	sort.Slice(es, func(i, j int) bool { return es[i].HouseholdID < es[j].HouseholdID })
}

// CategoryCount is how many households of a snapshot are in a category.
type CategoryCount struct {
	Code       string
	Name       string
	Households int
}

// CategoryCounter counts households per category (Categories, in order)
// one entry at a time, so a report drawn from a snapshot needs no list.
type CategoryCounter struct {
	area   string
	counts []CategoryCount
}

// NewCategoryCounter counts the entries of villages under area.
func NewCategoryCounter(area string) *CategoryCounter {
	c := &CategoryCounter{area: area, counts: make([]CategoryCount, len(Categories))}
	for k, l := range Categories {
		c.counts[k] = CategoryCount{Code: l.Code, Name: l.Name}
	}
	return c
}

// Add counts e in every category it belongs to, when its village is under
// the counter's area.
func (c *CategoryCounter) Add(e *Entry) {
	if !strings.HasPrefix(e.VillageCode, c.area) {
		return
	}
	for k := range c.counts {
		if e.In(c.counts[k].Code) {
			c.counts[k].Households++
		}
	}
}

// Counts answers the counts so far.
func (c *CategoryCounter) Counts() []CategoryCount { return c.counts }

// CountCategories counts the entries of villages under area per category.
func CountCategories(es []Entry, area string) []CategoryCount {
	c := NewCategoryCounter(area)
	for i := range es {
		c.Add(&es[i])
	}
	return c.Counts()
}
