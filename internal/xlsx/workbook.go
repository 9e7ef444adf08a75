package xlsx

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"
)

// The package parts (workbook, relationships) are small, so encoding/xml is fine for them;
// only sheet data and shared strings go through the hand-written scanner.

type xmlRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
		Mode   string `xml:"TargetMode,attr"`
	} `xml:"Relationship"`
}

type xmlWorkbook struct {
	Sheets []struct {
		Name  string     `xml:"name,attr"`
		Attrs []xml.Attr `xml:",any,attr"`
	} `xml:"sheets>sheet"`
}

// maxPartSize bounds the workbook and relationship parts read into memory.
const maxPartSize = 16 << 20

// sheetPart is a worksheet of the workbook.
type sheetPart struct {
	name string
	file *zip.File
}

// pkg is an opened xlsx package: its parts by normalised name.
type pkg struct {
	files map[string]*zip.File
}

func partKey(name string) string {
	return strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(name, `\`, "/"), "/"))
}

func newPkg(zr *zip.Reader) *pkg {
	p := &pkg{files: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		p.files[partKey(f.Name)] = f
	}
	return p
}

// resolve turns a relationship target into a part name: targets are relative to the
// directory of the part owning the relationships, or absolute from the package root.
func resolve(owner, target string) string {
	target = strings.ReplaceAll(target, `\`, "/")
	if strings.HasPrefix(target, "/") {
		return path.Clean(target[1:])
	}
	return path.Clean(path.Join(path.Dir(owner), target))
}

func relsPath(part string) string {
	return path.Join(path.Dir(part), "_rels", path.Base(part)+".rels")
}

func (p *pkg) readXML(name string, v any) (found bool, err error) {
	f := p.files[partKey(name)]
	if f == nil {
		return false, nil
	}
	rc, err := f.Open()
	if err != nil {
		return true, err
	}
	defer rc.Close()
	if err := xml.NewDecoder(io.LimitReader(rc, maxPartSize)).Decode(v); err != nil {
		return true, fmt.Errorf("%s：%w", name, explain(err))
	}
	return true, nil
}

func (p *pkg) rels(part string) (xmlRels, bool, error) {
	var r xmlRels
	found, err := p.readXML(relsPath(part), &r)
	return r, found, err
}

// workbookPart finds the main workbook part through the package relationships, falling back to
// the usual name.
func (p *pkg) workbookPart() (string, error) {
	rels, _, err := p.rels("")
	if err != nil {
		return "", err
	}
	for _, r := range rels.Rels {
		if strings.HasSuffix(r.Type, "/officeDocument") && p.files[partKey(resolve("", r.Target))] != nil {
			return resolve("", r.Target), nil
		}
	}
	if p.files["xl/workbook.xml"] != nil {
		return "xl/workbook.xml", nil
	}
	return "", fmt.Errorf("缺少工作簿 xl/workbook.xml")
}

// sheets lists the worksheets in workbook order, hidden ones included. Chart sheets and dialog
// sheets have no cells and are left out. It also returns the shared strings part, if any.
func (p *pkg) sheets() (sheets []sheetPart, sst *zip.File, err error) {
	wbPath, err := p.workbookPart()
	if err != nil {
		return nil, nil, err
	}
	var wb xmlWorkbook
	if _, err := p.readXML(wbPath, &wb); err != nil {
		return nil, nil, err
	}
	rels, found, err := p.rels(wbPath)
	if err != nil {
		return nil, nil, err
	}
	if !found {
		return nil, nil, fmt.Errorf("缺少工作簿关系文件 %s", relsPath(wbPath))
	}
	targets := make(map[string]string, len(rels.Rels))
	for _, r := range rels.Rels {
		switch {
		case r.Mode == "External":
		case strings.HasSuffix(r.Type, "/sharedStrings"):
			sst = p.files[partKey(resolve(wbPath, r.Target))]
		case r.Type == "" || strings.HasSuffix(r.Type, "/worksheet"):
			targets[r.ID] = resolve(wbPath, r.Target)
		}
	}
	if sst == nil {
		sst = p.files[partKey(path.Join(path.Dir(wbPath), "sharedStrings.xml"))]
	}
	for _, s := range wb.Sheets {
		target, ok := targets[relID(s.Attrs)]
		if !ok {
			continue // a chart sheet or dialog sheet
		}
		f := p.files[partKey(target)]
		if f == nil {
			return nil, nil, fmt.Errorf("工作表「%s」缺失（%s）", s.Name, target)
		}
		sheets = append(sheets, sheetPart{name: s.Name, file: f})
	}
	return sheets, sst, nil
}

// relID finds the r:id attribute of a <sheet>, in the transitional or strict namespace.
func relID(attrs []xml.Attr) string {
	id := ""
	for _, a := range attrs {
		if a.Name.Local != "id" {
			continue
		}
		if strings.HasSuffix(a.Name.Space, "relationships") {
			return a.Value
		}
		id = a.Value
	}
	return id
}
