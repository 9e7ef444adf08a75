package ledger

import (
	"bytes"
	"time"

	"fupin/internal/fupin"
)

// Bounds of evidence files (佐证材料) on a finding.
const (
	MaxEvidenceBytes      = 10 << 20 // one PDF; images are bounded as visit photos (5 MB)
	MaxEvidencePerFinding = 20
)

// EvidenceFile is a file attached to a finding as evidence of its
// rectification: a JPEG or PNG image (decoded and encoded again when
// stored) or a PDF document.
type EvidenceFile struct {
	ID          int64     `json:"id"`
	FindingID   int64     `json:"finding_id"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type" description:"image/jpeg、image/png 或 application/pdf"`
	Size        int       `json:"size" description:"字节数"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	Data        []byte    `json:"-"`
}

// IsPDF reports whether data starts like a PDF document.
func IsPDF(data []byte) bool { return bytes.HasPrefix(data, []byte("%PDF-")) }

// CheckPDF accepts a whole PDF document of at most MaxEvidenceBytes: it
// starts with the %PDF-1.x or 2.x header and has the %%EOF marker in its
// last kilobyte (a truncated upload has none). Errors: too_large, invalid
// on field file.
func CheckPDF(data []byte) error {
	if len(data) > MaxEvidenceBytes {
		return fupin.Errorf(fupin.ETooLarge, "PDF 文件不能超过 %d MB", MaxEvidenceBytes>>20)
	}
	bad := func(msg string) error {
		return &fupin.Error{Code: fupin.EInvalid, Message: msg, Fields: map[string]string{"file": msg}}
	}
	if len(data) < 16 || !IsPDF(data) || (data[5] != '1' && data[5] != '2') || data[6] != '.' {
		return bad("不是有效的 PDF 文件")
	}
	tail := data[max(0, len(data)-1024):]
	if !bytes.Contains(tail, []byte("%%EOF")) {
		return bad("PDF 文件不完整（缺少结束标记），请重新上传")
	}
	return nil
}
