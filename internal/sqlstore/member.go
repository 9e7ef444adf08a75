package sqlstore

import (
	"context"
	"fmt"

	"fupin/internal/fupin"
)

// MemberChange is a member added to or edited in a household, with the
// household version the client saw. PreviousHeadRelation is required when
// the change makes someone else 户主: it is the old head's new relation.
type MemberChange struct {
	Version              int64        `json:"version" required:"true"`
	Member               fupin.Member `json:"member" required:"true"`
	PreviousHeadRelation string       `json:"previous_head_relation,omitempty"`
}

// AddMember adds a person to a household (出生, 婚入, 迁入). Errors: invalid,
// not_found, conflict (stale version, or the person is current elsewhere).
func (db *DB) AddMember(ctx context.Context, actor fupin.Actor, householdID int64, c MemberChange) (*fupin.Household, error) {
	var out *fupin.Household
	err := db.update(ctx, actor, func(tx *Tx) error { return tx.addMember(ctx, householdID, c, &out) })
	return out, err
}

// addMember is AddMember inside tx; it sets *out to the household after.
func (tx *Tx) addMember(ctx context.Context, householdID int64, c MemberChange, out **fupin.Household) error {
	before, err := tx.lockForWrite(ctx, householdID, c.Version)
	if err != nil {
		return err
	}
	m := c.Member
	m.ID, m.LeftOn, m.LeaveReason, m.LeaveNote = 0, fupin.Date{}, "", ""
	errs := fupin.FieldErrors{}
	m.Normalize(errs, "member", tx.today())
	m.Validate(errs, "member", tx.today())
	if m.JoinReason == "" || m.JoinReason == "registered" {
		errs.Add("member.join_reason", "新增成员须注明增员原因：出生、婚入或迁入")
	}
	if m.JoinedOn.IsZero() {
		errs.Add("member.joined_on", "新增成员须填写加入日期")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if err := tx.checkHeadChange(ctx, before, &m, c.PreviousHeadRelation); err != nil {
		return err
	}
	if err := tx.checkUnique(ctx, householdID, "", []fupin.Member{m}); err != nil {
		return renameField(err, "members[0]", "member")
	}
	if _, err := tx.insertMember(ctx, householdID, &m); err != nil {
		return err
	}
	return tx.finishMemberChange(ctx, "member.add", before, m.ID, out)
}

// UpdateMember corrects the details of a current member. The ID number may
// be corrected; sex and birth date follow it.
func (db *DB) UpdateMember(ctx context.Context, actor fupin.Actor, householdID, memberID int64, c MemberChange) (*fupin.Household, error) {
	var out *fupin.Household
	err := db.update(ctx, actor, func(tx *Tx) error { return tx.updateMember(ctx, householdID, memberID, c, &out) })
	return out, err
}

// updateMember is UpdateMember inside tx; it sets *out to the household after.
func (tx *Tx) updateMember(ctx context.Context, householdID, memberID int64, c MemberChange, out **fupin.Household) error {
	before, err := tx.lockForWrite(ctx, householdID, c.Version)
	if err != nil {
		return err
	}
	old := findMember(before.Members, memberID)
	if old == nil {
		return fupin.Errorf(fupin.ENotFound, "农户 #%d 中没有成员 #%d", householdID, memberID)
	}
	if !old.Active() {
		return fupin.Errorf(fupin.EConflict, "成员 %s 已于 %s 减员，不能修改", old.Name, old.LeftOn)
	}
	m := c.Member
	m.ID, m.HouseholdID, m.LeftOn, m.LeaveReason, m.LeaveNote = memberID, householdID, fupin.Date{}, "", ""
	errs := fupin.FieldErrors{}
	m.Normalize(errs, "member", tx.today())
	m.Validate(errs, "member", tx.today())
	if old.Relation == "head" && m.Relation != "head" {
		errs.Add("member.relation", "户主不能直接改为其他关系：请把另一名成员设为户主")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if err := tx.checkHeadChange(ctx, before, &m, c.PreviousHeadRelation); err != nil {
		return err
	}
	if err := tx.checkUnique(ctx, householdID, "", []fupin.Member{m}); err != nil {
		return renameField(err, "members[0]", "member")
	}
	args := append(memberArgs(&m), memberID)
	if _, err := tx.ExecContext(ctx, `UPDATE members SET (`+memberCols+`) = (`+
		placeholders(1, memberColCount)+`) WHERE id = $`+itoa(memberColCount+1), args...); err != nil {
		return tx.mapUnique(err)
	}
	return tx.finishMemberChange(ctx, "member.update", before, memberID, out)
}

// checkHeadChange enforces one 户主: when m becomes head and another current
// member is head, the caller must say what the old head becomes.
func (tx *Tx) checkHeadChange(ctx context.Context, h *fupin.Household, m *fupin.Member, prevRelation string) error {
	if m.Relation != "head" {
		return nil
	}
	for _, o := range h.Members {
		if o.Active() && o.Relation == "head" && o.ID != m.ID {
			if prevRelation == "" || prevRelation == "head" || !fupin.Relations.Has(prevRelation) {
				return &fupin.Error{Code: fupin.EInvalid, Message: "该户已有户主 " + o.Name + "，变更户主须说明原户主的新关系",
					Fields: map[string]string{"previous_head_relation": "请选择原户主与新户主的关系"}}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE members SET relation = $1 WHERE id = $2`, prevRelation, o.ID); err != nil {
				return err
			}
			return tx.auditRelation(ctx, h.ID, o, prevRelation)
		}
	}
	return nil
}

// auditRelation records that another member's relation changed with a
// change of 户主 (member.relation), so that the history holds every member
// row a write changed and an as-of read can undo it (asof.Rewind).
func (tx *Tx) auditRelation(ctx context.Context, householdID int64, m fupin.Member, relation string) error {
	after := m
	after.Relation = relation
	return tx.audit(ctx, "member.relation", "member", m.ID, householdID, m, after)
}

// LeaveMember records that a member left (死亡, 迁出, 婚嫁, 其他). When the head
// leaves, l.NewHeadID names the new head. The last member cannot leave: the
// household is deleted (销户) with a reason instead.
func (db *DB) LeaveMember(ctx context.Context, actor fupin.Actor, householdID, memberID int64, l fupin.MemberLeave) (*fupin.Household, error) {
	var out *fupin.Household
	err := db.update(ctx, actor, func(tx *Tx) error {
		if err := l.Validate(tx.today()); err != nil {
			return err
		}
		before, err := tx.lockForWrite(ctx, householdID, l.Version)
		if err != nil {
			return err
		}
		m := findMember(before.Members, memberID)
		if m == nil {
			return fupin.Errorf(fupin.ENotFound, "农户 #%d 中没有成员 #%d", householdID, memberID)
		}
		if err := checkLeave(before, m, l); err != nil {
			return err
		}
		if m.Relation == "head" {
			if _, err := tx.ExecContext(ctx, `UPDATE members SET relation = 'head' WHERE id = $1`, l.NewHeadID); err != nil {
				return err
			}
			if err := tx.auditRelation(ctx, householdID, *findMember(before.Members, l.NewHeadID), "head"); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE members SET left_on = $1, leave_reason = $2,
			leave_note = $3, is_current = FALSE WHERE id = $4`, l.LeftOn, l.Reason, l.Note, memberID); err != nil {
			return fmt.Errorf("leave member: %w", err)
		}
		return tx.finishMemberChange(ctx, "member.leave", before, memberID, &out)
	})
	return out, err
}

func checkLeave(h *fupin.Household, m *fupin.Member, l fupin.MemberLeave) error {
	if !m.Active() {
		return fupin.Errorf(fupin.EConflict, "成员 %s 已于 %s 减员", m.Name, m.LeftOn)
	}
	if !m.JoinedOn.IsZero() && l.LeftOn.Before(m.JoinedOn) {
		return &fupin.Error{Code: fupin.EInvalid, Message: "减员日期不能早于加入日期",
			Fields: map[string]string{"left_on": "减员日期不能早于加入日期 " + m.JoinedOn.String()}}
	}
	if h.Size <= 1 {
		return fupin.Errorf(fupin.EConflict, "该户仅剩 %s 一人，不能减员；请改为删除（注销）该户并注明原因", m.Name)
	}
	if m.Relation != "head" {
		return nil
	}
	n := findMember(h.Members, l.NewHeadID)
	if l.NewHeadID == 0 || n == nil || !n.Active() || n.ID == m.ID {
		return &fupin.Error{Code: fupin.EInvalid, Message: "户主减员时须指定新户主（本户在册的其他成员）",
			Fields: map[string]string{"new_head_id": "请选择新户主"}}
	}
	return nil
}

func (tx *Tx) finishMemberChange(ctx context.Context, action string, before *fupin.Household, memberID int64, out **fupin.Household) error {
	if err := tx.refreshHead(ctx, before.ID); err != nil {
		return err
	}
	if err := tx.bumpVersion(ctx, before.ID, before.Version); err != nil {
		return err
	}
	after, err := tx.household(ctx, before.ID, true)
	if err != nil {
		return err
	}
	*out = after
	if err := tx.reassess(ctx, after); err != nil {
		return err
	}
	return tx.audit(ctx, action, "member", memberID, before.ID, findMember(before.Members, memberID), findMember(after.Members, memberID))
}

func findMember(ms []fupin.Member, id int64) *fupin.Member {
	for i := range ms {
		if ms[i].ID == id {
			return &ms[i]
		}
	}
	return nil
}

// renameField rewrites field paths of an *Error from one prefix to another.
func renameField(err error, from, to string) error {
	e, ok := err.(*fupin.Error)
	if !ok {
		return err
	}
	fields := map[string]string{}
	for k, v := range e.Fields {
		if len(k) >= len(from) && k[:len(from)] == from {
			k = to + k[len(from):]
		}
		fields[k] = v
	}
	return &fupin.Error{Code: e.Code, Message: e.Message, Fields: fields}
}
