// Package ledger is the rectification ledger (巡视整改台账) as pure values:
// inspections and their findings, the finding state machine, the 销号
// approval chain, deadline buckets in working days and recurrence counting
// for 回头看, and key tasks with milestones. It knows nothing about
// databases or HTTP; sqlstore/ledger_*.go stores these values.
//
// Policy sources: 中共中央办公厅《关于加强巡视整改和成果运用的意见》(2019) on
// 建账、对账、销账 and 问题清单、任务清单、责任清单; 国务院扶贫开发领导小组
// 《关于开展扶贫领域作风问题专项治理的通知》(国开发〔2018〕5号) and the
// 脱贫攻坚成效考核 feedback rectification rules (整改到位后逐项销号).
package ledger

// Code is one entry of a code list: a stable English key and its Chinese name.
type Code struct {
	Key  string `json:"key"`
	Name string `json:"name"`
}

// Sources of findings (问题来源).
var Sources = []Code{
	{"inspection", "巡视"},
	{"circuit", "巡察"},
	{"supervision", "督查"},
	{"unannounced", "暗访"},
	{"assessment", "成效考核反馈"},
	{"third_party", "第三方评估"},
	{"recheck", "回头看"},
	{"petition", "信访"},
	{"self", "自查"},
}

// Categories of findings (问题类别).
var Categories = []Code{
	{"basic_needs", "两不愁三保障"},
	{"water", "饮水安全"},
	{"funds", "资金项目"},
	{"conduct", "作风"},
	{"data", "数据质量"},
	{"income", "收入"},
	{"policy", "政策落实"},
	{"other", "其他"},
}

// Kinds of rectification (整改类型).
var Kinds = []Code{
	{KindImmediate, "立行立改"},
	{KindDeadline, "限期整改"},
	{KindLongTerm, "长期坚持"},
}

// Kind keys.
const (
	KindImmediate = "immediate"
	KindDeadline  = "deadline"
	KindLongTerm  = "long_term"
)

// Statuses of a finding (整改状态).
var Statuses = []Code{
	{StatusNotStarted, "未启动"},
	{StatusInProgress, "整改中"},
	{StatusPending, "已完成待验收"},
	{StatusClosed, "已销号"},
	{StatusLongTerm, "长期坚持"},
}

// Status keys.
const (
	StatusNotStarted = "not_started"
	StatusInProgress = "in_progress"
	StatusPending    = "pending"
	StatusClosed     = "closed"
	StatusLongTerm   = "long_term"
)

// Deadline buckets (期限分组) of open findings and tasks.
var Buckets = []Code{
	{BucketOverdue, "已超期"},
	{BucketWithin10, "10 个工作日内到期"},
	{BucketWithin20, "20 个工作日内到期"},
	{BucketLater, "20 个工作日以上"},
}

// Bucket keys; "" means the item is closed and has no bucket.
const (
	BucketOverdue  = "overdue"
	BucketWithin10 = "within_10"
	BucketWithin20 = "within_20"
	BucketLater    = "later"
)

// Name returns the Chinese name of key in list, "" when unknown.
func Name(list []Code, key string) string {
	for _, c := range list {
		if c.Key == key {
			return c.Name
		}
	}
	return ""
}

// Known reports whether key is in list.
func Known(list []Code, key string) bool { return Name(list, key) != "" }
