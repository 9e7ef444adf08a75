package httpapi

import (
	"reflect"
	"strconv"
)

// RouteParam is one documented query parameter of a route and a value its
// tags accept, for the route-table tests in package httpapi_test.
type RouteParam struct{ Name, Valid string }

// RouteQuery is one route of the table with its query parameters.
type RouteQuery struct {
	Method, Path string
	Params       []RouteParam
}

// RouteQueries lists every route of the table with the query parameters its
// request type documents.
func RouteQueries() []RouteQuery {
	var out []RouteQuery
	for _, rt := range (&Server{}).routes() {
		rq := RouteQuery{Method: rt.method, Path: rt.path}
		for _, p := range paramsOf(reflect.TypeOf(rt.in)) {
			if p.in == "query" {
				rq.Params = append(rq.Params, RouteParam{p.name, p.validSample()})
			}
		}
		out = append(out, rq)
	}
	return out
}

// validSample is a value the parameter's tags accept.
func (p param) validSample() string {
	switch {
	case p.kind == reflect.Bool:
		return "true"
	case p.kind == reflect.Int || p.kind == reflect.Int64:
		switch {
		case p.min != nil && *p.min > 1:
			return strconv.FormatInt(*p.min, 10)
		case p.min != nil && *p.min == 0:
			return "0"
		}
		return "1"
	case len(p.enum) > 0:
		return p.enum[0]
	case p.format == "date":
		return "2025-01-01"
	case p.format == "month":
		return "2025-01"
	case p.pattern != nil || p.name == "area" || p.name == "village" || p.name == "within":
		return "500236"
	}
	return "x"
}
