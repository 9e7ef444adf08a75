package demo

import (
	"math"
	"time"

	"fupin/internal/fupin"
)

// rng is a SplitMix64 generator. It is implemented here rather than taken
// from math/rand so that a seed keeps producing the same township across Go
// releases.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9E3779B97F4A7C15
	return mix(r.s)
}

// mix is the SplitMix64 finaliser, also used to hash keys.
func mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// intn returns a uniform int in [0, n); 0 < n < 2^32.
func (r *rng) intn(n int) int { return int((r.next() >> 32) * uint64(n) >> 32) }

// between returns a uniform int in [lo, hi].
func (r *rng) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.intn(hi-lo+1)
}

// float returns a uniform float64 in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// chance reports true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }

// uniform returns a uniform float64 in [lo, hi).
func (r *rng) uniform(lo, hi float64) float64 { return lo + (hi-lo)*r.float() }

// normal returns an approximately standard normal deviate: the centred sum
// of three uniforms (Irwin–Hall), which is smooth enough for incomes and
// needs no logarithm.
func (r *rng) normal() float64 {
	return 2 * (r.float() + r.float() + r.float() - 1.5)
}

// lognormal returns median·e^(σ·N(0,1)).
func (r *rng) lognormal(median, sigma float64) float64 {
	return median * math.Exp(sigma*r.normal())
}

// wtable is a precomputed weighted choice: one slot per unit of weight, so
// a draw is a single intn.
type wtable []uint8

// weights builds a wtable; w[i] is the integer weight of choice i.
func weights(w ...int) wtable {
	var t wtable
	for i, n := range w {
		for range n {
			t = append(t, uint8(i))
		}
	}
	return t
}

// pick returns the index of a weighted choice.
func (r *rng) pick(t wtable) int { return int(t[r.intn(len(t))]) }

// Days are counted from 1970-01-01 (proleptic Gregorian); the two functions
// below are Howard Hinnant's civil-calendar algorithms for years ≥ 0.

func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func civilFromDays(z int) (y, m, d int) {
	z += 719468
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// dateOf converts a day number to a fupin.Date.
func dateOf(day int) fupin.Date {
	y, m, d := civilFromDays(day)
	return fupin.NewDate(y, time.Month(m), d)
}

// addYears returns the same calendar day n years after day (29 February
// becomes 1 March in common years).
func addYears(day, n int) int {
	y, m, d := civilFromDays(day)
	return daysFromCivil(y+n, m, d)
}

// appendInt appends v ≥ 0 in decimal, zero-padded to at least width digits.
func appendInt(b []byte, v, width int) []byte {
	n := 1
	for x := v; x >= 10; x /= 10 {
		n++
	}
	n = max(n, width)
	b = append(b, "00000000000000000000"[:n]...)
	putDigits(b[len(b)-n:], v)
	return b
}

// putDigits writes v in decimal into all of b, zero-padded.
func putDigits(b []byte, v int) {
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
}

// round1 rounds to one decimal place.
func round1(x float64) float64 { return math.Round(x*10) / 10 }
