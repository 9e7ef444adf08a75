package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"fupin/internal/aid"
	"fupin/internal/fupin"
	"fupin/internal/monitor"
)

// NoticeEntry is one household on a village's public notice (公示): name,
// village, category and risk types. A public notice never carries ID
// numbers or phone numbers.
type NoticeEntry struct {
	CaseID    int64      `json:"case_id"`
	HeadName  string     `json:"head_name"`
	Size      int        `json:"size" description:"家庭人口"`
	Kind      string     `json:"kind" description:"识别认定 或 风险消除"`
	Category  string     `json:"category"`
	Risks     []string   `json:"risks" description:"风险类型（中文）"`
	StartsOn  fupin.Date `json:"starts_on"`
	EndsOn    fupin.Date `json:"ends_on"`
	Objection int        `json:"open_objections"`
}

// VillageNotice is the 公示 of one village: the households in 村级公示 or
// 风险消除公示 today, for the printable A4 notice.
type VillageNotice struct {
	VillageCode string        `json:"village_code"`
	VillageName string        `json:"village_name"`
	Title       string        `json:"title"`
	Channel     string        `json:"channel" description:"异议受理方式"`
	Committee   string        `json:"committee" description:"署名盖章的村民委员会或居民委员会（名称以社区结尾的为居民委员会）"`
	Entries     []NoticeEntry `json:"entries"`
}

// MonitorNotice lists a village's households under public notice. Errors:
// invalid (not a village code), not_found (outside the actor's areas).
func (db *DB) MonitorNotice(ctx context.Context, actor fupin.Actor, village string) (*VillageNotice, error) {
	errs := fupin.FieldErrors{}
	aid.CheckAreaCode(errs, "village", village, true)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	if !actor.Covers(village) {
		return nil, fupin.Errorf(fupin.ENotFound, "村 %s 不存在或不在您的管辖区域内", village)
	}
	name := aid.AreaName(village)
	n := &VillageNotice{VillageCode: village, VillageName: name, Entries: []NoticeEntry{}, Committee: monitor.Committee(name),
		Channel: "公示期内如有异议，请向" + monitor.CommitteeKind(name) + "或乡镇人民政府反映（可署名或匿名），也可拨打 12317 防返贫监测帮扶热线"}
	n.Title = n.VillageName + "防止返贫动态监测对象公示"
	err := db.view(ctx, actor, func(tx *Tx) error {
		n.Entries = n.Entries[:0]
		rows, err := tx.QueryContext(ctx, `SELECT c.id, h.head_name, h.size, c.stage, c.category, c.risks,
			c.stage_started_on, c.notice_ends_on,
			(SELECT COUNT(*) FROM monitor_objections o WHERE o.case_id = c.id AND o.stage = c.stage AND o.resolved_at IS NULL)
			FROM monitor_cases c JOIN households h ON h.id = c.household_id
			WHERE c.village_code = $1 AND c.stage IN ('notice', 'elim_notice') ORDER BY c.stage, c.id`, village)
		if err != nil {
			return fmt.Errorf("notice: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var e NoticeEntry
			var stage, risks string
			if err := rows.Scan(&e.CaseID, &e.HeadName, &e.Size, &stage, &e.Category, &risks, &e.StartsOn, &e.EndsOn, &e.Objection); err != nil {
				return err
			}
			e.Kind = map[string]string{monitor.StageNotice: "识别认定", monitor.StageElimNotice: "风险消除"}[stage]
			e.Category = fupin.MonitorTypes.LabelOf(e.Category)
			e.Risks = []string{}
			for _, r := range strings.Split(risks, ",") {
				if r != "" {
					e.Risks = append(e.Risks, monitor.Risks.LabelOf(r))
				}
			}
			n.Entries = append(n.Entries, e)
		}
		return rows.Err()
	})
	return n, err
}
