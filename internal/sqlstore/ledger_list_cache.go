package sqlstore

import (
	"fmt"

	"fupin/internal/fupin"
	"fupin/internal/ledger"
)

// The counts of the ledger list (findings per status and deadline bucket,
// from which the counts above the list and every status or bucket total
// follow) are memoised in db.ledgerCounts (a memo) per filter, the
// caller's narrowed areas and the day (buckets move with the calendar),
// valid while the token they were counted under holds (ledgerToken: the
// ledger's own change counter, or the data token for a village). Opening
// the list again, paging, another status or bucket, or the dashboard card
// then reads one page of rows only.

// ledgerCell is a status and a bucket: 0 for no deadline, else the index
// in ledger.Buckets plus one (the CASE of countCells).
type ledgerCell struct {
	status string
	bucket int
}

// ledgerCells counts findings per cell. Entries are never changed after
// they are cached, so readers share them.
type ledgerCells map[ledgerCell]int

// tally gives the counts above the list (open findings per bucket, all
// findings per status) and the total the filter's status and bucket select.
func (c ledgerCells) tally(f FindingFilter) (buckets, statuses map[string]int, total int) {
	buckets, statuses = map[string]int{}, map[string]int{}
	for _, b := range ledger.Buckets.Items {
		buckets[b.Code] = 0
	}
	want := 0
	for i, b := range ledger.Buckets.Items {
		if b.Code == f.Bucket {
			want = i + 1
		}
	}
	for cell, n := range c {
		statuses[cell.status] += n
		open := cell.status != ledger.StatusClosed
		if open && cell.bucket > 0 && cell.bucket <= len(ledger.Buckets.Items) {
			buckets[ledger.Buckets.Items[cell.bucket-1].Code] += n
		}
		switch {
		case f.Status == "open" && !open, f.Status != "" && f.Status != "open" && cell.status != f.Status:
			continue
		case f.Bucket != "" && (!open || cell.bucket != want):
			continue
		}
		total += n
	}
	return buckets, statuses, total
}

const ledgerCacheMaxEntries = 4096

// ledgerCountsKey names the counts of a filter (without status, bucket
// and paging, as FindingPage counts them) for an actor, on the bucket
// bounds of the day (today and the last days within 10 and 20 working
// days, which also change with the working-day calendar).
func ledgerCountsKey(actor fupin.Actor, f FindingFilter, bounds string) string {
	return fmt.Sprintf("counts|%q|%d|%s|%d|%s", actor.Narrow(f.Area), f.InspectionID, f.Category, f.CadreID, bounds)
}
