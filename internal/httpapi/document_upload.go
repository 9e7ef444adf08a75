package httpapi

import (
	"errors"
	"io"
	"net/http"

	"fupin/internal/fupin"
	"fupin/internal/ledger"
)

// readDocument reads the multipart field "file" of a document upload
// (ledger evidence, a 承诺授权书), bounding the body before anything is
// read. what names the document in the Chinese errors. The caller defers
// removeUpload(r) so the multipart temporary files are always removed; the
// content itself is checked by the store (type, size by kind).
func readDocument(w http.ResponseWriter, r *http.Request, what string) (data []byte, filename string, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, ledger.MaxEvidenceBytes+64<<10)
	f, hdr, err := r.FormFile("file")
	if err == nil {
		defer f.Close()
		data, err = io.ReadAll(io.LimitReader(f, ledger.MaxEvidenceBytes+1))
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, "", fupin.Errorf(fupin.ETooLarge, "%s每个文件不能超过 %d MB", what, ledger.MaxEvidenceBytes>>20)
		}
		return nil, "", &fupin.Error{Code: fupin.EInvalid, Message: "请以 multipart/form-data 上传" + what + "（字段 file）",
			Fields: map[string]string{"file": "缺少文件"}}
	}
	return data, hdr.Filename, nil
}

// fileExt is the download extension of a checked document type.
func fileExt(contentType string) string {
	if ext := map[string]string{"application/pdf": ".pdf", "image/png": ".png"}[contentType]; ext != "" {
		return ext
	}
	return ".jpg"
}
