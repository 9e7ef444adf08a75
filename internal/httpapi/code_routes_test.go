package httpapi_test

import (
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/ledger"
	"fupin/internal/project"
	"fupin/internal/sqlstore"
)

// TestCodeRoutesAnswerTheirLists reads /ledger/codes and /projects/codes as
// every role: each list is the domain's fupin.CodeList, item for item and
// in order, in the entry shape the route has always answered ({key, name}
// and {value, label}); without a token the routes are refused.
func TestCodeRoutesAnswerTheirLists(t *testing.T) {
	routes := []struct {
		path        string
		code, label string
		lists       map[string]fupin.CodeList
	}{
		{"/api/v1/ledger/codes", "key", "name", map[string]fupin.CodeList{"sources": ledger.Sources, "categories": ledger.Categories,
			"kinds": ledger.Kinds, "statuses": ledger.Statuses, "buckets": ledger.Buckets}},
		{"/api/v1/projects/codes", "value", "label", map[string]fupin.CodeList{"types": project.Types, "subtypes": project.Subtypes,
			"sources": project.Sources, "statuses": project.Statuses, "asset_kinds": project.AssetKinds,
			"asset_owners": project.AssetOwners, "asset_statuses": project.AssetStatuses}},
	}
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		srv := newServer(t, db)
		for _, rc := range matrixRoles {
			me := &client{t: t, srv: srv, token: newToken(t, db, "codes-"+string(rc.role), string(rc.role), rc.area)}
			for _, r := range routes {
				body := mustDo(t, me, 200, "GET", r.path, "")
				if len(body) != len(r.lists) {
					t.Errorf("%s %s: %d lists, want %d", rc.role, r.path, len(body), len(r.lists))
				}
				for name, list := range r.lists {
					got, _ := body[name].([]any)
					if len(got) != len(list.Items) || len(list.Items) == 0 {
						t.Errorf("%s %s %s: %d entries, want %d", rc.role, r.path, name, len(got), len(list.Items))
						continue
					}
					for i, it := range list.Items {
						e, _ := got[i].(map[string]any)
						if len(e) != 2 || e[r.code] != it.Code || e[r.label] != it.Label {
							t.Errorf("%s %s %s[%d] = %v, want {%s: %s, %s: %s}", rc.role, r.path, name, i, e, r.code, it.Code, r.label, it.Label)
						}
					}
				}
			}
		}
		anon := &client{t: t, srv: srv}
		for _, r := range routes {
			if st, _ := anon.do("GET", r.path, ""); st != 401 {
				t.Errorf("%s without a token = %d, want 401", r.path, st)
			}
		}
	})
}
