package layout

// fieldID names one column of the layout. The order of the constants up to
// nExport is the export order (ExportHeader).
type fieldID uint8

const (
	fCounty fieldID = iota
	fTownship
	fVillage
	fNaturalVillage
	fHouseholdNo
	fPersonNo
	fName
	fIDNumber
	fSize
	fRelation
	fEthnicity
	fEducation
	fSchool
	fHealth
	fLabour
	fMigrantMonths
	fCriticalIllness
	fCause
	fDangerous
	fSafeWater
	fPerCapita
	fPhone
	fIdentifiedOn
	fType
	fMonitorType
	fRiskEliminated
	fMonitorOn
	fEliminatedOn
	// Fupin's extra columns.
	fVillageCode
	fAddress
	fPovertyAttr
	fExitedOn
	fEliminationMode
	fRisks
	fMemberPhone
	fDropout
	fDisability
	fMigrantPlace
	fMedical
	fPension
	fDibao
	fTekun
	fWelfareJob
	fMemberRelocated
	fJoinedOn
	fJoinReason
	fLeftOn
	fLeaveReason
	fLeaveNote
	fHousingArea
	fGrade
	fRelocated
	fOtherSafeHome
	fInstitutional
	fSupply
	fLitres
	fScarce
	fQuality
	fTap
	fFetchMinutes
	fFetchDistance
	fFetchVertical
	fDaysWithout
	fElectricity
	fRadioTV
	fBroadband
	fRoadType
	fRoadDistance
	fCultivated
	fForest
	fReturned
	fOrchard
	fPasture
	fWaterArea
	fFood
	fClothing
	fCheckedOn
	fBasicsNote
	fIncomeYear
	fWage
	fBusiness
	fProperty
	fTransfer
	fBusinessExpense
	fClaims
	fOutOfPocket
	fHouseholdNet
	nExport
	// fIgnored collects known columns that carry nothing Fupin keeps
	// (序号, 性别 and 出生日期 derived from the ID number, …). They count
	// towards header detection and are not listed as unknown.
	fIgnored = nExport
	nFields  = nExport + 1
)

// kind is how a cell is parsed.
type kind uint8

const (
	kText       kind = iota
	kNo              // 户编号, 人编号: text, Excel's ".0" dropped, scientific notation rejected
	kID              // 证件号码: passed to idcard.Parse by fupin.ValidateMembers
	kPhone           // text, Excel's ".0" dropped, scientific notation rejected
	kDate            // fupin.Date, from text or an Excel serial
	kBool            // bool, blank = false
	kOptBool         // *bool, blank = unknown
	kFloat           // float64, blank = 0
	kOptFloat        // *float64, blank = unknown
	kInt             // int, blank = 0
	kOptInt          // *int, blank = unknown
	kMoney           // fupin.Money from yuan
	kCode            // one code of a code table
	kRisks           // several codes of the risk table
	kHealth          // health, combinations resolved to the most severe
	kDisability      // 残疾等级 0–4
	kIgnore          // informational, never parsed
)

// fieldSpec describes one column.
type fieldSpec struct {
	name    string   // header text on export
	aliases []string // other spellings accepted on import
	member  bool     // member-level; otherwise household-level, repeated on every row
	kind    kind
	codes   *codeTable
	units   []string // unit suffixes accepted after a number
	path    string   // fupin validation path (member paths without the "members[i]." prefix)
}

var (
	uMonths = []string{"个月", "月"}
	uMu     = []string{"亩"}
	uM2     = []string{"平方米", "㎡", "m²", "m2", "平米"}
	uMetres = []string{"米", "m"}
	uKm     = []string{"公里", "千米", "km"}
	uYuan   = []string{"元"}
	uDays   = []string{"天", "日"}
	uLitres = []string{"升", "L"}
	uMin    = []string{"分钟", "分"}
	uPeople = []string{"人", "口"}
	uYear   = []string{"年", "年度"}
)

// fields is indexed by fieldID. Aliases are compared after normHeader, and
// a trailing "(…)" unit is optional on both sides.
var fields = [nFields]fieldSpec{
	fCounty:          {name: "县", aliases: []string{"县(市、区、旗)", "县(市、区)", "县(区)", "区县", "县区", "县名称", "县级"}},
	fTownship:        {name: "乡(镇)", aliases: []string{"乡镇", "乡(镇、街道)", "乡镇(街道)", "乡镇街道", "乡", "镇", "乡镇名称"}},
	fVillage:         {name: "行政村", aliases: []string{"村", "行政村(社区)", "村(社区)", "村社区", "村名称", "行政村名称"}},
	fNaturalVillage:  {name: "自然村", aliases: []string{"自然村(组)", "村民小组", "组"}},
	fHouseholdNo:     {name: "户编号", aliases: []string{"户号", "户码", "户编码", "家庭编号"}, kind: kNo, path: "household_no"},
	fPersonNo:        {name: "人编号", aliases: []string{"人员编号", "成员编号", "人编码", "个人编号"}, member: true, kind: kNo, path: "person_no"},
	fName:            {name: "姓名", aliases: []string{"成员姓名", "人员姓名"}, member: true, path: "name"},
	fIDNumber:        {name: "证件号码", aliases: []string{"身份证号", "身份证号码", "公民身份号码", "身份证件号码", "证件号", "成员证件号码"}, member: true, kind: kID, path: "id_number"},
	fSize:            {name: "人数", aliases: []string{"家庭人口数", "家庭人口", "户人数", "人口数"}, kind: kOptInt, units: uPeople},
	fRelation:        {name: "与户主关系", aliases: []string{"与户主的关系", "关系"}, member: true, kind: kCode, codes: relations, path: "relation"},
	fEthnicity:       {name: "民族", member: true, kind: kCode, codes: ethnicities, path: "ethnicity"},
	fEducation:       {name: "文化程度", aliases: []string{"学历"}, member: true, kind: kCode, codes: educations, path: "education"},
	fSchool:          {name: "在校生状况", aliases: []string{"在校生情况", "在校情况", "在校生"}, member: true, kind: kCode, codes: schoolStatuses, path: "school_status"},
	fHealth:          {name: "健康状况", aliases: []string{"健康情况"}, member: true, kind: kHealth, path: "health"},
	fLabour:          {name: "劳动技能", aliases: []string{"劳动能力"}, member: true, kind: kCode, codes: labourSkills, path: "labour"},
	fMigrantMonths:   {name: "务工时间（月）", aliases: []string{"务工时长(月)", "务工月数", "外出务工时间(月)", "务工时长"}, member: true, kind: kInt, units: uMonths, path: "migrant_months"},
	fCriticalIllness: {name: "是否参加大病保险", aliases: []string{"参加大病保险", "大病保险", "参加大病医疗", "是否参加大病医疗"}, member: true, kind: kBool},
	fCause:           {name: "致贫原因", aliases: []string{"致贫原因1", "主要致贫原因"}, kind: kRisks},
	fDangerous:       {name: "危房户", aliases: []string{"是否危房户", "是否危房"}, kind: kOptBool},
	fSafeWater:       {name: "是否解决安全饮用水", aliases: []string{"安全饮用水", "是否解决饮水安全"}, kind: kIgnore},
	fPerCapita:       {name: "人均纯收入", aliases: []string{"家庭人均纯收入", "年人均纯收入"}, kind: kMoney, units: uYuan},
	fPhone:           {name: "联系电话", aliases: []string{"户联系电话", "手机号", "手机号码", "电话", "联系方式"}, kind: kPhone, path: "phone"},
	fIdentifiedOn:    {name: "首次识别时间", aliases: []string{"首次识别日期", "识别时间"}, kind: kDate, path: "identified_on"},
	fType:            {name: "户类型", aliases: []string{"户类别"}, kind: kCode, codes: householdTypes, path: "household_type"},
	fMonitorType:     {name: "监测对象类型", aliases: []string{"易返贫致贫户(监测对象)类型", "易返贫致贫户类型", "监测对象类别", "监测类型"}, kind: kCode, codes: monitorTypes, path: "monitor_type"},
	fRiskEliminated:  {name: "风险是否消除", aliases: []string{"是否消除风险", "风险消除"}, kind: kOptBool},
	fMonitorOn:       {name: "风险识别时间", aliases: []string{"监测识别时间", "纳入监测时间", "监测对象识别时间"}, kind: kDate, path: "monitor_identified_on"},
	fEliminatedOn:    {name: "风险消除时间", aliases: []string{"风险消除日期", "消除时间"}, kind: kDate, path: "risk_eliminated_on"},

	fVillageCode:     {name: "村代码", aliases: []string{"村级区划代码", "行政区划代码", "区划代码", "统计用区划代码", "村编码", "村编号"}, kind: kNo, path: "village_code"},
	fAddress:         {name: "家庭住址", aliases: []string{"住址", "家庭地址", "地址"}, path: "address"},
	fPovertyAttr:     {name: "贫困户属性", aliases: []string{"脱贫户属性"}, kind: kCode, codes: povertyAttrs, path: "poverty_attr"},
	fExitedOn:        {name: "脱贫时间", aliases: []string{"脱贫日期"}, kind: kDate, path: "exited_on"},
	fEliminationMode: {name: "风险消除方式", aliases: []string{"消除方式"}, kind: kCode, codes: eliminationModes, path: "elimination_mode"},
	fRisks:           {name: "致贫返贫风险", aliases: []string{"致贫/返贫风险", "返贫致贫风险", "致贫返贫风险类型", "风险类型", "风险类型1", "致贫返贫风险1"}, kind: kRisks, path: "risks"},
	fMemberPhone:     {name: "人联系电话", aliases: []string{"个人联系电话", "本人联系电话", "成员联系电话"}, member: true, kind: kPhone, path: "phone"},
	fDropout:         {name: "失辍学原因", aliases: []string{"辍学原因", "失学辍学原因"}, member: true, kind: kCode, codes: dropoutReasons, path: "dropout_exemption"},
	fDisability:      {name: "残疾等级", aliases: []string{"残疾级别"}, member: true, kind: kDisability, path: "disability_grade"},
	fMigrantPlace:    {name: "务工地点", aliases: []string{"务工所在地", "务工地点/所在地", "务工区域", "务工地"}, member: true, kind: kCode, codes: migrantPlaces, path: "migrant_place"},
	fMedical:         {name: "基本医疗保险", aliases: []string{"是否参加基本医疗保险", "参加基本医疗保险", "医疗保险", "基本医保"}, member: true, kind: kCode, codes: insurances, path: "medical_insurance"},
	fPension:         {name: "养老保险", aliases: []string{"基本养老保险", "是否参加基本养老保险", "参加基本养老保险"}, member: true, kind: kCode, codes: insurances, path: "pension_insurance"},
	fDibao:           {name: "低保", aliases: []string{"是否享受低保", "是否享受最低生活保障", "享受低保", "低保对象", "是否低保"}, member: true, kind: kBool},
	fTekun:           {name: "特困", aliases: []string{"是否特困供养人员", "特困供养人员", "特困人员", "是否特困"}, member: true, kind: kBool},
	fWelfareJob:      {name: "公益岗位", aliases: []string{"是否公益岗位", "公益性岗位", "是否公益性岗位"}, member: true, kind: kBool},
	fMemberRelocated: {name: "易地搬迁", aliases: []string{"是否易地扶贫搬迁人口", "易地扶贫搬迁人口", "易地搬迁人口"}, member: true, kind: kBool},
	fJoinedOn:        {name: "加入日期", aliases: []string{"增员日期", "加入时间", "增员时间"}, member: true, kind: kDate, path: "joined_on"},
	fJoinReason:      {name: "加入原因", aliases: []string{"增员原因"}, member: true, kind: kCode, codes: joinReasons, path: "join_reason"},
	fLeftOn:          {name: "减员日期", aliases: []string{"减员时间"}, member: true, kind: kDate},
	fLeaveReason:     {name: "减员原因", member: true, kind: kCode, codes: leaveReasons},
	fLeaveNote:       {name: "减员说明", aliases: []string{"减员备注"}, member: true},
	fHousingArea:     {name: "住房面积", aliases: []string{"住房面积(㎡)", "住房面积(平方米)", "住房面积(m²)"}, kind: kOptFloat, units: uM2, path: "housing.area_m2"},
	fGrade:           {name: "危房等级", aliases: []string{"住房危险等级"}, kind: kCode, codes: housingGrades, path: "housing.grade"},
	fRelocated:       {name: "是否易地扶贫搬迁", aliases: []string{"是否易地扶贫搬迁户", "易地扶贫搬迁户", "易地扶贫搬迁"}, kind: kBool},
	fOtherSafeHome:   {name: "另有安全住房", aliases: []string{"是否另有安全住房"}, kind: kBool},
	fInstitutional:   {name: "集中供养", aliases: []string{"是否集中供养"}, kind: kBool},
	fSupply:          {name: "供水方式", kind: kCode, codes: waterSupplies, path: "water.supply"},
	fLitres:          {name: "日供水量（升/人）", aliases: []string{"日供水量", "供水量", "日供水量(升/人·天)"}, kind: kOptFloat, units: uLitres, path: "water.litres_per_day"},
	fScarce:          {name: "缺水地区", aliases: []string{"是否缺水地区"}, kind: kBool},
	fQuality:         {name: "水质达标", aliases: []string{"水质是否达标"}, kind: kOptBool},
	fTap:             {name: "自来水入户", aliases: []string{"是否自来水入户"}, kind: kOptBool},
	fFetchMinutes:    {name: "取水时间（分钟）", aliases: []string{"取水往返时间(分钟)", "取水时间"}, kind: kOptFloat, units: uMin, path: "water.fetch_minutes"},
	fFetchDistance:   {name: "取水水平距离（米）", aliases: []string{"取水水平距离"}, kind: kOptFloat, units: uMetres, path: "water.fetch_distance_m"},
	fFetchVertical:   {name: "取水垂直距离（米）", aliases: []string{"取水垂直距离"}, kind: kOptFloat, units: uMetres, path: "water.fetch_vertical_m"},
	fDaysWithout:     {name: "年缺水天数", aliases: []string{"全年缺水天数", "缺水天数"}, kind: kOptInt, units: uDays, path: "water.days_without_supply"},
	fElectricity:     {name: "通生活用电", aliases: []string{"是否通生活用电"}, kind: kBool},
	fRadioTV:         {name: "通广播电视", aliases: []string{"是否通广播电视"}, kind: kBool},
	fBroadband:       {name: "通宽带", aliases: []string{"是否通宽带"}, kind: kBool},
	fRoadType:        {name: "入户路类型", kind: kCode, codes: roadTypes, path: "living.road_type"},
	fRoadDistance:    {name: "距村主干路（公里）", aliases: []string{"与村主干路距离(公里)", "与村主干路距离", "距村主干路"}, kind: kOptFloat, units: uKm, path: "living.road_distance_km"},
	fCultivated:      {name: "耕地", aliases: []string{"耕地面积"}, kind: kFloat, units: uMu, path: "land.cultivated"},
	fForest:          {name: "林地", aliases: []string{"林地面积"}, kind: kFloat, units: uMu, path: "land.forest"},
	fReturned:        {name: "退耕还林", aliases: []string{"退耕还林面积"}, kind: kFloat, units: uMu, path: "land.returned"},
	fOrchard:         {name: "林果", aliases: []string{"林果面积"}, kind: kFloat, units: uMu, path: "land.orchard"},
	fPasture:         {name: "牧草地", aliases: []string{"牧草地面积"}, kind: kFloat, units: uMu, path: "land.pasture"},
	fWaterArea:       {name: "水面", aliases: []string{"水面面积"}, kind: kFloat, units: uMu, path: "land.water_area"},
	fFood:            {name: "不愁吃", aliases: []string{"是否不愁吃"}, kind: kOptBool},
	fClothing:        {name: "不愁穿", aliases: []string{"是否不愁穿"}, kind: kOptBool},
	fCheckedOn:       {name: "两不愁核查日期", aliases: []string{"核查日期"}, kind: kDate, path: "basics.checked_on"},
	fBasicsNote:      {name: "两不愁备注", aliases: []string{"不愁吃穿备注"}},
	fIncomeYear:      {name: "收入年度", aliases: []string{"年度", "收入年份", "统计年度"}, kind: kOptInt, units: uYear, path: "year"},
	fWage:            {name: "工资性收入", kind: kMoney, units: uYuan, path: "wage"},
	fBusiness:        {name: "生产经营性收入", kind: kMoney, units: uYuan, path: "business"},
	fProperty:        {name: "财产性收入", kind: kMoney, units: uYuan, path: "property"},
	fTransfer:        {name: "转移性收入", kind: kMoney, units: uYuan, path: "transfer"},
	fBusinessExpense: {name: "生产经营性支出", kind: kMoney, units: uYuan, path: "business_expense"},
	fClaims:          {name: "理赔收入", kind: kMoney, units: uYuan, path: "claims"},
	fOutOfPocket:     {name: "合规自付支出", kind: kMoney, units: uYuan, path: "eligible_out_of_pocket"},
	fHouseholdNet:    {name: "家庭年纯收入", aliases: []string{"年纯收入", "家庭纯收入"}, kind: kMoney, units: uYuan},
	fIgnored: {name: "", kind: kIgnore, aliases: []string{"序号", "性别", "出生日期", "出生年月", "年龄",
		"人员识别时间", "证件类型", "政治面貌", "年总收入", "户主姓名", "户主证件号码", "备注"}},
}

// memberFields and householdFields list the fields of each level that are
// parsed (kIgnore excluded), in export order.
var memberFields, householdFields []fieldID

func init() {
	for f := fieldID(0); f < nExport; f++ {
		switch {
		case fields[f].kind == kIgnore:
		case fields[f].member:
			memberFields = append(memberFields, f)
		default:
			householdFields = append(householdFields, f)
		}
	}
}
