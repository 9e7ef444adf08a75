package fupin

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar date without time of day, stored as "YYYY-MM-DD".
// The zero Date means "not recorded": JSON null and SQL NULL.
type Date struct{ t time.Time }

// DateOf returns the Date of t's calendar day in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// NewDate returns the given calendar day.
func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// ParseDate parses "YYYY-MM-DD" and rejects impossible days.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return Date{}, fmt.Errorf("日期格式应为 YYYY-MM-DD：%q", s)
	}
	return Date{t}, nil
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Time returns midnight UTC of the date.
func (d Date) Time() time.Time { return d.t }

// Year returns the calendar year, 0 when unset.
func (d Date) Year() int {
	if d.IsZero() {
		return 0
	}
	return d.t.Year()
}

// Before reports whether d is strictly before o.
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }

// After reports whether d is strictly after o.
func (d Date) After(o Date) bool { return d.t.After(o.t) }

func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// MarshalJSON writes "YYYY-MM-DD" or null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// JSONSchemaBytes describes a Date in the OpenAPI document as what it is on
// the wire (read by swaggest/jsonschema-go, which needs no import here).
func (Date) JSONSchemaBytes() ([]byte, error) {
	return []byte(`{"type":["string","null"],"format":"date"}`), nil
}

// UnmarshalJSON reads "YYYY-MM-DD", "" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("日期应为字符串 YYYY-MM-DD")
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value stores the date as text; PostgreSQL casts it into a DATE column.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a DATE (time.Time from pgx) or TEXT (SQLite) column.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = DateOf(v)
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	default:
		return fmt.Errorf("fupin.Date: cannot scan %T", src)
	}
	return nil
}

func (d *Date) scanText(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	// Fast path for the stored form; batch reads scan millions of dates.
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		y, m, dd := digits(s[0:4]), digits(s[5:7]), digits(s[8:10])
		if y > 0 && m >= 1 && m <= 12 && dd >= 1 && dd <= 31 {
			t := time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC)
			if t.Day() == dd {
				*d = Date{t}
				return nil
			}
		}
	}
	v, err := ParseDate(s)
	*d = v
	return err
}

// digits parses ASCII digits, -1 when s has anything else.
func digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// Money is an amount in fen (0.01 yuan). JSON carries yuan as a number with
// at most two decimals, so 1234.5 means ¥1,234.50.
type Money int64

// Yuan returns m as yuan.
func (m Money) Yuan() float64 { return float64(m) / 100 }

// YuanToMoney rounds a yuan amount to the nearest fen.
func YuanToMoney(y float64) Money { return Money(math.Round(y * 100)) }

func (m Money) String() string {
	// strconv rather than fmt: exports write several amounts per household.
	var b [24]byte
	out := b[:0]
	u := uint64(m)
	if m < 0 {
		out, u = append(out, '-'), -u
	}
	out = strconv.AppendUint(out, u/100, 10)
	out = append(out, '.', byte('0'+u%100/10), byte('0'+u%10))
	return string(out)
}

// MarshalJSON writes yuan with up to two decimals.
func (m Money) MarshalJSON() ([]byte, error) {
	return []byte(strconv.FormatFloat(m.Yuan(), 'f', -1, 64)), nil
}

// JSONSchemaBytes describes Money in the OpenAPI document: a yuan amount
// with at most two decimals.
func (Money) JSONSchemaBytes() ([]byte, error) {
	return []byte(`{"type":"number"}`), nil
}

// UnmarshalJSON reads a yuan number (or numeric string) and rounds to fen.
func (m *Money) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" || s == "" {
		*m = 0
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || math.Abs(f) > 1e12 {
		return fmt.Errorf("金额应为数字（元）：%s", s)
	}
	*m = YuanToMoney(f)
	return nil
}

// Equal reports whether two dates are the same day (go-cmp uses it).
func (d Date) Equal(o Date) bool { return d.t.Equal(o.t) }
