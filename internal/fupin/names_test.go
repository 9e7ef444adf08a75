package fupin

import (
	"slices"
	"sort"
	"testing"
)

// Names whose code-point order differs from their pinyin order: by code
// point 吴 (U+5434) < 张 < 李 < 王 < 白 < 艾 < 阿 (U+963F); by pinyin 阿 (a),
// 艾 (ai), 白 (bai), 李 (li), 王 (wang), 吴 (wu), 张 (zhang).
func TestSortByName(t *testing.T) {
	type cadre struct {
		id   int
		name string
	}
	in := []cadre{{1, "吴十"}, {2, "张三"}, {3, "李四"}, {4, "王五"}, {5, "白杨"}, {6, "艾青"}, {7, "阿明"}, {8, "张三"}}
	byCodePoint := slices.Clone(in)
	sort.SliceStable(byCodePoint, func(i, j int) bool { return byCodePoint[i].name < byCodePoint[j].name })
	got := slices.Clone(in)
	SortByName(got, func(c cadre) string { return c.name })
	want := []cadre{{7, "阿明"}, {6, "艾青"}, {5, "白杨"}, {3, "李四"}, {4, "王五"}, {1, "吴十"}, {2, "张三"}, {8, "张三"}}
	if !slices.Equal(got, want) {
		t.Errorf("SortByName = %v, want %v", got, want)
	}
	if slices.Equal(byCodePoint, want) {
		t.Fatal("the names sort the same by code point: the test proves nothing")
	}
	if CompareNames("阿明", "吴十") >= 0 || CompareNames("吴十", "张三") >= 0 || CompareNames("张三", "张三") != 0 {
		t.Error("CompareNames does not order by pinyin")
	}
}
