package sqlstore

import (
	"context"
	"fmt"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/project"
)

// NoticeLine is one fund source on a project notice.
type NoticeLine struct {
	Source string      `json:"source"`
	Label  string      `json:"label"`
	Budget fupin.Money `json:"budget" description:"预算（元）"`
	Spent  fupin.Money `json:"spent" description:"已拨付（元）"`
}

// NoticeHousehold is a benefiting household as a notice names it: the
// head's name and village only (no ID number, phone or address).
type NoticeHousehold struct {
	HeadName    string `json:"head_name"`
	VillageName string `json:"village_name"`
}

// ProjectNotice is the data of a project's 公告公示 for the village board:
// before acceptance the plan and budget by source (事前公示), after it the
// acceptance, funds spent and beneficiaries (事后公告).
type ProjectNotice struct {
	Stage        string            `json:"stage" description:"before 事前公示（未验收）、after 事后公告（已验收）"`
	Project      project.Project   `json:"project"`
	TypeLabel    string            `json:"type_label"`
	StatusLabel  string            `json:"status_label"`
	VillageNames []string          `json:"village_names" description:"受益村名称"`
	Lines        []NoticeLine      `json:"lines"`
	Households   []NoticeHousehold `json:"households" description:"受益农户（户主姓名和村）"`
}

// Notice returns the 公告公示 data of a project the actor sees. Errors:
// not_found.
func (db *DB) Notice(ctx context.Context, actor fupin.Actor, id int64) (*ProjectNotice, error) {
	var out *ProjectNotice
	err := db.view(ctx, actor, func(tx *Tx) error {
		d, err := tx.projectDetail(ctx, id)
		if err != nil {
			return err
		}
		n := &ProjectNotice{Stage: "before", Project: d.Project, TypeLabel: project.Types.LabelOf(d.Type),
			StatusLabel: project.Statuses.LabelOf(d.Status), VillageNames: []string{}, Households: []NoticeHousehold{}}
		if d.Status == project.StatusAccepted {
			n.Stage = "after"
		}
		if d.Subtype != "" {
			n.TypeLabel += "（" + project.Subtypes.LabelOf(d.Subtype) + "）"
		}
		for _, v := range d.Villages {
			n.VillageNames = append(n.VillageNames, aid.AreaName(v))
		}
		for _, b := range d.Budget {
			n.Lines = append(n.Lines, NoticeLine{b.Source, project.Sources.LabelOf(b.Source), b.Amount, d.SpentBySource[b.Source]})
		}
		rows, err := tx.QueryContext(ctx, `SELECT h.head_name, h.village_code FROM project_households ph JOIN households h ON h.id = ph.household_id
			WHERE ph.project_id = $1 ORDER BY h.village_code, h.head_name, h.id`, id)
		if err != nil {
			return fmt.Errorf("notice households: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var name, village string
			if err := rows.Scan(&name, &village); err != nil {
				return fmt.Errorf("scan notice household: %w", err)
			}
			n.Households = append(n.Households, NoticeHousehold{name, aid.AreaName(village)})
		}
		n.Project.Households = []int64{} // ids stay off a public sheet
		out = n
		return rows.Err()
	})
	return out, err
}
