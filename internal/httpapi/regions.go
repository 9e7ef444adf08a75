package httpapi

import (
	"errors"
	"net/http"

	"fupin/internal/fupin"
	"fupin/internal/region"
)

type (
	regionIn struct {
		Code string `path:"code" description:"2/4/6/9/12 位区划代码，或 12 位补零形式"`
	}
	regionSearchIn struct {
		Q      string `query:"q" required:"true" maxLength:"50" description:"名称关键字"`
		Within string `query:"within" maxLength:"12" description:"限定在此区划之内；县级以上才搜索到村"`
		Limit  int    `query:"limit" minimum:"1" maximum:"100" description:"默认 20，最多 100"`
	}
	regionBody struct {
		region.Region
		LevelLabel string          `json:"level_label"`
		Vintage    string          `json:"vintage"`
		Path       []region.Region `json:"path"`
		Children   []region.Region `json:"children"`
	}
	regionList struct {
		Items []region.Region `json:"items"`
	}
)

func (s *Server) getRegion(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	reg, err := region.Lookup(code)
	if err != nil {
		s.writeError(w, r, regionError(code, err))
		return
	}
	path, err := region.Path(reg.Code)
	if err != nil {
		s.writeError(w, r, regionError(code, err))
		return
	}
	children, err := region.Children(reg.Code)
	if err != nil {
		s.writeError(w, r, regionError(code, err))
		return
	}
	if children == nil {
		children = []region.Region{}
	}
	writeJSON(w, http.StatusOK, regionBody{Region: reg, LevelLabel: reg.Level.Label(),
		Vintage: region.Vintage, Path: path, Children: children})
}

func (s *Server) searchRegions(w http.ResponseWriter, r *http.Request) {
	var in regionSearchIn
	if err := bind(r, &in); err != nil {
		s.writeError(w, r, err)
		return
	}
	if in.Q == "" {
		s.writeError(w, r, &fupin.Error{Code: fupin.EInvalid, Message: "请输入名称关键字",
			Fields: map[string]string{"q": "不能为空"}})
		return
	}
	within := in.Within
	if within != "" {
		c, err := region.Normalize(within)
		if err != nil {
			s.writeError(w, r, regionError(within, err))
			return
		}
		within = c
	}
	items := region.Search(in.Q, within, in.Limit)
	if items == nil {
		items = []region.Region{}
	}
	writeJSON(w, http.StatusOK, regionList{Items: items})
}

func regionError(code string, err error) error {
	if errors.Is(err, region.ErrNotFound) {
		return fupin.Errorf(fupin.ENotFound, "统计用区划代码（%s 年版）中没有 %s", region.Vintage, code)
	}
	return &fupin.Error{Code: fupin.EInvalid, Message: "区划代码应为 2、4、6、9 或 12 位数字：" + code,
		Fields: map[string]string{"code": "格式不正确"}}
}
