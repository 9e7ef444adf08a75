package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestImportGraph checks the internal imports of every package against the
// table in ARCHITECTURE.md ("Imports"), so the documented dependency
// directions are the real ones.
func TestImportGraph(t *testing.T) {
	root := filepath.Join("..", "..")
	doc, err := os.ReadFile(filepath.Join(root, "ARCHITECTURE.md"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := documentedImports(string(doc))
	if err != nil {
		t.Fatal(err)
	}
	got, err := codeImports(root)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("imports differ from ARCHITECTURE.md's table (-documented +code); update the table with the change:\n%s", diff)
	}
}

var importsBlock = regexp.MustCompile("(?s)```imports\n(.*?)```")

// documentedImports reads the "```imports" block: one "dir: short names"
// line per package, "-" for none; names are the last path element below
// internal/ (or the path itself elsewhere, such as ui).
func documentedImports(doc string) (map[string][]string, error) {
	m := importsBlock.FindStringSubmatch(doc)
	if m == nil {
		return nil, os.ErrNotExist
	}
	out := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(m[1]), "\n") {
		dir, deps, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		list := []string{}
		for _, d := range strings.Fields(deps) {
			if d != "-" {
				list = append(list, d)
			}
		}
		sort.Strings(list)
		out[strings.TrimSpace(dir)] = list
	}
	return out, nil
}

// codeImports lists, per directory with Go files, the module's packages
// that its non-test files import.
func codeImports(root string) (map[string][]string, error) {
	out := map[string][]string{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "testdata") && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir, _ := filepath.Rel(root, filepath.Dir(path))
		dir = filepath.ToSlash(dir)
		set := out[dir]
		if set == nil {
			set = []string{}
		}
		for _, is := range f.Imports {
			p, _ := strconv.Unquote(is.Path.Value)
			if rest, ok := strings.CutPrefix(p, "fupin/"); ok {
				name := strings.TrimPrefix(rest, "internal/")
				if !contains(set, name) {
					set = append(set, name)
				}
			}
		}
		sort.Strings(set)
		out[dir] = set
		return nil
	})
	return out, err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
