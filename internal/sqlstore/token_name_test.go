package sqlstore_test

import (
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// Token names are unique, revoked tokens included; a database that already holds
// duplicates keeps the oldest name and renames the others when migrated.
func TestTokenNamesUnique(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		tok, err := db.CreateToken(ctx, admin, sqlstore.APIToken{Name: "对接", Role: "township", Areas: []string{"500236266"}}, "h1")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RevokeToken(ctx, admin, tok.ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.CreateToken(ctx, admin, sqlstore.APIToken{Name: " 对接 ", Role: "village", Areas: []string{"500236266200"}}, "h2")
		if e, ok := err.(*fupin.Error); !ok || e.Code != fupin.EConflict || e.Fields["name"] == "" || e.Message != "已有名为「对接」的令牌（含已吊销的），请换一个名称" {
			t.Fatalf("second token named 对接: %v", err)
		}
		// An older database with duplicates.
		for _, q := range []string{`DROP INDEX api_tokens_name`, `DROP TABLE audit_meta`,
			`INSERT INTO api_tokens (name, token_hash, role, areas, created_by, created_at) VALUES ('对接', 'h3', 'village', '500236266200', 'x', CURRENT_TIMESTAMP)`,
			`DELETE FROM schema_migrations WHERE name = '0009_audit.sql'`} {
			if err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		toks, err := db.Tokens(ctx)
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, tk := range toks {
			names[tk.Name] = true
		}
		if len(toks) != 2 || !names["对接"] || len(names) != 2 {
			t.Errorf("tokens after migrating duplicates: %+v", toks)
		}
	})
}
