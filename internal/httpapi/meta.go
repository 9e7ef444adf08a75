package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/swaggest/openapi-go"
	"github.com/swaggest/openapi-go/openapi31"

	"fupin/internal/fupin"
)

type (
	statusBody struct {
		Status   string `json:"status"`
		Database string `json:"database"`
	}
	codesBody struct {
		Lists       []fupin.CodeList `json:"lists"`
		Ethnicities []string         `json:"ethnicities"`
	}
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		s.log.ErrorContext(r.Context(), "health check", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, statusBody{Status: "数据库不可用", Database: string(s.db.Dialect())})
		return
	}
	writeJSON(w, http.StatusOK, statusBody{Status: "ok", Database: string(s.db.Dialect())})
}

func (s *Server) codes(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, codesBody{Lists: fupin.AllCodeLists(), Ethnicities: fupin.Ethnicities})
}

// codeEntries lists a code list's items in the entry shape of a codes
// route that answered its own shape before its lists were fupin.CodeLists
// (ledgerCode, projectChoice), so those routes answer as they did.
func codeEntries[T ledgerCode | projectChoice](l fupin.CodeList) []T {
	out := make([]T, len(l.Items))
	for i, it := range l.Items {
		out[i] = T(it)
	}
	return out
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	s.spec.once.Do(func() { s.spec.json, s.spec.err = s.OpenAPI() })
	if s.spec.err != nil {
		s.writeError(w, r, s.spec.err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(s.spec.json)
}

// OpenAPI builds the OpenAPI 3.1 document from the route table.
func (s *Server) OpenAPI() ([]byte, error) {
	rf := openapi31.NewReflector()
	var nameErr error
	rf.JSONSchemaReflector().DefaultOptions = append(rf.JSONSchemaReflector().DefaultOptions, schemaNamer(&nameErr))
	rf.Spec.Info.WithTitle("Fupin 扶贫 API").WithVersion("1").
		WithDescription("精准扶贫与防返贫动态监测系统接口。错误统一为 {\"error\":{\"code\",\"message\",\"fields\"}}，message 为中文。")
	for _, rt := range s.routes() {
		oc, err := rf.NewOperationContext(rt.method, rt.path)
		if err != nil {
			return nil, err
		}
		oc.SetSummary(rt.summary)
		if rt.in != nil {
			oc.AddReqStructure(rt.in)
		}
		if rt.out != nil {
			oc.AddRespStructure(rt.out, openapi.WithHTTPStatus(rt.status))
		}
		if rt.in != nil {
			for _, st := range []int{400, 404, 409, 413} {
				oc.AddRespStructure(ErrorBody{}, openapi.WithHTTPStatus(st))
			}
		}
		if err := rf.AddOperation(oc); err != nil {
			return nil, err
		}
	}
	if nameErr != nil {
		return nil, nameErr
	}
	return rf.Spec.MarshalJSON()
}
