package sqlstore

import (
	"database/sql"
	"os"
	"strings"
	"testing"

	"fupin/internal/fupin"
)

// A unique violation no explicit check caught reaches users as a Chinese
// conflict without the constraint, table or driver text, which stays in
// the error's text for the log. Both engines raise a real violation.
func TestMapUniqueHidesSQL(t *testing.T) {
	engines := map[string]string{"sqlite": ":memory:"}
	if u := os.Getenv("FUPIN_TEST_POSTGRES_URL"); u != "" {
		engines["pgx"] = u
	}
	for driver, dsn := range engines {
		t.Run(driver, func(t *testing.T) {
			db, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			conn, err := db.Conn(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := conn.ExecContext(t.Context(), `CREATE TEMP TABLE members_probe (id INTEGER PRIMARY KEY)`); err != nil {
				t.Fatal(err)
			}
			_, err = conn.ExecContext(t.Context(), `INSERT INTO members_probe (id) VALUES (1), (1)`)
			mapped := (&Tx{}).mapUnique(err)
			msg := fupin.ErrorMessage(mapped)
			if fupin.ErrorCode(mapped) != fupin.EConflict || strings.Contains(msg, "members") || strings.Contains(strings.ToLower(msg), "unique") {
				t.Errorf("mapped unique violation: code %q, message %q", fupin.ErrorCode(mapped), msg)
			}
			if !strings.Contains(mapped.Error(), "members_probe") {
				t.Errorf("the log text lost the constraint: %v", mapped)
			}
		})
	}
}
