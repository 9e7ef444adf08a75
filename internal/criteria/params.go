package criteria

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"sync"

	"fupin/internal/fupin"
)

// ParamRow is one administrator-entered parameter value: Key takes Value in
// the area whose division codes start with Area ("" = national) from Year on.
type ParamRow struct {
	Area  string `json:"area"`
	Year  int    `json:"year"`
	Key   string `json:"key"`
	Value string `json:"value"`
}

// ParamUse is a parameter value as resolved for an area and year, with where
// it came from. Verdicts list the ParamUses each rule used.
type ParamUse struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Unit  string `json:"unit,omitempty"`
	Value string `json:"value"`
	// Default is true when no row applied and the built-in default was used.
	Default bool `json:"default"`
	// Area and Year identify the row that applied ("" = national).
	Area string `json:"area"`
	Year int    `json:"year,omitempty"`
}

// Params is a resolved, immutable parameter set for one area and year. It is
// safe for concurrent use; build it with Resolve or Defaults.
type Params struct {
	area    string
	year    int
	version string
	all     [numParams]ParamUse
	num     [numParams]float64
	// monitoring and poverty are the income lines in fen.
	monitoring, poverty fupin.Money
	basisIncome         bool

	// Parameter uses per rule, precomputed so that evaluation copies nothing.
	useEdu, useIncome, useBelow, useSpend, useDrop, useDisab, useNone []ParamUse
	useWater                                                          [2][]ParamUse // by scarce area
	useStd                                                            [3][]ParamUse // water, scarce water, income
}

// Resolve builds the parameters in force for a household in area (a division
// code or prefix, digits only) in year. For each key, among the rows whose
// Area is a prefix of area and whose Year is not after year, the row with the
// longest Area wins, and within that area the latest Year; keys without such
// a row take the built-in default. Rows with unknown keys are ignored (a key
// retired from the code must not stop every evaluation); an applicable row
// with an invalid value, area or year, two applicable rows for the same
// area, year and key with different values, or an age range whose minimum is
// above its maximum give a *fupin.Error with code invalid.
func Resolve(rows []ParamRow, area string, year int) (*Params, error) {
	if len(area) > 12 || !isDigits(area) {
		return nil, fupin.Errorf(fupin.EInvalid, "区域应为统计用区划代码（前缀）：%q", area)
	}
	var best [numParams]int
	for i := range best {
		best[i] = -1
	}
	for i, r := range rows {
		k, ok := keyIndex(r.Key)
		if !ok || !fupin.SettingApplies(r.Area, r.Year, area, year) {
			continue
		}
		if err := ValidateRow(r); err != nil {
			return nil, fupin.Errorf(fupin.EInvalid, "政策参数表有误（区域 %q，%d 年）：%s",
				r.Area, r.Year, fupin.ErrorMessage(err))
		}
		b := best[k]
		if b < 0 {
			best[k] = i
			continue
		}
		o := rows[b]
		switch {
		case fupin.SettingBeats(r.Area, r.Year, o.Area, o.Year):
			best[k] = i
		case len(r.Area) == len(o.Area) && r.Year == o.Year && r.Value != o.Value:
			return nil, fupin.Errorf(fupin.EInvalid, "政策参数 %s 在区域 %q %d 年有两个不同的值：%s 和 %s",
				r.Key, r.Area, r.Year, o.Value, r.Value)
		}
	}
	p := &Params{area: area, year: year}
	for k := range defs {
		d := &defs[k]
		u := ParamUse{Key: d.Key, Label: d.Label, Unit: d.Unit, Value: d.Default, Default: true}
		if b := best[k]; b >= 0 {
			u.Value, u.Default, u.Area, u.Year = rows[b].Value, false, rows[b].Area, rows[b].Year
		}
		f, err := parseValue(d, u.Value)
		if err != nil {
			return nil, err // a built-in default is invalid: a bug caught by the tests
		}
		p.all[k], p.num[k] = u, f
	}
	if p.num[pEduAgeMin] > p.num[pEduAgeMax] {
		return nil, fupin.Errorf(fupin.EInvalid, "义务教育适龄下限 %s 岁高于上限 %s 岁",
			p.all[pEduAgeMin].Value, p.all[pEduAgeMax].Value)
	}
	p.finish()
	return p, nil
}

// finish derives the cached values: money lines, basis, version, rule uses.
func (p *Params) finish() {
	p.monitoring = fupin.YuanToMoney(p.num[pMonitoringLine])
	p.poverty = fupin.YuanToMoney(p.num[pPovertyLine])
	p.basisIncome = p.all[pYidabiaoBasis].Value == BasisIncome

	h := sha256.New()
	for _, u := range p.all {
		h.Write([]byte(u.Key + "\x00" + u.Value + "\x00" + u.Area + "\x00" + strconv.Itoa(u.Year) + "\n"))
	}
	p.version = hex.EncodeToString(h.Sum(nil))[:12]

	pick := func(keys ...pk) []ParamUse {
		out := make([]ParamUse, len(keys))
		for i, k := range keys {
			out[i] = p.all[k]
		}
		return out[:len(out):len(out)]
	}
	p.useEdu = pick(pEduAgeMin, pEduAgeMax)
	p.useIncome = pick(pMonitoringLine, pPovertyLine)
	p.useBelow = p.useIncome
	p.useSpend = pick(pHighSpendingRatio)
	p.useDrop = pick(pIncomeDropRatio)
	p.useDisab = pick(pDisabilityMaxGrade)
	p.useNone = pick()
	fetch := []pk{pWaterFetchMinutes, pWaterFetchMetres, pWaterFetchClimb, pWaterMaxDays}
	p.useWater[0] = pick(append([]pk{pWaterMinLPD}, fetch...)...)
	p.useWater[1] = pick(append([]pk{pWaterMinLPDScarce}, fetch...)...)
	p.useStd[0] = pick(append([]pk{pYidabiaoBasis, pWaterMinLPD}, fetch...)...)
	p.useStd[1] = pick(append([]pk{pYidabiaoBasis, pWaterMinLPDScarce}, fetch...)...)
	p.useStd[2] = pick(pYidabiaoBasis, pMonitoringLine, pPovertyLine)
}

var defaultParams = sync.OnceValue(func() *Params {
	p, err := Resolve(nil, "", 0)
	if err != nil {
		panic("criteria: invalid built-in defaults: " + err.Error())
	}
	return p
})

// Defaults returns the built-in defaults (no rows), shared and read-only.
func Defaults() *Params { return defaultParams() }

// Version is a short stable hash over the (key, value, area, year) of every
// parameter used, so stored verdicts can name the policy version they used:
// it changes when any value or its origin changes and is the same for two
// areas that resolve to the same rows.
func (p *Params) Version() string { return p.version }

// Area returns the area the parameters were resolved for.
func (p *Params) Area() string { return p.area }

// Year returns the year the parameters were resolved for.
func (p *Params) Year() int { return p.year }

// All returns every resolved parameter in the order of Defs (a copy).
func (p *Params) All() []ParamUse {
	out := make([]ParamUse, numParams)
	copy(out, p.all[:])
	return out
}

// Get returns the resolved value of key.
func (p *Params) Get(key string) (ParamUse, bool) {
	if k, ok := keyIndex(key); ok {
		return p.all[k], true
	}
	return ParamUse{}, false
}

// Number returns the resolved numeric value of key (0 for enums and unknown
// keys).
func (p *Params) Number(key string) float64 {
	if k, ok := keyIndex(key); ok {
		return p.num[k]
	}
	return 0
}
