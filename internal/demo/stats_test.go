package demo

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"fupin/internal/fupin"
)

// TestProportions logs the proportions of a default run (go test -v -run
// Proportions) and checks the ones the generator promises loosely.
func TestProportions(t *testing.T) {
	hs := generate(t, Options{Today: testToday})
	count := map[string]int{}
	inc := map[string][]float64{}
	var people, active, working, migrants int
	for _, h := range hs {
		count["size:"+fmt.Sprint(min(h.Size, 6))]++
		count["type:"+h.Type]++
		count["attr:"+h.PovertyAttr]++
		count["monitor:"+h.MonitorType]++
		if !h.RiskEliminatedOn.IsZero() {
			count["monitor:eliminated"]++
		}
		count["grade:"+h.Housing.Grade]++
		if h.Housing.Relocated {
			count["relocated"]++
		}
		if hg := h.Housing; (hg.Grade == "C" || hg.Grade == "D") && !hg.Relocated && !hg.OtherSafeHome {
			count["problem:house"]++
		}
		if *h.Water.LitresPerDay < 35 || *h.Water.DaysWithoutSupply > 36 {
			count["problem:water"]++
		}
		if h.Basics.Note != "" {
			count["problem:food or clothing"]++
		}
		if h.Living.Broadband {
			count["broadband"]++
		}
		if h.Water.Supply == "dispersed" {
			count["water:dispersed"]++
		}
		key := h.Type
		if h.MonitorType != "" {
			key = "monitored"
		}
		inc[key] = append(inc[key], h.Incomes[2].PerCapitaNet.Yuan())
		if h.MonitorType != "" && h.Incomes[1].PerCapitaNet.Yuan() > 1.5*h.Incomes[2].PerCapitaNet.Yuan() {
			count["monitor:sharp drop"]++
		}
		for _, m := range h.Members {
			people++
			if m.JoinReason == "birth" {
				count["join:birth"]++
			}
			if m.JoinReason == "marriage" {
				count["join:marriage"]++
			}
			if !m.Active() {
				count["leave:"+m.LeaveReason]++
				continue
			}
			active++
			count["health:"+m.Health]++
			count["medical:"+m.MedicalInsurance]++
			count["eth:"+m.Ethnicity]++
			count["school:"+m.SchoolStatus]++
			if m.DropoutExemption != "" {
				count["exempt:"+m.DropoutExemption]++
			}
			count["name:"+string([]rune(m.Name)[0])]++
			if age := m.AgeOn(testToday); age >= 16 && age <= 59 {
				working++
				if m.MigrantMonths > 0 {
					migrants++
				}
			}
		}
	}
	pct := func(n, d int) string { return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(d)) }
	t.Logf("%d households, %d people (%d active), mean size %.2f", len(hs), people, active,
		float64(active)/float64(len(hs)))
	keys := make([]string, 0, len(count))
	for k := range count {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		d := len(hs)
		switch strings.SplitN(k, ":", 2)[0] {
		case "health", "medical", "eth", "school", "name":
			d = active
		case "join", "leave", "exempt":
			d = people
		}
		if strings.HasPrefix(k, "name:") && count[k] < 150 {
			continue
		}
		fmt.Fprintf(&b, "%s=%d (%s)  ", k, count[k], pct(count[k], d))
	}
	t.Log(b.String())
	t.Logf("migrants: %s of people aged 16–59", pct(migrants, working))
	for k, v := range inc {
		sort.Float64s(v)
		q := func(p float64) float64 { return v[int(p*float64(len(v)-1))] }
		below := sort.SearchFloat64s(v, 6000)
		t.Logf("per-capita net %s: n=%d p10=%.0f p50=%.0f p90=%.0f, below 6000: %d", k, len(v),
			q(0.1), q(0.5), q(0.9), below)
	}
	exPeople := 0
	for _, h := range hs {
		if h.Type == "ex_poor" {
			exPeople += len(h.Members)
		}
	}
	t.Logf("ex-poor people: %s", pct(exPeople, people))
	share := func(k string, d int) float64 { return float64(count[k]) / float64(d) }
	monitored := len(hs) - count["monitor:"]
	for _, c := range []struct {
		what   string
		v      float64
		lo, hi float64
	}{
		{"mean size", float64(active) / float64(len(hs)), 3.2, 3.6},
		{"1-person households", share("size:1", len(hs)), 0.09, 0.15},
		{"monitored households", float64(monitored) / float64(len(hs)), 0.02, 0.045},
		{"monitored with risk eliminated", share("monitor:eliminated", monitored), 0.3, 0.7},
		{"chronic", share("health:chronic", active), 0.09, 0.15},
		{"serious", share("health:serious", active), 0.02, 0.045},
		{"disabled", share("health:disabled", active), 0.045, 0.08},
		{"resident insurance", share("medical:resident", active), 0.95, 0.99},
		{"migrants of 16–59", float64(migrants) / float64(working), 0.3, 0.5},
		{"broadband", share("broadband", len(hs)), 0.6, 0.8},
		{"grade A", share("grade:A", len(hs)), 0.65, 0.75},
		{"汉族", share("eth:汉族", active), 0.8, 0.95},
	} {
		if c.v < c.lo || c.v > c.hi {
			t.Errorf("%s: %.3f, want %.3f–%.3f", c.what, c.v, c.lo, c.hi)
		}
	}
	for _, h := range hs[:3] {
		logHousehold(t, h)
	}
	for _, h := range hs {
		if h.MonitorType == "sudden" {
			logHousehold(t, h)
			break
		}
	}
}

func logHousehold(t *testing.T, h *fupin.Household) {
	t.Logf("%s %s %s%s type=%s/%s monitor=%s %v %s–%s size=%d", h.HouseholdNo, h.HeadName, h.NaturalVillage,
		h.Address, h.Type, h.PovertyAttr, h.MonitorType, h.Risks, h.MonitorIdentifiedOn, h.RiskEliminatedOn, h.Size)
	for _, m := range h.Members {
		t.Logf("   %s %s %s %s %s age %d %s %s %s/%d %s %dm %s ins=%s/%s join=%s %s left=%s %s",
			m.PersonNo, m.Name, m.Relation, m.IDNumber, m.Sex, m.AgeOn(testToday), m.Ethnicity, m.Education,
			m.Health, m.DisabilityGrade, m.Labour, m.MigrantMonths, m.SchoolStatus, m.MedicalInsurance,
			m.PensionInsurance, m.JoinReason, m.JoinedOn, m.LeaveReason, m.LeftOn)
	}
	for _, y := range h.Incomes {
		t.Logf("   %d net %v size %d pc %v items %d", y.Year, y.Net, y.Size, y.PerCapitaNet, len(y.Items))
	}
}
