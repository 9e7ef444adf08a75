// Audit entries as people read them: Chinese action names, Chinese field
// labels and old → new values (codes shown by their labels), and the
// actor's display name.
import { label } from './codes'
import type { Schemas } from './client'

export type AuditEntry = Schemas['AuditEntry']

/** actionLabels names every action the server audits. */
export const actionLabels: Record<string, string> = {
  'household.create': '新增农户', 'household.update': '修改农户信息', 'household.delete': '删除农户', 'household.import': '导入更新',
  'member.add': '增员', 'member.update': '修改成员', 'member.leave': '减员', 'member.relation': '户主变更（关系随改）', 'income.put': '录入收入', 'person.view': '查看身份信息',
  'demo.load': '写入演示数据', 'policy.set': '设置政策参数',
  'aid.visit.create': '记录走访', 'aid.visit.photo': '上传走访照片', 'aid.pairing.set': '指定帮扶责任人', 'aid.pairing.rotate': '更换帮扶责任人',
  'aid.pairing.end': '解除结对', 'aid.cadre.create': '登记干部', 'aid.cadre.update': '修改干部信息', 'aid.posting.create': '任命岗位',
  'aid.posting.update': '调整任期', 'aid.posting.end': '办理离任', 'aid.group.create': '新增帮扶集团', 'aid.group.update': '修改帮扶集团',
  'aid.unit.save': '保存成员单位', 'aid.checkin': '驻村签到', 'aid.leave.request': '请假', 'aid.leave.approve': '批准请假',
  'aid.leave.reject': '不批准请假', 'aid.leave.return': '销假', 'aid.rotation.plan': '制定轮换计划', 'aid.rotation.entry': '添加交接事项',
  'aid.rotation.confirm': '确认交接', 'aid.rotation.complete': '完成交接', 'aid.rotation.cancel': '取消轮换', 'aid.setting': '设置帮扶规则',
  'aid.demo.load': '写入演示帮扶数据',
  'auth.sign_in': '登录', 'auth.sign_out': '退出登录', 'auth.failure': '登录失败', 'auth.lockout': '账号锁定', 'auth.rejected': '拒绝登录',
  'user.create': '新增用户', 'user.disable': '停用或启用用户', 'user.password': '重置密码', 'user.password.self': '修改本人密码',
  'token.create': '新建 API 令牌', 'token.revoke': '吊销 API 令牌', 'import.start': '开始导入',
}

/** actionLabel is the Chinese name of an action; an unknown one is called 其他操作, never shown as a code. */
export function actionLabel(a: string | undefined): string {
  return actionLabels[a ?? ''] ?? '其他操作'
}

/** actorLabel: the display name, with the account name beside it. */
export function actorLabel(e: AuditEntry): string {
  if (!e.actor) return '系统'
  return e.actor_name ? `${e.actor_name}（${e.actor}）` : e.actor
}

// Field labels by JSON key; a nested group's fields are "group.key".
const fields: Record<string, string> = {
  village_code: '所在村', household_no: '户编号', natural_village: '自然村/组', address: '家庭住址', phone: '联系电话',
  household_type: '户类型', poverty_attr: '贫困户属性', monitor_type: '监测对象类型', monitor_identified_on: '纳入监测日期',
  risks: '致贫返贫风险', identified_on: '识别（建档）日期', exited_on: '脱贫日期', elimination_mode: '风险消除方式',
  risk_eliminated_on: '风险消除日期', deleted_at: '删除时间', delete_reason: '删除原因', members: '家庭成员', incomes: '收入',
  head_name: '户主', size: '人数',
  'land.cultivated': '耕地（亩）', 'land.forest': '林地（亩）', 'land.orchard': '林果（亩）', 'land.pasture': '牧草地（亩）', 'land.water_area': '水面（亩）',
  'housing.grade': '危房等级', 'housing.area_m2': '住房面积（㎡）', 'housing.relocated': '易地扶贫搬迁', 'housing.other_safe_home': '有其他安全住房',
  'housing.institutional_care': '集中供养',
  'water.supply': '供水方式', 'water.litres_per_day': '人均日用水量（升）', 'water.quality_ok': '水质达标', 'water.tap_at_home': '自来水入户',
  'water.fetch_minutes': '取水往返（分钟）', 'water.fetch_distance_m': '取水水平距离（米）', 'water.fetch_vertical_m': '取水垂直距离（米）',
  'water.days_without_supply': '全年缺水天数', 'water.scarce_area': '缺水地区', 'water.checked_on': '饮水核查日期',
  'basics.food_secure': '不愁吃', 'basics.clothing_secure': '不愁穿', 'basics.checked_on': '核实日期', 'basics.note': '核实说明',
  'living.electricity': '通生活用电', 'living.radio_tv': '通广播电视', 'living.broadband': '通宽带', 'living.road_type': '入户路类型',
  'living.road_distance_km': '距村主干道（公里）',
  name: '姓名', id_number: '身份证号', relation: '与户主关系', ethnicity: '民族', education: '文化程度', school_status: '在校生状况',
  dropout_exemption: '失辍学原因', health: '健康状况', disability_grade: '残疾等级', labour: '劳动技能', migrant_months: '务工时间（月）',
  migrant_place: '务工地点', medical_insurance: '基本医疗保险', critical_illness_insurance: '大病保险', pension_insurance: '养老保险',
  dibao: '低保', tekun: '特困供养', public_welfare_job: '公益岗位', relocated: '易地搬迁', person_no: '人编号', join_reason: '增员原因',
  joined_on: '加入日期', left_on: '减员日期', leave_reason: '减员原因', leave_note: '减员说明',
  year: '年度', wage: '工资性收入', business: '生产经营性收入', property: '财产性收入', transfer: '转移性收入', business_expense: '生产经营性支出',
  area: '区域', key: '参数', value: '值', title: '事项', detail: '说明', reason: '原因', status: '状态', cadre_name: '干部',
  claims: '理赔收入', eligible_out_of_pocket: '合规自付支出', items: '收支明细', net: '纯收入', per_capita_net: '人均纯收入',
}
// Fields whose values are codes of a code list.
const lists: Record<string, string> = {
  household_type: 'household_type', poverty_attr: 'poverty_attr', monitor_type: 'monitor_type', elimination_mode: 'elimination_mode',
  'housing.grade': 'housing_grade', 'water.supply': 'water_supply', 'living.road_type': 'road_type', relation: 'relation',
  education: 'education', school_status: 'school_status', dropout_exemption: 'dropout_exemption', health: 'health', labour: 'labour',
  medical_insurance: 'insurance', pension_insurance: 'insurance', migrant_place: 'migrant_place', join_reason: 'join_reason',
  leave_reason: 'leave_reason', risks: 'risk',
}
const hidden = new Set(['version', 'updated_at', 'created_at', 'id', 'household_id', 'sex', 'birth_date', 'gross', 'size', 'head_name'])

export function fieldLabel(key: string): string {
  return fields[key] ?? fields[key.split('.').pop() ?? key] ?? '其他信息'
}

function value(key: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '空'
  if (typeof v === 'boolean') return v ? '是' : '否'
  if (Array.isArray(v)) return v.length ? v.map((x) => value(key, x)).join('、') : '空'
  if (typeof v === 'object') return '…'
  const list = lists[key] ?? lists[key.split('.').pop() ?? '']
  return list ? label(list, String(v)) : String(v)
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/** changes lists "字段：旧 → 新" for what an entry changed. */
export function changes(e: AuditEntry): string[] {
  const before = (isObj(e.before) ? e.before : {}) as Obj
  const after = (isObj(e.after) ? e.after : {}) as Obj
  const out: string[] = []
  const diff = (prefix: string, b: Obj, a: Obj) => {
    for (const k of new Set([...Object.keys(b), ...Object.keys(a)])) {
      if (hidden.has(k)) continue
      const key = prefix ? `${prefix}.${k}` : k
      const bv = b[k], av = a[k]
      if (JSON.stringify(bv) === JSON.stringify(av)) continue
      if (k === 'members') members(bv, av)
      else if (k === 'incomes') continue
      else if (isObj(bv) || isObj(av)) diff(key, isObj(bv) ? bv : {}, isObj(av) ? av : {})
      else if (e.before === null || e.before === undefined) continue
      else if (value(key, bv) !== value(key, av)) out.push(`${fieldLabel(key)}：${value(key, bv)} → ${value(key, av)}`)
    }
  }
  const members = (bv: unknown, av: unknown) => {
    const bm = new Map(((bv as Obj[]) ?? []).map((m) => [m.id, m]))
    for (const m of (av as Obj[]) ?? []) {
      const old = bm.get(m.id)
      if (!old) {
        out.push(`增加成员：${m.name}`)
        continue
      }
      for (const k of Object.keys(m)) {
        if (hidden.has(k) || value(k, old[k]) === value(k, m[k])) continue
        out.push(`成员 ${old.name} 的${fieldLabel(k)}：${value(k, old[k])} → ${value(k, m[k])}`)
      }
    }
  }
  diff('', before, after)
  return out
}
