package httpapi

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"fupin/internal/fupin"
)

// Bounds on imports, against uploads that would exhaust memory, disk or the single SQLite
// writer: at most maxImports uploads and jobs at once in the whole server, one per area (two
// areas overlap when one is a prefix of the other), and importTimeout for a job. The file's
// content is bounded by xlsx.DefaultLimits.
const (
	maxImports    = 2
	importTimeout = time.Hour
)

// importSlots counts running imports and the areas they write.
type importSlots struct {
	mu    sync.Mutex
	n     int              // uploads being received plus jobs running
	areas map[int][]string // areas of the running jobs by claim
	next  int
}

// busy is the answer beyond the bounds.
func busy(msg string) error {
	return &fupin.Error{Code: fupin.ERateLimited, Message: msg}
}

// reserve takes a server-wide slot before an upload is read; release gives it back.
func (s *importSlots) reserve() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n >= maxImports {
		return busy("已有导入任务正在进行，系统同时最多处理 2 个导入，请等待完成后再试")
	}
	s.n++
	return nil
}

func (s *importSlots) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n--
}

// claim marks areas as written by a job holding a reserved slot; it fails when a running job
// writes an overlapping area. unclaim ends the claim (the slot is released separately).
func (s *importSlots) claim(areas []string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, running := range s.areas {
		if overlaps(running, areas) {
			return 0, busy("该区域已有导入任务正在进行，请等待完成后再导入")
		}
	}
	if s.areas == nil {
		s.areas = map[int][]string{}
	}
	s.next++
	s.areas[s.next] = areas
	return s.next, nil
}

func (s *importSlots) unclaim(id int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.areas, id)
}

func overlaps(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if strings.HasPrefix(x, y) || strings.HasPrefix(y, x) {
				return true
			}
		}
	}
	return false
}

// importAreas are the areas an import writes: the requested one, else the actor's.
func importAreas(a fupin.Actor, area string) []string {
	if area != "" {
		return []string{area}
	}
	return append([]string(nil), a.Areas...)
}

// removeUpload deletes the temporary files the multipart parser wrote for r. The server does
// this only for the request it made, not for the copy a middleware's WithContext hands the
// handler, on which FormFile stores the form.
func removeUpload(r *http.Request) {
	if r.MultipartForm != nil {
		r.MultipartForm.RemoveAll()
	}
}
