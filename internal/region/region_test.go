package region

import (
	"errors"
	"slices"
	"testing"
)

func TestChildrenPingan(t *testing.T) {
	got, err := Children("500236266")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ code, name string }{
		{"001", "平安社区"}, {"200", "天台村"}, {"202", "文昌村"}, {"203", "林口村"},
		{"205", "桃树村"}, {"206", "长坪村"}, {"207", "向子村"}, {"208", "茨竹村"},
		{"209", "和平村"}, {"210", "射淌村"}, {"211", "双店村"}, {"212", "咏梧村"},
	}
	if len(got) != len(want) {
		t.Fatalf("Children(500236266) returned %d regions, want %d: %v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Code != "500236266"+w.code || g.Name != w.name || g.Level != LevelVillage || g.ParentCode != "500236266" {
			t.Errorf("child %d = %+v, want code 500236266%s name %s", i, g, w.code, w.name)
		}
	}
	if got, want := got[0].FullName, "平安社区居民委员会"; got != want {
		t.Errorf("FullName = %q, want %q", got, want)
	}
}

func TestChildren(t *testing.T) {
	tests := []struct {
		code      string
		wantLen   int
		wantLevel Level
		wantFirst string
	}{
		{"", 31, LevelProvince, "北京市"},
		{"50", 2, LevelCity, "市辖区"},
		{"5002", 12, LevelCounty, "城口县"},
		{"500236", 33, LevelTownship, ""},
		{"500236000000", 33, LevelTownship, ""},
		{" 500236 ", 33, LevelTownship, ""},
		{"500236266200", 0, "", ""},
	}
	for _, tt := range tests {
		got, err := Children(tt.code)
		if err != nil {
			t.Errorf("Children(%q): %v", tt.code, err)
			continue
		}
		if len(got) != tt.wantLen || got == nil {
			t.Errorf("Children(%q) has %d regions (nil %v), want %d", tt.code, len(got), got == nil, tt.wantLen)
			continue
		}
		if !slices.IsSortedFunc(got, func(a, b Region) int { return cmpString(a.Code, b.Code) }) {
			t.Errorf("Children(%q) not sorted by code", tt.code)
		}
		for _, r := range got {
			if r.Level != tt.wantLevel {
				t.Errorf("Children(%q): %s has level %s, want %s", tt.code, r.Code, r.Level, tt.wantLevel)
			}
		}
		if tt.wantFirst != "" && got[0].Name != tt.wantFirst {
			t.Errorf("Children(%q)[0].Name = %q, want %q", tt.code, got[0].Name, tt.wantFirst)
		}
	}
	for _, code := range []string{"99", "500236266999", "abc"} {
		if _, err := Children(code); err == nil {
			t.Errorf("Children(%q) succeeded, want error", code)
		}
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestPath(t *testing.T) {
	got, err := Path("500236266200")
	if err != nil {
		t.Fatal(err)
	}
	want := []Region{
		{Code: "50", Name: "重庆市", FullName: "重庆市", Level: LevelProvince},
		{Code: "5002", Name: "县", FullName: "县", Level: LevelCity, ParentCode: "50"},
		{Code: "500236", Name: "奉节县", FullName: "奉节县", Level: LevelCounty, ParentCode: "5002"},
		{Code: "500236266", Name: "平安乡", FullName: "平安乡", Level: LevelTownship, ParentCode: "500236"},
		{Code: "500236266200", Name: "天台村", FullName: "天台村村民委员会", Level: LevelVillage, ParentCode: "500236266"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Path(500236266200) =\n%+v\nwant\n%+v", got, want)
	}
	got, err = Path("50")
	if err != nil || len(got) != 1 || got[0].Name != "重庆市" {
		t.Errorf("Path(50) = %+v, %v", got, err)
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		code, wantCode, wantName string
		wantLevel                Level
	}{
		{"50", "50", "重庆市", LevelProvince},
		{"500000000000", "50", "重庆市", LevelProvince},
		{"500200000000", "5002", "县", LevelCity},
		{"500236000000", "500236", "奉节县", LevelCounty},
		{"500236266000", "500236266", "平安乡", LevelTownship},
		{"500236266200", "500236266200", "天台村", LevelVillage},
		{" 500236266200\t", "500236266200", "天台村", LevelVillage},
		{"441900", "441900", "东莞市", LevelCounty},
		{"441900000000", "4419", "东莞市", LevelCity},
		{"350527000", "350527000", "金门县", LevelTownship},
		{"350527000000", "350527000000", "金门县", LevelVillage},
	}
	for _, tt := range tests {
		got, err := Lookup(tt.code)
		if err != nil {
			t.Errorf("Lookup(%q): %v", tt.code, err)
			continue
		}
		if got.Code != tt.wantCode || got.Name != tt.wantName || got.Level != tt.wantLevel {
			t.Errorf("Lookup(%q) = %+v, want %s %s %s", tt.code, got, tt.wantCode, tt.wantName, tt.wantLevel)
		}
	}
}

func TestLookupErrors(t *testing.T) {
	tests := []struct {
		code string
		want error
	}{
		{"500236266999", ErrNotFound},
		{"999999", ErrNotFound},
		{"99", ErrNotFound},
		{"999999999999", ErrNotFound},
		{"500236999", ErrNotFound},
		{"abc", ErrInvalidCode},
		{"5002362", ErrInvalidCode},
		{"", ErrInvalidCode},
		{"５００２３６", ErrInvalidCode},
		{"50023626620", ErrInvalidCode},
		{"5002362662000", ErrInvalidCode},
		{"-50", ErrInvalidCode},
	}
	for _, tt := range tests {
		_, err := Lookup(tt.code)
		if !errors.Is(err, tt.want) {
			t.Errorf("Lookup(%q) error = %v, want %v", tt.code, err, tt.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"50", "50"},
		{"5002", "5002"},
		{"500236", "500236"},
		{"500236266", "500236266"},
		{"500236266200", "500236266200"},
		{"500236266000", "500236266"},
		{"500236000000", "500236"},
		{"500200000000", "5002"},
		{"500000000000", "50"},
		{"000000000000", "00"},
		{"500000", "500000"}, // a 6-digit code is a county code, even if it does not exist
		{"  500236\n", "500236"},
		{"350527000000", "350527000000"}, // an existing village ending in 000
		{"350527001000", "350527001"},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"", " ", "abc", "5", "500", "5002362", "50023626620", "1234567890123", "50 02", "5002a6"} {
		if got, err := Normalize(in); !errors.Is(err, ErrInvalidCode) {
			t.Errorf("Normalize(%q) = %q, %v; want ErrInvalidCode", in, got, err)
		}
	}
}

func TestLevel(t *testing.T) {
	tests := []struct {
		code   string
		want   Level
		ok     bool
		wantLb string
	}{
		{"50", LevelProvince, true, "省级"},
		{"5002", LevelCity, true, "地级"},
		{"500236", LevelCounty, true, "县级"},
		{"500236266", LevelTownship, true, "乡级"},
		{"500236266200", LevelVillage, true, "村级"},
		{"5002362", "", false, ""},
		{"abcdef", "", false, ""},
		{"", "", false, ""},
	}
	for _, tt := range tests {
		got, ok := LevelOf(tt.code)
		if got != tt.want || ok != tt.ok || got.Label() != tt.wantLb {
			t.Errorf("LevelOf(%q) = %q (%s), %v; want %q (%s), %v", tt.code, got, got.Label(), ok, tt.want, tt.wantLb, tt.ok)
		}
	}
}

func TestIsVillage(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"500236266200", true},
		{"500236266001", true},
		{"110101001001", true},
		{"350527000000", true},
		{"500236266999", false},
		{"500236266000", false}, // padded township
		{"500236266", false},
		{" 500236266200", false},
		{"500236266200 ", false},
		{"", false},
		{"abcdefghijkl", false},
	}
	for _, tt := range tests {
		if got := IsVillage(tt.code); got != tt.want {
			t.Errorf("IsVillage(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}

func TestSearch(t *testing.T) {
	tests := []struct {
		query, within string
		limit         int
		want          []string // codes that must be present
		wantLen       int      // exact length if ≥ 0
	}{
		{"平安", "500236", 0, []string{"500236266", "500236266001"}, -1},
		{"奉节", "", 0, []string{"500236"}, -1},
		{"天台村", "500236266", 0, []string{"500236266200"}, 1},
		{"天台村", "", 0, nil, 0 /* villages are not searched country-wide */},
		{"村民委员会", "500236266", 0, []string{"500236266200"}, 11},
		{"居委会", "500236", 0, nil, -1},
		{"市", "", 5, nil, 5},
		{"平安", "abc", 0, nil, 0},
		{"  ", "", 0, nil, 0},
	}
	for _, tt := range tests {
		got := Search(tt.query, tt.within, tt.limit)
		codes := make([]string, len(got))
		for i, r := range got {
			codes[i] = r.Code
		}
		for _, w := range tt.want {
			if !slices.Contains(codes, w) {
				t.Errorf("Search(%q, %q) = %v, missing %s", tt.query, tt.within, codes, w)
			}
		}
		if tt.wantLen >= 0 && len(got) != tt.wantLen {
			t.Errorf("Search(%q, %q) returned %d results %v, want %d", tt.query, tt.within, len(got), codes, tt.wantLen)
		}
		if !slices.IsSortedFunc(got, func(a, b Region) int {
			if d := levelIndex(a.Level) - levelIndex(b.Level); d != 0 {
				return d
			}
			return cmpString(a.Code, b.Code)
		}) {
			t.Errorf("Search(%q, %q) not ordered by level then code: %v", tt.query, tt.within, codes)
		}
	}
	if got := Search("村", "", 0); len(got) != defaultSearchLimit {
		t.Errorf("Search(村) returned %d results, want the default limit %d", len(got), defaultSearchLimit)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"50", "500236266200", "500236266000", "500000000000", " 5002 ", "", "abc", "350527000000", "000000000000", "5002362"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := Normalize(in)
		if err != nil {
			if !errors.Is(err, ErrInvalidCode) {
				t.Fatalf("Normalize(%q) error %v does not wrap ErrInvalidCode", in, err)
			}
			return
		}
		if _, ok := LevelOf(got); !ok {
			t.Fatalf("Normalize(%q) = %q, not canonical", in, got)
		}
		if again, err := Normalize(got); err != nil || again != got {
			t.Fatalf("Normalize(%q) = %q, but Normalize(%q) = %q, %v", in, got, got, again, err)
		}
	})
}
