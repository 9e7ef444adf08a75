package monitor

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"fupin/internal/fupin"
	"fupin/internal/xlsx"
)

// MaxRowProblems bounds the problems a department list reports.
const MaxRowProblems = 200

// DeptFile is a read department list: the usable rows, the problems of the
// others (the first MaxRowProblems, with the total) and the file's SHA-256.
type DeptFile struct {
	Rows     []DeptRow    `json:"-"`
	Problems []RowProblem `json:"problems"`
	Bad      int          `json:"bad_rows"`
	SHA256   string       `json:"sha256"`
}

// ReadDeptFile reads a department list (.xlsx or .csv) at path: the first
// row with an ID-number and a fact column is the header, every later row a
// person. Errors: invalid when the file cannot be read, has no header or
// more than MaxDeptRows rows.
func ReadDeptFile(path string, today fupin.Date) (*DeptFile, error) {
	sum, err := fileSHA(path)
	if err != nil {
		return nil, err
	}
	r, err := xlsx.Open(path)
	if err != nil {
		return nil, field(fupin.EInvalid, "file", "无法读取名单文件："+err.Error())
	}
	defer r.Close()
	out := &DeptFile{SHA256: sum, Rows: []DeptRow{}, Problems: []RowProblem{}}
	id, fact, date, found := -1, -1, -1, false
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, field(fupin.EInvalid, "file", "名单文件损坏："+err.Error())
		}
		if !found {
			id, fact, date, found = DeptColumns(row.Cells)
			continue
		}
		if len(out.Rows)+out.Bad >= MaxDeptRows {
			return nil, field(fupin.EInvalid, "file", fmt.Sprintf("名单超过 %d 行，请分批导入", MaxDeptRows))
		}
		d, p := ParseDeptRow(row.Num, row.Cells, id, fact, date, today)
		if p != nil {
			out.Bad++
			if len(out.Problems) < MaxRowProblems {
				out.Problems = append(out.Problems, *p)
			}
			continue
		}
		out.Rows = append(out.Rows, d)
	}
	if !found {
		return nil, field(fupin.EInvalid, "file", "未找到表头：需要“身份证号”和“情况”两列")
	}
	return out, nil
}

func fileSHA(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
