package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"fupin/internal/fupin"
	"fupin/internal/region"
)

// Aid forces (帮扶力量): aid groups and their
// member units, cadres and their postings, household pairings, visits,
// attendance and rotations. Every record carries an area code (a township
// or village); the store limits reads and writes to the actor's areas.

// AidRoles are the roles of a posting. The first four are the township
// command post (指挥部); the team roles make the township and village work
// teams; helper is 帮扶责任人.
var AidRoles = fupin.CodeList{Name: "aid_role", Label: "岗位", Items: []fupin.CodeItem{
	{Code: "commander", Label: "指挥长"}, {Code: "deputy_commander", Label: "副指挥长"},
	{Code: "office_director", Label: "指挥部办公室主任"}, {Code: "office_deputy", Label: "指挥部办公室副主任"},
	{Code: "township_leader", Label: "驻乡工作队队长"}, {Code: "township_member", Label: "驻乡工作队队员"},
	{Code: "first_secretary", Label: "第一书记"}, {Code: "village_member", Label: "驻村工作队员"},
	{Code: "helper", Label: "帮扶责任人"},
}}

// PoliticalStatuses is the code list of 政治面貌.
var PoliticalStatuses = fupin.CodeList{Name: "political_status", Label: "政治面貌", Items: []fupin.CodeItem{
	{Code: "cpc_member", Label: "中共党员"}, {Code: "cpc_probationary", Label: "中共预备党员"},
	{Code: "cyl_member", Label: "共青团员"}, {Code: "democratic_party", Label: "民主党派"}, {Code: "masses", Label: "群众"},
}}

// VisitKinds is the code list of visit kinds.
var VisitKinds = fupin.CodeList{Name: "visit_kind", Label: "走访方式", Items: []fupin.CodeItem{
	{Code: "home", Label: "入户"}, {Code: "phone", Label: "电话"},
}}

// LeaveStatuses is the code list of the states of a leave request.
var LeaveStatuses = fupin.CodeList{Name: "leave_status", Label: "请假状态", Items: []fupin.CodeItem{
	{Code: "requested", Label: "待审批"}, {Code: "approved", Label: "已批准"},
	{Code: "rejected", Label: "未批准"}, {Code: "returned", Label: "已销假"},
}}

// RotationStatuses is the code list of the states of a rotation.
var RotationStatuses = fupin.CodeList{Name: "rotation_status", Label: "轮换状态", Items: []fupin.CodeItem{
	{Code: "planned", Label: "交接中"}, {Code: "completed", Label: "已完成"}, {Code: "cancelled", Label: "已取消"},
}}

// HandoverKinds is the code list of handover list entries.
var HandoverKinds = fupin.CodeList{Name: "handover_kind", Label: "交接事项类别", Items: []fupin.CodeItem{
	{Code: "posting", Label: "岗位"}, {Code: "household", Label: "结对农户"}, {Code: "case", Label: "未办结事项"},
	{Code: "ledger", Label: "台账事项"}, {Code: "project", Label: "项目"}, {Code: "document", Label: "文件资料"},
	{Code: "other", Label: "其他"},
}}

// AidCodeLists returns the code lists of the aid API.
func AidCodeLists() []fupin.CodeList {
	return []fupin.CodeList{AidRoles, PoliticalStatuses, VisitKinds, LeaveStatuses, RotationStatuses, HandoverKinds}
}

// teamKind names the body a role belongs to: the command post, the
// township work team or a village work team; "" for helpers.
func teamKind(role string) string {
	switch role {
	case "commander", "deputy_commander", "office_director", "office_deputy":
		return "command"
	case "township_leader", "township_member":
		return "township_team"
	case "first_secretary", "village_member":
		return "village_team"
	}
	return ""
}

// sees reports whether an actor may read organisational records of an
// area: the area lies within the actor's areas, or the actor's area lies
// within it (a village user sees its township's aid group).
func sees(a fupin.Actor, code string) bool {
	if a.Covers(code) {
		return true
	}
	for _, p := range a.Areas {
		if strings.HasPrefix(p, code) {
			return true
		}
	}
	return false
}

// overlappingIDs runs q, which selects (id, area_code) rows narrowed by
// overlapCond, and keeps the ids whose area overlaps area and which the
// actor sees (overlapCond's prefixes only bound the candidates).
func (tx *Tx) overlappingIDs(ctx context.Context, actor fupin.Actor, area, q string, args []any) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, err
		}
		if sees(actor, code) && (strings.HasPrefix(code, area) || strings.HasPrefix(area, code)) {
			ids = append(ids, id)
		}
	}
	return ids, rows.Err()
}

// ancestorCodes lists the division codes (levels 2, 4, 6, 9 digits) above
// each of the actor's areas, for "the actor's area lies within" in SQL.
func ancestorCodes(a fupin.Actor) []any {
	var out []any
	for _, p := range a.Areas {
		for _, n := range []int{2, 4, 6, 9} {
			if n < len(p) {
				out = append(out, p[:n])
			}
		}
	}
	return out
}

// overlapCond is an SQL condition on col selecting a superset of the codes
// that sees(actor, code) keeps and that overlap area (one lies within the
// other), so that lists read only those rows; callers still filter in Go.
func overlapCond(col string, actor fupin.Actor, area string, arg func(any) string) string {
	codes := ancestorCodes(actor)
	for _, n := range []int{2, 4, 6, 9, 12} {
		if n <= len(area) {
			codes = append(codes, area[:n])
		}
	}
	for _, p := range actor.Areas {
		codes = append(codes, p)
	}
	marks := make([]string, len(codes))
	for i, c := range codes {
		marks[i] = arg(c)
	}
	cond := areaCond(col, actor.Narrow(area), arg)
	if len(marks) > 0 {
		cond += " OR " + col + " IN (" + strings.Join(marks, ", ") + ")"
	}
	return "(" + cond + ")"
}

// checkAreaCode validates a township (9 digits) or village (12 digits)
// code of the 2023 division tree.
func checkAreaCode(errs fupin.FieldErrors, path, code string, villageOnly bool) {
	r, err := region.Lookup(code)
	switch {
	case code == "":
		errs.Add(path, "请填写区划代码")
	case err != nil || r.Code != code:
		errs.Add(path, "不是有效的统计用区划代码："+code)
	case villageOnly && r.Level != region.LevelVillage:
		errs.Add(path, "应为村级区划代码："+code)
	case r.Level != region.LevelVillage && r.Level != region.LevelTownship:
		errs.Add(path, "应为乡镇或村级区划代码："+code)
	}
}

// areaName is the short name of a division code, "" when unknown.
func areaName(code string) string {
	if code == "" {
		return ""
	}
	r, err := region.Lookup(code)
	if err != nil {
		return ""
	}
	return r.Name
}

// forbidArea is the error for writing into an area outside the actor's.
func forbidArea(code string) error {
	return fupin.Errorf(fupin.EForbidden, "无权在 %s（%s）操作：不在您的管辖区域内", areaName(code), code)
}

// lockAid serialises the writers of pairings and postings on PostgreSQL
// (SQLite has a single writer), so that the checks a transaction makes
// hold until it commits: no two rotations or pairing edits interleave.
func (tx *Tx) lockAid(ctx context.Context) error {
	if tx.dialect != Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(4242003)`); err != nil {
		return fmt.Errorf("aid lock: %w", err)
	}
	return nil
}

// stepKey carries a test hook in a context: called at named points of a
// write (after its reads, between its moves) so that a test can interrupt
// it or race another writer against it. Only export_test.go sets it.
type stepKey struct{}

func step(ctx context.Context, name string) {
	if fn, ok := ctx.Value(stepKey{}).(func(string)); ok {
		fn(name)
	}
}

// versioned checks the result of an UPDATE … WHERE id = $n AND version = $m:
// no row matched means another writer got there first (PostgreSQL's READ
// COMMITTED re-checks the WHERE after waiting for the row), so the caller's
// version is stale.
func versioned(res sql.Result, err error, what string) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	} else if n != 1 {
		return &fupin.Error{Code: fupin.EConflict, Message: "该记录已被他人修改，请刷新后重试",
			Fields: map[string]string{"version": "版本已过期"}}
	}
	return nil
}

// likeContains is a LIKE pattern matching q anywhere, with q's own % and _
// taken literally; use it with ESCAPE '\'.
func likeContains(q string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q) + "%"
}

func trimLen(errs fupin.FieldErrors, path string, s *string, max int, required bool) {
	*s = strings.TrimSpace(*s)
	switch {
	case *s == "" && required:
		errs.Add(path, "不能为空")
	case len([]rune(*s)) > max:
		errs.Add(path, fmt.Sprintf("不能超过 %d 个字", max))
	}
}

func nullID(p *int64) any {
	if p == nil || *p == 0 {
		return nil
	}
	return *p
}

func idPtr(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

func utcPtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

func notFound(what string, id int64) error {
	return fupin.Errorf(fupin.ENotFound, "%s #%d 不存在", what, id)
}

// staleVersion is the conflict answer for an optimistic-lock mismatch.
func staleVersion(seen, cur int64) error {
	return &fupin.Error{Code: fupin.EConflict,
		Message: fmt.Sprintf("该记录已被他人修改（您看到的是第 %d 版，当前为第 %d 版），请刷新后重试", seen, cur),
		Fields:  map[string]string{"version": "版本已过期"}}
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// withField names the request field a *fupin.Error is about.
func withField(err error, field string) error {
	var e *fupin.Error
	if !errors.As(err, &e) {
		return err
	}
	return &fupin.Error{Code: e.Code, Message: e.Message, Fields: map[string]string{field: e.Message}}
}
