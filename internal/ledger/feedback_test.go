package ledger

import (
	"strings"
	"testing"

	"fupin/internal/xlsx"
)

func resolveDemo(s string) (string, bool) {
	switch s {
	case "天台村", "500236266200":
		return "500236266200", true
	case "文昌村":
		return "500236266202", true
	}
	return "", false
}

func TestReadFeedback(t *testing.T) {
	csv := "市委第三巡视组反馈问题整改清单\n" +
		"序号,问题类别,存在问题,所在村,牵头单位,责任单位,整改措施,整改时限,整改类型\n" +
		"1,饮水安全,旱季断水,天台村,乡水利站,天台村委会,新建蓄水池,2025/9/30,限期整改\n" +
		"2,作风,走访不实,文昌村,乡纪委,,,2025年10月1日,\n" +
		",,,,,,,,\n" +
		"3,长期坚持,台账不全,,乡政府,,,2025-02-30,长期\n"
	r, err := xlsx.OpenCSV(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	fs, bad, err := ReadFeedback(r, resolveDemo)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 3 {
		t.Fatalf("findings %d", len(fs))
	}
	if f := fs[0]; f.Number != "1" || f.Category != "water" || f.AreaCode != "500236266200" || f.Deadline.String() != "2025-09-30" ||
		f.Kind != KindDeadline || f.Measures != "新建蓄水池" {
		t.Errorf("row 3: %+v", f)
	}
	if f := fs[1]; f.Category != "conduct" || f.Deadline.String() != "2025-10-01" || f.AreaCode != "500236266202" {
		t.Errorf("row 4: %+v", f)
	}
	var got []string
	for _, e := range bad {
		got = append(got, e.Column+":"+e.Header)
		if e.Row != 6 {
			t.Errorf("error on row %d: %+v", e.Row, e)
		}
	}
	// Row 6: bad category (B), no village (D), impossible date (H), bad kind (I).
	if want := "B:问题类别 D:所在村 H:整改时限 I:整改类型"; strings.Join(got, " ") != want {
		t.Errorf("cell errors %v, want %s (%+v)", got, want, bad)
	}
	// A bad category or kind is answered with the list's labels, in order.
	msgs := map[string]string{}
	for _, e := range bad {
		msgs[e.Column] = e.Message
	}
	if got, want := msgs["B"], "问题类别应为：两不愁三保障、饮水安全、资金项目、作风、数据质量、收入、政策落实、其他"; got != want {
		t.Errorf("category message %q, want %q", got, want)
	}
	if got, want := msgs["I"], "整改类型应为：立行立改、限期整改、长期坚持"; got != want {
		t.Errorf("kind message %q, want %q", got, want)
	}
	// Codes are read like labels.
	r, _ = xlsx.OpenCSV(strings.NewReader("序号,问题类别,存在问题,所在村,牵头单位,整改时限,整改类型\n1,funds,x,天台村,乡财政所,2025-09-30,long_term\n"))
	if fs, bad, err := ReadFeedback(r, resolveDemo); err != nil || len(bad) != 0 || len(fs) != 1 || fs[0].Category != "funds" || fs[0].Kind != KindLongTerm {
		t.Errorf("codes as cells: %+v, %+v, %v", fs, bad, err)
	}
	r, _ = xlsx.OpenCSV(strings.NewReader("a,b,c\n1,2,3\n"))
	if _, _, err := ReadFeedback(r, resolveDemo); err == nil || !strings.Contains(err.Error(), "表头") {
		t.Errorf("no header: %v", err)
	}
}

// FuzzReadFeedback feeds arbitrary CSV text to the feedback reader: it
// must not panic, and every finding it returns without cell errors must
// pass Validate.
func FuzzReadFeedback(f *testing.F) {
	f.Add("序号,问题描述,所在村,牵头单位,整改时限\n1,断水,天台村,乡水利站,2025-12-01\n")
	f.Add("问题编号,存在问题,村,牵头部门,时限,类型,类别\n2,x,文昌村,u,2025年2月30日,长期坚持,作风\n")
	f.Add("标题\n\n序号,问题,所在区域,牵头单位\n,,,\n3,\"a\nb\",500236266200,u\n")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := xlsx.OpenCSV(strings.NewReader(s))
		if err != nil {
			return
		}
		defer r.Close()
		fs, bad, err := ReadFeedback(r, resolveDemo)
		if err != nil || len(bad) > 0 {
			return
		}
		for _, x := range fs {
			if err := x.Validate(); err != nil {
				t.Fatalf("accepted an invalid finding %+v: %v", x, err)
			}
		}
	})
}
