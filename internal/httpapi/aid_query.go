package httpapi

import "fupin/internal/fupin"

// checkRange refuses a date range that ends before it starts.
func checkRange(from, to fupin.Date) error {
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return field("to", "截止日期不能早于起始日期")
	}
	return nil
}
