package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// Request shapes for the OpenAPI document; the handlers read the same
// parameters.
type (
	idIn struct {
		ID int64 `path:"id" description:"农户编号"`
	}
	householdListIn struct {
		Area        string `query:"area" pattern:"^[0-9]{0,12}$" description:"区划代码前缀，如 500236266（平安乡）"`
		Type        string `query:"household_type" enum:"ordinary,ex_poor"`
		PovertyAttr string `query:"poverty_attr" enum:"general,dibao,tekun"`
		MonitorType string `query:"monitor_type" enum:"unstable,marginal,sudden,prevent,dibao,tekun,dibao_edge"`
		Monitored   bool   `query:"monitored" description:"仅监测户"`
		Q           string `query:"q" maxLength:"50" description:"任一在册成员姓名的任意部分；身份证号码后 4–6 位；10 位以上时为户编号或身份证号码前缀"`
		Sort        string `query:"sort" maxLength:"20" description:"id, household_no, village_code, head_name, size, updated_at；前加 - 为降序"`
		Offset      int    `query:"offset" minimum:"0" maximum:"100000000"`
		Limit       int    `query:"limit" minimum:"0" maximum:"500" description:"1–500，默认 20"`
		Deleted     bool   `query:"deleted" description:"列出已删除的农户"`
		formatParam
	}
	householdUpdateIn struct {
		ID int64 `path:"id"`
		fupin.Household
	}
	householdEditIn struct {
		ID int64 `path:"id"`
		sqlstore.HouseholdEdit
	}
	deleteIn struct {
		ID      int64  `path:"id"`
		Version int64  `json:"version" required:"true"`
		Reason  string `json:"reason" required:"true"`
	}
	memberAddIn struct {
		ID int64 `path:"id"`
		sqlstore.MemberChange
	}
	memberUpdateIn struct {
		ID       int64 `path:"id"`
		MemberID int64 `path:"member_id"`
		sqlstore.MemberChange
	}
	memberLeaveIn struct {
		ID       int64 `path:"id"`
		MemberID int64 `path:"member_id"`
		fupin.MemberLeave
	}
	incomeIn struct {
		ID   int64 `path:"id"`
		Year int   `path:"year"`
		fupin.IncomeInput
	}
	historyBody struct {
		Items []sqlstore.AuditEntry `json:"items"`
	}
	membersBody struct {
		Items []fupin.Member `json:"items"`
	}
	incomesBody struct {
		Items []fupin.IncomeYear `json:"items"`
	}
)

func (s *Server) listHouseholds(w http.ResponseWriter, r *http.Request) {
	var in householdListIn
	if err := bind(r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	f := fupin.HouseholdFilter{Area: in.Area, Type: in.Type,
		PovertyAttr: in.PovertyAttr, MonitorType: in.MonitorType, Monitored: in.Monitored,
		Query: in.Q, Sort: in.Sort, Offset: in.Offset, Limit: in.Limit, Deleted: in.Deleted,
		NoIDSearch: !principalOf(r).role.SeesIdentity()}
	if in.Format == "xlsx" {
		s.exportHouseholds(w, r, f)
		return
	}
	a, err := actorOf(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// The kept bytes are the same for every role with these areas: the
	// identityFilter masks them afterwards for roles that may not see
	// identities.
	b, err := s.db.ListHouseholdsEncoded(r.Context(), a, f, func(p sqlstore.HouseholdPage) ([]byte, error) { return encodeJSON(p) })
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeEncoded(w, http.StatusOK, b)
}

// exportHouseholds is 农户台账's 导出 Excel: the list's columns, every row
// of the filter in its sort.
func (s *Server) exportHouseholds(w http.ResponseWriter, r *http.Request, f fupin.HouseholdFilter) {
	a, err := actorOf(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	villages := villageNames{}
	sh := listSheet{list: "农户台账", area: f.Area,
		header: []string{"户编号", "户主", "所在村", "人数", "户类型", "贫困户属性", "监测类型", "联系电话", "更新时间"}}
	s.writeListExport(w, r, sh, func(offset, limit int) ([][]string, int, error) {
		f.Offset, f.Limit = offset, limit
		page, err := s.db.ListHouseholds(r.Context(), a, f)
		rows := make([][]string, 0, len(page.Items))
		for _, h := range page.Items {
			rows = append(rows, []string{h.HouseholdNo, h.HeadName, villages.name(h.VillageCode), strconv.Itoa(h.Size),
				codeLabel(fupin.HouseholdTypes, h.Type), codeLabel(fupin.PovertyAttrs, h.PovertyAttr),
				codeLabel(fupin.MonitorTypes, h.MonitorType), h.Phone, cstTime(h.UpdatedAt)})
		}
		return rows, page.Total, err
	})
}

func (s *Server) createHousehold(w http.ResponseWriter, r *http.Request) {
	withJSON(s, w, r, http.StatusCreated, func(a fupin.Actor, h fupin.Household) (any, error) {
		return s.db.CreateHousehold(r.Context(), a, &h)
	})
}

func (s *Server) getHousehold(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) {
		return s.db.Household(r.Context(), a, id)
	})
}

func (s *Server) updateHousehold(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, h fupin.Household) (any, error) {
		h.ID = id
		return s.db.UpdateHousehold(r.Context(), a, &h)
	})
}

// editHousehold saves the edit form: the household and its member changes
// in one transaction.
func (s *Server) editHousehold(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, e sqlstore.HouseholdEdit) (any, error) {
		return s.db.EditHousehold(r.Context(), a, id, e)
	})
}

func (s *Server) deleteHousehold(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in deleteIn) (any, error) {
		if err := s.db.DeleteHousehold(r.Context(), a, id, in.Version, in.Reason); err != nil {
			return nil, err
		}
		return s.db.Household(r.Context(), a, id)
	})
}

func (s *Server) householdHistory(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) {
		items, err := s.db.HouseholdHistory(r.Context(), a, id)
		if err == nil {
			err = s.db.NameActors(r.Context(), items)
		}
		return historyBody{Items: items}, err
	})
}

func (s *Server) listMembers(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) {
		h, err := s.db.Household(r.Context(), a, id)
		if err != nil {
			return nil, err
		}
		return membersBody{Items: h.Members}, nil
	})
}

func (s *Server) addMember(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusCreated, func(a fupin.Actor, id int64, c sqlstore.MemberChange) (any, error) {
		return s.db.AddMember(r.Context(), a, id, c)
	})
}

func (s *Server) updateMember(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, c sqlstore.MemberChange) (any, error) {
		mid, err := pathID(r, "member_id")
		if err != nil {
			return nil, err
		}
		return s.db.UpdateMember(r.Context(), a, id, mid, c)
	})
}

func (s *Server) leaveMember(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, l fupin.MemberLeave) (any, error) {
		mid, err := pathID(r, "member_id")
		if err != nil {
			return nil, err
		}
		return s.db.LeaveMember(r.Context(), a, id, mid, l)
	})
}

func (s *Server) listIncomes(w http.ResponseWriter, r *http.Request) {
	s.withID(w, r, http.StatusOK, func(a fupin.Actor, id int64) (any, error) {
		h, err := s.db.Household(r.Context(), a, id)
		if err != nil {
			return nil, err
		}
		return incomesBody{Items: h.Incomes}, nil
	})
}

func (s *Server) putIncome(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in fupin.IncomeInput) (any, error) {
		year, err := strconv.Atoi(strings.TrimSpace(r.PathValue("year")))
		if err != nil {
			return nil, &fupin.Error{Code: fupin.EInvalid, Message: "年度应为四位数字",
				Fields: map[string]string{"year": "年度应为四位数字"}}
		}
		return s.db.PutIncome(r.Context(), a, id, year, in)
	})
}

// file is a non-JSON answer: its bytes and type, and for a download the
// file name (ASCII fallback and the real, possibly Chinese, name).
type file struct {
	contentType     string
	asciiName, name string // empty: shown inline
	data            []byte
}

// fileByID is withID for routes under /…/{id} that answer a file: fn
// builds it whole, so that an error still gets the JSON error answer.
func (s *Server) fileByID(w http.ResponseWriter, r *http.Request, fn func(fupin.Actor, int64) (*file, error)) {
	actor, err := actorOf(r)
	var id int64
	if err == nil {
		id, err = pathID(r, "id")
	}
	var f *file
	if err == nil {
		f, err = fn(actor, id)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Content-Length", strconv.Itoa(len(f.data)))
	if f.name != "" {
		h.Set("Content-Disposition", attachment(f.asciiName, f.name))
	}
	w.WriteHeader(http.StatusOK)
	w.Write(f.data)
}

// DELETE carries a JSON body (the reason, and the version for households);
// ForceRequestBody tells the OpenAPI generator to describe it.
func (deleteIn) ForceRequestBody()    {}
func (helperEndIn) ForceRequestBody() {}
