package httpapi

import (
	"errors"
	"net/http/httptest"
	"reflect"
	"testing"

	"fupin/internal/fupin"
)

type bindProbe struct {
	ID int64 `path:"id"`
	areaParam
	pageParams
	Day   string `query:"day" format:"date"`
	Month string `query:"month" format:"month"`
	Kind  string `query:"kind" enum:"a,b"`
	Flag  bool   `query:"flag"`
	Need  string `query:"need" required:"true" maxLength:"3"`
}

// TestBind checks the binder against the tags: good values land in the
// fields, each bad one is named with its reason in one invalid error, and a
// bad path id is not_found.
func TestBind(t *testing.T) {
	r := httptest.NewRequest("GET", "/x/7?area=500236&offset=5&limit=500&day=2025-02-28&month=2025-12&kind=b&flag=1&need=abc", nil)
	r.SetPathValue("id", "7")
	var got bindProbe
	if err := bind(r, &got); err != nil {
		t.Fatalf("bind good request: %v", err)
	}
	want := bindProbe{ID: 7, areaParam: areaParam{"500236"}, pageParams: pageParams{5, 500}, Day: "2025-02-28", Month: "2025-12", Kind: "b", Flag: true, Need: "abc"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("bind = %+v, want %+v", got, want)
	}

	r = httptest.NewRequest("GET", "/x/7?area=50a&offset=-5&limit=100000&day=2025-02-30&month=2025-1&kind=c&flag=yes&need=abcd&need=x", nil)
	r.SetPathValue("id", "7")
	err := bind(r, &bindProbe{})
	var e *fupin.Error
	if !errors.As(err, &e) || e.Code != fupin.EInvalid {
		t.Fatalf("bind bad request = %v, want invalid", err)
	}
	wantFields := map[string]string{"area": "应为数字代码（区划代码前缀，至多 12 位）", "offset": "应在 0–100000000 之间", "limit": "应在 0–500 之间",
		"day": "日期格式应为 YYYY-MM-DD", "month": "月份格式应为 YYYY-MM", "kind": "应为以下之一：a、b", "flag": "应为 true 或 false", "need": "只能出现一次"}
	if !reflect.DeepEqual(map[string]string(e.Fields), wantFields) {
		t.Errorf("fields = %v, want %v", e.Fields, wantFields)
	}
	if e.Message == "" || e.Message[:len("查询参数有误：")] != "查询参数有误：" {
		t.Errorf("message = %q", e.Message)
	}

	r = httptest.NewRequest("GET", "/x/0", nil)
	r.SetPathValue("id", "0")
	if err := bind(r, &bindProbe{}); !errors.As(err, &e) || e.Code != fupin.ENotFound {
		t.Errorf("bind path id 0 = %v, want not_found", err)
	}
	r = httptest.NewRequest("GET", "/x/1?need=", nil)
	r.SetPathValue("id", "1")
	if err := bind(r, &bindProbe{}); err != nil {
		t.Errorf("required parameter present but empty: %v (empty counts as given)", err)
	}
	r = httptest.NewRequest("GET", "/x/1", nil)
	r.SetPathValue("id", "1")
	if err := bind(r, &bindProbe{}); !errors.As(err, &e) || e.Fields["need"] != "必填" {
		t.Errorf("required parameter missing: %v", err)
	}
	// The largest offset an int holds would overflow offset + limit.
	r = httptest.NewRequest("GET", "/x/1?need=a&offset=9223372036854775807&limit=20", nil)
	r.SetPathValue("id", "1")
	if err := bind(r, &bindProbe{}); !errors.As(err, &e) || e.Fields["offset"] != "应在 0–100000000 之间" {
		t.Errorf("offset 2^63-1: %v, want the offset named with its bounds", err)
	}
}

// TestIntQueryNeedsBounds: a count parameter without minimum and maximum is
// refused when the route table is built, so no route takes an unbounded one.
func TestIntQueryNeedsBounds(t *testing.T) {
	type unbounded struct {
		N int `query:"n" minimum:"0"`
	}
	defer func() {
		if recover() == nil {
			t.Error("an int query parameter without maximum was accepted")
		}
	}()
	paramsOf(reflect.TypeOf(unbounded{}))
}

// TestAreaPatternHint keeps the binder's message table in step with the
// area tag.
func TestAreaPatternHint(t *testing.T) {
	f, _ := reflect.TypeOf(areaParam{}).FieldByName("Area")
	if f.Tag.Get("pattern") != areaPattern {
		t.Errorf("areaParam pattern %q, areaPattern %q", f.Tag.Get("pattern"), areaPattern)
	}
}
