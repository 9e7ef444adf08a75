package httpapi

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// TestMaskingWriterLeavesFilesAlone: the masking writer masks JSON
// answers but sends a file's bytes as they are, so a binary download whose
// bytes happen to spell an ID number keeps its content and length.
func TestMaskingWriterLeavesFilesAlone(t *testing.T) {
	id := []byte("51222619600101011X")
	for _, tt := range []struct {
		contentType string
		wantSame    bool
	}{
		{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", true},
		{"application/json; charset=utf-8", false},
	} {
		body := append([]byte("PK\x03\x04 "), id...)
		rec := httptest.NewRecorder()
		mw := &maskingWriter{ResponseWriter: rec}
		mw.Header().Set("Content-Type", tt.contentType)
		mw.Header().Set("Content-Length", strconv.Itoa(len(body)))
		mw.WriteHeader(http.StatusOK)
		mw.Write(body)
		mw.finish()
		if same := bytes.Equal(rec.Body.Bytes(), body); same != tt.wantSame {
			t.Errorf("%s: body %q, unchanged %v, want %v", tt.contentType, rec.Body.Bytes(), same, tt.wantSame)
		}
	}
}
