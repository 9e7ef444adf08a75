package httpapi

import (
	"errors"
	"testing"

	"fupin/internal/fupin"
)

// One import per area: a job for a township blocks its county and its villages, not a
// neighbouring township; a claim ended frees the area.
func TestImportSlotsOnePerArea(t *testing.T) {
	var s importSlots
	id, err := s.claim([]string{"500236266"})
	if err != nil {
		t.Fatal(err)
	}
	for _, area := range []string{"500236266208", "500236", ""} {
		var e *fupin.Error
		if _, err := s.claim([]string{area}); !errors.As(err, &e) || e.Code != fupin.ERateLimited || e.Message != "该区域已有导入任务正在进行，请等待完成后再导入" {
			t.Errorf("claim %q while 500236266 runs = %v, want rate_limited", area, err)
		}
	}
	other, err := s.claim([]string{"500236267"})
	if err != nil {
		t.Errorf("claim of another township = %v", err)
	}
	s.unclaim(id)
	s.unclaim(other)
	if _, err := s.claim(importAreas(fupin.SystemActor("admin"), "")); err != nil {
		t.Errorf("claim after both ended = %v", err)
	}
}
