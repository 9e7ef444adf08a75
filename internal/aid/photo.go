package aid

import (
	"bytes"
	"sort"
	"time"

	"fupin/internal/fupin"
)

// VisitPhoto is a photo attached to a visit, kept in the database.
type VisitPhoto struct {
	ID          int64     `json:"id"`
	VisitID     int64     `json:"visit_id"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type" description:"image/jpeg 或 image/png"`
	Size        int       `json:"size" description:"字节数"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	Data        []byte    `json:"-"`
}

// SniffImage names the type of an image from its first bytes; only JPEG
// and PNG are accepted, whatever the file name or the client claims.
func SniffImage(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	}
	return ""
}

// OverdueVisit is a helped household whose next visit is past due.
type OverdueVisit struct {
	HouseholdID   int64      `json:"household_id"`
	HouseholdNo   string     `json:"household_no"`
	HeadName      string     `json:"head_name"`
	HouseholdType string     `json:"household_type"`
	MonitorType   string     `json:"monitor_type"`
	VillageCode   string     `json:"village_code"`
	VillageName   string     `json:"village_name"`
	CadreID       int64      `json:"cadre_id" description:"帮扶责任人编号，0 为无"`
	CadreName     string     `json:"cadre_name"`
	LastVisitOn   fupin.Date `json:"last_visit_on" description:"最近一次走访，空为从未走访"`
	IntervalDays  int        `json:"interval_days" description:"该户的走访周期（天）"`
	DueOn         fupin.Date `json:"due_on" description:"应走访日期；从未走访且无结对日期时为空"`
	DaysOverdue   int        `json:"days_overdue"`
}

// SortOverdue puts never-visited households first, then the longest overdue.
func SortOverdue(list []OverdueVisit) {
	key := func(o OverdueVisit) int {
		if o.DueOn.IsZero() {
			return 1 << 30
		}
		return o.DaysOverdue
	}
	sort.SliceStable(list, func(i, j int) bool { return key(list[i]) > key(list[j]) })
}

// CheckOverdue applies the visit rule to o (IntervalDays and LastVisitOn
// set): the next visit is due IntervalDays after the last visit, or after
// pairedSince when there was none; it sets DueOn and DaysOverdue and
// reports whether today is past the due day. A household with neither a
// visit nor a pairing is overdue with no due day.
func CheckOverdue(o *OverdueVisit, pairedSince, today fupin.Date) bool {
	since := pairedSince
	if !o.LastVisitOn.IsZero() {
		since = o.LastVisitOn
	}
	if since.IsZero() {
		return true
	}
	o.DueOn = fupin.DateOf(since.Time().AddDate(0, 0, o.IntervalDays))
	if !today.After(o.DueOn) {
		return false
	}
	o.DaysOverdue = DaysBetween(o.DueOn, today)
	return true
}
