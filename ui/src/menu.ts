// The side menu: groups of pages. To add a page, add its route in
// router.ts and an entry here (the 帮扶管理 group is where 帮扶力量、结对帮扶、
// 走访记录、驻村考勤、轮换交接 go).
import type { Capability } from './api/session'

// cap: shown only to users with that capability (from /api/v1/me).
export type MenuItem = { path: string; title: string; write?: boolean; cap?: Capability }
export type MenuGroup = { title: string; items: MenuItem[] }

export const menu: MenuGroup[] = [
  { title: '监测总览', items: [{ path: '/dashboard', title: '总览' }] },
  {
    title: '防返贫监测',
    items: [
      { path: '/monitor/alerts', title: '监测预警' },
      { path: '/monitor/applications', title: '自主申报' },
      { path: '/monitor/cases', title: '监测对象' },
      { path: '/monitor/measures', title: '帮扶措施到期' },
      { path: '/monitor/notice', title: '村级公示' },
      { path: '/monitor/calendar', title: '工作日日历' },
    ],
  },
  {
    title: '农户管理',
    items: [
      { path: '/households', title: '农户台账' },
      { path: '/problems', title: '问题清单' },
      { path: '/households/new', title: '新增农户', write: true },
    ],
  },
  {
    title: '帮扶管理',
    items: [
      { path: '/aid/forces', title: '帮扶力量' },
      { path: '/aid/pairings', title: '结对帮扶' },
      { path: '/aid/visits', title: '走访记录' },
      { path: '/aid/attendance', title: '驻村考勤' },
      { path: '/aid/rotations', title: '轮换交接' },
    ],
  },
  {
    title: '巡视整改',
    items: [
      { path: '/ledger/findings', title: '问题整改' },
      { path: '/ledger/inspections', title: '巡视检查' },
      { path: '/ledger/tasks', title: '重点工作' },
      { path: '/ledger/duty', title: '责任清单' },
    ],
  },
  {
    title: '成效考核',
    items: [
      { path: '/appraisal/snapshots', title: '考核快照' },
      { path: '/appraisal/rounds', title: '抽查轮次' },
      { path: '/projects', title: '项目资金' },
      { path: '/project-assets', title: '项目资产' },
      { path: '/practices', title: '典型案例' },
      { path: '/report-pack', title: '年度材料包' },
    ],
  },
  { title: '数据交换', items: [{ path: '/imports', title: '数据导入' }] },
  {
    title: '系统设置',
    items: [
      { path: '/policy', title: '政策参数与规则' },
      { path: '/users', title: '用户管理', cap: 'users' },
      { path: '/audit', title: '审计日志', cap: 'audit' },
    ],
  },
]
