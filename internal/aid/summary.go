package aid

// Summary is the dashboard count of the aid forces in an area.
type Summary struct {
	Area          string `json:"area"`
	Groups        int    `json:"groups" description:"帮扶集团数"`
	CadresOnPost  int    `json:"cadres_on_post" description:"在岗干部人数"`
	NeedHelper    int    `json:"need_helper" description:"须有帮扶责任人的户数"`
	Unpaired      int    `json:"unpaired" description:"违反每户一名帮扶责任人的户数（应为 0）"`
	OverdueVisits int    `json:"overdue_visits" description:"超期未走访户数"`
	TermsEnding   int    `json:"terms_ending" description:"任期即将届满人数"`
	TermsOverdue  int    `json:"terms_overdue" description:"任期已超期人数"`
	Rotations     int    `json:"rotations" description:"进行中的轮换"`
}
