package monitor

import "testing"

func TestCommittee(t *testing.T) {
	for _, c := range []struct{ name, want, kind string }{
		{"天台村", "天台村村民委员会", "村民委员会"},
		{"巴彦嘎查", "巴彦嘎查村民委员会", "村民委员会"},
		{"东街社区", "东街社区居民委员会", "居民委员会"},
		{"东街居委会", "东街居民委员会", "居民委员会"},
		{"社区村", "社区村村民委员会", "村民委员会"},
		{"天台村村民委员会", "天台村村民委员会", "村民委员会"},
	} {
		if got := Committee(c.name); got != c.want {
			t.Errorf("Committee(%q) = %q, want %q", c.name, got, c.want)
		}
		if got := CommitteeKind(c.name); got != c.kind {
			t.Errorf("CommitteeKind(%q) = %q, want %q", c.name, got, c.kind)
		}
	}
}
