package region

import (
	"slices"
	"testing"
)

func TestShortName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"天台村村民委员会", "天台村"},
		{"黄屯村民委员会", "黄屯村"},
		{"新村村民委员会", "新村"},
		{"武岩村委会", "武岩村"},
		{"天台村村委会", "天台村"},
		{"沟李村民委会", "沟李村"},
		{"小安溪村村委员会", "小安溪村"},
		{"小（氵甸）村委会", "小（氵甸）村"},
		{"北内堡社区村民委员会", "北内堡社区"},
		{"巴彦嘎查村民委员会", "巴彦嘎查"},
		{"平安社区居民委员会", "平安社区"},
		{"朝阳社区居委会", "朝阳社区"},
		{"吴陈河社区居民委会", "吴陈河社区"},
		{"东街居民委员会", "东街居委会"},
		{"龙柏三村居委会", "龙柏三村居委会"},
		{"双合嘎查委会", "双合嘎查"},
		{"温都尔嘎查委员会", "温都尔嘎查"},
		{"长征社区委员会", "长征社区"},
		{"西张口村委会村民委员会", "西张口村委会村民委员会"},
		{"白庙村农工商联合公司（村委会）", "白庙村农工商联合公司（村委会）"},
		{"柴开牧委会", "柴开牧委会"},
		{"平安社区", "平安社区"},
		{"天台村", "天台村"},
		{"巴彦嘎查", "巴彦嘎查"},
		{"村委会", "村委会"},
		{"居委会", "居委会"},
		{"金门县", "金门县"},
	}
	for _, tt := range tests {
		if got := shortName(tt.in); got != tt.want {
			t.Errorf("shortName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDisplayNames(t *testing.T) {
	rows := []row{
		{code: "370112010221", name: "王庄村民委员会"},
		{code: "370112010222", name: "刘家庄村村民委员会"},
		{code: "370112010223", name: "刘家庄村民委员会"},
		{code: "370112011001", name: "刘家庄村民委员会"}, // another township
	}
	displayNames(rows)
	got := make([]string, len(rows))
	for i, r := range rows {
		got[i] = r.display()
	}
	want := []string{"王庄村", "刘家庄村村民委员会", "刘家庄村民委员会", "刘家庄村"}
	if !slices.Equal(got, want) {
		t.Errorf("display names = %q, want %q", got, want)
	}
}

func TestDuplicateShortNamesInData(t *testing.T) {
	got, err := Children("370112010")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range got {
		if seen[r.Name] {
			t.Errorf("Children(370112010): name %q appears twice", r.Name)
		}
		seen[r.Name] = true
	}
	r, err := Lookup("370112010222")
	if err != nil || r.Name != r.FullName {
		t.Errorf("Lookup(370112010222) = %+v, %v; want the published name as Name", r, err)
	}
}
