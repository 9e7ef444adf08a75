package httpapi

import (
	"net/http"
	"strconv"

	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// packIn asks for a year's report pack; the source is chosen explicitly.
type packIn struct {
	Area       string `query:"area" required:"true" pattern:"^[0-9]{6}([0-9]{3}){0,2}$" description:"县（6 位）、乡镇（9 位）或村（12 位）区划代码"`
	Year       int    `query:"year" required:"true" minimum:"2013" maximum:"2100" description:"考核年度"`
	Source     string `query:"source" required:"true" enum:"live,snapshot" description:"总览数据来源：live 实时数据，snapshot 快照（须给 snapshot_id）"`
	SnapshotID int64  `query:"snapshot_id" minimum:"1" description:"快照编号（source=snapshot 时必填；快照须为该年度且区域包含所选区域）"`
	Format     string `query:"format" enum:"xlsx" description:"xlsx：下载，每部分一张表"`
}

func (s *Server) reportPack(w http.ResponseWriter, r *http.Request) {
	withIn(s, w, r, func(a fupin.Actor, in packIn) (any, error) {
		req := sqlstore.PackIn{Area: in.Area, Year: in.Year, Live: in.Source == "live"}
		if in.Source == "snapshot" {
			req.SnapshotID = in.SnapshotID
		}
		p, err := s.db.ReportPack(r.Context(), a, req)
		if err != nil {
			return nil, err
		}
		if in.Format == "xlsx" {
			s.sendBook(w, r, strconv.Itoa(in.Year)+"年度成效材料", in.Area, p.Sheets)
			return nil, errAnswered
		}
		return p, nil
	})
}
