package sqlstore_test

import (
	"context"
	"slices"
	"testing"

	"fupin/internal/aid"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestListCadresByPinyin: cadres come by the pinyin of their names, not by
// code point (which would put 吴 first and 阿 last), and a page is a slice
// of that order.
func TestListCadresByPinyin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		admin := fupin.SystemActor("测试")
		for i, name := range []string{"吴十", "张三", "李四", "王五", "白杨", "艾青", "阿明"} {
			if _, err := db.CreateCadre(ctx, admin, aid.Cadre{Name: name, IDNumber: idNumber(t, "500103", "19800101", 700+i), AreaCode: "500236266"}); err != nil {
				t.Fatal(err)
			}
		}
		want := []string{"阿明", "艾青", "白杨", "李四", "王五", "吴十", "张三"}
		names := func(f aid.CadreFilter) []string {
			page, err := db.ListCadres(ctx, fupin.Actor{Name: "t", Areas: []string{"500236266"}}, f)
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != len(want) {
				t.Errorf("total %d, want %d", page.Total, len(want))
			}
			var out []string
			for _, c := range page.Items {
				out = append(out, c.Name)
			}
			return out
		}
		if got := names(aid.CadreFilter{Limit: 50}); !slices.Equal(got, want) {
			t.Errorf("cadres %v, want by pinyin %v", got, want)
		}
		if got := names(aid.CadreFilter{Offset: 2, Limit: 3}); !slices.Equal(got, want[2:5]) {
			t.Errorf("page 2–4 %v, want %v", got, want[2:5])
		}
	})
}
