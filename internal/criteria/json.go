package criteria

import (
	"encoding/json"

	"fupin/internal/fupin"
)

// The JSON encoders add Chinese labels and render any empty reason without
// modifying the value, so concurrent marshalling of one Verdict is safe.
// Each encoder builds a plain wire tree and marshals it once: nested
// MarshalJSON methods would make encoding/json re-scan the output at every
// level. Decoding needs no custom code except for Fact: labels are ignored
// and the stored reasons fill the Reason fields.

type resultJSON struct {
	Item   Item        `json:"item"`
	Label  string      `json:"label"`
	Core   bool        `json:"core"`
	Status Status      `json:"status"`
	Code   string      `json:"code"`
	Reason string      `json:"reason"`
	Checks []checkJSON `json:"checks,omitempty"`
	Facts  []factJSON  `json:"facts"`
	Params []ParamUse  `json:"params"`
}

type checkJSON struct {
	Name   string `json:"name"`
	Label  string `json:"label"`
	Status Status `json:"status"`
	Reason string `json:"reason"`
}

type signalJSON struct {
	Code   SignalCode `json:"code"`
	Label  string     `json:"label"`
	Reason string     `json:"reason"`
	Facts  []factJSON `json:"facts"`
	Params []ParamUse `json:"params"`
}

type verdictJSON struct {
	HouseholdID   int64        `json:"household_id"`
	Year          int          `json:"year"`
	AssessedOn    fupin.Date   `json:"assessed_on"`
	PolicyVersion string       `json:"policy_version"`
	RulesVersion  string       `json:"rules_version"`
	Items         []resultJSON `json:"items"`
	Signals       []signalJSON `json:"signals"`
	Pass          bool         `json:"pass"`
	Problems      int          `json:"problems"`
	Unknowns      int          `json:"unknowns"`
	IncomeRisk    bool         `json:"income_risk"`
	Summary       string       `json:"summary"`
}

func wireFacts(fs []Fact) []factJSON {
	out := make([]factJSON, len(fs))
	for i, f := range fs {
		out[i] = f.wire()
	}
	return out
}

func (r *Result) wire() resultJSON {
	out := resultJSON{Item: r.Item, Label: r.Item.Label(), Core: r.Item.Core(), Status: r.Status,
		Code: r.Code, Reason: r.Text(), Facts: wireFacts(r.Facts), Params: nonNil(r.Params)}
	if len(r.Checks) > 0 {
		out.Checks = make([]checkJSON, len(r.Checks))
		for i, c := range r.Checks {
			out.Checks[i] = checkJSON{Name: c.Name, Label: checkLabel(c.Name), Status: c.Status,
				Reason: renderCheck(r, c)}
		}
	}
	return out
}

func (s *Signal) wire() signalJSON {
	return signalJSON{Code: s.Code, Label: s.Code.Label(), Reason: s.Text(), Facts: wireFacts(s.Facts),
		Params: nonNil(s.Params)}
}

// MarshalJSON writes the result with its Chinese label and reason.
func (r Result) MarshalJSON() ([]byte, error) { return json.Marshal(r.wire()) }

// MarshalJSON writes the signal with its Chinese label and reason.
func (s Signal) MarshalJSON() ([]byte, error) { return json.Marshal(s.wire()) }

// MarshalJSON writes the verdict with labels, reasons and its summary.
func (v Verdict) MarshalJSON() ([]byte, error) { return json.Marshal(v.wire()) }

// JSON returns the same bytes as json.Marshal(v) about twice as fast, since
// encoding/json re-scans whatever a MarshalJSON method returns; use it where
// many verdicts are stored.
func (v *Verdict) JSON() ([]byte, error) { return json.Marshal(v.wire()) }

func (v *Verdict) wire() verdictJSON {
	out := verdictJSON{HouseholdID: v.HouseholdID, Year: v.Year, AssessedOn: v.AssessedOn,
		PolicyVersion: v.PolicyVersion, RulesVersion: v.RulesVersion, Pass: v.Pass, Problems: v.Problems,
		Unknowns: v.Unknowns, IncomeRisk: v.IncomeRisk, Summary: v.SummaryText(),
		Items: make([]resultJSON, len(v.Items)), Signals: make([]signalJSON, len(v.Signals))}
	for i := range v.Items {
		out.Items[i] = v.Items[i].wire()
	}
	for i := range v.Signals {
		out.Signals[i] = v.Signals[i].wire()
	}
	return out
}

func checkLabel(name string) string {
	switch name {
	case CheckQuantity:
		return "水量"
	case CheckQuality:
		return "水质"
	case CheckConvenience:
		return "用水方便程度"
	case CheckReliability:
		return "供水保障率"
	}
	return name
}

// nonNil makes empty lists encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
