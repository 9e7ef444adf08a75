package criteria

import (
	"strings"
	"testing"

	"fupin/internal/fupin"
)

func TestSignals(t *testing.T) {
	yuan := fupin.YuanToMoney
	tests := []struct {
		name      string
		edit      func(h *fupin.Household)
		p         *Params
		code      SignalCode
		want      bool
		reasonHas string
	}{
		{"income below line", func(h *fupin.Household) { h.Incomes[2] = income(2024, 5000, h.Members) }, nil,
			SignalIncomeBelowLine, true, "低于防返贫监测线 6000 元"},
		{"income below poverty line", func(h *fupin.Household) { h.Incomes[2] = income(2024, 3000, h.Members) }, nil,
			SignalIncomeBelowLine, true, "且低于扶贫标准 4000 元"},
		{"income on the line", func(h *fupin.Household) { h.Incomes[2] = income(2024, 6000, h.Members) }, nil,
			SignalIncomeBelowLine, false, ""},

		{"spending half of net income", func(h *fupin.Household) {
			h.Incomes[2].EligibleOutOfPocket = h.Incomes[2].Net / 2
		}, nil, SignalHighSpending, false, ""},
		{"spending over half of net income", func(h *fupin.Household) {
			h.Incomes[2].EligibleOutOfPocket = h.Incomes[2].Net/2 + 1
		}, nil, SignalHighSpending, true, "超过家庭纯收入 41600 元的 0.5 倍"},
		{"spending with no income", func(h *fupin.Household) {
			h.Incomes[2] = fupin.IncomeYear{Year: 2024, EligibleOutOfPocket: yuan(100)}
			h.Incomes[2].Compute(h.Members)
		}, nil, SignalHighSpending, true, "合规自付支出 100 元"},
		{"spending against a stricter ratio", func(h *fupin.Household) {
			h.Incomes[2].EligibleOutOfPocket = yuan(5000)
		}, params(t, row("", 2021, KeyHighSpendingRatio, "0.1")), SignalHighSpending, true, "0.1 倍"},
		{"no spending recorded", func(h *fupin.Household) {}, nil, SignalHighSpending, false, ""},

		{"drop of 30 %", func(h *fupin.Household) {
			h.Incomes[1] = income(2023, 10000, h.Members)
			h.Incomes[2] = income(2024, 7000, h.Members)
		}, nil, SignalIncomeDrop, false, ""},
		{"drop of just over 30 %", func(h *fupin.Household) {
			h.Incomes[1] = income(2023, 10000, h.Members)
			h.Incomes[2] = income(2024, 6999.99, h.Members)
		}, nil, SignalIncomeDrop, true, "由上年 10000 元降至 6999.99 元，降幅略超过 30%"},
		{"drop of 50 %", func(h *fupin.Household) {
			h.Incomes[1] = income(2023, 10000, h.Members)
			h.Incomes[2] = income(2024, 5000, h.Members)
		}, nil, SignalIncomeDrop, true, "降幅 50%"},
		{"no previous year", func(h *fupin.Household) {
			h.Incomes = []fupin.IncomeYear{income(2024, 1000, h.Members)}
		}, nil, SignalIncomeDrop, false, ""},
		{"previous year without income", func(h *fupin.Household) {
			h.Incomes[1] = income(2023, 0, h.Members)
			h.Incomes[2] = income(2024, 0, h.Members)
		}, nil, SignalIncomeDrop, false, ""},

		{"serious illness", func(h *fupin.Household) { h.Members[1].Health = "serious" }, nil,
			SignalSeriousIllness, true, "患大病成员：李桂英"},
		{"chronic illness only", func(h *fupin.Household) { h.Members[1].Health = "chronic" }, nil,
			SignalSeriousIllness, false, ""},
		{"seriously ill member left", func(h *fupin.Household) {
			h.Members[1].Health, h.Members[1].LeftOn = "serious", date(2024, 2, 1)
		}, nil, SignalSeriousIllness, false, ""},

		{"disability grade 3", func(h *fupin.Household) { h.Members[0].DisabilityGrade = 3 }, nil,
			SignalDisability, true, "王大山（3 级）"},
		{"disability grade 3, only 1–2 watched", func(h *fupin.Household) { h.Members[0].DisabilityGrade = 3 },
			params(t, row("", 2021, KeyDisabilityMaxGrade, "2")), SignalDisability, false, ""},
		{"disability grade 2, only 1–2 watched", func(h *fupin.Household) { h.Members[0].DisabilityGrade = 2 },
			params(t, row("", 2021, KeyDisabilityMaxGrade, "2")), SignalDisability, true, "1–2 级"},
		{"disabled without grade", func(h *fupin.Household) { h.Members[0].Health = "disabled" }, nil,
			SignalDisability, true, "王大山（等级未记录）"},
		{"no disability", func(h *fupin.Household) {}, nil, SignalDisability, false, ""},

		{"no labour", func(h *fupin.Household) {
			h.Members = h.Members[:2]
			h.Members[0].Labour, h.Members[1].Labour = "lost", "none"
		}, nil, SignalNoLabour, true, "王大山（丧失劳动力）、李桂英（无劳动力）"},
		{"weak labour counts as labour", func(h *fupin.Household) {
			h.Members = h.Members[:2]
			h.Members[0].Labour, h.Members[1].Labour = "lost", "weak"
		}, nil, SignalNoLabour, false, ""},
		{"labour not recorded", func(h *fupin.Household) {
			h.Members = h.Members[:2]
			h.Members[0].Labour, h.Members[1].Labour = "lost", ""
		}, nil, SignalNoLabour, false, ""},
		{"worker left", func(h *fupin.Household) {
			h.Members = h.Members[:2]
			h.Members[0].Labour, h.Members[1].LeftOn = "lost", date(2024, 5, 1)
		}, nil, SignalNoLabour, true, "王大山"},
		{"no members", func(h *fupin.Household) { h.Members = nil }, nil, SignalNoLabour, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := goodHousehold()
			tt.edit(h)
			v := Evaluate(h, 2024, fupin.Date{}, tt.p)
			s, raised := v.Signal(tt.code)
			if raised != tt.want {
				t.Fatalf("%s raised = %v, want %v (signals %v)", tt.code, raised, tt.want, v.Signals)
			}
			if !raised {
				return
			}
			if !strings.Contains(s.Text(), tt.reasonHas) {
				t.Errorf("reason %q does not mention %q", s.Text(), tt.reasonHas)
			}
			if len(s.Facts) == 0 {
				t.Errorf("%s lists no facts", tt.code)
			}
			wantParams := tt.code != SignalSeriousIllness && tt.code != SignalNoLabour
			if got := len(s.Params) > 0; got != wantParams {
				t.Errorf("%s params = %v, want params: %v", tt.code, s.Params, wantParams)
			}
		})
	}
}

func TestSignalsDoNotFailItems(t *testing.T) {
	h := goodHousehold()
	h.Members[0].Health, h.Members[1].DisabilityGrade = "serious", 1
	h.Incomes[2].EligibleOutOfPocket = h.Incomes[2].Net
	v := Evaluate(h, 2024, fupin.Date{}, nil)
	if !v.Pass || len(v.Signals) != 3 {
		t.Errorf("pass=%v with %d signals, want a pass with 3 signals", v.Pass, len(v.Signals))
	}
	if got := v.SummaryText(); !strings.Contains(got, "全部达标") || !strings.Contains(got, "风险信号：刚性支出过大、家庭成员患大病、家庭成员残疾") {
		t.Errorf("summary %q", got)
	}
}
