package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"

	"fupin/internal/httpapi"
)

// cmdOpenAPI writes the OpenAPI document the server serves, so that the web
// console's typed client (ui/openapi.json → ui/src/api/schema.d.ts) is
// generated from exactly the API it talks to.
func cmdOpenAPI(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flags("openapi", "输出 OpenAPI 3.1 文档（与 GET /api/v1/openapi.json 相同），供网页控制台生成类型化客户端。", stderr)
	out := fs.String("out", "", "写入该文件（默认标准输出），如 ui/openapi.json")
	if err := parse(fs, args); err != nil {
		return err
	}
	doc, err := openAPIDocument()
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = stdout.Write(doc)
		return err
	}
	if err := os.WriteFile(*out, doc, 0o644); err != nil {
		return fmt.Errorf("写入 %s：%w", *out, err)
	}
	fmt.Fprintf(stdout, "已写入 %s（%d 字节）\n", *out, len(doc))
	return nil
}

// openAPIDocument asks the API handler for its document; building it needs
// the route table only, not a database.
func openAPIDocument() ([]byte, error) {
	h := httpapi.New(nil, slog.New(slog.NewJSONHandler(io.Discard, nil)), httpapi.Options{})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil))
	if rec.Code != http.StatusOK {
		return nil, fmt.Errorf("生成 OpenAPI 文档失败：HTTP %d %s", rec.Code, rec.Body.String())
	}
	return rec.Body.Bytes(), nil
}
