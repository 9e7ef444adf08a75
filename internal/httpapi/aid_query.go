package httpapi

import (
	"net/http"

	"fupin/internal/fupin"
)

// queryPage reads offset and limit as the household list does: limit 1–500 (0 or absent: the
// list's default), offset not negative; anything else is a field error.
func queryPage(r *http.Request, errs fupin.FieldErrors) (offset, limit int) {
	offset, limit = queryInt(r, "offset", errs), queryInt(r, "limit", errs)
	if limit < 0 || limit > 500 {
		errs.Add("limit", "每页条数应在 1–500 之间")
	}
	if offset < 0 {
		errs.Add("offset", "偏移量不能为负")
	}
	return offset, limit
}

// checkRange refuses a date range that ends before it starts.
func checkRange(from, to fupin.Date, errs fupin.FieldErrors) {
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		errs.Add("to", "截止日期不能早于起始日期")
	}
}
