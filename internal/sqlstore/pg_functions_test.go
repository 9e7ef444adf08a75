package sqlstore_test

import (
	"database/sql"
	"os"
	"testing"

	"fupin/internal/dbtest"
)

// TestTriggersOutsideSearchPath edits Fupin's tables from a session whose search_path does
// not name Fupin's schema (an operator in psql, a repair script): the trigger functions must
// still find their tables. Before migration 0036 the first UPDATE failed with "function
// appraisal_keep(bigint) does not exist".
func TestTriggersOutsideSearchPath(t *testing.T) {
	db := dbtest.Postgres(t)
	created, err := db.CreateHousehold(ctx, admin, family(t, tiantai, 90))
	if err != nil {
		t.Fatal(err)
	}
	var schema string
	if err := db.QueryRow(`SELECT current_schema()`, &schema); err != nil {
		t.Fatal(err)
	}
	plain, err := sql.Open("pgx", os.Getenv("FUPIN_TEST_POSTGRES_URL"))
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	for _, q := range []string{
		`UPDATE ` + schema + `.households SET address = '平安乡改' WHERE id = $1`,
		`UPDATE ` + schema + `.members SET phone = '13900003333' WHERE household_id = $1`,
		`DELETE FROM ` + schema + `.incomes WHERE household_id = $1`,
		`UPDATE ` + schema + `.ledger_findings SET status = status WHERE id = $1`,
	} {
		if _, err := plain.Exec(q, created.ID); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
	var address string
	if err := db.QueryRow(`SELECT address FROM households WHERE id = $1`, &address, created.ID); err != nil {
		t.Fatal(err)
	}
	if address != "平安乡改" {
		t.Errorf("address = %q after the outside UPDATE, want 平安乡改", address)
	}
}
