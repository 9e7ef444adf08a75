import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import { refreshMe, session } from './api/session'
import Shell from './components/Shell.vue'

// Pages load on demand; each route is its own chunk.
const routes: RouteRecordRaw[] = [
  { path: '/login', component: () => import('./views/Login.vue'), meta: { title: '登录', public: true } },
  { path: '/apply', component: () => import('./views/Apply.vue'), meta: { title: '防止返贫自主申报', public: true } },
  {
    path: '/',
    component: Shell,
    redirect: '/dashboard',
    children: [
      { path: 'dashboard', component: () => import('./views/Dashboard.vue'), meta: { title: '总览' } },
      { path: 'households', component: () => import('./views/Households.vue'), meta: { title: '农户台账' } },
      { path: 'households/new', component: () => import('./views/HouseholdForm.vue'), meta: { title: '新增农户' } },
      { path: 'households/:id(\\d+)', component: () => import('./views/HouseholdDetail.vue'), meta: { title: '农户详情' } },
      { path: 'households/:id(\\d+)/file', component: () => import('./views/HouseholdFile.vue'), meta: { title: '一户一档' } },
      { path: 'households/:id(\\d+)/edit', component: () => import('./views/HouseholdForm.vue'), meta: { title: '编辑农户' } },
      { path: 'problems', component: () => import('./views/Problems.vue'), meta: { title: '问题清单' } },
      { path: 'aid/forces', component: () => import('./views/aid/Forces.vue'), meta: { title: '帮扶力量' } },
      { path: 'aid/pairings', component: () => import('./views/aid/Pairings.vue'), meta: { title: '结对帮扶' } },
      { path: 'aid/visits', component: () => import('./views/aid/Visits.vue'), meta: { title: '走访记录' } },
      { path: 'aid/attendance', component: () => import('./views/aid/Attendance.vue'), meta: { title: '驻村考勤' } },
      { path: 'aid/rotations', component: () => import('./views/aid/Rotations.vue'), meta: { title: '轮换交接' } },
      { path: 'aid/rotations/:id(\\d+)', component: () => import('./views/aid/RotationDetail.vue'), meta: { title: '轮换交接详情' } },
      { path: 'monitor/alerts', component: () => import('./views/monitor/Alerts.vue'), meta: { title: '监测预警' } },
      { path: 'monitor/applications', component: () => import('./views/monitor/Applications.vue'), meta: { title: '自主申报' } },
      { path: 'monitor/cases', component: () => import('./views/monitor/Cases.vue'), meta: { title: '监测对象' } },
      { path: 'monitor/cases/:id(\\d+)', component: () => import('./views/monitor/CaseDetail.vue'), meta: { title: '监测案件' } },
      { path: 'monitor/measures', component: () => import('./views/monitor/Measures.vue'), meta: { title: '帮扶措施到期' } },
      { path: 'monitor/notice', component: () => import('./views/monitor/Notice.vue'), meta: { title: '村级公示' } },
      { path: 'monitor/calendar', component: () => import('./views/monitor/Calendar.vue'), meta: { title: '工作日日历' } },
      { path: 'ledger/findings', component: () => import('./views/ledger/Findings.vue'), meta: { title: '问题整改' } },
      { path: 'ledger/findings/:id(\\d+)', component: () => import('./views/ledger/FindingDetail.vue'), meta: { title: '问题详情' } },
      { path: 'ledger/inspections', component: () => import('./views/ledger/Inspections.vue'), meta: { title: '巡视检查' } },
      { path: 'ledger/inspections/:id(\\d+)/report', component: () => import('./views/ledger/Report.vue'), meta: { title: '整改情况报告' } },
      { path: 'ledger/tasks', component: () => import('./views/ledger/Tasks.vue'), meta: { title: '重点工作' } },
      { path: 'appraisal/snapshots', component: () => import('./views/appraisal/Snapshots.vue'), meta: { title: '考核快照' } },
      { path: 'appraisal/compare', component: () => import('./views/appraisal/Compare.vue'), meta: { title: '快照比较' } },
      { path: 'appraisal/rounds', component: () => import('./views/appraisal/Rounds.vue'), meta: { title: '抽查轮次' } },
      { path: 'appraisal/rounds/:id(\\d+)', component: () => import('./views/appraisal/RoundDetail.vue'), meta: { title: '现场核查表' } },
      { path: 'appraisal/rounds/:id(\\d+)/survey', component: () => import('./views/appraisal/Survey.vue'), meta: { title: '满意度调查' } },
      { path: 'projects', component: () => import('./views/project/Projects.vue'), meta: { title: '项目资金' } },
      { path: 'projects/:id(\\d+)', component: () => import('./views/project/ProjectDetail.vue'), meta: { title: '项目详情' } },
      { path: 'projects/:id(\\d+)/notice', component: () => import('./views/project/Notice.vue'), meta: { title: '项目公告公示' } },
      { path: 'project-assets', component: () => import('./views/project/Assets.vue'), meta: { title: '项目资产' } },
      { path: 'report-pack', component: () => import('./views/appraisal/ReportPack.vue'), meta: { title: '年度材料包' } },
      { path: 'practices', component: () => import('./views/practice/Practices.vue'), meta: { title: '典型案例' } },
      { path: 'practices/new', component: () => import('./views/practice/PracticeForm.vue'), meta: { title: '推荐典型案例' } },
      { path: 'practices/:id(\\d+)', component: () => import('./views/practice/PracticeDetail.vue'), meta: { title: '典型案例' } },
      { path: 'practices/:id(\\d+)/edit', component: () => import('./views/practice/PracticeForm.vue'), meta: { title: '修改典型案例' } },
      { path: 'ledger/duty', component: () => import('./views/ledger/Duty.vue'), meta: { title: '责任清单' } },
      { path: 'print/:list(problems|visits|pairings|attendance)', component: () => import('./views/ListPrint.vue'), meta: { title: '打印清单' } },
      { path: 'imports', component: () => import('./views/Import.vue'), meta: { title: '数据导入' } },
      { path: 'policy', component: () => import('./views/Policy.vue'), meta: { title: '政策参数与规则' } },
      { path: 'users', component: () => import('./views/Users.vue'), meta: { title: '用户管理' } },
      { path: 'audit', component: () => import('./views/Audit.vue'), meta: { title: '审计日志' } },
    ],
  },
  { path: '/:rest(.*)*', redirect: '/dashboard' },
]

export const router = createRouter({ history: createWebHashHistory(), routes })

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  if (!session.checked) await refreshMe()
  if (!session.me) return { path: '/login', query: { redirect: to.fullPath } }
  return true
})

router.afterEach((to) => {
  document.title = `${(to.meta.title as string) ?? ''} · 扶贫监测系统`
})
