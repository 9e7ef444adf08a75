package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"fupin/internal/aid"
	"fupin/internal/appraisal"
	"fupin/internal/fupin"
)

// Satisfaction surveys (群众认可度, migration 0027): one questionnaire per
// sampling round and the answers of its sampled households. Individual
// answers are for the roles that enter check results (the routes enforce
// it); everyone else reads appraisal.Approval's tallies.

// PutSurvey sets the questionnaire of a round. The actor's areas must hold
// the round's area. Errors: not_found (round), forbidden, invalid (fields
// title, questions[i].*), conflict (answers already recorded: the
// questions can no longer change).
func (db *DB) PutSurvey(ctx context.Context, actor fupin.Actor, roundID int64, s appraisal.Survey) (*appraisal.Survey, error) {
	if err := s.Normalize(); err != nil {
		return nil, err
	}
	qs, err := json.Marshal(s.Questions)
	if err != nil {
		return nil, fmt.Errorf("encode questions: %w", err)
	}
	var out *appraisal.Survey
	err = db.update(ctx, actor, func(tx *Tx) error {
		r, err := tx.round(ctx, roundID)
		if err != nil {
			return err
		}
		if !actor.Covers(r.AreaCode) {
			return aid.ForbidArea(r.AreaCode)
		}
		var answered int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM appraisal_survey_responses WHERE round_id = $1`, roundID).Scan(&answered); err != nil {
			return fmt.Errorf("count responses: %w", err)
		}
		if answered > 0 {
			return &fupin.Error{Code: fupin.EConflict, Message: fmt.Sprintf("已有 %d 户的回答，问卷不能再修改", answered)}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO appraisal_surveys (round_id, title, questions, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (round_id) DO UPDATE SET title = EXCLUDED.title,
			questions = EXCLUDED.questions, created_by = EXCLUDED.created_by, created_at = EXCLUDED.created_at`,
			roundID, s.Title, string(qs), actor.Name, tx.now); err != nil {
			return fmt.Errorf("save survey: %w", err)
		}
		if out, err = tx.survey(ctx, roundID); err != nil {
			return err
		}
		return tx.auditValue(ctx, "appraisal.survey.put", "appraisal_round", strconv.FormatInt(roundID, 10), nil, out)
	})
	return out, err
}

// survey loads the questionnaire of a round visible to the actor.
func (tx *Tx) survey(ctx context.Context, roundID int64) (*appraisal.Survey, error) {
	if _, err := tx.round(ctx, roundID); err != nil {
		return nil, err
	}
	var s appraisal.Survey
	var qs string
	err := tx.QueryRowContext(ctx, `SELECT round_id, title, questions, created_by, created_at,
		(SELECT COUNT(*) FROM appraisal_survey_responses x WHERE x.round_id = s.round_id)
		FROM appraisal_surveys s WHERE round_id = $1`, roundID).Scan(&s.RoundID, &s.Title, &qs, &s.CreatedBy, &s.CreatedAt, &s.Responses)
	if isNoRows(err) {
		return nil, &fupin.Error{Code: fupin.ENotFound, Message: "该抽查轮次还没有问卷"}
	} else if err != nil {
		return nil, fmt.Errorf("load survey: %w", err)
	}
	if err := json.Unmarshal([]byte(qs), &s.Questions); err != nil {
		return nil, fmt.Errorf("decode survey questions: %w", err)
	}
	s.CreatedAt = s.CreatedAt.UTC()
	return &s, nil
}

// Survey returns a round's questionnaire. Errors: not_found (round, or no
// survey yet).
func (db *DB) Survey(ctx context.Context, actor fupin.Actor, roundID int64) (*appraisal.Survey, error) {
	var out *appraisal.Survey
	err := db.view(ctx, actor, func(tx *Tx) (err error) {
		out, err = tx.survey(ctx, roundID)
		return err
	})
	return out, err
}

// SurveyResponse is one sampled household's answers.
type SurveyResponse struct {
	HouseholdID int64             `json:"household_id"`
	HouseholdNo string            `json:"household_no"`
	HeadName    string            `json:"head_name"`
	VillageCode string            `json:"village_code"`
	VillageName string            `json:"village_name"`
	Answers     map[string]string `json:"answers" description:"问题代码 → 选项（approve、basic、disapprove、unsure 或 1–5）"`
	RecordedBy  string            `json:"recorded_by"`
	RecordedAt  time.Time         `json:"recorded_at"`
}

// RecordResponse enters (or corrects) a sampled household's answers.
// Errors: not_found (round, survey, or household not in the round or
// outside the actor's areas), invalid (answers.<key>).
func (db *DB) RecordResponse(ctx context.Context, actor fupin.Actor, roundID, householdID int64, answers map[string]string) (*SurveyResponse, error) {
	if len(answers) > appraisal.MaxQuestions {
		return nil, &fupin.Error{Code: fupin.EInvalid, Message: "回答数超过问卷的问题数上限",
			Fields: map[string]string{"answers": fmt.Sprintf("最多 %d 个回答", appraisal.MaxQuestions)}}
	}
	err := db.update(ctx, actor, func(tx *Tx) error {
		s, err := tx.survey(ctx, roundID)
		if err != nil {
			return err
		}
		var village string
		err = tx.QueryRowContext(ctx, `SELECT village_code FROM appraisal_round_households WHERE round_id = $1 AND household_id = $2`,
			roundID, householdID).Scan(&village)
		if isNoRows(err) || (err == nil && !actor.Covers(village)) {
			return notFound("抽中的农户", householdID)
		} else if err != nil {
			return fmt.Errorf("load sampled household: %w", err)
		}
		if err := s.CheckAnswers(answers); err != nil {
			return err
		}
		a, err := json.Marshal(answers)
		if err != nil {
			return fmt.Errorf("encode answers: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO appraisal_survey_responses (round_id, household_id, answers, recorded_by, recorded_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (round_id, household_id) DO UPDATE SET answers = EXCLUDED.answers,
			recorded_by = EXCLUDED.recorded_by, recorded_at = EXCLUDED.recorded_at`,
			roundID, householdID, string(a), actor.Name, tx.now); err != nil {
			return fmt.Errorf("save response: %w", err)
		}
		// The audit names the household, not its answers: the trail is
		// read by administrators, and answers are about named cadres.
		return tx.auditValue(ctx, "appraisal.survey.response", "appraisal_round", strconv.FormatInt(roundID, 10), nil,
			map[string]any{"household_id": householdID, "answered": len(answers)})
	})
	if err != nil {
		return nil, err
	}
	rs, err := db.SurveyResponses(ctx, actor, roundID)
	for i := range rs {
		if rs[i].HouseholdID == householdID {
			return &rs[i], err
		}
	}
	return nil, err
}

// surveyRows reads the responses of a round in the actor's villages with
// each household's active helper; fn sees every row.
func (tx *Tx) surveyRows(ctx context.Context, roundID int64, fn func(r SurveyResponse, helperID int64, helper string)) error {
	rows, err := tx.QueryContext(ctx, `SELECT x.household_id, COALESCE(h.household_no, ''), h.head_name, r.village_code,
		x.answers, x.recorded_by, x.recorded_at, COALESCE(c.id, 0), COALESCE(c.name, '')
		FROM appraisal_survey_responses x
		JOIN appraisal_round_households r ON r.round_id = x.round_id AND r.household_id = x.household_id
		JOIN households h ON h.id = x.household_id
		LEFT JOIN pairings p ON p.household_id = x.household_id AND p.ended_on IS NULL
		LEFT JOIN cadres c ON c.id = p.cadre_id
		WHERE x.round_id = $1 ORDER BY r.village_code, x.household_id`, roundID)
	if err != nil {
		return fmt.Errorf("survey responses: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r SurveyResponse
		var answers, helper string
		var helperID int64
		if err := rows.Scan(&r.HouseholdID, &r.HouseholdNo, &r.HeadName, &r.VillageCode, &answers, &r.RecordedBy,
			&r.RecordedAt, &helperID, &helper); err != nil {
			return fmt.Errorf("scan response: %w", err)
		}
		if !tx.actor.Covers(r.VillageCode) {
			continue
		}
		if err := json.Unmarshal([]byte(answers), &r.Answers); err != nil {
			return fmt.Errorf("decode answers: %w", err)
		}
		r.RecordedAt, r.VillageName = r.RecordedAt.UTC(), aid.AreaName(r.VillageCode)
		fn(r, helperID, helper)
	}
	return rows.Err()
}

// SurveyResponses lists the answers of a round's households in the actor's
// villages (for the roles that enter results). Errors: not_found.
func (db *DB) SurveyResponses(ctx context.Context, actor fupin.Actor, roundID int64) ([]SurveyResponse, error) {
	out := []SurveyResponse{}
	err := db.view(ctx, actor, func(tx *Tx) error {
		out = out[:0]
		if _, err := tx.survey(ctx, roundID); err != nil {
			return err
		}
		return tx.surveyRows(ctx, roundID, func(r SurveyResponse, _ int64, _ string) { out = append(out, r) })
	})
	return out, err
}

// SurveyApproval tallies a round's 认可度 over the responses in the actor's
// villages, by village, work team and helper (appraisal.Approval): counts
// only, small groups withheld. Errors: not_found.
func (db *DB) SurveyApproval(ctx context.Context, actor fupin.Actor, roundID int64) (*appraisal.ApprovalReport, error) {
	var out appraisal.ApprovalReport
	err := db.view(ctx, actor, func(tx *Tx) error {
		s, err := tx.survey(ctx, roundID)
		if err != nil {
			return err
		}
		var rs []appraisal.Respondent
		if err := tx.surveyRows(ctx, roundID, func(r SurveyResponse, helperID int64, helper string) {
			rs = append(rs, appraisal.Respondent{VillageCode: r.VillageCode, VillageName: r.VillageName,
				HelperID: helperID, HelperName: helper, Answers: r.Answers})
		}); err != nil {
			return err
		}
		out = appraisal.Approval(s, rs)
		return nil
	})
	return &out, err
}
