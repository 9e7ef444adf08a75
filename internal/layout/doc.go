// Package layout reads and writes the national registry spreadsheet layout:
// one row per person, as townships, counties and the national system
// exchange it. Decoder turns messy real files into fupin.Household values
// and explains every bad cell (CellError: sheet, row, column header text,
// value, Chinese reason); EncodeHousehold writes households back as rows
// in the same layout, so that importing an export gives back the same
// registry. The package works on cell texts only; reading and writing
// .xlsx or .csv files is the caller's business.
//
// # Columns
//
// ExportHeader lists the columns in this order: the national list's 28
// columns, then Fupin's extra columns for its richer record. On import the
// order does not matter and the header is found by DetectHeader; the
// spellings in the third column are accepted besides the name (after
// normalisation, and a unit in brackets is optional: 耕地 = 耕地（亩）).
// Level 户 means household-level: the value is repeated on every member
// row; the decoder takes it from the 户主 row (or, when that cell is
// blank, from the first row that has it) and reports a conflict on a row
// that holds a different value. Blank cells never conflict, since merged
// cells leave them blank.
//
//	Column              Lv  Also accepted                 Fupin field / format
//	县                  户  县(市、区、旗) 区县             county name, for resolving the village (see 村代码)
//	乡(镇)              户  乡镇 乡(镇、街道)               township name, likewise
//	行政村              户  村 村(社区)                     village name, likewise
//	自然村              户  自然村(组) 村民小组             NaturalVillage
//	户编号              户  户号 户码 户编码                HouseholdNo; groups the rows, see Decoder
//	人编号              人  人员编号 成员编号               PersonNo
//	姓名                人  成员姓名 人员姓名               Name
//	证件号码            人  身份证号(码) 公民身份号码       IDNumber, through idcard.Parse (15 digits upgraded)
//	人数                户  家庭人口数 户人数               checked against the rows of current members; not stored
//	与户主关系          人  与户主的关系 关系               Relation (户主, 配偶, 之子/子/儿子/长子 …)
//	民族                人  (汉 for 汉族 …)                 Ethnicity
//	文化程度            人  学历                            Education
//	在校生状况          人  在校生情况                      SchoolStatus; 小学三年级 → primary, 七年级/初一 → junior; blank, see below
//	健康状况            人  健康情况                        Health; combinations: most severe, see below
//	劳动技能            人  劳动能力                        Labour
//	务工时间（月）      人  务工时长(月) 务工月数           MigrantMonths, whole months
//	是否参加大病保险    人  参加大病保险 大病保险           CriticalIllness, yes/no
//	致贫原因            户  致贫原因1 主要致贫原因          Risks, used only when the sheet has no 致贫返贫风险 column; written: first risk
//	危房户              户  是否危房户                      cross-checked with 危房等级, see below; written: 是 for C/D, 否 for A/B
//	是否解决安全饮用水  户  安全饮用水                      ignored on import (a verdict of the policy engine); written blank
//	人均纯收入          户  家庭人均纯收入                  ignored on import (computed); written: the carried year's per-capita net income
//	联系电话            户  户联系电话 手机号 电话          Phone (household)
//	首次识别时间        户  识别时间                        IdentifiedOn, date
//	户类型              户  户类别                          Type: 普通农户/一般农户 → ordinary, 脱贫户/脱贫户（已脱贫） → ex_poor
//	监测对象类型        户  易返贫致贫户(监测对象)类型      MonitorType; 无/否/blank → not monitored
//	风险是否消除        户  是否消除风险                    cross-checked with 风险消除时间; written for monitored households
//	风险识别时间        户  监测识别时间 纳入监测时间       MonitorIdentifiedOn, date
//	风险消除时间        户  风险消除日期                    RiskEliminatedOn, date
//	村代码              户  村级区划代码 统计用区划代码     VillageCode, 12 digits (2023 codes); authoritative when present
//	家庭住址            户  住址 家庭地址                   Address
//	贫困户属性          户  脱贫户属性                      PovertyAttr (一般贫困户, 低保贫困户/低保户, 特困供养户/五保户)
//	脱贫时间            户  脱贫日期                        ExitedOn, date
//	风险消除方式        户  消除方式                        EliminationMode
//	致贫返贫风险        户  致贫/返贫风险 风险类型          Risks, labels joined by 、 (also , ； /), "因病致贫" = 因病
//	人联系电话          人  个人联系电话 本人联系电话       Member.Phone
//	失辍学原因          人  辍学原因                        DropoutExemption
//	残疾等级            人  残疾级别                        DisabilityGrade: 一级…四级 (1级, 1 …), blank = none
//	务工地点            人  务工所在地                      MigrantPlace (县内, 省内县外, 省外)
//	基本医疗保险        人  是否参加基本医疗保险            MedicalInsurance (城乡居民, 职工, 未参保/否)
//	养老保险            人  基本养老保险                    PensionInsurance, likewise
//	低保                人  是否享受低保                    Dibao, yes/no
//	特困                人  是否特困供养人员                Tekun, yes/no
//	公益岗位            人  公益性岗位                      PublicWelfareJob, yes/no
//	易地搬迁            人  是否易地扶贫搬迁人口            Member.Relocated, yes/no
//	加入日期            人  增员日期                        JoinedOn, date
//	加入原因            人  增员原因                        JoinReason (建档时在册, 出生, 婚入, 迁入)
//	减员日期            人  减员时间                        LeftOn, date; a row with it is a member who left
//	减员原因            人                                  LeaveReason (死亡, 迁出, 婚嫁, 其他); required with 减员日期
//	减员说明            人  减员备注                        LeaveNote
//	住房面积            户  住房面积(㎡)                    Housing.AreaM2, m²; blank = unknown
//	危房等级            户  住房危险等级                    Housing.Grade: A级…D级, A … D, 局部危房 = C, 整幢危房 = D
//	是否易地扶贫搬迁    户  易地扶贫搬迁户                  Housing.Relocated, yes/no
//	另有安全住房        户                                  Housing.OtherSafeHome, yes/no
//	集中供养            户                                  Housing.InstitutionalCare, yes/no
//	供水方式            户                                  Water.Supply (集中供水, 分散供水)
//	日供水量（升/人）   户  日供水量 供水量                 Water.LitresPerDay; blank = unknown
//	缺水地区            户                                  Water.ScarceArea, yes/no
//	水质达标            户  水质是否达标                    Water.QualityOK; blank = unknown
//	自来水入户          户                                  Water.TapAtHome; blank = unknown
//	取水时间（分钟）    户  取水往返时间(分钟)              Water.FetchMinutes; blank = unknown
//	取水水平距离（米）  户                                  Water.FetchDistanceM; blank = unknown
//	取水垂直距离（米）  户                                  Water.FetchVerticalM; blank = unknown
//	年缺水天数          户  全年缺水天数                    Water.DaysWithoutSupply; blank = unknown
//	通生活用电          户                                  Living.Electricity, yes/no
//	通广播电视          户                                  Living.RadioTV, yes/no
//	通宽带              户                                  Living.Broadband, yes/no
//	入户路类型          户                                  Living.RoadType (硬化路/水泥路, 砂石路, 泥土路, 无入户路)
//	距村主干路（公里）  户  与村主干路距离(公里)            Living.RoadDistanceKm; blank = unknown
//	耕地 林地 退耕还林  户  耕地面积 …                      Land, 亩; blank = 0
//	林果 牧草地 水面    户  林果面积 …                      Land, 亩; blank = 0
//	不愁吃 不愁穿       户                                  Basics.FoodSecure, ClothingSecure; blank = unknown
//	两不愁核查日期      户  核查日期                        Basics.CheckedOn, date
//	两不愁备注          户                                  Basics.Note
//	收入年度            户  年度                            the one IncomeYear carried (see below)
//	工资性收入 …        户                                  Wage, Business (生产经营性收入), Property (财产性收入),
//	                                                        Transfer (转移性收入), BusinessExpense (生产经营性支出),
//	                                                        Claims (理赔收入), EligibleOutOfPocket (合规自付支出); yuan
//
// Columns such as 序号, 性别, 出生日期, 年龄 (derived from the ID number),
// 人员识别时间, 政治面貌 are recognised and ignored (Header.Ignored); any
// other column is listed in Header.Unknown and ignored.
//
// # Cells
//
// Cells are trimmed; "/", "-", "—" count as blank. Full-width digits and
// letters are folded. Dates are text (2021-03-05, 2021/3/5, 2021.3.5,
// 2021年3月5日, 20210305, a time after the date is ignored) or Excel serial
// days (43896 or 43896.0 = 2020-03-06; Excel's nonexistent 1900-02-29,
// serial 60, is rejected and serials from 61 on are corrected for it); a
// year alone is rejected. Numbers accept thousands separators, a leading
// ¥ and the unit of the column (1,234.50元, 3个月, 2.5亩); scientific
// notation is rejected. Yes/no cells accept 是/否, √/×, 有/无, Y/N, 1/0,
// true/false. Coded cells accept the fupin label, the code itself and the
// national and county variants listed in codes.go. 户编号, 人编号 and phone
// numbers lose Excel's ".0" and leading apostrophe; in scientific notation
// (5.00236E+17) they are rejected because digits are lost.
//
// Rules where the layout had to decide:
//   - 健康状况 naming several conditions ("残疾,长期慢性病") keeps the most
//     severe by 患大病 > 残疾 > 长期慢性病 > 健康: the one that weighs most in
//     the 因病/因残 checks; a disability stays recorded in 残疾等级.
//   - 在校生状况 blank means 非在校生 (none) in a sheet without a 村代码
//     column, as national lists leave it blank for non-students. Fupin's
//     own exports (which have 村代码) write 非在校生, so there a blank cell
//     stays unrecorded, which the policy engine treats as unknown.
//   - 危房户 = 是 with no 危房等级 gives grade C (局部危房, the milder
//     dangerous grade); 危房户 = 否 with no grade leaves the grade unknown
//     rather than invent A or B. With a grade, 危房户 must agree with it.
//   - 致贫原因 is the national list's single cause. When the sheet also has
//     致贫返贫风险, that column is authoritative and 致贫原因 is ignored;
//     otherwise 致贫原因 (one or several causes) becomes Risks.
//   - 风险是否消除 must agree with 风险消除时间 (是 needs a date, 否 none).
//   - 人均纯收入 is not read: the server computes it from the incomes and
//     members, and a typed figure would only mislead.
//
// # Households and people
//
// After a household's rows are read it is normalised and checked with
// Household.Normalize, Household.ValidateFields and fupin.ValidateMembers;
// their field paths ("members[1].id_number", "housing.grade" …) are mapped
// back to the sheet, row and column they came from. The decoder adds: a
// household without an active 户主 row (the error names its rows), a
// person whose ID number appeared earlier in the file (error on the later
// row), a 户编号 whose rows are not adjacent, a village outside
// Options.Area, 人数 different from the rows of current members, 减员日期
// and 减员原因 given one without the other.
//
// The village comes from 村代码 when present (it must be a 2023 village
// code); otherwise the 县, 乡(镇) and 行政村 names are resolved below
// Options.Area with region.Search (exact names first, suffixes such as 县,
// 乡, 村 optional; an ambiguous or unknown name is an error asking for
// 村代码), or by Options.Resolve. When Area is itself a village, rows
// without either belong to it.
//
// # What the layout does not carry
//
// Exporting and importing keeps every field above. It does not carry: the
// registry's own ids, versions, timestamps and deletion marks; Sex and
// BirthDate, which come back from the ID number; HeadName and Size, which
// are recomputed; income years other than the latest (the layout carries
// ONE income year per file: the household's latest, and 收入年度 says
// which) and income detail lines (IncomeYear.Items; the category totals
// are carried). An export with a mask (ID numbers and phones hidden)
// cannot be imported back.
package layout
