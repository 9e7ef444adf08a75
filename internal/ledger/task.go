package ledger

import (
	"fmt"
	"time"

	"fupin/internal/fupin"
)

// MaxMilestones bounds the milestones of one task.
const MaxMilestones = 50

// Task is a 阶段性重点工作: a lead unit, responsible units and leader,
// milestones with dates and progress reports.
type Task struct {
	ID          int64       `json:"id" readOnly:"true"`
	Title       string      `json:"title" required:"true" description:"工作名称"`
	AreaCode    string      `json:"area_code" required:"true" description:"乡镇（9 位）或村（12 位）区划代码"`
	AreaName    string      `json:"area_name" readOnly:"true"`
	LeadUnit    string      `json:"lead_unit" required:"true" description:"牵头单位"`
	Responsible string      `json:"responsible_units" description:"责任单位"`
	Leader      string      `json:"leader" description:"责任领导（姓名；Fupin 外的人员只记姓名）"`
	LeaderID    *int64      `json:"leader_cadre_id,omitempty" description:"责任领导的干部编号：给出时姓名取自干部档案；不给时，若区域内在岗干部中只有一人叫这个姓名，自动关联"`
	Deadline    fupin.Date  `json:"deadline" required:"true" description:"完成时限"`
	Milestones  []Milestone `json:"milestones" description:"节点（最多 50 个）"`
	Done        bool        `json:"done" readOnly:"true" description:"全部节点已完成"`
	Progress    int         `json:"progress" readOnly:"true" description:"已完成节点的百分比"`
	Bucket      string      `json:"bucket" readOnly:"true" description:"下一个未完成节点（或完成时限）的期限分组"`
	Escalation  string      `json:"escalation" readOnly:"true" description:"超期提醒对象：lead_unit 牵头单位、township 乡镇指挥部办公室；未超期为空"`
	Version     int64       `json:"version" description:"乐观锁版本号"`
}

// Milestone is a dated step of a task.
type Milestone struct {
	ID     int64      `json:"id" readOnly:"true"`
	Title  string     `json:"title" required:"true"`
	DueOn  fupin.Date `json:"due_on" required:"true"`
	DoneOn fupin.Date `json:"done_on" readOnly:"true"`
	Note   string     `json:"note" readOnly:"true" description:"完成情况"`
}

// Validate trims and checks a task and its milestones (each due by the
// task's deadline).
func (t *Task) Validate() error {
	errs := fupin.FieldErrors{}
	text(errs, "title", &t.Title, MaxShort, true)
	text(errs, "lead_unit", &t.LeadUnit, MaxShort, true)
	text(errs, "responsible_units", &t.Responsible, MaxShort, false)
	text(errs, "leader", &t.Leader, MaxShort, false)
	if t.LeaderID != nil && *t.LeaderID <= 0 {
		errs.Add("leader_cadre_id", "干部编号应为正整数")
	}
	if n := len(t.AreaCode); n != 9 && n != 12 {
		errs.Add("area_code", "应为乡镇（9 位）或村（12 位）区划代码")
	}
	if t.Deadline.IsZero() {
		errs.Add("deadline", "请填写完成时限")
	}
	if len(t.Milestones) > MaxMilestones {
		errs.Add("milestones", fmt.Sprintf("节点不能超过 %d 个", MaxMilestones))
	}
	for i := range t.Milestones {
		m := &t.Milestones[i]
		text(errs, fmt.Sprintf("milestones[%d].title", i), &m.Title, MaxShort, true)
		if m.DueOn.IsZero() {
			errs.Add(fmt.Sprintf("milestones[%d].due_on", i), "请填写节点日期")
		} else if !t.Deadline.IsZero() && m.DueOn.After(t.Deadline) {
			errs.Add(fmt.Sprintf("milestones[%d].due_on", i), "节点日期不能晚于完成时限")
		}
	}
	return errs.Err()
}

// Derive fills Done, Progress, Bucket and Escalation as seen on today:
// the bucket of the next open milestone (else the deadline); a milestone
// overdue by up to 10 working days is escalated to the lead unit, longer
// to the township office.
func (t *Task) Derive(today time.Time, count WorkingDays) {
	if count == nil {
		count = Weekdays
	}
	done, next := 0, t.Deadline
	found := false
	for _, m := range t.Milestones {
		if !m.DoneOn.IsZero() {
			done++
			continue
		}
		if !found || m.DueOn.Before(next) {
			next, found = m.DueOn, true
		}
	}
	t.Done = len(t.Milestones) > 0 && done == len(t.Milestones)
	t.Progress, t.Bucket, t.Escalation = 0, "", ""
	if len(t.Milestones) > 0 {
		t.Progress = done * 100 / len(t.Milestones)
	}
	if t.Done {
		return
	}
	t.Bucket = Bucket(StatusInProgress, next.Time(), today, count)
	if t.Bucket == BucketOverdue {
		t.Escalation = "lead_unit"
		if count(next.Time(), today) > 10 {
			t.Escalation = "township"
		}
	}
}
