package httpapi

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".svg":   "image/svg+xml",
	".woff2": "font/woff2",
	".png":   "image/png",
}

// gzipped holds compressed copies of the embedded files, made on first use.
var gzipped sync.Map // name → []byte

func serveFile(w http.ResponseWriter, r *http.Request, fsys fs.FS, name string, immutable bool) {
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		http.Error(w, "404 没有这个文件", http.StatusNotFound)
		return
	}
	h := w.Header()
	ct, ok := contentTypes[path.Ext(name)]
	if !ok {
		// Never let ServeContent sniff the (possibly gzipped) body.
		if ct = mime.TypeByExtension(path.Ext(name)); ct == "" {
			ct = "application/octet-stream"
		}
	}
	h.Set("Content-Type", ct)
	if immutable {
		// File names carry a hash of their content.
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-store")
	}
	h.Add("Vary", "Accept-Encoding")
	if len(body) > 1024 && acceptsGzip(r) && !strings.HasSuffix(name, ".woff2") && !strings.HasSuffix(name, ".png") {
		z, ok := gzipped.Load(name)
		if !ok {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			zw.Write(body)
			zw.Close()
			z, _ = gzipped.LoadOrStore(name, buf.Bytes())
		}
		body = z.([]byte)
		h.Set("Content-Encoding", "gzip")
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reports whether the client accepts gzip (and did not refuse
// it with q=0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(coding) != "gzip" {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
