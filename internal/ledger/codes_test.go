package ledger

import (
	"testing"

	"fupin/internal/fupin"
)

// TestCodeLists checks the ledger's code lists: each is named, and its
// codes and its labels are unique, since a feedback sheet's cell is read
// as either (CodeOf); the status and bucket constants are in their lists.
func TestCodeLists(t *testing.T) {
	for _, l := range []fupin.CodeList{Sources, Categories, Kinds, Statuses, Buckets} {
		if err := l.Check(); err != nil {
			t.Error(err)
		}
		for _, it := range l.Items {
			if got, ok := l.CodeOf(it.Label); !ok || got != it.Code {
				t.Errorf("%s: CodeOf(%s) = %s, %v", l.Name, it.Label, got, ok)
			}
		}
	}
	for _, s := range []string{StatusNotStarted, StatusInProgress, StatusPending, StatusClosed, StatusLongTerm} {
		if !Statuses.Has(s) {
			t.Errorf("status %s is not in Statuses", s)
		}
	}
	for _, b := range []string{BucketOverdue, BucketWithin10, BucketWithin20, BucketLater} {
		if !Buckets.Has(b) {
			t.Errorf("bucket %s is not in Buckets", b)
		}
	}
	for _, k := range []string{KindImmediate, KindDeadline, KindLongTerm} {
		if !Kinds.Has(k) {
			t.Errorf("kind %s is not in Kinds", k)
		}
	}
}
