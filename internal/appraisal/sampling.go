package appraisal

import (
	"math/rand/v2"
	"sort"
	"strconv"
)

// Limits of a sampling rule.
const (
	MaxSampleVillages   = 100
	MaxSamplePerVillage = 500
)

// SampleRule is the stated rule of a sampling round (抽样规则): how many
// villages, and per village how many registered households (脱贫户、监测户)
// and other households, drawn at random from a seed so that anyone can
// redraw the same sample. Households drawn in earlier rounds are not drawn
// again.
type SampleRule struct {
	Villages   int    `json:"villages" description:"抽取村数（至少 2 个）"`
	Registered int    `json:"registered" description:"每村抽取脱贫户、监测户数（如 20）"`
	Others     int    `json:"others" description:"每村抽取其他农户数（如 5）"`
	Seed       uint64 `json:"seed" description:"随机种子：同一种子、同一名单抽出同一样本"`
}

// DefaultSampleRule is the rule of the county checks: at least 2 villages,
// 20 脱贫户/监测户 and 5 other households per village.
func DefaultSampleRule(seed uint64) SampleRule {
	return SampleRule{Villages: 2, Registered: 20, Others: 5, Seed: seed}
}

// Validate checks the rule's bounds.
func (r SampleRule) Validate() error {
	errs := map[string]string{}
	if r.Villages < 2 || r.Villages > MaxSampleVillages {
		errs["villages"] = "抽取村数应在 2–100 之间"
	}
	if r.Registered < 0 || r.Registered > MaxSamplePerVillage {
		errs["registered"] = "每村脱贫户、监测户数应在 0–500 之间"
	}
	if r.Others < 0 || r.Others > MaxSamplePerVillage {
		errs["others"] = "每村其他农户数应在 0–500 之间"
	}
	if r.Registered+r.Others == 0 {
		errs["registered"] = "每村至少抽取 1 户"
	}
	if len(errs) > 0 {
		return fieldErrorsMsg(errs, "抽样规则有误")
	}
	return nil
}

// Candidate is a household that may be drawn.
type Candidate struct {
	HouseholdID int64
	VillageCode string
	// Registered: a 脱贫户 or a household under monitoring.
	Registered bool
}

// Pick is one drawn household.
type Pick struct {
	HouseholdID int64  `json:"household_id"`
	VillageCode string `json:"village_code"`
	Registered  bool   `json:"registered" description:"脱贫户或监测户"`
}

// Sample is the outcome of a draw: the villages in draw order, the
// households by village and id, and what fell short of the rule.
type Sample struct {
	Villages   []string `json:"villages"`
	Households []Pick   `json:"households"`
	Shortfalls []string `json:"shortfalls" description:"不足规则数量的说明"`
}

// Draw draws a sample by rule from candidates, leaving out households in
// drawn (earlier rounds). The result depends only on the rule (with its
// seed), the set of candidates and drawn, not on their order: candidates are
// sorted first, villages are shuffled by a PCG generator seeded from the
// seed, and each village's households are drawn by a partial Fisher–Yates
// shuffle from the same generator. Only villages with at least one
// household left may be drawn.
func Draw(rule SampleRule, candidates []Candidate, drawn map[int64]bool) Sample {
	byVillage := map[string][2][]int64{}
	for _, c := range candidates {
		if drawn[c.HouseholdID] {
			continue
		}
		g := byVillage[c.VillageCode]
		k := 1
		if c.Registered {
			k = 0
		}
		g[k] = append(g[k], c.HouseholdID)
		byVillage[c.VillageCode] = g
	}
	villages := make([]string, 0, len(byVillage))
	for v, g := range byVillage {
		sortIDs(g[0])
		sortIDs(g[1])
		villages = append(villages, v)
	}
	sort.Strings(villages)
	rng := rand.New(rand.NewPCG(rule.Seed, 0x6675_7069_6e))
	rng.Shuffle(len(villages), func(i, j int) { villages[i], villages[j] = villages[j], villages[i] })
	out := Sample{Villages: []string{}, Households: []Pick{}, Shortfalls: []string{}}
	if len(villages) < rule.Villages {
		out.Shortfalls = append(out.Shortfalls, "可抽取的村只有 "+strconv.Itoa(len(villages))+" 个，少于规则的 "+strconv.Itoa(rule.Villages)+" 个")
	}
	villages = villages[:min(rule.Villages, len(villages))]
	for _, v := range villages {
		g := byVillage[v]
		for k, want := range []int{rule.Registered, rule.Others} {
			ids := choose(rng, g[k], want)
			if len(ids) < want {
				kind := map[int]string{0: "脱贫户、监测户", 1: "其他农户"}[k]
				out.Shortfalls = append(out.Shortfalls, v+" 可抽取的"+kind+"只有 "+strconv.Itoa(len(ids))+" 户，少于规则的 "+strconv.Itoa(want)+" 户")
			}
			for _, id := range ids {
				out.Households = append(out.Households, Pick{HouseholdID: id, VillageCode: v, Registered: k == 0})
			}
		}
	}
	out.Villages = villages
	sort.Slice(out.Households, func(i, j int) bool {
		a, b := out.Households[i], out.Households[j]
		return a.VillageCode < b.VillageCode || a.VillageCode == b.VillageCode && a.HouseholdID < b.HouseholdID
	})
	return out
}

// choose draws k of ids (all when there are fewer) by a partial
// Fisher–Yates shuffle of a copy.
func choose(rng *rand.Rand, ids []int64, k int) []int64 {
	c := append([]int64(nil), ids...)
	k = min(k, len(c))
	for i := 0; i < k; i++ {
		j := i + rng.IntN(len(c)-i)
		c[i], c[j] = c[j], c[i]
	}
	return c[:k]
}

func sortIDs(ids []int64) { sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] }) }
