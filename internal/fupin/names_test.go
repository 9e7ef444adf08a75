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

// TestSortBySurnameReading: a surname whose common reading differs files
// under its reading as a surname: 曾 (zēng) after 张 (zhāng) and before 周
// (zhōu), where the collation's common reading céng would put it before 陈
// (chén); 单 (shàn) after 沙 (shā); 解 (xiè) among the X names.
func TestSortBySurnameReading(t *testing.T) {
	in := []string{"曾建平", "陈春林", "周小芳", "张三", "单雄", "沙平", "解放", "王五", "徐明"}
	got := slices.Clone(in)
	SortByName(got, func(s string) string { return s })
	want := []string{"陈春林", "沙平", "单雄", "王五", "解放", "徐明", "曾建平", "张三", "周小芳"}
	if !slices.Equal(got, want) {
		t.Errorf("SortByName = %v, want %v", got, want)
	}
	if CompareNames("曾建平", "陈春林") <= 0 || CompareNames("曾建平", "周小芳") >= 0 {
		t.Error("CompareNames files 曾 under its common reading céng")
	}
}

// BenchmarkSortByName sorts 10,000 cadre names (ListCadres sorts every
// cadre matching the filter before cutting a page).
func BenchmarkSortByName(b *testing.B) {
	family := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given := []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红")
	names := make([]string, 10000)
	for i := range names {
		names[i] = string([]rune{family[i%len(family)], given[(i/7)%len(given)], given[(i/3)%len(given)]})
	}
	b.ReportAllocs()
	for b.Loop() {
		s := slices.Clone(names)
		SortByName(s, func(n string) string { return n })
	}
}
