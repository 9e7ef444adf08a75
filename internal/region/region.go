package region

import (
	"errors"
	"fmt"
	"strings"
)

// Vintage is the year of the 统计用区划代码 edition embedded in the package.
const Vintage = "2023"

// Level is the administrative level of a region.
type Level string

// The five levels of the statistical division codes, from the top.
const (
	LevelProvince Level = "province" // 省级, 2-digit code
	LevelCity     Level = "city"     // 地级, 4-digit code
	LevelCounty   Level = "county"   // 县级, 6-digit code
	LevelTownship Level = "township" // 乡级, 9-digit code
	LevelVillage  Level = "village"  // 村级, 12-digit code
)

// Label returns the Chinese name of the level (省级, 地级, 县级, 乡级, 村级), or
// "" for an unknown level.
func (l Level) Label() string {
	switch l {
	case LevelProvince:
		return "省级"
	case LevelCity:
		return "地级"
	case LevelCounty:
		return "县级"
	case LevelTownship:
		return "乡级"
	case LevelVillage:
		return "村级"
	}
	return ""
}

// Region is one statistical division unit.
type Region struct {
	Code       string `json:"code"`                  // canonical code
	Name       string `json:"name"`                  // short name for display
	FullName   string `json:"full_name"`             // name as published
	Level      Level  `json:"level"`                 // administrative level
	ParentCode string `json:"parent_code,omitempty"` // canonical code of the parent; "" for a province
}

// ErrNotFound is returned, possibly wrapped, when a well-formed code does not
// name an existing region.
var ErrNotFound = errors.New("区划代码不存在")

// ErrInvalidCode is returned, possibly wrapped, when a code is malformed.
var ErrInvalidCode = errors.New("区划代码格式不正确")

// codeLens are the canonical code lengths, by level from province down.
var codeLens = [5]int{2, 4, 6, 9, 12}

var levelsByIndex = [5]Level{LevelProvince, LevelCity, LevelCounty, LevelTownship, LevelVillage}

func levelIndex(l Level) int {
	for i, x := range levelsByIndex {
		if x == l {
			return i
		}
	}
	return -1
}

// LevelOf returns the level of a canonical code, judged by its length (2, 4,
// 6, 9 or 12 ASCII digits). It does not check that the region exists.
func LevelOf(canonical string) (Level, bool) {
	if !digits(canonical) {
		return "", false
	}
	for i, n := range codeLens {
		if len(canonical) == n {
			return levelsByIndex[i], true
		}
	}
	return "", false
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Normalize returns the canonical form of a code after trimming surrounding
// white space. It accepts a canonical code (2, 4, 6, 9 or 12 digits, which
// are taken as they are) and the 12-digit zero-padded form, whose trailing
// zero groups are dropped: "500236266000" → "500236266", "500236000000" →
// "500236", "500000000000" → "50". The one exception is a 12-digit code that
// is itself an existing village ending in 000 (in 2023 only 350527000000,
// the placeholder village of 金门县): it is kept as the village. Anything else
// yields an error wrapping ErrInvalidCode. Normalize does not check that the
// result exists. Note that a 6-digit input is a county code: the GB/T 2260
// style "500000" for 重庆市 is the nonexistent county 500000, not "50".
func Normalize(code string) (string, error) {
	c := strings.TrimSpace(code)
	if _, ok := LevelOf(c); !ok {
		return "", fmt.Errorf("%w：%q", ErrInvalidCode, code)
	}
	if len(c) != 12 || !strings.HasSuffix(c, "000") {
		return c, nil
	}
	if idx, err := load(); err == nil && idx.isExact(c) {
		return c, nil
	}
	for i := len(codeLens) - 1; i > 0; i-- {
		if strings.Trim(c[codeLens[i-1]:codeLens[i]], "0") != "" {
			return c[:codeLens[i]], nil
		}
	}
	return c[:codeLens[0]], nil
}

// Lookup returns the region with the given code, at any level. The code may
// be canonical or 12-digit padded. A malformed code yields ErrInvalidCode, a
// well-formed one that does not exist ErrNotFound (both wrapped).
func Lookup(code string) (Region, error) {
	c, err := Normalize(code)
	if err != nil {
		return Region{}, err
	}
	idx, err := load()
	if err != nil {
		return Region{}, err
	}
	return idx.lookup(c)
}

func (idx *index) lookup(c string) (Region, error) {
	lv, _ := LevelOf(c)
	i := levelIndex(lv)
	var r row
	var ok bool
	if lv == LevelVillage {
		v, err := idx.villages(c[:6])
		if err != nil {
			return Region{}, err
		}
		if v != nil {
			r, ok = find(v.villages, c)
		}
	} else {
		r, ok = find(idx.levels[i], c)
	}
	if !ok {
		return Region{}, fmt.Errorf("%w：%s", ErrNotFound, c)
	}
	return makeRegion(r, i), nil
}

func makeRegion(r row, level int) Region {
	reg := Region{Code: r.code, Name: r.display(), FullName: r.name, Level: levelsByIndex[level]}
	if level > 0 {
		reg.ParentCode = r.code[:codeLens[level-1]]
	}
	return reg
}

func regions(rows []row, level int) []Region {
	out := make([]Region, len(rows))
	for i, r := range rows {
		out[i] = makeRegion(r, level)
	}
	return out
}

// Children returns the direct children of the region with the given code,
// sorted by code; Children("") returns the provinces. A village has no
// children (an empty, non-nil slice). Errors are as for Lookup.
func Children(code string) ([]Region, error) {
	idx, err := load()
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(code) == "" {
		return regions(idx.levels[0], 0), nil
	}
	parent, err := Lookup(code)
	if err != nil {
		return nil, err
	}
	switch parent.Level {
	case LevelVillage:
		return []Region{}, nil
	case LevelTownship:
		v, err := idx.villages(parent.Code[:6])
		if err != nil || v == nil {
			return []Region{}, err
		}
		return regions(prefixRange(v.villages, parent.Code), 4), nil
	}
	i := levelIndex(parent.Level) + 1
	return regions(prefixRange(idx.levels[i], parent.Code), i), nil
}

// Path returns the region with the given code and its ancestors, from the
// province down to and including the region itself. Errors are as for Lookup.
func Path(code string) ([]Region, error) {
	r, err := Lookup(code)
	if err != nil {
		return nil, err
	}
	idx, _ := load() // Lookup succeeded, so the index is loaded
	n := levelIndex(r.Level)
	path := make([]Region, 0, n+1)
	for i := 0; i < n; i++ {
		a, ok := find(idx.levels[i], r.Code[:codeLens[i]])
		if !ok { // cannot happen: the generator checks every parent link
			return nil, fmt.Errorf("%w：%s", ErrNotFound, r.Code[:codeLens[i]])
		}
		path = append(path, makeRegion(a, i))
	}
	return append(path, r), nil
}

// IsVillage reports whether code is the canonical 12-digit code of an
// existing village-level unit. Unlike Lookup it accepts no white space and
// no padded form of a higher level.
func IsVillage(code string) bool {
	if len(code) != 12 {
		return false
	}
	if c, err := Normalize(code); err != nil || c != code {
		return false
	}
	_, err := Lookup(code)
	return err == nil
}
