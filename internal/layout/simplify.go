package layout

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tradToSimp maps the traditional characters that occur in the headers and
// code labels this package recognises (and in the names of the 56 ethnic
// groups) to their simplified forms. It is deliberately small: the package
// must not depend on OpenCC (GPL), and a header or label outside this list
// is reported as unknown rather than guessed.
var tradToSimp = map[rune]rune{
	'縣': '县', '鄉': '乡', '鎮': '镇', '區': '区', '戶': '户', '編': '编', '號': '号', '碼': '码',
	'與': '与', '關': '关', '係': '系', '繫': '系', '證': '证', '數': '数', '類': '类', '學': '学',
	'歷': '历', '識': '识', '別': '别', '間': '间', '時': '时', '務': '务', '參': '参', '險': '险',
	'貧': '贫', '決': '决', '飲': '饮', '純': '纯', '聯': '联', '電': '电', '話': '话', '監': '监',
	'測': '测', '對': '对', '風': '风', '屬': '属', '脫': '脱', '輟': '辍', '殘': '残', '級': '级',
	'點': '点', '醫': '医', '療': '疗', '養': '养', '崗': '岗', '遷': '迁', '員': '员', '減': '减',
	'積': '积', '給': '给', '達': '达', '標': '标', '質': '质', '進': '进', '離': '离', '廣': '广',
	'視': '视', '寬': '宽', '帶': '带', '幹': '干', '還': '还', '資': '资', '產': '产', '經': '经',
	'營': '营', '財': '财', '轉': '转', '賠': '赔', '規': '规', '長': '长', '勞': '劳', '動': '动',
	'喪': '丧', '無': '无', '兒': '儿', '孫': '孙', '齡': '龄', '專': '专', '職': '职', '業': '业',
	'讀': '读', '門': '门', '嚴': '严', '災': '灾', '穩': '稳', '術': '术', '條': '条', '後': '后',
	'發': '发', '項': '项', '敗': '败', '現': '现', '題': '题', '剛': '刚', '過': '过', '幫': '帮',
	'內': '内', '冊': '册', '漢': '汉', '維': '维', '爾': '尔', '壯': '壮', '鮮': '鲜', '滿': '满',
	'瑤': '瑶', '薩': '萨', '東': '东', '納': '纳', '頗': '颇', '錫': '锡', '烏': '乌', '羅': '罗',
	'溫': '温', '獨': '独', '龍': '龙', '倫': '伦', '諾': '诺', '統': '统', '國': '国', '認': '认',
	'態': '态', '況': '况', '狀': '状', '歲': '岁', '鐘': '钟', '計': '计', '劃': '划', '總': '总',
	'處': '处', '備': '备', '註': '注', '檢': '检', '兩': '两', '補': '补', '貼': '贴', '網': '网',
	'絡': '络', '邊': '边', '緣': '缘', '農': '农', '為': '为', '個': '个', '來': '来', '據': '据',
	'應': '应', '實': '实', '說': '说', '單': '单', '簡': '简', '傷': '伤', '導': '导', '鄰': '邻',
	'壩': '坝', '確': '确', '訊': '讯', '設': '设', '議': '议', '銀': '银', '頭': '头', '際': '际',
	'樂': '乐', '護': '护', '體': '体', '親': '亲', '婦': '妇', '陸': '陆', '試': '试', '藥': '药',
	'費': '费', '額': '额', '庫': '库', '舊': '旧', '隊': '队', '組': '组', '莊': '庄', '場': '场',
	'廠': '厂', '灣': '湾', '嶺': '岭', '溝': '沟', '壪': '塆', '橋': '桥', '閘': '闸', '種': '种',
	'畝': '亩', '廳': '厅', '貨': '货', '幣': '币', '萬': '万', '億': '亿', '圓': '圆', '錢': '钱',
	'齊': '齐', '雙': '双', '難': '难', '雜': '杂', '鬆': '松', '遠': '远', '線': '线', '燒': '烧',
	'氣': '气', '熱': '热', '筆': '笔', '歸': '归', '擔': '担', '籌': '筹', '戰': '战', '鬥': '斗',
	'堅': '坚', '撥': '拨', '蓋': '盖', '層': '层', '屆': '届', '搆': '构', '構': '构', '傢': '家',
	'圍': '围', '禮': '礼', '獎': '奖', '勵': '励', '優': '优', '撫': '抚', '贍': '赡', '慶': '庆',
	'節': '节', '岡': '冈', '崍': '崃', '嶽': '岳',
}

// ToSimplified replaces the traditional characters of the package's small
// table (see tradToSimp) with simplified ones and leaves everything else as
// it is. It returns s itself when nothing changes.
func ToSimplified(s string) string {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r >= 0x3400 {
			if _, ok := tradToSimp[r]; ok {
				break
			}
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		if t, ok := tradToSimp[r]; ok {
			r = t
		}
		b.WriteRune(r)
	}
	return b.String()
}

// StripPinyin removes pinyin glosses written in brackets right after a Han
// character, as in crawled or annotated sheets: "續(xù)寫" → "續寫",
// "鄉（xiāng）鎮" → "鄉鎮". A bracket counts as a gloss only when it follows
// a Han character and holds nothing but Latin letters (lower case, with or
// without tone marks, ü), spaces, apostrophes and tone digits 1–5 after a
// letter. So "年收入(元)", "人口(2023)" and "ID(abc)" are kept.
func StripPinyin(s string) string {
	if !strings.ContainsAny(s, "(（") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	prevHan := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == '(' || r == '（') && prevHan {
			if end := pinyinEnd(s, i+n); end > 0 {
				i = end
				continue // prevHan stays true: 鄉(xiāng)鎮(zhèn)
			}
		}
		b.WriteRune(r)
		prevHan = unicode.Is(unicode.Han, r)
		i += n
	}
	return b.String()
}

// pinyinEnd returns the index just after the closing bracket when s[start:]
// is a pinyin gloss followed by ")" or "）", else 0.
func pinyinEnd(s string, start int) int {
	letters, prevLetter := 0, false
	for i := start; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == ')' || r == '）':
			if letters == 0 {
				return 0
			}
			return i + n
		case r >= 'a' && r <= 'z', strings.ContainsRune(toneVowels, r):
			letters++
			prevLetter = true
		case r >= '1' && r <= '5' && prevLetter:
			prevLetter = false
		case r == ' ' || r == '\'' || r == '’':
			prevLetter = false
		default:
			return 0
		}
		i += n
	}
	return 0
}

const toneVowels = "āáǎàēéěèêīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ"

// foldWidth turns full-width ASCII forms (U+FF01–U+FF5E) into ASCII and the
// ideographic space into a space. It returns s itself when it has none.
func foldWidth(s string) string {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == 0x3000 || r >= 0xFF01 && r <= 0xFF5E {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case r == 0x3000:
			r = ' '
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		}
		b.WriteRune(r)
	}
	return b.String()
}

// dropSpace removes white space of every kind, zero-width characters and
// the "*" that templates put before required columns.
func dropSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '*' || r == 0x200B || r == 0xFEFF {
			return -1
		}
		return r
	}, s)
}

// normHeader is the form header cells and aliases are compared in: width
// folded, space removed, pinyin glosses stripped, simplified.
func normHeader(s string) string {
	return ToSimplified(StripPinyin(dropSpace(foldWidth(s))))
}

// normValue is the fallback form a cell value is compared in when its exact
// text is not a known spelling.
func normValue(s string) string {
	return ToSimplified(dropSpace(foldWidth(s)))
}

// cutBracketSuffix removes one trailing "(…)" group: "务工时间(月)" →
// "务工时间". ok is false when s does not end in such a group.
func cutBracketSuffix(s string) (string, bool) {
	if !strings.HasSuffix(s, ")") {
		return s, false
	}
	i := strings.LastIndexByte(s, '(')
	if i <= 0 {
		return s, false
	}
	return s[:i], true
}
