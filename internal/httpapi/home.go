package httpapi

import "net/http"

// homePage is what a browser sees at / until the web console is embedded:
// where the API and its document are, and how to sign in.
const homePage = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fupin 扶贫 — 精准扶贫与防返贫动态监测系统</title></head>
<body style="font-family: sans-serif; max-width: 48rem; margin: 2rem auto; line-height: 1.6">
<h1>Fupin 扶贫</h1>
<p>精准扶贫与防返贫动态监测系统：农户台账、两不愁三保障核查、政策参数、登录与区域权限。</p>
<ul>
<li>接口文档（OpenAPI 3.1）：<a href="/api/v1/openapi.json">/api/v1/openapi.json</a></li>
<li>登录：<code>POST /api/v1/session {"username","password"}</code>，之后带 Cookie 访问，写操作带 <code>X-CSRF-Token</code></li>
<li>集成：<code>Authorization: Bearer fpt_…</code>（<code>fupin token add</code> 创建）</li>
<li>健康检查：<a href="/healthz">/healthz</a></li>
</ul>
<p>网页控制台正在建设中。</p>
</body></html>`

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(homePage))
}
