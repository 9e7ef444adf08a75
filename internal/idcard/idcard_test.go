package idcard

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var today = time.Date(2025, time.June, 15, 0, 0, 0, 0, time.UTC)

// mk appends the check character to a 17-digit prefix.
func mk(t testing.TB, first17 string) string {
	t.Helper()
	c := CheckChar(first17)
	if c == 0 {
		t.Fatalf("CheckChar(%q) = 0, want a check character", first17)
	}
	return first17 + string(c)
}

// wrongCheck returns number with its check character replaced by a wrong one.
func wrongCheck(t testing.TB, number string) string {
	t.Helper()
	last := byte('0')
	if number[17] == '0' {
		last = '1'
	}
	return number[:17] + string(last)
}

func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func TestParseValid(t *testing.T) {
	cq := mk(t, "50023619800101123")
	sc := mk(t, "51022619650315042")
	tests := []struct {
		name string
		in   string
		want ID
	}{
		{"public example", "11010519491231002X", ID{"11010519491231002X", "110105", date(1949, 12, 31), Female, false}},
		{"lowercase x", "11010519491231002x", ID{"11010519491231002X", "110105", date(1949, 12, 31), Female, false}},
		{"full-width", "１１０１０５１９４９１２３１００２Ｘ", ID{"11010519491231002X", "110105", date(1949, 12, 31), Female, false}},
		{"full-width lower x", "１１０１０５１９４９１２３１００２ｘ", ID{"11010519491231002X", "110105", date(1949, 12, 31), Female, false}},
		{"Chongqing male", cq, ID{cq, "500236", date(1980, 1, 1), Male, false}},
		{"old Sichuan code female", sc, ID{sc, "510226", date(1965, 3, 15), Female, false}},
		{"spaces everywhere", " 500236\u3000" + cq[6:10] + "\t" + cq[10:14] + "\u00a0" + cq[14:] + " \r\n", ID{cq, "500236", date(1980, 1, 1), Male, false}},
		{"15-digit upgrade", "510226650315042", ID{sc, "510226", date(1965, 3, 15), Female, true}},
		{"15-digit with spaces", " 510226 650315 042 ", ID{sc, "510226", date(1965, 3, 15), Female, true}},
		{"Feb 29 leap year", mk(t, "11010120000229011"), ID{mk(t, "11010120000229011"), "110101", date(2000, 2, 29), Male, false}},
		{"born today", mk(t, "11010120250615022"), ID{mk(t, "11010120250615022"), "110101", today, Female, false}},
		{"born 1890-01-01", mk(t, "65010118900101019"), ID{mk(t, "65010118900101019"), "650101", date(1890, 1, 1), Male, false}},
		{"Taiwan residence permit", mk(t, "83000019900101002"), ID{mk(t, "83000019900101002"), "830000", date(1990, 1, 1), Female, false}},
		{"Excel text marker", "'" + mk(t, "82000019900101002"), ID{mk(t, "82000019900101002"), "820000", date(1990, 1, 1), Female, false}},
		{"Macau", mk(t, "82000019900101002"), ID{mk(t, "82000019900101002"), "820000", date(1990, 1, 1), Female, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in, today)
			if err != nil {
				t.Fatalf("Parse(%q) error = %v, want nil", tt.in, err)
			}
			if !got.Birth.Equal(tt.want.Birth) || got.Birth.Location() != time.UTC {
				t.Errorf("Parse(%q).Birth = %v, want %v", tt.in, got.Birth, tt.want.Birth)
			}
			got.Birth, tt.want.Birth = time.Time{}, time.Time{}
			if got != tt.want {
				t.Errorf("Parse(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseUpgradeCheckChar(t *testing.T) {
	got, err := Parse("110105491231002", today)
	if err != nil {
		t.Fatalf("Parse error = %v", err)
	}
	if want := "11010519491231002X"; got.Number != want {
		t.Errorf("Number = %q, want %q", got.Number, want)
	}
	if got.Number[17] != 'X' || !got.Upgraded {
		t.Errorf("check char = %c, Upgraded = %v; want X, true", got.Number[17], got.Upgraded)
	}
}

func TestParseErrors(t *testing.T) {
	valid := mk(t, "50023619800101123")
	tests := []struct {
		name string
		in   string
		kind Kind
		msg  string // substring the message must contain
	}{
		{"empty", "", KindEmpty, "为空"},
		{"only spaces", " \t\u3000\u00a0 ", KindEmpty, "为空"},
		{"sci 4.10105E+17", "4.10105E+17", KindScientific, "科学计数法"},
		{"sci 5.00236E+17", "5.00236E+17", KindScientific, "Excel"},
		{"sci long mantissa", "5.00236198001012E+17", KindScientific, "丢失"},
		{"sci lowercase e", "5.00236198001012e+17", KindScientific, "科学计数法"},
		{"sci no sign", "4.10105E17", KindScientific, "科学计数法"},
		{"sci spaced", " 5.00236E+17 ", KindScientific, "科学计数法"},
		{"sci full-width", "５．００２３６Ｅ＋１７", KindScientific, "科学计数法"},
		{"17 digits", valid[:17], KindLength, "实为 17 位"},
		{"19 digits", valid + "1", KindLength, "实为 19 位"},
		{"16 digits", valid[:16], KindLength, "实为 16 位"},
		{"letter at end", valid[:17] + "A", KindChars, "“A”（第 18 位）"},
		{"letters only", "abc", KindChars, "“a”"},
		{"chinese", "张三", KindChars, "“张”"},
		{"dashes", "500236-19800101-1234", KindChars, "“-”（第 7 位）"},
		{"X in middle", "5002361980010112X4", KindChars, "第 17 位"},
		{"X in 15-digit", "51022665031504X", KindChars, "15 位"},
		{"control char", valid[:5] + "\x00" + valid[5:], KindChars, "U+0000"},
		{"province 00", mk(t, "00023619800101123"), KindProvince, "00"},
		{"province 99", mk(t, "99023619800101123"), KindProvince, "99"},
		{"province 19", mk(t, "19023619800101123"), KindProvince, "19"},
		{"province 84", mk(t, "84000019800101123"), KindProvince, "84"},
		{"Feb 29 non-leap", mk(t, "11010120010229011"), KindDate, "2001-02-29"},
		{"Feb 29 1900", mk(t, "11010119000229011"), KindDate, "1900-02-29"},
		{"Feb 30", mk(t, "11010119490230011"), KindDate, "不是真实存在的日期"},
		{"Apr 31", mk(t, "11010119490431011"), KindDate, "不是真实存在的日期"},
		{"month 13", mk(t, "11010119491301011"), KindDate, "不是真实存在的日期"},
		{"day 00", mk(t, "11010119490100011"), KindDate, "不是真实存在的日期"},
		{"future", mk(t, "11010120250616011"), KindDate, "晚于今天"},
		{"before 1890", mk(t, "11010118891231011"), KindDate, "早于 1890-01-01"},
		{"15-digit bad date", "510226650230042", KindDate, "1965-02-30"},
		{"bad check", wrongCheck(t, valid), KindCheck, "末位应为 " + valid[17:]},
		{"bad check public", "110105194912310023", KindCheck, "校验位错误：末位应为 X，实为 3"},
		{"bad check lower", "110105194912310020", KindCheck, "末位应为 X，实为 0"},
		{"X instead of digit", valid[:17] + "X", KindCheck, "实为 X"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := Parse(tt.in, today)
			if err == nil {
				t.Fatalf("Parse(%q) = %+v, want error of kind %s", tt.in, id, tt.kind)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error type %T, want *Error", tt.in, err)
			}
			if got, want := e.Kind, tt.kind; got != want {
				t.Errorf("Parse(%q) kind = %s, want %s (message %q)", tt.in, got, want, e.Message)
			}
			if got, want := e.Input, tt.in; got != want {
				t.Errorf("Input = %q, want %q", got, want)
			}
			if got := e.Error(); got != e.Message || !strings.Contains(got, tt.msg) {
				t.Errorf("Error() = %q, want it to contain %q", got, tt.msg)
			}
			if id != (ID{}) {
				t.Errorf("Parse(%q) returned non-zero ID %+v alongside error", tt.in, id)
			}
		})
	}
}

func TestParseTodayLocation(t *testing.T) {
	// 2025-06-16 00:30 in UTC+8 is still 2025-06-15 in UTC: the caller's
	// local calendar date is what counts.
	shanghai := time.FixedZone("CST", 8*3600)
	now := time.Date(2025, time.June, 16, 0, 30, 0, 0, shanghai)
	if _, err := Parse(mk(t, "11010120250616011"), now); err != nil {
		t.Errorf("Parse born on local today: error = %v, want nil", err)
	}
}

func TestCheckChar(t *testing.T) {
	tests := []struct {
		in   string
		want byte
	}{
		{"11010519491231002", 'X'},
		{"51022619650315042", mk(t, "51022619650315042")[17]},
		{"1101051949123100", 0},
		{"110105194912310021", 0},
		{"1101051949123100A", 0},
		{"１１０１０５１９４９１２３１００２", 0},
		{"", 0},
	}
	for _, tt := range tests {
		if got := CheckChar(tt.in); got != tt.want {
			t.Errorf("CheckChar(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"500236198001011234", "5002**********1234"},
		{"11010519491231002X", "1101**********002X"},
		{"510226650315042", "5102********042"},
		{"12345678901", "1234***8901"},
		{"1234567890", "**********"},
		{"123", "***"},
		{"", ""},
		{"身份证号码", "*****"},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAgeOn(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	tests := []struct {
		name  string
		birth time.Time
		on    time.Time
		want  int
	}{
		{"day before birthday", date(1980, 6, 15), date(2000, 6, 14), 19},
		{"on birthday", date(1980, 6, 15), date(2000, 6, 15), 20},
		{"day after birthday", date(1980, 6, 15), date(2000, 6, 16), 20},
		{"local date counts", date(1980, 6, 15), time.Date(2000, 6, 15, 0, 30, 0, 0, cst), 20},
		{"Feb 29 on Feb 28 non-leap", date(2000, 2, 29), date(2001, 2, 28), 0},
		{"Feb 29 on Mar 1 non-leap", date(2000, 2, 29), date(2001, 3, 1), 1},
		{"Feb 29 on Feb 28 leap", date(2000, 2, 29), date(2004, 2, 28), 3},
		{"Feb 29 on Feb 29 leap", date(2000, 2, 29), date(2004, 2, 29), 4},
		{"day of birth", date(2000, 2, 29), date(2000, 2, 29), 0},
		{"before birth", date(2000, 2, 29), date(1999, 1, 1), 0},
	}
	for _, tt := range tests {
		id := ID{Birth: tt.birth}
		if got := id.AgeOn(tt.on); got != tt.want {
			t.Errorf("%s: AgeOn(%v) = %d, want %d", tt.name, tt.on, got, tt.want)
		}
	}
}

func TestSexLabel(t *testing.T) {
	tests := []struct {
		in   Sex
		want string
	}{{Male, "男"}, {Female, "女"}, {"", ""}}
	for _, tt := range tests {
		if got := tt.in.Label(); got != tt.want {
			t.Errorf("Sex(%q).Label() = %q, want %q", tt.in, got, tt.want)
		}
	}
}
