package monitor

import (
	"time"

	"fupin/internal/fupin"
)

func day(y int, m time.Month, d int) fupin.Date { return fupin.NewDate(y, m, d) }

func hol(name string, from, to fupin.Date, makeUp ...fupin.Date) Holiday {
	if makeUp == nil {
		makeUp = []fupin.Date{}
	}
	return Holiday{Name: name, From: from, To: to, MakeUp: makeUp}
}

// BuiltinYears are the years whose State Council notice is embedded, each
// transcribed from the notice it names. Later years are loaded by an
// administrator (API or `fupin calendar load`) when their notice appears.
func BuiltinYears() []Year {
	return []Year{
		{Year: 2024, Notice: "国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号，2023年10月25日）",
			Holidays: []Holiday{
				hol("元旦", day(2024, 1, 1), day(2024, 1, 1)),
				hol("春节", day(2024, 2, 10), day(2024, 2, 17), day(2024, 2, 4), day(2024, 2, 18)),
				hol("清明节", day(2024, 4, 4), day(2024, 4, 6), day(2024, 4, 7)),
				hol("劳动节", day(2024, 5, 1), day(2024, 5, 5), day(2024, 4, 28), day(2024, 5, 11)),
				hol("端午节", day(2024, 6, 10), day(2024, 6, 10)),
				hol("中秋节", day(2024, 9, 15), day(2024, 9, 17), day(2024, 9, 14)),
				hol("国庆节", day(2024, 10, 1), day(2024, 10, 7), day(2024, 9, 29), day(2024, 10, 12)),
			}},
		{Year: 2025, Notice: "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）",
			Holidays: []Holiday{
				hol("元旦", day(2025, 1, 1), day(2025, 1, 1)),
				hol("春节", day(2025, 1, 28), day(2025, 2, 4), day(2025, 1, 26), day(2025, 2, 8)),
				hol("清明节", day(2025, 4, 4), day(2025, 4, 6)),
				hol("劳动节", day(2025, 5, 1), day(2025, 5, 5), day(2025, 4, 27)),
				hol("端午节", day(2025, 5, 31), day(2025, 6, 2)),
				hol("国庆节、中秋节", day(2025, 10, 1), day(2025, 10, 8), day(2025, 9, 28), day(2025, 10, 11)),
			}},
		{Year: 2026, Notice: "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）",
			Holidays: []Holiday{
				hol("元旦", day(2026, 1, 1), day(2026, 1, 3), day(2026, 1, 4)),
				hol("春节", day(2026, 2, 15), day(2026, 2, 23), day(2026, 2, 14), day(2026, 2, 28)),
				hol("清明节", day(2026, 4, 4), day(2026, 4, 6)),
				hol("劳动节", day(2026, 5, 1), day(2026, 5, 5), day(2026, 5, 9)),
				hol("端午节", day(2026, 6, 19), day(2026, 6, 21)),
				hol("中秋节", day(2026, 9, 25), day(2026, 9, 27)),
				hol("国庆节", day(2026, 10, 1), day(2026, 10, 7), day(2026, 9, 20), day(2026, 10, 10)),
			}},
	}
}

// Builtin is the calendar of BuiltinYears.
func Builtin() *Calendar {
	c, err := NewCalendar(BuiltinYears()...)
	if err != nil {
		panic("monitor: builtin calendar: " + err.Error())
	}
	return c
}
