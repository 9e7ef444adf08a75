package appraisal

import (
	"math"
)

// Counts are the results of a sampled check (第三方评估、县级抽查、退出核查),
// one count per kind of household and finding. Every rate below is a count
// over the households of the kind that was sampled.
type Counts struct {
	// ExitedSampled: sampled households registered as exited (已脱贫/已退出).
	ExitedSampled int `json:"exited_sampled" description:"抽查的已退出（脱贫）户数"`
	// WrongExits: of those, households that did not meet the exit standard.
	WrongExits int `json:"wrong_exits" description:"其中不符合退出标准的户数（错退）"`
	// RegisteredSampled: sampled households on the register (建档立卡户、监测户).
	RegisteredSampled int `json:"registered_sampled" description:"抽查的建档立卡户（含监测户）数"`
	// WrongInclusions: of those, households that did not meet the standard
	// for being registered.
	WrongInclusions int `json:"wrong_inclusions" description:"其中不符合识别标准的户数（错评）"`
	// OthersSampled: sampled households not on the register.
	OthersSampled int `json:"others_sampled" description:"抽查的未建档（一般）户数"`
	// Missed: of those, households that met the standard but were not
	// registered.
	Missed int `json:"missed" description:"其中符合标准而未识别的户数（漏评）"`
	// Surveyed: households that answered the approval question.
	Surveyed int `json:"surveyed" description:"有效回答认可度问题的户数"`
	// Approving: of those, households that approve (认可、基本认可).
	Approving int `json:"approving" description:"其中认可（含基本认可）的户数"`
}

// Validate checks that counts are non-negative and no part exceeds its
// whole, with Chinese messages keyed by field.
func (c Counts) Validate() error {
	errs := map[string]string{}
	pair := func(whole, part int, wf, pf string) {
		if whole < 0 {
			errs[wf] = "不能为负数"
		}
		if part < 0 {
			errs[pf] = "不能为负数"
		} else if whole >= 0 && part > whole {
			errs[pf] = "不能大于抽查（受访）户数"
		}
	}
	pair(c.ExitedSampled, c.WrongExits, "exited_sampled", "wrong_exits")
	pair(c.RegisteredSampled, c.WrongInclusions, "registered_sampled", "wrong_inclusions")
	pair(c.OthersSampled, c.Missed, "others_sampled", "missed")
	pair(c.Surveyed, c.Approving, "surveyed", "approving")
	return fieldErrors(errs)
}

// Rate is a proportion x/n with its 95 % Wilson score interval. With n = 0
// there is nothing to estimate: Value, Low and High are NaN and Defined is
// false (JSON carries null through the pointer fields).
type Rate struct {
	Code    string   `json:"code"`
	Name    string   `json:"name"`
	Formula string   `json:"formula" description:"计算公式"`
	X       int      `json:"x" description:"分子"`
	N       int      `json:"n" description:"分母"`
	Value   *float64 `json:"value" description:"点估计（0–1），分母为 0 时为空"`
	Low     *float64 `json:"low" description:"95% Wilson 置信区间下限"`
	High    *float64 `json:"high" description:"95% Wilson 置信区间上限"`
}

// z95 is the two-sided 95 % normal quantile.
const z95 = 1.959963984540054

// Wilson returns the Wilson score interval of x successes in n trials at
// normal quantile z: centre (p + z²/2n)/(1 + z²/n), half-width
// z/(1 + z²/n)·√(p(1−p)/n + z²/4n²), with p = x/n. Unlike the normal
// approximation it stays inside [0, 1] and is usable for rates near 0 (a
// 0 of 50 sample gives 0 – 7.1 %). n must be positive.
func Wilson(x, n int, z float64) (low, high float64) {
	p, nf := float64(x)/float64(n), float64(n)
	z2 := z * z
	den := 1 + z2/nf
	centre := (p + z2/(2*nf)) / den
	half := z / den * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	return math.Max(0, centre-half), math.Min(1, centre+half)
}

func rate(code, name, formula string, x, n int) Rate {
	r := Rate{Code: code, Name: name, Formula: formula, X: x, N: n}
	if n > 0 {
		v := float64(x) / float64(n)
		lo, hi := Wilson(x, n, z95)
		r.Value, r.Low, r.High = &v, &lo, &hi
	}
	return r
}

// Rate codes.
const (
	RateWrongExit      = "wrong_exit"
	RateMissed         = "missed"
	RateWrongInclusion = "wrong_inclusion"
	RateIdentification = "identification_accuracy"
	RateExit           = "exit_accuracy"
	RateApproval       = "approval"
)

// Rates computes the accuracy rates of a check from its counts:
//
//	错退率   = 错退户数 ÷ 抽查的已退出户数
//	漏评率   = 漏评户数 ÷ 抽查的未建档户数
//	错评率   = 错评户数 ÷ 抽查的建档立卡户数
//	识别准确率 = 1 − (错评户数 + 漏评户数) ÷ (抽查的建档立卡户数 + 抽查的未建档户数)
//	退出准确率 = 1 − 错退率
//	认可度   = 认可户数 ÷ 有效受访户数
//
// The first three follow the third-party assessment's definitions (each
// error over the sampled households of the kind it can occur in); the two
// accuracies are their complements over the same households, so their
// intervals are the complements of the error intervals.
func Rates(c Counts) []Rate {
	identErr := c.WrongInclusions + c.Missed
	identN := c.RegisteredSampled + c.OthersSampled
	return []Rate{
		rate(RateWrongExit, "错退率", "错退户数 ÷ 抽查的已退出户数", c.WrongExits, c.ExitedSampled),
		rate(RateMissed, "漏评率", "漏评户数 ÷ 抽查的未建档户数", c.Missed, c.OthersSampled),
		rate(RateWrongInclusion, "错评率", "错评户数 ÷ 抽查的建档立卡户数", c.WrongInclusions, c.RegisteredSampled),
		rate(RateIdentification, "识别准确率", "1 − (错评户数 + 漏评户数) ÷ (抽查的建档立卡户数 + 抽查的未建档户数)",
			identN-identErr, identN),
		rate(RateExit, "退出准确率", "1 − 错退户数 ÷ 抽查的已退出户数", c.ExitedSampled-c.WrongExits, c.ExitedSampled),
		rate(RateApproval, "认可度", "认可户数 ÷ 有效受访户数", c.Approving, c.Surveyed),
	}
}
