// Package monitor is the pure domain of 防止返贫动态监测 (return-to-poverty
// monitoring): the code lists (risk types, object categories by area and
// period, discovery paths, departments, assistance measures), the case
// state machine for identification (识别认定) and risk elimination (风险消除)
// with its rollback (回退), the working-day calendar with official holidays
// and 调休 make-up days, deadline arithmetic, and the elimination
// eligibility check item by item. It does no I/O and keeps no state; the
// store (sqlstore/monitor_*.go) persists what these functions decide.
//
// # Policy sources
//
//   - 中央农村工作领导小组《关于健全防止返贫动态监测和帮扶机制的指导意见》
//     (中农组发〔2021〕7号, 2021-05-14): objects, discovery paths, the
//     identification and elimination procedures.
//   - 《重庆市健全防止返贫动态监测和帮扶机制工作方案》(渝委农组〔2021〕6号).
//   - County practice for the step limits: 入户核查 ≤ 3 days, 信息比对 ≤ 5
//     days, the whole procedure ≤ 20 working days (Hainan's published rule).
//     Every limit is configurable by area (Limits).
//   - Risk elimination: income stable for at least half a year
//     (原则上不得低于半年), rigid spending resolved, 三保障 and 饮水 sustained;
//     households without labour capacity stay monitored while only
//     social-protection measures hold them.
//   - Holidays: the 国务院办公厅 notices on each year's holiday arrangement,
//     named in the calendar data (Builtin).
package monitor
