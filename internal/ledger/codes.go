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

import "fupin/internal/fupin"

// Sources of findings (问题来源).
var Sources = fupin.CodeList{Name: "finding_source", Label: "问题来源", Items: []fupin.CodeItem{
	{Code: "inspection", Label: "巡视"},
	{Code: "circuit", Label: "巡察"},
	{Code: "supervision", Label: "督查"},
	{Code: "unannounced", Label: "暗访"},
	{Code: "assessment", Label: "成效考核反馈"},
	{Code: "third_party", Label: "第三方评估"},
	{Code: "recheck", Label: "回头看"},
	{Code: "petition", Label: "信访"},
	{Code: "self", Label: "自查"},
}}

// Categories of findings (问题类别).
var Categories = fupin.CodeList{Name: "finding_category", Label: "问题类别", Items: []fupin.CodeItem{
	{Code: "basic_needs", Label: "两不愁三保障"},
	{Code: "water", Label: "饮水安全"},
	{Code: "funds", Label: "资金项目"},
	{Code: "conduct", Label: "作风"},
	{Code: "data", Label: "数据质量"},
	{Code: "income", Label: "收入"},
	{Code: "policy", Label: "政策落实"},
	{Code: "other", Label: "其他"},
}}

// Kinds of rectification (整改类型).
var Kinds = fupin.CodeList{Name: "rectification_kind", Label: "整改类型", Items: []fupin.CodeItem{
	{Code: KindImmediate, Label: "立行立改"},
	{Code: KindDeadline, Label: "限期整改"},
	{Code: KindLongTerm, Label: "长期坚持"},
}}

// Kind keys.
const (
	KindImmediate = "immediate"
	KindDeadline  = "deadline"
	KindLongTerm  = "long_term"
)

// Statuses of a finding (整改状态).
var Statuses = fupin.CodeList{Name: "finding_status", Label: "整改状态", Items: []fupin.CodeItem{
	{Code: StatusNotStarted, Label: "未启动"},
	{Code: StatusInProgress, Label: "整改中"},
	{Code: StatusPending, Label: "已完成待验收"},
	{Code: StatusClosed, Label: "已销号"},
	{Code: StatusLongTerm, Label: "长期坚持"},
}}

// Status keys.
const (
	StatusNotStarted = "not_started"
	StatusInProgress = "in_progress"
	StatusPending    = "pending"
	StatusClosed     = "closed"
	StatusLongTerm   = "long_term"
)

// Deadline buckets (期限分组) of open findings and tasks.
var Buckets = fupin.CodeList{Name: "bucket", Label: "期限分组", Items: []fupin.CodeItem{
	{Code: BucketOverdue, Label: "已超期"},
	{Code: BucketWithin10, Label: "10 个工作日内到期"},
	{Code: BucketWithin20, Label: "20 个工作日内到期"},
	{Code: BucketLater, Label: "20 个工作日以上"},
}}

// Bucket keys; "" means the item is closed and has no bucket.
const (
	BucketOverdue  = "overdue"
	BucketWithin10 = "within_10"
	BucketWithin20 = "within_20"
	BucketLater    = "later"
)
