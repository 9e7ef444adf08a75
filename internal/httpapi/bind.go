package httpapi

import (
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"fupin/internal/fupin"
)

// The binder: a route's `in` type is its parser. bind fills the `path` and
// `query` fields of a request type from the request, checked against the
// same struct tags the OpenAPI document is generated from (the
// swaggest/jsonschema-go tags required, enum, minimum, maximum, maxLength,
// pattern and format), so the document says exactly what is parsed.
// knownQuery refuses the query parameters a route's `in` type does not
// list; New applies it to every route of the table.
//
// Supported field types: string, bool, int and int64, directly or in
// embedded structs. format "date" is YYYY-MM-DD and "month" YYYY-MM; a
// string parameter without maxLength is bounded by maxQueryString.

// maxQueryString bounds a string query parameter without its own maxLength.
const maxQueryString = 200

// maxUnknownNamed bounds how many unknown parameter names an error repeats.
const maxUnknownNamed = 5

// param is one path or query field of a request type.
type param struct {
	name, in string // in: "path" or "query"
	index    []int
	kind     reflect.Kind
	required bool
	enum     []string
	min, max *int64
	maxLen   int
	pattern  *regexp.Regexp
	format   string
}

// patternHints are the Chinese messages for the patterns the API uses.
var patternHints = map[string]string{
	areaPattern: "应为数字代码（区划代码前缀，至多 12 位）",
}

// areaPattern is the pattern of an area parameter (a division code prefix).
const areaPattern = `^[0-9]{0,12}$`

var paramCache sync.Map // reflect.Type → []param

// paramsOf lists the path and query fields of t (a struct or pointer to
// one; anything else has none). It panics on a tag it cannot honour, which
// the route-table test turns into a failure.
func paramsOf(t reflect.Type) []param {
	if t == nil {
		return nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	if v, ok := paramCache.Load(t); ok {
		return v.([]param)
	}
	ps := collectParams(t, nil)
	paramCache.Store(t, ps)
	return ps
}

func collectParams(t reflect.Type, index []int) []param {
	var ps []param
	for i := range t.NumField() {
		f := t.Field(i)
		idx := append(slices.Clone(index), i)
		in, name := "path", f.Tag.Get("path")
		if name == "" {
			in, name = "query", f.Tag.Get("query")
		}
		if name == "" {
			if f.Anonymous && f.Type.Kind() == reflect.Struct {
				ps = append(ps, collectParams(f.Type, idx)...)
			}
			continue
		}
		ps = append(ps, newParam(f, in, name, idx))
	}
	return ps
}

func newParam(f reflect.StructField, in, name string, idx []int) param {
	p := param{name: name, in: in, index: idx, kind: f.Type.Kind(),
		required: in == "path" || f.Tag.Get("required") == "true", format: f.Tag.Get("format")}
	switch p.kind {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int64:
	default:
		panic(fmt.Sprintf("httpapi: parameter %s has unsupported type %s", name, f.Type))
	}
	if e := f.Tag.Get("enum"); e != "" {
		p.enum = strings.Split(e, ",")
	}
	p.min, p.max = intTag(f, "minimum"), intTag(f, "maximum")
	if p.kind == reflect.Int && in == "query" && (p.min == nil || p.max == nil) {
		// Every input has a bound: a count such as an offset of 2^63
		// overflows the arithmetic behind it (offset + limit). Ids are
		// int64 and only compared.
		panic(fmt.Sprintf("httpapi: integer query parameter %s needs minimum and maximum tags", name))
	}
	if v := f.Tag.Get("maxLength"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			panic(fmt.Sprintf("httpapi: parameter %s: bad maxLength %q", name, v))
		}
		p.maxLen = n
	}
	if v := f.Tag.Get("pattern"); v != "" {
		p.pattern = regexp.MustCompile(v)
	}
	return p
}

func intTag(f reflect.StructField, tag string) *int64 {
	v := f.Tag.Get(tag)
	if v == "" {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		panic(fmt.Sprintf("httpapi: field %s: bad %s %q", f.Name, tag, v))
	}
	return &n
}

// bind fills dst, a pointer to a request struct, from r's path values and
// query string. A path id that is not a positive number answers not_found,
// as an unknown record would; every bad query value answers one invalid
// error naming each parameter (empty values count as absent).
func bind(r *http.Request, dst any) error {
	v := reflect.ValueOf(dst).Elem()
	q := r.URL.Query()
	errs := fupin.FieldErrors{}
	for _, p := range paramsOf(v.Type()) {
		var raw string
		if p.in == "path" {
			raw = r.PathValue(p.name)
		} else if vals := q[p.name]; len(vals) > 1 {
			errs.Add(p.name, "只能出现一次")
			continue
		} else if len(vals) == 1 {
			raw = vals[0]
		}
		if p.in == "query" && raw == "" {
			if _, present := q[p.name]; !present && p.required {
				errs.Add(p.name, "必填")
			}
			continue
		}
		if msg := p.set(v.FieldByIndex(p.index), raw); msg != "" {
			if p.in == "path" && p.kind == reflect.Int64 {
				return &fupin.Error{Code: fupin.ENotFound, Message: "无效的编号：" + raw}
			}
			errs.Add(p.name, msg)
		}
	}
	return paramError(errs)
}

// set parses raw into f; it returns the Chinese reason when raw is bad.
func (p param) set(f reflect.Value, raw string) string {
	switch p.kind {
	case reflect.Bool:
		switch raw {
		case "true", "1":
			f.SetBool(true)
		case "false", "0":
			f.SetBool(false)
		default:
			return "应为 true 或 false"
		}
		return ""
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return "应为整数"
		}
		if p.in == "path" && p.kind == reflect.Int64 && n <= 0 {
			return "应为正整数编号"
		}
		if msg := p.checkRange(n); msg != "" {
			return msg
		}
		f.SetInt(n)
		return ""
	}
	if msg := p.checkString(raw); msg != "" {
		return msg
	}
	f.SetString(raw)
	return ""
}

func (p param) checkRange(n int64) string {
	switch {
	case p.min != nil && p.max != nil && (n < *p.min || n > *p.max):
		return fmt.Sprintf("应在 %d–%d 之间", *p.min, *p.max)
	case p.min != nil && n < *p.min:
		return fmt.Sprintf("不能小于 %d", *p.min)
	case p.max != nil && n > *p.max:
		return fmt.Sprintf("不能大于 %d", *p.max)
	}
	return ""
}

func (p param) checkString(raw string) string {
	limit := p.maxLen
	if limit == 0 {
		limit = maxQueryString
	}
	if utf8.RuneCountInString(raw) > limit {
		return fmt.Sprintf("不能超过 %d 个字符", limit)
	}
	if len(p.enum) > 0 && !slices.Contains(p.enum, raw) {
		return "应为以下之一：" + strings.Join(p.enum, "、")
	}
	if p.pattern != nil && !p.pattern.MatchString(raw) {
		if hint, ok := patternHints[p.pattern.String()]; ok {
			return hint
		}
		return "格式不正确"
	}
	switch p.format {
	case "date":
		if _, err := time.Parse(time.DateOnly, raw); err != nil {
			return "日期格式应为 YYYY-MM-DD"
		}
	case "month":
		if _, err := time.Parse("2006-01", raw); err != nil {
			return "月份格式应为 YYYY-MM"
		}
	}
	return ""
}

// paramError is the one 400 answer for bad parameters: the message names
// each parameter and its reason, fields holds them by name.
func paramError(errs fupin.FieldErrors) error {
	if len(errs) == 0 {
		return nil
	}
	names := make([]string, 0, len(errs))
	for n := range errs {
		names = append(names, n)
	}
	slices.Sort(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + " " + errs[n]
	}
	return &fupin.Error{Code: fupin.EInvalid, Message: "查询参数有误：" + strings.Join(parts, "；"), Fields: errs}
}

// knownQuery answers 400 for a query parameter that in (the route's request
// type) does not list, before next runs. At most maxUnknownNamed names are
// repeated in the answer.
func (s *Server) knownQuery(in any, next http.HandlerFunc) http.HandlerFunc {
	known := map[string]bool{}
	for _, p := range paramsOf(reflect.TypeOf(in)) {
		if p.in == "query" {
			known[p.name] = true
		}
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery == "" {
			next(w, r)
			return
		}
		errs := fupin.FieldErrors{}
		for name := range r.URL.Query() {
			if !known[name] && len(errs) < maxUnknownNamed {
				errs.Add(name, "未知参数")
			}
		}
		if err := paramError(errs); err != nil {
			s.writeError(w, r, err)
			return
		}
		next(w, r)
	}
}

// withIn is respond for routes whose request type T has path or query
// fields: bind fills a T from the request first. It is the one call a
// handler makes to read its parameters.
func withIn[T any](s *Server, w http.ResponseWriter, r *http.Request, fn func(fupin.Actor, T) (any, error)) {
	var in T
	if err := bind(r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.respond(w, r, http.StatusOK, func(a fupin.Actor) (any, error) { return fn(a, in) })
}
