package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"

	"fupin/internal/fupin"
)

// maxBody bounds JSON request bodies; larger ones get 413.
const maxBody = 1 << 20

// statusOf is the one table from error codes to HTTP status.
var statusOf = map[string]int{
	fupin.EInvalid:      http.StatusBadRequest,
	fupin.ENotFound:     http.StatusNotFound,
	fupin.EConflict:     http.StatusConflict,
	fupin.EUnauthorized: http.StatusUnauthorized,
	fupin.EForbidden:    http.StatusForbidden,
	fupin.ETooLarge:     http.StatusRequestEntityTooLarge,
	fupin.ERateLimited:  http.StatusTooManyRequests,
	fupin.EInternal:     http.StatusInternalServerError,
}

// ErrorBody is the JSON shape of every error response.
type ErrorBody struct {
	Error fupin.Error `json:"error"`
	// RequestID names the request in the server's log (also the X-Request-Id header).
	RequestID string `json:"request_id,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// encodeJSON is v as writeJSON sends it, for answers kept and sent again
// (writeEncoded).
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeEncoded sends b, made by encodeJSON, as a JSON answer.
func writeEncoded(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
}

// writeError answers with err's code and Chinese message; internal errors
// are logged and hidden.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var e *fupin.Error
	if !errors.As(err, &e) {
		s.logFailure(r, "internal error", err)
		e = internalError(err)
	}
	status, ok := statusOf[e.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	writeJSON(w, status, ErrorBody{Error: *e, RequestID: requestID(r.Context())})
}

// decode reads a JSON body into v: unknown fields, trailing data and
// malformed JSON are invalid, bodies over maxBody are too_large.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("trailing data")
	}
	if err == nil {
		return nil
	}
	return decodeError(err)
}

func decodeError(err error) error {
	var tooBig *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &tooBig):
		return fupin.Errorf(fupin.ETooLarge, "请求体超过 %d 字节上限", tooBig.Limit)
	case errors.Is(err, io.EOF):
		return fupin.Errorf(fupin.EInvalid, "请求体为空，应为 JSON")
	case errors.As(err, &typeErr):
		path := typeErr.Field
		return &fupin.Error{Code: fupin.EInvalid, Message: "字段类型不正确：" + path,
			Fields: map[string]string{path: "类型应为 " + jsonType(typeErr.Type.Kind().String())}}
	case errors.As(err, &syntax):
		return fupin.Errorf(fupin.EInvalid, "请求体不是有效的 JSON（第 %d 字节附近）", syntax.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &fupin.Error{Code: fupin.EInvalid, Message: "未知字段：" + name,
			Fields: map[string]string{name: "未知字段"}}
	default:
		return fupin.Errorf(fupin.EInvalid, "请求体无法解析：%s", err.Error())
	}
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "字符串"
	case "bool":
		return "布尔值"
	case "slice", "array":
		return "数组"
	case "struct", "map":
		return "对象"
	default:
		return "数字"
	}
}

// pathID parses a positive integer path value by the binder's rule for path
// ids (param.set in bind.go), for routes with a second id in the path: a
// value that is not a positive number is not_found, as an unknown record.
func pathID(r *http.Request, name string) (int64, error) {
	var id int64
	p := param{name: name, in: "path", kind: reflect.Int64}
	if p.set(reflect.ValueOf(&id).Elem(), r.PathValue(name)) != "" {
		return 0, &fupin.Error{Code: fupin.ENotFound, Message: "无效的编号：" + r.PathValue(name)}
	}
	return id, nil
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status, s.wrote = code, true
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}
