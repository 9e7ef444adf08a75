package httpapi

import (
	"errors"
	"net/http"

	"fupin/internal/fupin"
)

// The handler helpers: every JSON route answers through respond, with the
// id, area or body parsing of its shape done first by one of these; path
// and query parameters go through the binder (bind.go, withIn).

// respond resolves the actor, calls fn and writes its result with status,
// or its error through writeError (code → status, Chinese message).
// errAnswered is returned by a respond callback that has written the answer
// itself (a download instead of the JSON page).
var errAnswered = errors.New("answered")

func (s *Server) respond(w http.ResponseWriter, r *http.Request, status int, fn func(fupin.Actor) (any, error)) {
	actor, err := actorOf(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out, err := fn(actor)
	if errors.Is(err, errAnswered) {
		return
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, status, out)
}

// withID is respond for routes with an {id} path segment (a household, an
// aid group, a cadre, a rotation…): an id that is not a positive number
// answers not_found (pathID, the binder's rule). Routes that also take
// query parameters use withIn with a request type holding `path:"id"`.
func (s *Server) withID(w http.ResponseWriter, r *http.Request, status int, fn func(fupin.Actor, int64) (any, error)) {
	s.respond(w, r, status, func(a fupin.Actor) (any, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return nil, err
		}
		return fn(a, id)
	})
}

// withJSON is respond for writes without an id: it decodes the JSON body
// into a T (unknown fields and trailing data are errors) first.
func withJSON[T any](s *Server, w http.ResponseWriter, r *http.Request, status int, fn func(fupin.Actor, T) (any, error)) {
	var in T
	if err := decode(w, r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.respond(w, r, status, func(a fupin.Actor) (any, error) { return fn(a, in) })
}

// withBody is withID for writes: it decodes the JSON body into a T first.
func withBody[T any](s *Server, w http.ResponseWriter, r *http.Request, status int, fn func(fupin.Actor, int64, T) (any, error)) {
	withJSON(s, w, r, status, func(a fupin.Actor, in T) (any, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return nil, err
		}
		return fn(a, id, in)
	})
}

// withArea is respond for list routes that take only ?area= (aidAreaIn):
// the binder checks it (a division code prefix of at most 12 digits; empty
// is all of the actor's areas).
func (s *Server) withArea(w http.ResponseWriter, r *http.Request, fn func(fupin.Actor, string) (any, error)) {
	withIn(s, w, r, func(a fupin.Actor, in aidAreaIn) (any, error) { return fn(a, in.Area) })
}

// Parameters many lists share; embed them in a route's request type.
type (
	// areaParam is ?area=: a division code prefix (see areaPattern).
	areaParam struct {
		Area string `query:"area" pattern:"^[0-9]{0,12}$" description:"区划代码前缀，如 500236266（平安乡）；空为全部管辖区域"`
	}
	// pageParams are offset and limit: limit 1–500, 0 or absent for the
	// list's default; offset 0–10^8 (more than the households of the
	// nation, so the arithmetic behind it cannot overflow).
	pageParams struct {
		Offset int `query:"offset" minimum:"0" maximum:"100000000" description:"跳过的条数"`
		Limit  int `query:"limit" minimum:"0" maximum:"500" description:"每页条数 1–500；0 或不填为该列表的默认值"`
	}
)
