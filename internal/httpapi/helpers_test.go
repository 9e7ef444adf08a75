package httpapi_test

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"

	"fupin/internal/sqlstore"
)

func ctx() context.Context { return context.Background() }

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// auditActions counts audit entries by action.
func auditActions(t *testing.T, db *sqlstore.DB) map[string]int {
	t.Helper()
	counts, err := db.AuditActionCounts(ctx())
	if err != nil {
		t.Fatal(err)
	}
	return counts
}
