package sqlstore_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fupin/internal/dbtest"
	"fupin/internal/demo"
	"fupin/internal/exchange"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// The job's final state is in the load's transaction: right after the
// commit (where a killed process would stop) the job already reads done,
// with its counts (was still queued / running until a later save).
func TestImportJobStateCommitsWithData(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		file := filepath.Join(t.TempDir(), "f.csv")
		var buf bytes.Buffer
		if _, err := exchange.WriteHouseholds(&buf, "csv", func(emit func(*fupin.Household) error) error {
			return demo.Generate(demo.Options{Households: 30, Seed: 3, Today: fupin.DateOf(time.Now())}, emit)
		}); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		job, err := db.CreateImport(ctx, admin, sqlstore.Import{FileName: "f.csv"})
		if err != nil {
			t.Fatal(err)
		}
		var atCommit *sqlstore.Import
		sctx := sqlstore.WithStep(ctx, func(step string) {
			if step == "load.committed" {
				atCommit, err = db.ImportJob(ctx, admin, "", job.ID)
			}
		})
		if _, ierr := exchange.Import(sctx, db, admin, file, exchange.ImportOptions{}, job); ierr != nil {
			t.Fatal(ierr)
		}
		if err != nil || atCommit == nil || atCommit.State != "done" || atCommit.Written != 30 || atCommit.FinishedAt == nil {
			t.Fatalf("job as stored right after the load's commit: %+v %v", atCommit, err)
		}
	})
}
