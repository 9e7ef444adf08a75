package ledger

import "strings"

// HandoverPost is a posting changing hands in a rotation, as the ledger
// sees it: who leaves it, who takes it, and where it is.
type HandoverPost struct {
	ItemID     int64
	Area       string // the posting's township or village code
	Outgoing   string // the outgoing cadre's name
	OutgoingID int64  // the outgoing cadre's id
	Incoming   string // the incoming cadre's name
	IncomingID int64  // the incoming cadre's id
}

// Duty is an open finding (as its 责任人) or an unfinished key task (as
// its 责任领导) that a person answers for.
type Duty struct {
	Kind     string // "finding" or "task"
	ID       int64
	Title    string
	Area     string
	Person   string
	PersonID int64 // the cadre the duty is linked to; 0 for a name only
}

// DutyMove is a duty handed from a post's outgoing cadre to the incoming.
type DutyMove struct {
	Duty
	Post HandoverPost
}

// HandoverDuties picks the duties the posts hand over: those whose person
// is a post's outgoing cadre and whose area lies within the post's area
// (a secretary of one village does not hand over another village's
// findings). A duty under several such posts goes with the first. A duty
// linked to a cadre goes with that cadre's posts only (two cadres may share
// a name); one with a name only, with a post whose outgoing cadre has it.
func HandoverDuties(posts []HandoverPost, duties []Duty) []DutyMove {
	var out []DutyMove
	for _, d := range duties {
		for _, p := range posts {
			same := d.PersonID != 0 && d.PersonID == p.OutgoingID ||
				d.PersonID == 0 && p.Outgoing != "" && d.Person == p.Outgoing
			if same && strings.HasPrefix(d.Area, p.Area) {
				out = append(out, DutyMove{Duty: d, Post: p})
				break
			}
		}
	}
	return out
}

// Entry is the handover-list line of a move: a title and who takes over.
func (m DutyMove) Entry() (title, detail string) {
	if m.Kind == "task" {
		return "重点工作：" + m.Title, "责任领导 " + m.Post.Outgoing + " → " + m.Post.Incoming
	}
	return "整改问题：" + m.Title, "责任人 " + m.Post.Outgoing + " → " + m.Post.Incoming
}
