package appraisal

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Satisfaction surveys (群众认可度). A round may carry one survey: questions
// on a scale, each about a target — the work overall, the village's 驻村工作队
// or the household's 帮扶责任人 (the 2016 exit rules measure satisfaction
// with both). Answers are kept per sampled household; what is shown to the
// cadres being rated is only counts per group, and a group of fewer than
// MinGroup households is not listed on its own.

// Survey limits.
const (
	MaxQuestions    = 30  // questions of a survey
	MaxQuestionText = 200 // characters of a question
	MinGroup        = 3   // surveyed households below which a group's tally is withheld
)

// Scales of a question and their options.
const (
	ScaleApproval = "approval" // approve 认可, basic 基本认可, disapprove 不认可, unsure 说不清
	ScaleFive     = "five"     // "1"–"5": 5 非常满意 … 1 非常不满意
)

// Targets of a question.
const (
	TargetOverall = "overall" // 脱贫成效（巩固成果）总体
	TargetTeam    = "team"    // 驻村工作队
	TargetHelper  = "helper"  // 帮扶责任人
	TargetOther   = "other"   // counted in no 认可度
)

// Question is one question of a survey.
type Question struct {
	Key    string `json:"key" required:"true" description:"问题代码（字母数字，问卷内唯一），答案按它记录"`
	Text   string `json:"text" required:"true" description:"问题（200 字以内）"`
	Scale  string `json:"scale" required:"true" description:"approval 认可/基本认可/不认可/说不清；five 1–5 分（4、5 分为满意）"`
	Target string `json:"target" required:"true" description:"overall 总体认可度、team 驻村工作队、helper 帮扶责任人、other 不计入认可度"`
}

// Survey is the questionnaire of a sampling round.
type Survey struct {
	RoundID   int64      `json:"round_id" readOnly:"true"`
	Title     string     `json:"title" required:"true" description:"问卷名称（100 字以内）"`
	Questions []Question `json:"questions" required:"true"`
	Responses int        `json:"responses" readOnly:"true" description:"已录入的受访户数"`
	CreatedBy string     `json:"created_by" readOnly:"true"`
	CreatedAt time.Time  `json:"created_at" readOnly:"true"`
}

// DefaultQuestions is the questionnaire the console offers: the three
// targets the assessment asks about, on the 认可 scale.
func DefaultQuestions() []Question {
	return []Question{
		{"overall", "您对本村脱贫攻坚（巩固拓展脱贫攻坚成果）工作是否认可？", ScaleApproval, TargetOverall},
		{"team", "您对驻村工作队的帮扶工作是否认可？", ScaleApproval, TargetTeam},
		{"helper", "您对您家帮扶责任人的帮扶工作是否认可？", ScaleApproval, TargetHelper},
	}
}

func validKey(k string) bool {
	if k == "" || len(k) > 20 {
		return false
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// Normalize trims and checks a survey; errors are keyed by field
// (title, questions, questions[i].key …).
func (s *Survey) Normalize() error {
	errs := map[string]string{}
	s.Title = strings.TrimSpace(s.Title)
	if s.Title == "" {
		errs["title"] = "请填写问卷名称"
	} else if utf8.RuneCountInString(s.Title) > MaxName {
		errs["title"] = "问卷名称不能超过 100 个字"
	}
	if len(s.Questions) == 0 || len(s.Questions) > MaxQuestions {
		errs["questions"] = fmt.Sprintf("问卷应有 1–%d 个问题", MaxQuestions)
		return surveyErrors(errs, "问卷有误，请检查标出的字段")
	}
	seen := map[string]bool{}
	for i := range s.Questions {
		q := &s.Questions[i]
		p := fmt.Sprintf("questions[%d].", i)
		q.Key, q.Text = strings.TrimSpace(q.Key), strings.TrimSpace(q.Text)
		if !validKey(q.Key) {
			errs[p+"key"] = "问题代码应为 1–20 个字母、数字或下划线"
		} else if seen[q.Key] {
			errs[p+"key"] = "问题代码重复"
		}
		seen[q.Key] = true
		if q.Text == "" || utf8.RuneCountInString(q.Text) > MaxQuestionText {
			errs[p+"text"] = "问题应为 1–200 个字"
		}
		if q.Scale != ScaleApproval && q.Scale != ScaleFive {
			errs[p+"scale"] = "量表应为 approval 或 five"
		}
		if q.Target != TargetOverall && q.Target != TargetTeam && q.Target != TargetHelper && q.Target != TargetOther {
			errs[p+"target"] = "对象应为 overall、team、helper 或 other"
		}
	}
	return surveyErrors(errs, "问卷有误，请检查标出的字段")
}

// JudgeAnswer reports whether option is an answer of scale, whether it counts
// (说不清 does not: it is neither approval nor disapproval) and whether it
// approves (认可、基本认可; 4 or 5 on the five-point scale).
func JudgeAnswer(scale, option string) (known, counts, approves bool) {
	switch scale {
	case ScaleApproval:
		switch option {
		case "approve", "basic":
			return true, true, true
		case "disapprove":
			return true, true, false
		case "unsure":
			return true, false, false
		}
	case ScaleFive:
		switch option {
		case "4", "5":
			return true, true, true
		case "1", "2", "3":
			return true, true, false
		}
	}
	return false, false, false
}

// CheckAnswers checks a household's answers (question key → option)
// against the survey: known questions, options of their scale, at least
// one answer. Errors are keyed answers.<key>.
func (s *Survey) CheckAnswers(a map[string]string) error {
	errs := map[string]string{}
	scales := map[string]string{}
	for _, q := range s.Questions {
		scales[q.Key] = q.Scale
	}
	if len(a) == 0 {
		errs["answers"] = "请至少回答一个问题"
	}
	for k, v := range a {
		scale, ok := scales[k]
		if !ok {
			errs["answers."+k] = "问卷中没有这个问题"
		} else if known, _, _ := JudgeAnswer(scale, v); !known {
			errs["answers."+k] = "不是该问题的选项"
		}
	}
	return surveyErrors(errs, "回答有误，请检查标出的字段")
}

// Respondent is one surveyed household with the groups it is counted in.
type Respondent struct {
	VillageCode string
	VillageName string
	HelperID    int64 // active 帮扶责任人 when tallied, 0 without one
	HelperName  string
	Answers     map[string]string
}

// Tally is the 认可度 of one group.
type Tally struct {
	Key  string `json:"key" description:"村代码或帮扶责任人编号"`
	Name string `json:"name"`
	Rate Rate   `json:"rate"`
}

// ApprovalReport is a survey's 认可度 overall and by group.
type ApprovalReport struct {
	Overall   Rate    `json:"overall" description:"总体认可度（overall 类问题）"`
	Villages  []Tally `json:"villages" description:"按村的总体认可度"`
	Teams     []Tally `json:"teams" description:"按村的驻村工作队认可度"`
	Helpers   []Tally `json:"helpers" description:"按帮扶责任人的认可度"`
	Withheld  int     `json:"withheld" description:"受访不足 3 户而未单列的组数（防止推知个人回答）"`
	Responses int     `json:"responses"`
}

// verdict reduces a household's answers to the questions of target: it
// counts when at least one answer counts, and approves when none of the
// counting answers disapproves.
func verdict(s *Survey, a map[string]string, target string) (counts, approves bool) {
	approves = true
	for _, q := range s.Questions {
		if q.Target != target {
			continue
		}
		if _, c, ok := JudgeAnswer(q.Scale, a[q.Key]); c {
			counts = true
			approves = approves && ok
		}
	}
	return counts, counts && approves
}

// Approval tallies 认可度 = 认可户数 ÷ 有效受访户数 for the survey's
// respondents: overall and per village (overall questions), per village's
// work team (team questions) and per helper (helper questions; households
// without a helper are left out of that table). A household is 有效受访 for
// a target when it gave at least one answer other than 说不清 to that
// target's questions, and 认可 when none of those answers disapproves.
// Groups of fewer than MinGroup households are withheld (counted in
// Withheld) so that no cadre can read one household's answer.
func Approval(s *Survey, rs []Respondent) ApprovalReport {
	type acc struct {
		name string
		x, n int
	}
	groups := map[string]map[string]*acc{TargetOverall: {}, TargetTeam: {}, TargetHelper: {}}
	var ox, on int
	add := func(target, key, name string, approves bool) {
		g := groups[target][key]
		if g == nil {
			g = &acc{name: name}
			groups[target][key] = g
		}
		g.n++
		if approves {
			g.x++
		}
	}
	for _, r := range rs {
		if c, ok := verdict(s, r.Answers, TargetOverall); c {
			on++
			if ok {
				ox++
			}
			add(TargetOverall, r.VillageCode, r.VillageName, ok)
		}
		if c, ok := verdict(s, r.Answers, TargetTeam); c {
			add(TargetTeam, r.VillageCode, r.VillageName+"驻村工作队", ok)
		}
		if c, ok := verdict(s, r.Answers, TargetHelper); c && r.HelperID != 0 {
			add(TargetHelper, fmt.Sprint(r.HelperID), r.HelperName, ok)
		}
	}
	out := ApprovalReport{Overall: rate(RateApproval, "认可度", "认可户数 ÷ 有效受访户数", ox, on), Responses: len(rs)}
	list := func(target string) []Tally {
		ts := []Tally{}
		for k, g := range groups[target] {
			if g.n < MinGroup {
				out.Withheld++
				continue
			}
			ts = append(ts, Tally{Key: k, Name: g.name, Rate: rate(RateApproval, "认可度", "认可户数 ÷ 有效受访户数", g.x, g.n)})
		}
		sort.Slice(ts, func(i, j int) bool { return ts[i].Key < ts[j].Key })
		return ts
	}
	out.Villages, out.Teams, out.Helpers = list(TargetOverall), list(TargetTeam), list(TargetHelper)
	return out
}

func surveyErrors(m map[string]string, msg string) error {
	if len(m) == 0 {
		return nil
	}
	return fieldErrorsMsg(m, msg)
}
