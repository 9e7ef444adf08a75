package fupin

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMoneyJSON(t *testing.T) {
	tests := []struct {
		in   string
		want Money
		out  string
	}{{"1234.5", 123450, "1234.5"}, {"0.01", 1, "0.01"}, {`"88"`, 8800, "88"}, {"-3.005", -301, "-3.01"}, {"null", 0, "0"}}
	for _, tt := range tests {
		var m Money
		if err := json.Unmarshal([]byte(tt.in), &m); err != nil || m != tt.want {
			t.Errorf("Unmarshal(%s) = %d, %v; want %d", tt.in, m, err, tt.want)
		}
		if b, _ := json.Marshal(m); string(b) != tt.out {
			t.Errorf("Marshal(%d) = %s, want %s", m, b, tt.out)
		}
	}
	var m Money
	if err := json.Unmarshal([]byte(`"abc"`), &m); err == nil {
		t.Error("Unmarshal(abc) succeeded")
	}
}

func TestDateJSON(t *testing.T) {
	var d Date
	for _, bad := range []string{`"2021-02-30"`, `"2021/3/5"`, `20210305`} {
		if err := json.Unmarshal([]byte(bad), &d); err == nil {
			t.Errorf("Unmarshal(%s) succeeded", bad)
		}
	}
	if err := json.Unmarshal([]byte(`"2024-02-29"`), &d); err != nil || d.String() != "2024-02-29" {
		t.Errorf("leap day: %v %v", d, err)
	}
	if b, _ := json.Marshal(struct{ D Date }{}); string(b) != `{"D":null}` {
		t.Errorf("zero date = %s", b)
	}
}

func TestIncomeInputTotalsFromItems(t *testing.T) {
	in := IncomeInput{Wage: 999, Transfer: 500, Items: []IncomeItem{
		{"wage", "务工收入", 300000}, {"wage", "公益岗", 50000}, {"business_expense", "种植", 20000}}}
	y, err := in.IncomeYear(2025, NewDate(2026, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	members := []Member{{}, {LeftOn: NewDate(2025, 6, 1)}, {JoinedOn: NewDate(2026, 1, 1)}}
	y.Compute(members)
	got := []int64{int64(y.Wage), int64(y.Transfer), int64(y.BusinessExpense), int64(y.Net), int64(y.Size), int64(*y.PerCapitaNet)}
	if diff := cmp.Diff([]int64{350000, 500, 20000, 330500, 1, 330500}, got); diff != "" {
		t.Errorf("wage, transfer, expense, net, size, per head (-want +got):\n%s", diff)
	}
	if _, err := (&IncomeInput{Wage: -1}).IncomeYear(2025, NewDate(2026, 1, 1)); err == nil {
		t.Error("negative wage accepted")
	}
	if _, err := (&IncomeInput{}).IncomeYear(2027, NewDate(2026, 1, 1)); err == nil {
		t.Error("future year accepted")
	}
}

func TestActorNarrow(t *testing.T) {
	a := Actor{Areas: []string{"500236266200", "500236266202"}}
	tests := []struct {
		area string
		want []string
	}{
		{"", []string{"500236266200", "500236266202"}},
		{"500236266", []string{"500236266200", "500236266202"}},
		{"500236266200", []string{"500236266200"}},
		{"500236266205", nil},
		{"51", nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, a.Narrow(tt.area)); diff != "" {
			t.Errorf("Narrow(%q) (-want +got):\n%s", tt.area, diff)
		}
	}
	if !SystemActor("x").Covers("500236266200") || a.Covers("500236266205") {
		t.Error("Covers")
	}
}

func TestValidateFields(t *testing.T) {
	today := NewDate(2026, 11, 29)
	tests := []struct {
		name  string
		edit  func(h *Household)
		field string
	}{
		{"ok", func(h *Household) {}, ""},
		{"no type", func(h *Household) { h.Type = "" }, "household_type"},
		{"short village", func(h *Household) { h.VillageCode = "500236266" }, "village_code"},
		{"ordinary with attr", func(h *Household) { h.Type = "ordinary" }, "poverty_attr"},
		{"six risks", func(h *Household) {
			h.Risks = []string{"illness", "disability", "education", "disaster", "accident", "other"}
		}, "risks"},
		{"duplicate risk", func(h *Household) { h.Risks = []string{"illness", "illness"} }, "risks[1]"},
		{"future date", func(h *Household) { h.IdentifiedOn = NewDate(2027, 1, 1) }, "identified_on"},
		{"eliminated without mode (national lists)", func(h *Household) {
			h.MonitorType, h.MonitorIdentifiedOn, h.RiskEliminatedOn = "unstable", NewDate(2022, 1, 1), NewDate(2023, 1, 1)
		}, ""},
		{"mode without date", func(h *Household) {
			h.MonitorType, h.MonitorIdentifiedOn, h.EliminationMode = "unstable", NewDate(2022, 1, 1), "assisted"
		}, "risk_eliminated_on"},
		{"bad grade", func(h *Household) { h.Housing.Grade = "E" }, "housing.grade"},
		{"negative land", func(h *Household) { h.Land.Forest = -1 }, "land.forest"},
		{"days out of range", func(h *Household) { d := 400; h.Water.DaysWithoutSupply = &d }, "water.days_without_supply"},
		{"bad phone", func(h *Household) { h.Phone = "电话" }, "phone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &Household{VillageCode: "500236266200", Type: "ex_poor", PovertyAttr: "general"}
			tt.edit(h)
			h.Normalize()
			errs := FieldErrors{}
			h.ValidateFields(errs, today)
			if tt.field == "" && len(errs) > 0 {
				t.Errorf("errors %v, want none", errs)
			}
			if tt.field != "" && errs[tt.field] == "" {
				t.Errorf("errors %v, want one for %s", errs, tt.field)
			}
		})
	}
}

// TestMoneyString: the strconv formatting writes what fmt did.
func TestMoneyString(t *testing.T) {
	for _, v := range []int64{0, 1, 9, 10, 99, 100, 101, 123456, -1, -9, -10, -100, -123456, 1 << 40, -(1 << 40), 1<<63 - 1} {
		sign, a := "", v
		if a < 0 {
			sign, a = "-", -a
		}
		if got, want := Money(v).String(), fmt.Sprintf("%s%d.%02d", sign, a/100, a%100); got != want {
			t.Errorf("Money(%d).String() = %q, want %q", v, got, want)
		}
	}
}
