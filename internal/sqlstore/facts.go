package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"fupin/internal/fupin"
)

// MemberFact is what a department's list says about a current member of a
// household: member JSON paths ("dibao", "disability_grade") and values.
type MemberFact struct {
	HouseholdID int64
	IDNumber    string
	Values      map[string]any
	Source      Source
}

// ApplyMemberFacts writes facts about current members within tx, one
// household at a time: a member whose fields already hold the values is
// left alone; a changed household gets its version bumped, is re-assessed,
// audited, and recorded as updated by the load's import. It returns how
// many households changed and how many facts named nobody current there.
func (tx *Tx) ApplyMemberFacts(ctx context.Context, facts []MemberFact) (updated int, missing []MemberFact, err error) {
	byHousehold := map[int64][]MemberFact{}
	var ids []int64
	for _, f := range facts {
		if _, ok := byHousehold[f.HouseholdID]; !ok {
			ids = append(ids, f.HouseholdID)
		}
		byHousehold[f.HouseholdID] = append(byHousehold[f.HouseholdID], f)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, hid := range ids {
		cur, err := tx.household(ctx, hid, true)
		if err != nil {
			return updated, missing, err
		}
		var changedMembers []*fupin.Member
		after := *cur
		after.Members = append([]fupin.Member(nil), cur.Members...)
		for _, f := range byHousehold[hid] {
			m := currentMember(after.Members, f.IDNumber)
			if m == nil || cur.Deleted() {
				missing = append(missing, f)
				continue
			}
			before := memberKey(m)
			if err := setPaths(m, f.Values); err != nil {
				return updated, missing, err
			}
			if memberKey(m) != before {
				changedMembers = append(changedMembers, m)
			}
		}
		if len(changedMembers) == 0 {
			continue
		}
		for _, m := range changedMembers {
			args := append(memberArgs(m), m.ID)
			if _, err := tx.ExecContext(ctx, `UPDATE members SET (`+memberCols+`) = (`+
				placeholders(1, memberColCount)+`) WHERE id = $`+itoa(memberColCount+1), args...); err != nil {
				return updated, missing, tx.mapUnique(err)
			}
		}
		if err := tx.bumpVersion(ctx, hid, cur.Version); err != nil {
			return updated, missing, err
		}
		stored, err := tx.household(ctx, hid, true)
		if err != nil {
			return updated, missing, err
		}
		if err := tx.reassess(ctx, stored); err != nil {
			return updated, missing, err
		}
		if err := tx.audit(ctx, "household.import", "household", hid, hid, cur, stored); err != nil {
			return updated, missing, err
		}
		if tx.importID != 0 {
			if err := tx.importChange(ctx, hid, "update", byHousehold[hid][0].Source, changedKeys(mustJSON(cur), mustJSON(stored))); err != nil {
				return updated, missing, err
			}
		}
		updated++
	}
	return updated, missing, nil
}

func currentMember(ms []fupin.Member, idNumber string) *fupin.Member {
	for i := range ms {
		if ms[i].IDNumber == idNumber && ms[i].Active() {
			return &ms[i]
		}
	}
	return nil
}

// setPaths sets top-level JSON fields of m.
func setPaths(m *fupin.Member, values map[string]any) error {
	d, err := jsonMap(m)
	if err != nil {
		return err
	}
	for k, v := range values {
		d[k] = v
	}
	b, err := json.Marshal(d)
	if err == nil {
		err = json.Unmarshal(b, m)
	}
	if err != nil {
		return fmt.Errorf("member facts: %w", err)
	}
	return nil
}
