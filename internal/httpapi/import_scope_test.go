package httpapi_test

import (
	"context"
	"fmt"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// Import jobs and their error reports are scoped by the importing
// principal's id and areas, never by its name: a village token named like
// the township account that ran an import cannot read it (it read the
// township's errors with full ID numbers); the township's area and the
// job's own principal can.
func TestImportJobsScopedByPrincipalAndArea(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		ctx := context.Background()
		township := fupin.Actor{Name: "乡镇导入", Areas: []string{"500236266"}}
		job, err := db.CreateImport(ctx, township, sqlstore.Import{FileName: "乡镇.csv", Principal: "token:999999"})
		if err != nil {
			t.Fatal(err)
		}
		job.State, job.Message = "rejected", "有错误"
		if err := db.FinishImport(ctx, job, []sqlstore.ImportError{{Row: 2, Column: "证件号码", Value: id("512226", "19600101", 11), Reason: "x"}}); err != nil {
			t.Fatal(err)
		}
		village := &client{t: t, srv: srv, token: newToken(t, db, "乡镇导入", "village", "500236266200")}
		other := &client{t: t, srv: srv, token: newToken(t, db, "另一乡镇", "township", "500236265")}
		for _, c := range []*client{village, other} {
			for _, path := range []string{fmt.Sprintf("/api/v1/imports/%d", job.ID), fmt.Sprintf("/api/v1/imports/%d/errors", job.ID)} {
				if s, body := c.do("GET", path, ""); s != 404 {
					t.Errorf("GET %s by another principal outside the job's area = %d %v", path, s, body)
				}
			}
			if s, body := c.do("GET", "/api/v1/imports", ""); s != 200 || len(body["items"].([]any)) != 0 {
				t.Errorf("list by another principal = %d %v", s, body)
			}
		}
		inArea := &client{t: t, srv: srv, token: newToken(t, db, "乡镇同事", "township", "500236266")}
		admin := &client{t: t, srv: srv, token: adminToken}
		for _, c := range []*client{inArea, admin} {
			if s, body := c.do("GET", fmt.Sprintf("/api/v1/imports/%d/errors", job.ID), ""); s != 200 || len(body["items"].([]any)) != 1 {
				t.Errorf("errors for a reader covering the job's area = %d %v", s, body)
			}
		}
	})
}
