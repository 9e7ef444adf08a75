package sqlstore

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// BenchmarkListPlans opens each area-range list ten times in a row on one
// PostgreSQL connection, as a township and as a village, in pgx's two
// statement modes: cache_statement (the default: a statement prepared once
// per connection, which PostgreSQL may switch to a generic plan from the
// sixth run) and exec (an unnamed statement planned for its values each
// time, what customPlan asks for). runs1-5-ms and runs6-10-ms are the mean
// of the first and last five openings; generic is the number of generic
// plans the connection's prepared statements ran (pg_prepared_statements).
// It needs FUPIN_PLAN_DSN, a postgres:// URL of a database with 10,000+
// households, visits, pairings, monitoring cases and findings (a `fupin
// demo --households 20000` database topped up), and -benchtime 1x.
func BenchmarkListPlans(b *testing.B) {
	dsn := os.Getenv("FUPIN_PLAN_DSN")
	if dsn == "" {
		b.Skip("FUPIN_PLAN_DSN not set")
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	for _, mode := range []string{"cache_statement", "exec"} {
		for _, area := range []string{"500236266", "500236266200"} {
			b.Run(mode+"/"+area, func(b *testing.B) {
				ctx := context.Background()
				db, err := Open(ctx, dsn+sep+"default_query_exec_mode="+mode)
				if err != nil {
					b.Fatal(err)
				}
				defer db.Close()
				db.read.SetMaxOpenConns(1)
				actor := fupin.Actor{Name: "乡镇", Areas: []string{area}}
				for _, l := range planLists(db, actor) {
					b.Run(l.name, func(b *testing.B) {
						for b.Loop() {
							var times []time.Duration
							for range 10 {
								start := time.Now()
								if err := l.run(ctx); err != nil {
									b.Fatal(err)
								}
								times = append(times, time.Since(start))
							}
							mean := func(ts []time.Duration) float64 {
								var sum time.Duration
								for _, t := range ts {
									sum += t
								}
								return float64(sum.Microseconds()) / 1000 / float64(len(ts))
							}
							b.ReportMetric(mean(times[:5]), "runs1-5-ms")
							b.ReportMetric(mean(times[5:]), "runs6-10-ms")
							generic, err := genericPlans(ctx, db)
							if err != nil {
								b.Fatal(err)
							}
							b.ReportMetric(float64(generic), "generic")
						}
					})
				}
			})
		}
	}
}

type planList struct {
	name string
	run  func(context.Context) error
}

func planLists(db *DB, actor fupin.Actor) []planList {
	return []planList{
		{"households", func(ctx context.Context) error {
			_, err := db.ListHouseholds(ctx, actor, fupin.HouseholdFilter{Limit: 20})
			return err
		}},
		{"monitor-cases", func(ctx context.Context) error {
			_, err := db.MonitorCases(ctx, actor, CaseFilter{Open: true})
			return err
		}},
		{"visits", func(ctx context.Context) error {
			_, err := db.ListVisits(ctx, actor, aid.VisitFilter{Limit: 20})
			return err
		}},
		{"pairings", func(ctx context.Context) error {
			_, err := db.ListActivePairings(ctx, actor, "", 0, 0, 20)
			return err
		}},
		{"findings", func(ctx context.Context) error {
			_, err := db.Findings(ctx, actor, FindingFilter{Status: "open"})
			return err
		}},
	}
}

// genericPlans counts the generic plans run by the prepared statements of
// the read pool's one connection, and logs the statements that ran one.
func genericPlans(ctx context.Context, db *DB) (int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT generic_plans, custom_plans, left(regexp_replace(statement, '\s+', ' ', 'g'), 90)
		FROM pg_prepared_statements WHERE generic_plans > 0`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	var lines []string
	for rows.Next() {
		var g, c int
		var st string
		if err := rows.Scan(&g, &c, &st); err != nil {
			return 0, err
		}
		n += g
		lines = append(lines, fmt.Sprintf("generic %d custom %d: %s", g, c, st))
	}
	sort.Strings(lines)
	if len(lines) > 0 {
		fmt.Fprintln(os.Stderr, strings.Join(lines, "\n"))
	}
	return n, rows.Err()
}
