package httpapi

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"testing"
	"unicode/utf8"

	"fupin/internal/fupin"
)

// fuzzRoutes are the routes of the table with a request type: the binder's and the body
// decoder's inputs (the handlers are never called).
func fuzzRoutes() []route {
	var out []route
	for _, rt := range (&Server{}).routes() {
		if rt.in != nil {
			out = append(out, rt)
		}
	}
	return out
}

var pathName = regexp.MustCompile(`\{([a-z_]+)\}`)

// FuzzBind binds a fuzzed query string and path value into the request type of a route of
// the table: bind never panics, refuses with one invalid (or, for a bad path id, not_found)
// error naming the field, and what it accepts satisfies every tag of the type.
func FuzzBind(f *testing.F) {
	routes := fuzzRoutes()
	for i, q := range []string{"area=500236&limit=20&offset=40", "limit=-1&offset=99999999999999999999",
		"day=2025-02-30&month=2025-13", "area=%ff%fe&area=1", "year=2025&format=xlsx", "sort=-name&q=张",
		"mask=1&flag=yes", "q=" + string(bytes.Repeat([]byte("长"), 300))} {
		f.Add(uint16(i*7), q, "12")
	}
	f.Add(uint16(3), "", "-1")
	f.Add(uint16(5), "", "0x10")
	f.Fuzz(func(t *testing.T, which uint16, query, id string) {
		rt := routes[int(which)%len(routes)]
		r := httptest.NewRequest("GET", "/x", nil)
		r.URL.RawQuery = query
		for _, m := range pathName.FindAllStringSubmatch(rt.path, -1) {
			r.SetPathValue(m[1], id)
		}
		typ := reflect.TypeOf(rt.in)
		dst := reflect.New(typ)
		err := bind(r, dst.Interface())
		if err != nil {
			var fe *fupin.Error
			if !errors.As(err, &fe) || (fe.Code != fupin.EInvalid && fe.Code != fupin.ENotFound) || fe.Message == "" {
				t.Fatalf("%s %s ?%q id %q: error %#v", rt.method, rt.path, query, id, err)
			}
			if fe.Code == fupin.EInvalid && len(fe.Fields) == 0 {
				t.Fatalf("%s %s ?%q: invalid without fields: %v", rt.method, rt.path, query, err)
			}
			return
		}
		q := r.URL.Query()
		for _, p := range paramsOf(typ) {
			if p.in == "query" && q.Get(p.name) == "" {
				continue // absent (or empty, which counts as absent): the field keeps its zero value
			}
			checkBound(t, rt, p, dst.Elem().FieldByIndex(p.index))
		}
	})
}

// checkBound fails when an accepted value breaks its parameter's tags.
func checkBound(t *testing.T, rt route, p param, v reflect.Value) {
	t.Helper()
	switch p.kind {
	case reflect.Int, reflect.Int64:
		n := v.Int()
		if (p.min != nil && n < *p.min) || (p.max != nil && n > *p.max) || (p.in == "path" && p.kind == reflect.Int64 && n <= 0) {
			t.Fatalf("%s %s: %s = %d accepted out of bounds", rt.method, rt.path, p.name, n)
		}
	case reflect.String:
		s := v.String()
		if s == "" {
			return
		}
		limit := p.maxLen
		if limit == 0 {
			limit = maxQueryString
		}
		if utf8.RuneCountInString(s) > limit || (len(p.enum) > 0 && !slices.Contains(p.enum, s)) ||
			(p.pattern != nil && !p.pattern.MatchString(s)) {
			t.Fatalf("%s %s: %s = %q accepted against its tags", rt.method, rt.path, p.name, s)
		}
	}
}

// FuzzDecodeBody decodes a fuzzed JSON body into the request type of a route of the table:
// decode never panics and refuses with invalid or too_large and a Chinese message.
func FuzzDecodeBody(f *testing.F) {
	routes := fuzzRoutes()
	for i, b := range []string{`{}`, `{"area":"500236266","year":2025,"key":"water_min_lpd","value":"70"}`,
		`{"members":[{"name":"张三","id_number":"500236197001010011"}]}`, `{"version":1}{}`, `[1,2,3]`,
		`{"version":"1"}`, `{"unknown":true}`, `{"reason":"` + string(bytes.Repeat([]byte("x"), 70)) + `"}`, `{"a":` + string(bytes.Repeat([]byte("["), 200))} {
		f.Add(uint16(i*11), []byte(b))
	}
	f.Fuzz(func(t *testing.T, which uint16, body []byte) {
		rt := routes[int(which)%len(routes)]
		if rt.method == "GET" {
			return
		}
		r := httptest.NewRequest(rt.method, "/x", bytes.NewReader(body))
		w := httptest.NewRecorder()
		dst := reflect.New(reflect.TypeOf(rt.in)).Interface()
		err := decode(w, r, dst)
		if err == nil {
			return
		}
		var fe *fupin.Error
		if !errors.As(err, &fe) || (fe.Code != fupin.EInvalid && fe.Code != fupin.ETooLarge) || fe.Message == "" {
			t.Fatalf("%s %s body %q: error %#v", rt.method, rt.path, body, err)
		}
	})
}
