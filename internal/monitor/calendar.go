package monitor

import (
	"fmt"
	"sort"
	"time"

	"fupin/internal/fupin"
)

// Holiday is one official holiday period (放假调休) of a year, both ends
// included, with the weekend days worked to make up for it (调休上班).
type Holiday struct {
	Name   string       `json:"name" description:"节日名称"`
	From   fupin.Date   `json:"from"`
	To     fupin.Date   `json:"to"`
	MakeUp []fupin.Date `json:"make_up" description:"调休上班日"`
}

// Year is one year of the working-day calendar with the notice it follows.
type Year struct {
	Year     int       `json:"year"`
	Notice   string    `json:"notice" description:"依据（国务院办公厅通知名称、文号、日期）"`
	Holidays []Holiday `json:"holidays"`
}

// MaxHolidays bounds one year's holiday periods.
const MaxHolidays = 20

// Validate checks a year: a notice named, every date within the year, each
// period in order and at most 15 days, make-up days on weekends and never
// inside a holiday. Errors name the field path (holidays[1].to).
func (y Year) Validate() error {
	errs := fupin.FieldErrors{}
	if y.Year < 2000 || y.Year > 2100 {
		errs.Add("year", "年份应在 2000–2100 之间")
	}
	if n := len([]rune(y.Notice)); n == 0 || n > 200 {
		errs.Add("notice", "请填写依据的通知名称（200 字以内）")
	}
	if len(y.Holidays) > MaxHolidays {
		errs.Add("holidays", fmt.Sprintf("节假日不能超过 %d 段", MaxHolidays))
		return errs.Err()
	}
	off := map[fupin.Date]bool{}
	for i, h := range y.Holidays {
		p := fmt.Sprintf("holidays[%d]", i)
		if n := len([]rune(h.Name)); n == 0 || n > 20 {
			errs.Add(p+".name", "请填写节日名称（20 字以内）")
		}
		if h.From.IsZero() || h.From.Year() != y.Year {
			errs.Add(p+".from", fmt.Sprintf("开始日期应在 %d 年内", y.Year))
			continue
		}
		if h.To.IsZero() || h.To.Before(h.From) || h.To.Time().Sub(h.From.Time()) > 15*24*time.Hour {
			errs.Add(p+".to", "结束日期应不早于开始日期，且一段假期不超过 15 天")
			continue
		}
		for d := h.From; !d.After(h.To); d = addDays(d, 1) {
			off[d] = true
		}
		if len(h.MakeUp) > 5 {
			errs.Add(p+".make_up", "调休上班日不能超过 5 天")
		}
	}
	for i, h := range y.Holidays {
		for j, d := range h.MakeUp {
			p := fmt.Sprintf("holidays[%d].make_up[%d]", i, j)
			switch {
			case d.IsZero() || d.Time().Year() < y.Year-1 || d.Time().Year() > y.Year:
				errs.Add(p, "调休上班日应在本年或上年年末")
			case !weekend(d):
				errs.Add(p, "调休上班日应为周六或周日："+d.String())
			case off[d]:
				errs.Add(p, "调休上班日不能在假期内："+d.String())
			}
		}
	}
	return errs.Err()
}

// Calendar answers whether a day is a working day. Years that are loaded
// follow their notice; other years count weekends only, and every answer
// that relied on such a year says so (Coverage), never silently.
type Calendar struct {
	years   map[int]Year
	off, on map[fupin.Date]bool
}

// NewCalendar builds a calendar from validated years (later ones replace
// earlier ones of the same year). Errors: the first invalid year.
func NewCalendar(years ...Year) (*Calendar, error) {
	c := &Calendar{years: map[int]Year{}}
	for _, y := range years {
		if err := y.Validate(); err != nil {
			return nil, err
		}
		c.years[y.Year] = y
	}
	c.index()
	return c, nil
}

func (c *Calendar) index() {
	c.off, c.on = map[fupin.Date]bool{}, map[fupin.Date]bool{}
	for _, y := range c.years {
		for _, h := range y.Holidays {
			for d := h.From; !d.After(h.To); d = addDays(d, 1) {
				c.off[d] = true
			}
			for _, d := range h.MakeUp {
				c.on[d] = true
			}
		}
	}
}

// Years lists the loaded years in order.
func (c *Calendar) Years() []Year {
	out := make([]Year, 0, len(c.years))
	for _, y := range c.years {
		out = append(out, y)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year < out[j].Year })
	return out
}

// Loaded reports whether a year's notice is in the calendar.
func (c *Calendar) Loaded(year int) bool { _, ok := c.years[year]; return ok }

// Workday reports whether d is a working day.
func (c *Calendar) Workday(d fupin.Date) bool {
	if c.on[d] {
		return true
	}
	return !weekend(d) && !c.off[d]
}

// Coverage says which years an answer counted by weekends only because
// their holidays are not loaded. Empty means the answer is exact.
type Coverage struct {
	Unloaded []int `json:"unloaded_years" description:"未载入节假日安排、仅按周末计算的年份"`
}

// Exact reports whether every year the answer touched was loaded.
func (cv Coverage) Exact() bool { return len(cv.Unloaded) == 0 }

// Note is the Chinese warning for a user, "" when exact.
func (cv Coverage) Note() string {
	if cv.Exact() {
		return ""
	}
	s := ""
	for i, y := range cv.Unloaded {
		if i > 0 {
			s += "、"
		}
		s += fmt.Sprint(y)
	}
	return s + " 年节假日安排未载入，期限仅按周末计算"
}

func (c *Calendar) touch(cv *Coverage, d fupin.Date) {
	y := d.Time().Year()
	if c.Loaded(y) || in1(cv.Unloaded, y) {
		return
	}
	cv.Unloaded = append(cv.Unloaded, y)
}

// AddWorkdays is the deadline of n working days counted from start: the
// n-th working day after start (start itself does not count, as a limit
// "within 3 working days" of a step begun on a Friday ends on Wednesday).
// n ≤ 0 gives start.
func (c *Calendar) AddWorkdays(start fupin.Date, n int) (fupin.Date, Coverage) {
	var cv Coverage
	d := start
	for n > 0 {
		d = addDays(d, 1)
		c.touch(&cv, d)
		if c.Workday(d) {
			n--
		}
	}
	return d, cv
}

// WorkdaysBetween counts the working days after from up to and including
// to (0 when to is not after from): how many working days a step took.
func (c *Calendar) WorkdaysBetween(from, to fupin.Date) (int, Coverage) {
	var cv Coverage
	n := 0
	for d := addDays(from, 1); !d.After(to); d = addDays(d, 1) {
		c.touch(&cv, d)
		if c.Workday(d) {
			n++
		}
	}
	return n, cv
}

func addDays(d fupin.Date, n int) fupin.Date { return fupin.DateOf(d.Time().AddDate(0, 0, n)) }

func weekend(d fupin.Date) bool {
	w := d.Time().Weekday()
	return w == time.Saturday || w == time.Sunday
}

func in1(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// AddDays is d moved by n calendar days.
func AddDays(d fupin.Date, n int) fupin.Date { return addDays(d, n) }
