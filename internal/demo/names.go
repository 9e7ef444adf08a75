package demo

import (
	"strings"
	"sync"
)

// surnames common in 奉节 and the Three Gorges area, with weights.
var surnames = []struct {
	s string
	w int
}{
	{"陈", 70}, {"刘", 60}, {"李", 60}, {"王", 50}, {"张", 50}, {"杨", 40}, {"谭", 40},
	{"向", 40}, {"黄", 30}, {"周", 30}, {"吴", 28}, {"冉", 30}, {"熊", 22}, {"余", 22},
	{"邓", 22}, {"胡", 20}, {"彭", 20}, {"袁", 20}, {"罗", 20}, {"何", 20}, {"曾", 18},
	{"蒋", 18}, {"唐", 18}, {"朱", 16}, {"徐", 14}, {"田", 14}, {"赵", 14}, {"牟", 14},
	{"邹", 10}, {"汪", 10}, {"龚", 10}, {"文", 10}, {"廖", 10}, {"秦", 10}, {"杜", 10},
	{"孙", 10}, {"郑", 10}, {"付", 10}, {"万", 10}, {"夏", 10}, {"程", 8}, {"范", 8},
	{"江", 8}, {"钟", 8}, {"姚", 8}, {"马", 8}, {"宋", 8}, {"游", 6}, {"邱", 6}, {"梁", 6},
}

var surnameTable = func() wtable {
	w := make([]int, len(surnames))
	for i, s := range surnames {
		w[i] = s.w
	}
	return weights(w...)
}()

// givenNames are pools by birth cohort (see era) and sex (0 female, 1 male).
var givenNames = [5][2]string{
	{ // born before 1950
		"秀英 秀兰 桂英 桂兰 淑芬 玉兰 玉珍 素珍 凤英 翠英 德秀 明秀 玉芳 兰英 春秀 永秀 世英 芝兰 菊英 碧英 秀珍 银秀 仕芳 琼 英 珍 秀",
		"德明 德华 德福 明清 世清 光明 光荣 永福 永贵 长生 长福 庆云 银山 金山 树林 开元 成富 有才 正华 国清 绍安 仁和 发 贵 福 顺 明 清",
	},
	{ // 1950–1969
		"秀华 红英 凤琼 淑华 翠华 桂芳 永琼 素华 玉梅 腊梅 冬梅 春兰 小琼 红梅 碧华 家秀 光琼 明英 德英 朝英 世琼 琼 萍 梅 英 华",
		"建国 建华 国华 国强 国平 志强 志明 卫东 卫国 红军 德兵 光华 永红 学军 明亮 继红 昌贵 文华 忠明 大成 中华 天福 开明 兵 强 军 勇 平 林",
	},
	{ // 1970–1984
		"小红 小燕 红霞 燕 霞 静 敏 丽华 春燕 晓梅 小梅 秀丽 玉琴 小琴 丽萍 海燕 艳 琴 芳 红 小芳 雪梅 兴琼 凤 远琼 明凤",
		"小兵 小军 海军 永刚 建平 红兵 志刚 勇 波 涛 斌 刚 辉 明 华强 海波 德军 建军 立新 云龙 正兵 小林 大伟 家林 文军 春林 朝阳",
	},
	{ // 1985–2004
		"婷 倩 丹 娟 莉 娇 雪 琳 佳 蓉 婷婷 丹丹 倩倩 小雪 春梅 玲 欢 晓丽 玉洁 佳佳 思思 梦 婧 雨 露 蕾",
		"杰 鹏 浩 磊 俊 强 亮 超 宇 鑫 成 俊杰 浩然 家豪 志鹏 文杰 小龙 宇航 明杰 建宇 晓东 国庆 天宇 海洋 鹏飞 子龙 俊宇",
	},
	{ // 2005 and later
		"欣怡 梓涵 诗涵 紫涵 雨桐 可馨 语嫣 梦瑶 佳怡 思彤 若曦 一诺 子萱 雨欣 梓萱 诗雨 语桐 欣妍 钰涵 可欣 芷若 心怡 馨月 依诺",
		"子轩 浩宇 宇轩 梓豪 俊熙 博文 浩然 子豪 睿 皓轩 一鸣 思远 俊杰 泽宇 子墨 梓睿 铭 晨 睿哲 天佑 锦程 嘉诚 奕辰 承泽",
	},
}

// era maps a birth year to a given-name cohort.
func era(birthYear int) int {
	switch {
	case birthYear < 1950:
		return 0
	case birthYear < 1970:
		return 1
	case birthYear < 1985:
		return 2
	case birthYear < 2005:
		return 3
	}
	return 4
}

// badName lists surname–given-name pairs that read as jokes or insults.
func badName(s, g string) bool {
	switch {
	case s == "孙" && strings.HasPrefix(g, "子"),
		s == "吴" && strings.HasPrefix(g, "德"),
		s == "胡" && strings.HasPrefix(g, "丽"),
		s == "杨" && g == "伟",
		s == "朱" && (g == "珍" || g == "贵" || g == "福" || g == "宝"),
		s == "范" && (g == "建" || g == "统"),
		s == "姚" && g == "明",
		s == "牟" && g == "利":
		return true
	}
	return false
}

// Full names ("surname+given") are precomputed into one string, so that
// drawing a name allocates nothing and the garbage collector has a single
// pointer to follow instead of thousands.
var (
	fullNamesOnce sync.Once
	nameBlob      string
	nameRefs      []nameRef                        // places of the names in nameBlob
	namePools     [][5][2]struct{ start, n int32 } // [surname][era][sex] → run of nameRefs
)

type nameRef struct {
	off uint32
	n   uint8
}

func buildFullNames() {
	var b strings.Builder
	namePools = make([][5][2]struct{ start, n int32 }, len(surnames))
	for si, s := range surnames {
		for e := range givenNames {
			for sex := range 2 {
				pool := &namePools[si][e][sex]
				pool.start = int32(len(nameRefs))
				for _, g := range strings.Fields(givenNames[e][sex]) {
					if !badName(s.s, g) {
						nameRefs = append(nameRefs, nameRef{uint32(b.Len()), uint8(len(s.s) + len(g))})
						b.WriteString(s.s)
						b.WriteString(g)
					}
				}
				pool.n = int32(len(nameRefs)) - pool.start
			}
		}
	}
	nameBlob = b.String()
}

// fullName returns name j of a pool.
func fullName(start int32, j int) string {
	r := nameRefs[int(start)+j]
	return nameBlob[r.off : r.off+uint32(r.n)]
}

// natural-village name parts.
var (
	natStandalone = strings.Fields("大坪 石板沟 大湾 水井湾 竹林湾 黄泥坡 青杠林 松树坪 岩口 堰塘湾 大石包 " +
		"龙洞湾 桥头 老屋基 梨子坪 核桃坪 凉水井 油房沟 柏树垭 观音岩 狮子包 田坝 大院子 " +
		"茶园 槽头 庙垭 马鞍山 鹰嘴岩 白果树 烂泥湾 岩湾 新屋 河坝 干沟 高坎")
	natSurnames = strings.Fields("陈 刘 李 王 张 杨 谭 向 冉 熊 余 邓 胡 彭 袁 罗 何 曾 蒋 唐 牟 田")
	natSuffixes = strings.Fields("家湾 家坪 家坝 家沟 家院子 家梁子 家岩 家垭口")
)

// naturalVillages[i] are the natural villages (自然村) of villages[i]. They
// are fixed, independent of the seed, like real geography.
var naturalVillages = func() [][]string {
	out := make([][]string, len(villages))
	for i := range villages {
		r := rng{s: uint64(7919 * (i + 1))}
		n := 4 + i%3
		seen := map[string]bool{}
		for len(out[i]) < n {
			var name string
			if r.chance(0.5) {
				name = natStandalone[r.intn(len(natStandalone))]
			} else {
				name = natSurnames[r.intn(len(natSurnames))] + natSuffixes[r.intn(len(natSuffixes))]
			}
			if !seen[name] {
				seen[name] = true
				out[i] = append(out[i], name)
			}
		}
	}
	return out
}()
