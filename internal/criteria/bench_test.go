package criteria

import (
	"encoding/json"
	"testing"

	"fupin/internal/fupin"
)

// benchHousehold is a realistic household of four with three income years, a
// dropout child and a seriously ill head, so that a failing item, an
// unknown-free water check and a signal are all on the path.
func benchHousehold() *fupin.Household {
	h := goodHousehold()
	h.Members[2].SchoolStatus = "dropout"
	h.Members[0].Health = "serious"
	return h
}

// BenchmarkEvaluate measures pure evaluation; the target is ≥ 1,000,000
// households/s on one core. "reuse" is the batch path (Evaluator, no
// allocation); "alloc" is the package function, which allocates one arena
// per household for a Verdict the caller keeps.
func BenchmarkEvaluate(b *testing.B) {
	h, p := benchHousehold(), params(b)
	b.Run("reuse", func(b *testing.B) {
		var ev Evaluator
		b.ReportAllocs()
		for b.Loop() {
			if v := ev.Evaluate(h, 2024, fupin.Date{}, p); v.Problems != 1 {
				b.Fatal("bad verdict")
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "households/s")
	})
	b.Run("alloc", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if v := Evaluate(h, 2024, fupin.Date{}, p); v.Problems != 1 {
				b.Fatal("bad verdict")
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "households/s")
	})
}

// BenchmarkVerdictJSON measures rendering the reasons and encoding a verdict,
// which the API does once per stored verdict.
func BenchmarkVerdictJSON(b *testing.B) {
	v := Evaluate(benchHousehold(), 2024, fupin.Date{}, params(b))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerdictJSONFast measures Verdict.JSON, the bulk-storage path.
func BenchmarkVerdictJSONFast(b *testing.B) {
	v := Evaluate(benchHousehold(), 2024, fupin.Date{}, params(b))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.JSON(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResolve measures resolving parameters from a table of rows, done
// once per village and year rather than per household.
func BenchmarkResolve(b *testing.B) {
	rows := []ParamRow{row("", 2021, KeyMonitoringLine, "6000"), row("50", 2023, KeyMonitoringLine, "6500"),
		row("500236", 2024, KeyWaterMinLPD, "40"), row("44", 2024, KeyMonitoringLine, "9000")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Resolve(rows, "500236266200", 2024); err != nil {
			b.Fatal(err)
		}
	}
}
