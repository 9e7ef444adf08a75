package exchange_test

import (
	"strings"
	"testing"

	"fupin/internal/dbtest"
	"fupin/internal/exchange"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// A job left running by a process that died is marked interrupted, saying
// that nothing was written (its data transaction never committed).
func TestInterruptedJobsAfterRestart(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		job, err := db.CreateImport(ctx, admin, sqlstore.Import{FileName: "f.csv"})
		if err != nil {
			t.Fatal(err)
		}
		job.State, job.Phase, job.RowsRead = "running", "write", 5000
		if err := db.SaveImportProgress(ctx, job); err != nil {
			t.Fatal(err)
		}
		if n, err := db.FailInterruptedImports(ctx); err != nil || n != 1 {
			t.Fatalf("interrupted: %d %v", n, err)
		}
		got, err := db.ImportJob(ctx, admin, "", job.ID)
		if err != nil || got.State != "interrupted" || !strings.Contains(got.Message, "未写入任何数据") || got.FinishedAt == nil {
			t.Fatalf("job after restart: %+v %v", got, err)
		}
	})
}

// Nobody sees a final state before the problems are saved: when Progress
// first reports rejected, the errors are already readable (clients saw
// "rejected" with an empty list).
func TestImportFinalStateAfterErrorsSaved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		src := dbtest.SQLite(t)
		loadDemo(t, src, 40)
		rows := readAll(t, export(t, src, "csv"))
		rows[3][indexOf(rows[0], "证件号码")] = "110101199003071234" // wrong check digit
		bad := writeCSV(t, rows)
		for _, dry := range []bool{false, true} {
			job, err := db.CreateImport(ctx, admin, sqlstore.Import{FileName: "bad.csv"})
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]int{}
			_, err = exchange.Import(ctx, db, admin, bad, exchange.ImportOptions{DryRun: dry, Progress: func(j *sqlstore.Import) {
				if j.State == "running" || seen[j.State] > 0 {
					return
				}
				errs, err := db.ImportErrors(ctx, j.ID, 10)
				if err != nil {
					t.Error(err)
				}
				seen[j.State] = len(errs) + 1
				stored, _ := db.ImportJob(ctx, admin, "", j.ID)
				if stored == nil || stored.State != j.State {
					t.Errorf("dry run %v: published %q while the stored job is %+v", dry, j.State, stored)
				}
			}}, job)
			want := "rejected"
			if dry {
				want = "done"
			}
			if err != nil || seen[want] < 2 {
				t.Errorf("dry run %v: errors saved when %s was published: %v (%v)", dry, want, seen, err)
			}
		}
	})
}

// Each household an import adds or updates shows in its history as
// "由导入任务 #N 新增/更新（文件名，第 R 行）" with the changed fields.
func TestImportedHouseholdHistory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		src := dbtest.SQLite(t)
		loadDemo(t, src, 6)
		rows := readAll(t, export(t, src, "csv"))
		res, err := importFile(t, db, writeCSV(t, rows), exchange.ImportOptions{})
		if err != nil || res.Job.Written != 6 {
			t.Fatalf("import: %+v %v", res.Job, err)
		}
		page, err := db.ListHouseholds(ctx, admin, fupin.HouseholdFilter{Limit: 10, Sort: "id"})
		if err != nil || len(page.Items) != 6 {
			t.Fatalf("list: %v", err)
		}
		h := page.Items[0]
		hist, err := db.HouseholdHistory(ctx, admin, h.ID)
		want := "由导入任务 #" + itoa(int(res.Job.ID)) + " 新增（bad.csv，第 2 行）"
		if err != nil || len(hist) != 1 || hist[0].Summary != want || hist[0].Actor != admin.Name {
			t.Fatalf("history of an added household: %+v %v; want %q", hist, err, want)
		}
		// The same file with a changed phone: an update entry with the field.
		col := indexOf(rows[0], "联系电话")
		for _, r := range rows[1:] {
			if r[indexOf(rows[0], "户编号")] == h.HouseholdNo {
				r[col] = "13900001111"
			}
		}
		res2, err := importFile(t, db, writeCSV(t, rows), exchange.ImportOptions{})
		if err != nil || res2.Job.Updated != 1 {
			t.Fatalf("second import: %+v %v", res2.Job, err)
		}
		hist, err = db.HouseholdHistory(ctx, admin, h.ID)
		if err != nil || len(hist) != 2 || !strings.HasPrefix(hist[0].Summary, "由导入任务 #"+itoa(int(res2.Job.ID))+" 更新（bad.csv，第 ") ||
			!strings.Contains(strings.Join(hist[0].Changed, ","), "phone") || string(hist[0].Before) == "null" {
			t.Fatalf("history after an update: %+v %v", hist, err)
		}
		counts, err := db.AuditActionCounts(ctx)
		if err != nil || counts["household.import"] != 1 {
			t.Errorf("audit rows: %v %v (one per updated household, none per added one)", counts, err)
		}
	})
}
