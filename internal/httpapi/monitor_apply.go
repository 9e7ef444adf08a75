package httpapi

import (
	"net/http"
	"strconv"

	"fupin/internal/fupin"
	"fupin/internal/monitor"
	"fupin/internal/region"
	"fupin/internal/sqlstore"
)

type (
	publicVillagesIn struct {
		Township string `query:"township" required:"true" description:"乡镇（街道）区划代码，9 位"`
	}
	publicVillagesBody struct {
		Township     string          `json:"township"`
		TownshipName string          `json:"township_name"`
		Villages     []region.Region `json:"villages"`
	}
	receiptBody struct {
		Receipt string `json:"receipt" description:"受理回执号"`
		Message string `json:"message"`
	}
	applicationListIn struct {
		areaParam
		Open bool `query:"open" description:"只列待受理的"`
		pageParams
	}
	applicationRecordIn struct {
		HouseholdID int64  `formData:"household_id" required:"true" description:"申报农户"`
		Phone       string `formData:"phone" required:"true" description:"联系电话"`
		Content     string `formData:"content" required:"true" description:"家庭困难情况，至多 200 字"`
		File        string `formData:"file" format:"binary" required:"true" description:"签字的承诺授权书：PDF（不超过 10 MB）或 JPEG/PNG 图片（不超过 5 MB）"`
	}
	applicationDecideIn struct {
		ID int64 `path:"id"`
		sqlstore.ApplicationDecision
	}
)

// publicVillages lists a township's villages and communities for the
// public application page (region data, no registry data); a township the
// system does not serve is not found, as its applications would be refused.
func (s *Server) publicVillages(w http.ResponseWriter, r *http.Request) {
	var in publicVillagesIn
	err := bind(r, &in)
	if err == nil && len(in.Township) != 9 {
		err = &fupin.Error{Code: fupin.EInvalid, Message: "乡镇代码应为 9 位区划代码", Fields: map[string]string{"township": "应为 9 位区划代码"}}
	}
	var t region.Region
	if err == nil {
		if t, err = region.Lookup(in.Township); err != nil || t.Level != region.LevelTownship {
			err = &fupin.Error{Code: fupin.ENotFound, Message: "没有这个乡镇（街道）", Fields: map[string]string{"township": "没有这个乡镇（街道）"}}
		}
	}
	if err == nil {
		var ok bool
		if ok, err = s.db.ServesTownship(r.Context(), t.Code); err == nil && !ok {
			err = &fupin.Error{Code: fupin.ENotFound, Message: "本系统未开通该乡镇（街道）的网上申报",
				Fields: map[string]string{"township": "本系统未开通该乡镇（街道）的网上申报"}}
		}
	}
	var kids []region.Region
	if err == nil {
		kids, err = region.Children(t.Code)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, publicVillagesBody{Township: t.Code, TownshipName: t.Name, Villages: kids})
}

// submitApplication takes an application from the public page: same-site
// JSON of at most 4 KiB, bounded fields, per-address and per-township daily caps (the
// store's). The answer is the same for anyone, registered or not: a
// receipt number, nothing of the applicant.
func (s *Server) submitApplication(w http.ResponseWriter, r *http.Request) {
	var in monitor.Application
	err := checkSameSiteJSON(r, "申报")
	if err == nil {
		r.Body = http.MaxBytesReader(w, r.Body, monitor.MaxApplyBody)
		err = decode(w, r, &in)
	}
	var receipt string
	if err == nil {
		receipt, err = s.db.SubmitApplication(r.Context(), s.clientAddr(r), "", in)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, receiptBody{Receipt: receipt,
		Message: "申报已提交，请记下回执号。村（社区）和乡镇工作人员将在核实后与您联系。"})
}

func (s *Server) listApplications(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in applicationListIn) (any, error) {
		return s.db.MonitorApplications(r.Context(), a, sqlstore.ApplicationFilter{Area: in.Area, Open: in.Open,
			Offset: in.Offset, Limit: in.Limit})
	})
}

func (s *Server) decideApplication(w http.ResponseWriter, r *http.Request) {
	withBody(s, w, r, http.StatusOK, func(a fupin.Actor, id int64, in sqlstore.ApplicationDecision) (any, error) {
		if err := monitorWriter(r); err != nil {
			return nil, err
		}
		return s.db.DecideApplication(r.Context(), a, id, in)
	})
}

// recordApplication stores an application a cadre records on a household's
// behalf, with the signed 承诺授权书 (multipart; the body is bounded like
// ledger evidence).
func (s *Server) recordApplication(w http.ResponseWriter, r *http.Request) {
	if err := monitorWriter(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	defer removeUpload(r)
	data, filename, err := readDocument(w, r, "签字的承诺授权书")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	in := sqlstore.CadreApplication{Phone: r.FormValue("phone"), Content: r.FormValue("content")}
	if in.HouseholdID, err = strconv.ParseInt(r.FormValue("household_id"), 10, 64); err != nil || in.HouseholdID <= 0 {
		s.writeError(w, r, &fupin.Error{Code: fupin.EInvalid, Message: "请选择申报的农户", Fields: map[string]string{"household_id": "请选择申报的农户"}})
		return
	}
	s.respond(w, r, http.StatusCreated, func(a fupin.Actor) (any, error) {
		return s.db.RecordApplication(r.Context(), a, in, filename, data)
	})
}

// applicationAuthorization answers an application's 承诺授权书 as an attachment.
func (s *Server) applicationAuthorization(w http.ResponseWriter, r *http.Request) {
	s.fileByID(w, r, func(a fupin.Actor, id int64) (*file, error) {
		f, err := s.db.ApplicationAuthorization(r.Context(), a, id)
		if err != nil {
			return nil, err
		}
		ext := fileExt(f.ContentType)
		return &file{contentType: f.ContentType, data: f.Data, asciiName: "authorization-" + strconv.FormatInt(id, 10) + ext, name: f.FileName}, nil
	})
}
