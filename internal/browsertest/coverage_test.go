package browsertest

import (
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/network"
)

// The write coverage check: every write route (POST, PUT, DELETE) that the
// console's client can call must have been called successfully (2xx) by the
// browser tests of this package. The browser's own network events are
// recorded (not the server's log), so a route counts only when a click in
// Chromium sent it; the console's calls are read from its sources, where
// every write goes through post/put/del/upload of ui/src/api/client.ts
// (TestConsoleWritesUseTypedClient keeps it so).

const uiSrc = "../../ui/src"

// written collects the (method, route pattern) of every write the browser
// tests' Chromium sent and the server answered with 2xx.
var written = struct {
	sync.Mutex
	ran    bool
	routes map[string]bool
	sent   map[string]string // request id → "METHOD url"
}{routes: map[string]bool{}, sent: map[string]string{}}

// recordNetwork is a chromedp listener: it pairs each request with its
// response and records successful writes by their route pattern.
func recordNetwork(ev any) {
	written.Lock()
	defer written.Unlock()
	written.ran = true
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		if e.Request != nil && e.Request.Method != "GET" && e.Request.Method != "HEAD" && e.Request.Method != "OPTIONS" {
			written.sent[string(e.RequestID)] = e.Request.Method + " " + e.Request.URL
		}
	case *network.EventResponseReceived:
		req, ok := written.sent[string(e.RequestID)]
		if !ok || e.Response == nil {
			return
		}
		delete(written.sent, string(e.RequestID))
		if e.Response.Status >= 200 && e.Response.Status < 300 {
			method, raw, _ := strings.Cut(req, " ")
			if u, err := url.Parse(raw); err == nil {
				written.routes[method+" "+u.Path] = true
			}
		}
	}
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" && flag.Lookup("test.skip").Value.String() == "" {
		written.Lock()
		ran := written.ran
		written.Unlock()
		if ran {
			written.Lock()
			recorded := maps.Clone(written.routes)
			written.Unlock()
			if missing, err := uncoveredWrites(recorded); err != nil {
				fmt.Fprintln(os.Stderr, "write coverage:", err)
				code = 1
			} else if len(missing) > 0 {
				fmt.Fprintf(os.Stderr, "write coverage: the console can call these write routes, but no browser test made a successful call:\n  %s\n"+
					"Add a browser test that clicks the button or submits the form that sends it.\n", strings.Join(missing, "\n  "))
				code = 1
			}
		}
	}
	os.Exit(code)
}

// uncoveredWrites lists the console's write routes that no recorded
// request ("METHOD /path") matches.
func uncoveredWrites(recorded map[string]bool) ([]string, error) {
	routes, err := apiRoutes()
	if err != nil {
		return nil, err
	}
	calls, err := consoleWrites()
	if err != nil {
		return nil, err
	}
	covered := map[string]bool{}
	for call := range recorded {
		method, path, _ := strings.Cut(call, " ")
		if p, ok := routes.pattern(method, path); ok {
			covered[method+" "+p] = true
		}
	}
	var missing []string
	for _, c := range calls {
		if !covered[c.key] {
			missing = append(missing, c.key+"  ("+c.where+")")
		}
	}
	return missing, nil
}

// routeTable maps a request to the API's route pattern, as the server's
// ServeMux would.
type routeTable struct{ mux *http.ServeMux }

// apiRoutes reads the API's routes from ui/openapi.json (which
// TestOpenAPIClientInSync keeps equal to the server's document).
func apiRoutes() (routeTable, error) {
	buf, err := os.ReadFile("../../ui/openapi.json")
	if err != nil {
		return routeTable{}, err
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(buf, &doc); err != nil {
		return routeTable{}, fmt.Errorf("ui/openapi.json: %w", err)
	}
	mux := http.NewServeMux()
	for path, ops := range doc.Paths {
		for method := range ops {
			mux.HandleFunc(strings.ToUpper(method)+" "+path, func(http.ResponseWriter, *http.Request) {})
		}
	}
	return routeTable{mux}, nil
}

// pattern is the route pattern ("/api/v1/households/{id}") of a request.
func (t routeTable) pattern(method, path string) (string, bool) {
	r, err := http.NewRequest(method, path, nil)
	if err != nil {
		return "", false
	}
	_, pat := t.mux.Handler(r)
	if pat == "" {
		return "", false
	}
	m, p, ok := strings.Cut(pat, " ")
	if !ok || m != method {
		return "", false
	}
	return p, true
}

// consoleCall is a write the console's client can send.
type consoleCall struct {
	key   string // "POST /api/v1/households/{id}/members"
	where string // file:line of the first call
}

var (
	typedWrite = regexp.MustCompile(`\b(post|put|del)\(\s*'(/api/[^']+)'`)
	uploadCall = regexp.MustCompile("\\bupload(?:<[^>]*>)?\\(\\s*[`'](/api/[^`']+)[`']")
	rawWrite   = regexp.MustCompile(`\bapi\.(POST|PUT|PATCH|DELETE)\b|method:\s*['"](POST|PUT|PATCH|DELETE)['"]`)
)

// consoleWrites reads every write call in ui/src, mapped to route patterns.
func consoleWrites() ([]consoleCall, error) {
	routes, err := apiRoutes()
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []consoleCall
	err = walkSources(func(rel, src string) error {
		for _, m := range typedWrite.FindAllStringSubmatchIndex(src, -1) {
			method := map[string]string{"post": "POST", "put": "PUT", "del": "DELETE"}[src[m[2]:m[3]]]
			if err := add(routes, seen, &out, method, src[m[4]:m[5]], rel, src, m[0]); err != nil {
				return err
			}
		}
		for _, m := range uploadCall.FindAllStringSubmatchIndex(src, -1) {
			// A template literal: ${…} stands for a path parameter.
			path := regexp.MustCompile(`\$\{[^}]*\}`).ReplaceAllString(src[m[2]:m[3]], "1")
			if err := add(routes, seen, &out, "POST", path, rel, src, m[0]); err != nil {
				return err
			}
		}
		return nil
	})
	slices.SortFunc(out, func(a, b consoleCall) int { return strings.Compare(a.key, b.key) })
	return out, err
}

func add(routes routeTable, seen map[string]bool, out *[]consoleCall, method, path, rel, src string, at int) error {
	where := fmt.Sprintf("%s:%d", rel, strings.Count(src[:at], "\n")+1)
	p, ok := routes.pattern(method, path)
	if !ok {
		return fmt.Errorf("%s: %s %s is not a route of the API", where, method, path)
	}
	if key := method + " " + p; !seen[key] {
		seen[key] = true
		*out = append(*out, consoleCall{key: key, where: where})
	}
	return nil
}

// walkSources calls fn with each .ts and .vue file of ui/src.
func walkSources(fn func(rel, src string) error) error {
	return filepath.WalkDir(uiSrc, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".d.ts") || !(strings.HasSuffix(path, ".ts") || strings.HasSuffix(path, ".vue")) {
			return err
		}
		buf, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("../..", path)
		return fn(filepath.ToSlash(rel), string(buf))
	})
}

// TestConsoleWritesUseTypedClient keeps every write of the console on the
// typed post/put/del (the body's type is fixed by the route, so TypeScript
// rejects a field the server does not know) or upload (multipart), so that
// the coverage check above sees each one. It also checks that each call
// names a route of the API.
func TestConsoleWritesUseTypedClient(t *testing.T) {
	err := walkSources(func(rel, src string) error {
		if rel == "ui/src/api/client.ts" {
			return nil
		}
		for _, m := range rawWrite.FindAllStringIndex(src, -1) {
			t.Errorf("%s:%d: %q: write through post/put/del of api/client.ts (typed bodies, seen by the write coverage check)",
				rel, strings.Count(src[:m[0]], "\n")+1, src[m[0]:m[1]])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	calls, err := consoleWrites()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range calls {
		t.Logf("%s  (%s)", c.key, c.where)
	}
	if len(calls) < 20 {
		t.Errorf("found %d write calls in ui/src, the console has more than 20: is the pattern out of date?", len(calls))
	}
}

// TestUncoveredWrites checks the comparison itself: with nothing recorded
// every console write is missing; a recorded request removes its route
// (matched by pattern, whatever the ids) and nothing else.
func TestUncoveredWrites(t *testing.T) {
	calls, err := consoleWrites()
	if err != nil {
		t.Fatal(err)
	}
	missing, err := uncoveredWrites(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) != len(calls) {
		t.Fatalf("nothing recorded: %d missing, want all %d console writes", len(missing), len(calls))
	}
	missing, err = uncoveredWrites(map[string]bool{"POST /api/v1/aid/leaves/42/actions": true, "GET /api/v1/me": true})
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) != len(calls)-1 {
		t.Errorf("one write recorded: %d missing, want %d", len(missing), len(calls)-1)
	}
	for _, m := range missing {
		if strings.HasPrefix(m, "POST /api/v1/aid/leaves/{id}/actions ") {
			t.Errorf("the recorded leave action is still reported missing: %s", m)
		}
	}
}

// paginationTag is an el-pagination start tag, attributes included.
var paginationTag = regexp.MustCompile(`<el-pagination\b[^>]*>`)

// deprecatedSmall is the boolean small attribute (or :small binding) that
// Element Plus deprecated for size="small"; production builds drop the
// warning, so this reads the sources.
var deprecatedSmall = regexp.MustCompile(`\s:?small(\s|=|/?>)`)

// TestPaginationNotDeprecatedSmall keeps every el-pagination on
// size="small" instead of the deprecated small attribute.
func TestPaginationNotDeprecatedSmall(t *testing.T) {
	tags := 0
	err := walkSources(func(rel, src string) error {
		for _, m := range paginationTag.FindAllStringIndex(src, -1) {
			tags++
			if tag := src[m[0]:m[1]]; deprecatedSmall.MatchString(tag) {
				t.Errorf("%s:%d: el-pagination with the deprecated small attribute; use size=\"small\": %s", rel, strings.Count(src[:m[0]], "\n")+1, tag)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if tags < 5 || !deprecatedSmall.MatchString(`<el-pagination small :total="1" />`) || deprecatedSmall.MatchString(`<el-pagination size="small" />`) {
		t.Errorf("found %d el-pagination tags, or the pattern is wrong", tags)
	}
}
