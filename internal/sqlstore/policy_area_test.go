package sqlstore_test

import (
	"testing"

	"fupin/internal/criteria"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// A policy parameter's area is a division code that exists (or "" for the
// whole country); 999999 and malformed codes are refused with the field
// named, and a padded code is stored as its division's own.
func TestPolicyParamAreaMustExist(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		for _, area := range []string{"999999", "500299", "5002362669", "abc", "500236266999"} {
			err := db.SetPolicyParam(ctx, admin, criteria.ParamRow{Area: area, Year: 2024, Key: criteria.KeyWaterMinLPD, Value: "40"})
			var fe *fupin.Error
			if fupin.ErrorCode(err) != fupin.EInvalid || !asError(err, &fe) || fe.Fields["area"] == "" {
				t.Errorf("area %q: %v, want invalid on field area", area, err)
			}
		}
		for _, area := range []string{"", "50", "500236", "500236266", "500236266200", "500236266000"} {
			if err := db.SetPolicyParam(ctx, admin, criteria.ParamRow{Area: area, Year: 2024, Key: criteria.KeyWaterMinLPD, Value: "40"}); err != nil {
				t.Errorf("area %q: %v", area, err)
			}
		}
		rows, err := db.PolicyParams(ctx)
		if err != nil {
			t.Fatal(err)
		}
		areas := map[string]bool{}
		for _, r := range rows {
			areas[r.Area] = true
		}
		if len(rows) != 5 || areas["999999"] || areas["500236266000"] || !areas["500236266"] {
			t.Errorf("stored rows: %+v", rows)
		}
	})
}

func asError(err error, target **fupin.Error) bool {
	e, ok := err.(*fupin.Error)
	if ok {
		*target = e
	}
	return ok
}
