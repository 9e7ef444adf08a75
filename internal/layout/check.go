package layout

import (
	"slices"
	"strings"

	"fupin/internal/fupin"
)

// validate runs the domain's checks and maps their field paths back to
// cells. A check on a cell already reported as unreadable is dropped.
func (b *builder) validate(h *fupin.Household) {
	fe := b.d.fe
	clear(fe)
	h.Normalize()
	h.ValidateFields(fe, b.d.today)
	fupin.ValidateMembers(fe, h.Members, b.d.today)
	if b.d.opts.Check != nil {
		b.d.opts.Check(h, fe)
	}
	if len(fe) == 0 {
		return
	}
	paths := make([]string, 0, len(fe))
	for p := range fe {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		b.mapPath(h, p, fe[p])
	}
}

func (b *builder) mapPath(h *fupin.Household, path, msg string) {
	if rest, ok := strings.CutPrefix(path, "members["); ok {
		j := strings.IndexByte(rest, ']')
		i := atoiSmall(rest[:max(j, 0)])
		if j < 0 || i < 0 || i >= len(b.rows) {
			b.add(0, fName, msg)
			return
		}
		f, ok := memberPaths[strings.TrimPrefix(rest[j+1:], ".")]
		if !ok {
			f = fName
		}
		b.add(i, f, msg)
		return
	}
	if path == "members" {
		b.membersError(h, msg)
		return
	}
	base, _, _ := strings.Cut(path, "[")
	f, ok := householdPaths[base]
	switch {
	case !ok:
		f = fHouseholdNo
	case f == fVillageCode && !b.vals[fVillageCode].set:
		f = fVillage
	case f == fRisks && !b.rows[b.src[fRisks]].hdr.has(fRisks):
		f = fCause
	}
	if f == fVillage && h.VillageCode == "" {
		for _, e := range b.errs { // the location problem was already reported
			if e.f == fVillage || e.f == fVillageCode || e.f == fCounty || e.f == fTownship {
				return
			}
		}
	}
	b.add(b.src[f], f, msg)
}

// membersError reports a household-wide member problem: no active 户主, or
// more than one.
func (b *builder) membersError(h *fupin.Household, msg string) {
	var heads []int
	for i := range h.Members {
		if h.Members[i].Active() && h.Members[i].Relation == "head" {
			heads = append(heads, i)
		}
	}
	if len(heads) > 1 {
		b.add(heads[1], fRelation, msg)
		return
	}
	var nums []string
	for i := range min(len(b.rows), 20) {
		nums = append(nums, itoa(b.rows[i].ref.Row))
	}
	more := ""
	if len(b.rows) > 20 {
		more = " 等 " + itoa(len(b.rows)) + " "
	}
	b.add(0, fRelation, "该户没有户主行：第 "+strings.Join(nums, "、")+more+
		" 行中没有与户主关系为“户主”且未减员的成员")
}

// income reads the one income year the layout carries, with the checks of
// fupin.IncomeInput (year from 2010 to this year, no negative amounts).
// The year is the 收入年度 (统计年度) column's, else the year in the sheet's
// title rows or name, else Options.IncomeYear. When the file gives only
// totals (人均纯收入, 家庭年纯收入), the year's net income is the
// household total, or the per-capita figure times the members present on
// 31 December; a year without any amount, or totals without a year, stores
// nothing (a warning says why) rather than zeros.
func (b *builder) income(h *fupin.Household) {
	components := false
	for f := fWage; f <= fOutOfPocket; f++ {
		if b.vals[f].i < 0 {
			b.add(b.src[f], f, "金额不能为负")
		}
		components = components || (b.vals[f].set && f <= fBusinessExpense)
	}
	pc, net := b.vals[fPerCapita], b.vals[fHouseholdNet]
	totals := pc.set || net.set
	if !components && !totals {
		return
	}
	year, yf := b.vals[fIncomeYear].i, fIncomeYear
	if !b.vals[fIncomeYear].set {
		year = b.d.incomeYear(b.rows[0].ref.Sheet)
	}
	if year == 0 {
		if components {
			b.add(b.src[fIncomeYear], fIncomeYear, "填写了收入金额，但未填写收入年度（可在导入时指定收入年度）")
		} else {
			f := fPerCapita
			if !pc.set {
				f = fHouseholdNet
			}
			b.warn(b.src[f], f, "未给出收入年度（收入年度或统计年度列、表头标题中的年份、或导入时指定的年度），该户收入未导入")
		}
		return
	}
	if year < 2010 || year > b.d.today.Year() {
		if !b.vals[fIncomeYear].set {
			yf = fPerCapita
		}
		b.add(b.src[yf], yf, "收入年度 "+itoa(year)+" 应在 2010 至今年之间")
		return
	}
	money := func(f fieldID) fupin.Money { return fupin.Money(b.vals[f].i) }
	y := fupin.IncomeYear{Year: year, Wage: money(fWage), Business: money(fBusiness),
		Property: money(fProperty), Transfer: money(fTransfer), BusinessExpense: money(fBusinessExpense),
		Claims: money(fClaims), EligibleOutOfPocket: money(fOutOfPocket), Items: []fupin.IncomeItem{}}
	if !components {
		y.Compute(h.Members)
		switch {
		case net.set:
			d := money(fHouseholdNet)
			y.DeclaredNet = &d
		case y.Size == 0:
			b.warn(b.src[fPerCapita], fPerCapita, "该户 "+itoa(year)+" 年末没有在册成员，无法由人均纯收入算出家庭纯收入，该户收入未导入")
			return
		default:
			d := fupin.Money(pc.i * y.Size)
			y.DeclaredNet = &d
		}
	}
	y.Compute(h.Members)
	b.checkTotals(&y, components)
	h.Incomes = []fupin.IncomeYear{y}
}

// checkTotals warns when the file's 人均纯收入 or 家庭年纯收入 disagree (by
// more than one yuan, as files round) with the income stored from it.
func (b *builder) checkTotals(y *fupin.IncomeYear, components bool) {
	from := "各项收入"
	if !components {
		from = "家庭年纯收入"
	}
	if v := b.vals[fHouseholdNet]; v.set && components && absMoney(fupin.Money(v.i)-y.Net) > 100 {
		b.warn(b.src[fHouseholdNet], fHouseholdNet, "家庭年纯收入与各项收入算出的 "+y.Net.String()+" 元不一致，按各项收入导入")
	}
	if v := b.vals[fPerCapita]; v.set && y.PerCapitaNet != nil && absMoney(fupin.Money(v.i)-*y.PerCapitaNet) > 100 &&
		(components || b.vals[fHouseholdNet].set) {
		b.warn(b.src[fPerCapita], fPerCapita, "人均纯收入与"+from+"算出的 "+y.PerCapitaNet.String()+" 元不一致，按"+from+"导入")
	}
}

func absMoney(m fupin.Money) fupin.Money {
	if m < 0 {
		return -m
	}
	return m
}

// identities reports a current person (ID number) already current in an
// earlier row of the file and remembers this household's current people;
// likewise a 户编号 whose rows are not adjacent. Rows of members who left
// are history: a person who moved or left and re-joined appears once as
// left and once as current.
func (b *builder) identities(h *fupin.Household) {
	d := b.d
	for i := range h.Members {
		id := h.Members[i].IDNumber
		if len(id) != 18 || b.errAt(i, fIDNumber) >= 0 || !h.Members[i].Active() {
			continue
		}
		key, ok := idKey(id)
		if !ok {
			continue
		}
		if r, seen := d.seenID[key]; seen {
			b.add(i, fIDNumber, "同一人（证件号码 "+id+"）已在"+d.where(r, b.rows[i].ref.Sheet)+"出现")
			continue
		}
		d.seenID[key] = d.refOf(b.rows[i].ref)
	}
	if d.dup {
		for i := range b.rows {
			b.add(i, fHouseholdNo, "户编号“"+d.key+"”已在"+d.where(d.dupOf, b.rows[i].ref.Sheet)+
				"出现，同一户的各行必须相邻")
		}
	}
}

// idKey packs a checked 18-character ID number into a number (17 digits
// and a check character of 11 values), so that the file's set of people
// costs 16 bytes a person rather than 32.
func idKey(id string) (uint64, bool) {
	var k uint64
	for i := 0; i < 17; i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		k = k*10 + uint64(c-'0')
	}
	switch c := id[17]; {
	case c >= '0' && c <= '9':
		return k*11 + uint64(c-'0'), true
	case c == 'X' || c == 'x':
		return k*11 + 10, true
	}
	return 0, false
}

// cellErrors converts the collected problems (or warnings), ordered by
// row and column.
func (b *builder) cellErrors(errs []cellErr) []CellError {
	if len(errs) == 0 {
		return nil
	}
	slices.SortStableFunc(errs, func(x, y cellErr) int {
		if x.ri != y.ri {
			return x.ri - y.ri
		}
		return colOrder(b.rows[x.ri].hdr, x.f) - colOrder(b.rows[y.ri].hdr, y.f)
	})
	out := make([]CellError, len(errs))
	for k, e := range errs {
		r := &b.rows[e.ri]
		out[k] = CellError{Sheet: r.ref.Sheet, Row: r.ref.Row, Column: r.hdr.columnText(e.f),
			Value: b.raw(e.ri, e.f), Reason: e.reason}
	}
	return out
}

func colOrder(h *Header, f fieldID) int {
	if h.has(f) {
		return int(h.col[f])
	}
	return 1<<20 + int(f)
}

// memberPaths and householdPaths map fupin validation paths to fields.
var memberPaths, householdPaths = paths()

func paths() (member, household map[string]fieldID) {
	member, household = map[string]fieldID{}, map[string]fieldID{}
	for f := fieldID(0); f < nExport; f++ {
		if p := fields[f].path; p != "" {
			if fields[f].member {
				member[p] = f
			} else {
				household[p] = f
			}
		}
	}
	return member, household
}
