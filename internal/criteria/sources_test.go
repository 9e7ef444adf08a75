package criteria

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSourcesCiteDocuments: the 来源 a user reads beside each parameter
// names a policy document (or says none was found), never a file that is
// not part of this repository.
func TestSourcesCiteDocuments(t *testing.T) {
	for _, d := range Defs() {
		if d.Source == "" || strings.Contains(d.Source, ".md") || strings.Contains(d.Source, "§") {
			t.Errorf("%s: source %q", d.Key, d.Source)
		}
	}
}

// TestNoReferencesOutsideRepository: no code, comment or document of the
// repository points at notes kept outside it (the team's domain notes).
func TestNoReferencesOutsideRepository(t *testing.T) {
	root := filepath.Join("..", "..")
	bad := []string{"domain" + ".md", "domain" + "-research", "../" + "shared", "shared/" + "reference"}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "node_modules", "testdata":
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".go", ".ts", ".vue", ".md", ".sql", ".js", ".json", ".sh", ".html":
		default:
			return nil
		}
		buf, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, b := range bad {
			if i := strings.Index(string(buf), b); i >= 0 {
				t.Errorf("%s:%d refers to %q, which is not in the repository: cite the policy document itself",
					path, strings.Count(string(buf[:i]), "\n")+1, b)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
