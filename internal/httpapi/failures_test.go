package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
)

// A full disk is answered and logged as such; a client that went away is logged as info,
// not as an internal error; other errors stay internal errors with the generic message.
func TestFailureAnswersAndLogLevels(t *testing.T) {
	full := fmt.Errorf("save: %w", &fs.PathError{Op: "write", Path: "/var/lib/fupin/fupin.db-wal", Err: syscall.ENOSPC})
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name     string
		err      error
		ctx      context.Context
		wantMsg  string // "" when nothing is read by anyone
		wantLog  string
		logLevel string
	}{
		{"disk full", full, context.Background(), "磁盘空间已满", `"msg":"disk full"`, "ERROR"},
		{"client gone", fmt.Errorf("query: %w", context.Canceled), gone, "", `"msg":"client disconnected"`, "INFO"},
		{"client gone, driver says bad connection", errors.New("driver: bad connection"), gone, "", `"msg":"client disconnected"`, "INFO"},
		{"other", errors.New("boom"), context.Background(), "服务器内部错误", `"msg":"internal error"`, "ERROR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			s := &Server{log: slog.New(slog.NewJSONHandler(&logs, nil))}
			w := httptest.NewRecorder()
			s.writeError(w, httptest.NewRequest("GET", "/api/v1/households", nil).WithContext(tc.ctx), tc.err)
			var body ErrorBody
			json.Unmarshal(w.Body.Bytes(), &body)
			if tc.wantMsg != "" && (w.Code != 500 || !strings.HasPrefix(body.Error.Message, tc.wantMsg)) {
				t.Errorf("answer = %d %+v, want 500 saying %q", w.Code, body, tc.wantMsg)
			}
			if !strings.Contains(logs.String(), tc.wantLog) || !strings.Contains(logs.String(), `"level":"`+tc.logLevel+`"`) {
				t.Errorf("log = %s, want %s at %s", logs.String(), tc.wantLog, tc.logLevel)
			}
		})
	}
}
