package sqlstore_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// On PostgreSQL view, viewReport and update run their closure once more after a failover
// (retryRead, update): a closure that appends to, adds to or counts into a variable of its
// caller must first reset it (a plain assignment at the top of the closure, or clear), or a
// rerun after a lost connection would answer with the first run's rows twice. This reads
// the package's source and lists every closure that does not.
func TestRetriedClosuresStartAfresh(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || !retried[sel.Sel.Name] {
				return true
			}
			if recv, ok := sel.X.(*ast.Ident); !ok || recv.Name != "db" {
				return true
			}
			for _, a := range call.Args {
				if lit, ok := a.(*ast.FuncLit); ok {
					checked++
					for _, bad := range keptAcrossRuns(lit) {
						t.Errorf("%s: the %s closure accumulates into %s of its caller without resetting it first",
							fset.Position(lit.Pos()), sel.Sel.Name, bad)
					}
				}
			}
			return true
		})
	}
	if checked < 100 {
		t.Errorf("checked %d closures; the package has far more: is the pattern still db.view/db.update?", checked)
	}
}

// retried names the DB methods whose closure may run twice.
var retried = map[string]bool{"view": true, "viewReport": true, "update": true}

// keptAcrossRuns returns the caller's variables lit appends to, adds to or counts into
// (anywhere in its body) that no top-level statement of its body assigns or clears.
func keptAcrossRuns(lit *ast.FuncLit) []string {
	local := map[string]bool{}
	for _, p := range lit.Type.Params.List {
		for _, id := range p.Names {
			local[id.Name] = true
		}
	}
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.AssignStmt:
			if s.Tok == token.DEFINE {
				for _, l := range s.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						local[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			for _, id := range s.Names {
				local[id.Name] = true
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{s.Key, s.Value} {
				if id, ok := e.(*ast.Ident); ok && s.Tok == token.DEFINE {
					local[id.Name] = true
				}
			}
		}
		return true
	})
	reset := map[string]bool{}
	for _, st := range lit.Body.List {
		switch s := st.(type) {
		case *ast.AssignStmt:
			if s.Tok == token.ASSIGN {
				for _, l := range s.Lhs {
					reset[rootName(l)] = true
				}
			}
		case *ast.ExprStmt:
			if c, ok := s.X.(*ast.CallExpr); ok {
				if id, ok := c.Fun.(*ast.Ident); ok && id.Name == "clear" && len(c.Args) == 1 {
					reset[rootName(c.Args[0])] = true
				}
			}
		}
	}
	var bad []string
	seen := map[string]bool{}
	note := func(e ast.Expr) {
		r := rootName(e)
		if r != "" && r != "_" && !local[r] && !reset[r] && !seen[r] {
			seen[r] = true
			bad = append(bad, r)
		}
	}
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.AssignStmt:
			for i, l := range s.Lhs {
				switch {
				case s.Tok != token.ASSIGN && s.Tok != token.DEFINE:
					note(l)
				case s.Tok == token.ASSIGN && i < len(s.Rhs) && isAppend(s.Rhs[i]):
					note(l)
				}
			}
		case *ast.IncDecStmt:
			note(s.X)
		}
		return true
	})
	return bad
}

func isAppend(e ast.Expr) bool {
	c, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	id, ok := c.Fun.(*ast.Ident)
	return ok && id.Name == "append"
}

// rootName is the variable an expression such as out.Items[i] or *out starts from.
func rootName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x.Name
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		default:
			return ""
		}
	}
}
