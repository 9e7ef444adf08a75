package criteria

// Reason codes of Result.Code: "<item>.<reason>", stable for programs
// (statistics, filters); the Chinese text is rendered from them.
const (
	codeFoodYes         = "food.yes"
	codeFoodNo          = "food.no"
	codeFoodMissing     = "food.missing"
	codeClothingYes     = "clothing.yes"
	codeClothingNo      = "clothing.no"
	codeClothingMissing = "clothing.missing"

	codeEduNoMembers = "education.no_members"
	codeEduNoneOfAge = "education.none_of_age"
	codeEduInSchool  = "education.in_school"
	codeEduExempt    = "education.exempt"
	codeEduDropout   = "education.dropout"
	codeEduUnknown   = "education.unknown"

	codeMedNoMembers = "medical.no_members"
	codeMedInsured   = "medical.insured"
	codeMedUninsured = "medical.uninsured"
	codeMedMissing   = "medical.missing"

	codeHousingSafe      = "housing.safe_grade"
	codeHousingRelocated = "housing.relocated"
	codeHousingOtherHome = "housing.other_safe_home"
	codeHousingCare      = "housing.institutional_care"
	codeHousingUnsafe    = "housing.unsafe"
	codeHousingMissing   = "housing.missing"
	codeHousingInvalid   = "housing.invalid"

	codeWaterPass    = "water.pass"
	codeWaterFail    = "water.fail"
	codeWaterUnknown = "water.unknown"

	codeStandardWater  = "standard.water"
	codeStandardIncome = "standard.income"

	codeIncomeAbove        = "income.above_line"
	codeIncomeBelowLine    = "income.below_monitoring_line"
	codeIncomeBelowPoverty = "income.below_poverty_line"
	codeIncomeMissing      = "income.missing"
	codeIncomeNoSize       = "income.no_members"
)
