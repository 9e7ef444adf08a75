package sqlstore

import (
	"context"
	"fmt"
	"strconv"

	"fupin/internal/fupin"
)

// MaxMemberEdits bounds the members one household edit may add or correct.
const MaxMemberEdits = 30

// MemberEdit is one member of a household edit: ID 0 adds the member
// (增员), any other ID corrects that current member.
type MemberEdit struct {
	ID                   int64        `json:"id" description:"成员编号；不填或 0 为增员"`
	Member               fupin.Member `json:"member" required:"true"`
	PreviousHeadRelation string       `json:"previous_head_relation,omitempty" description:"该成员成为户主时，原户主的新关系"`
}

// HouseholdEdit is the household edit form saved at once: the household's
// own fields (with the version the client saw) and the members it adds or
// corrects.
type HouseholdEdit struct {
	Household fupin.Household `json:"household" required:"true"`
	Members   []MemberEdit    `json:"members" maxItems:"30" description:"增加或修改的成员（未改动的成员不必列出），最多 30 名"`
}

// EditHousehold saves a household edit in one transaction: the household
// (as UpdateHousehold) and then each member (as AddMember or UpdateMember),
// each step recorded in the change history. Any error leaves everything as
// it was; a member's field errors are named members[i].<field>, i its index
// in e.Members. Errors: invalid, not_found, forbidden, conflict.
func (db *DB) EditHousehold(ctx context.Context, actor fupin.Actor, id int64, e HouseholdEdit) (*fupin.Household, error) {
	if len(e.Members) > MaxMemberEdits {
		return nil, &fupin.Error{Code: fupin.EInvalid, Message: "一次最多修改 " + strconv.Itoa(MaxMemberEdits) + " 名成员",
			Fields: map[string]string{"members": "最多 " + strconv.Itoa(MaxMemberEdits) + " 名"}}
	}
	var out *fupin.Household
	err := db.update(ctx, actor, func(tx *Tx) error {
		h := e.Household
		h.ID = id
		after, err := tx.updateHousehold(ctx, &h)
		if err != nil {
			return renameField(err, "", "household.")
		}
		out = after
		for i, m := range e.Members {
			c := MemberChange{Version: out.Version, Member: m.Member, PreviousHeadRelation: m.PreviousHeadRelation}
			if m.ID == 0 {
				err = tx.addMember(ctx, id, c, &out)
			} else {
				err = tx.updateMember(ctx, id, m.ID, c, &out)
			}
			if err != nil {
				return memberError(err, i, m.Member.Name)
			}
		}
		return nil
	})
	return out, err
}

// memberError names a member step's failure after the member's place in
// the edit: fields member.x become members[i].x, and the message says who
// and that nothing was saved.
func memberError(err error, i int, name string) error {
	e, ok := err.(*fupin.Error)
	if !ok {
		return err
	}
	path := fmt.Sprintf("members[%d]", i)
	renamed := renameField(err, "member", path).(*fupin.Error)
	if f, ok := renamed.Fields["previous_head_relation"]; ok {
		delete(renamed.Fields, "previous_head_relation")
		renamed.Fields[path+".previous_head_relation"] = f
	}
	if name == "" {
		name = fmt.Sprintf("第 %d 名", i+1)
	}
	renamed.Message = fmt.Sprintf("成员“%s”：%s（本次修改均未保存）", name, e.Message)
	return renamed
}
