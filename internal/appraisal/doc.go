// Package appraisal is 成效考核 (effectiveness appraisal), pure: frozen
// yearly snapshots of an area's registry and how two of them differ, the
// accuracy rates of an exit or third-party check (错退率, 漏评率, 错评率,
// 识别/退出准确率, 认可度) with Wilson confidence intervals and their policy
// thresholds, and reproducible sampling plans. It holds no database code:
// sqlstore/appraisal_*.go stores snapshots and calls these rules.
//
// The name avoids "assess", which in this code base is the policy engine's
// household check (internal/criteria).
package appraisal
