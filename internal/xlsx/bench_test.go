package xlsx

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// The benchmark file is what a county exports from the national registry: one person a row,
// 24 text columns. 1,050,000 rows exceed Excel's 1,048,576 rows a sheet, so the export spills
// into a second sheet, as real ones do. It takes a minute to write, so it is kept in the temp
// directory between runs.
const (
	benchRows     = 1_050_000
	benchCols     = 24
	maxSheetRows  = 1_048_576
	benchSheet2   = "Sheet2"
	benchFileName = "fupin-bench-1050000x24-v1.xlsx"
)

var (
	surnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"}
	given    = []string{"建国", "秀英", "桂兰", "志强", "玉梅", "伟", "芳", "军", "丽", "海燕", "德明", "春花", "国华", "小红", "永刚", "淑珍"}
	rels     = []string{"户主", "配偶", "之子", "之女", "之儿媳", "之孙子", "之孙女", "之父", "之母"}
	edu      = []string{"文盲或半文盲", "小学", "初中", "高中", "大专及以上", "学龄前儿童"}
	health   = []string{"健康", "长期慢性病", "患有大病", "残疾"}
	skill    = []string{"普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力"}
	work     = []string{"省外务工", "省内县外务工", "县内务工", "乡镇内务工", "未务工"}
)

// registryRow fills cells with person i of the synthetic registry.
func registryRow(i int, cells []any) {
	pick := func(list []string, salt int) string { return list[(i*7+salt*13+i/5)%len(list)] }
	year, month, day := 1940+i%70, 1+i%12, 1+i%28
	id := fmt.Sprintf("4116%02d%04d%02d%02d%03d%d", 20+i%10, year, month, day, i%1000, i%10)
	cells[0], cells[1], cells[2], cells[3] = "河南省", "周口市", "淮阳区", "王店乡"
	cells[4] = fmt.Sprintf("李楼村%d组", 1+i%9)
	cells[5] = fmt.Sprintf("4116260010%07d", i/4)
	cells[6] = fmt.Sprintf("4116260010%07d%02d", i/4, i%4+1)
	cells[7] = pick(surnames, 1) + pick(given, 2)
	cells[8] = []string{"男", "女"}[i%2]
	cells[9] = id
	cells[10] = "居民身份证（户口簿）"
	cells[11] = pick(rels, 3)
	cells[12] = []string{"汉族", "回族", "汉族", "汉族"}[i%4]
	cells[13] = pick(edu, 4)
	cells[14] = []string{"", "", "小学", "初中"}[i%4]
	cells[15] = pick(health, 5)
	cells[16] = pick(skill, 6)
	cells[17] = pick(work, 7)
	cells[18] = strconv.Itoa(i % 13)
	cells[19] = []string{"是", "否"}[i%3/2]
	cells[20] = []string{"脱贫户", "监测对象", "脱贫户"}[i%3]
	cells[21] = fmt.Sprintf("%04d-%02d-%02d", year, month, day)
	cells[22] = fmt.Sprintf("13%09d", i*7919%1_000_000_000)
	cells[23] = []string{"", "", "", "因病", "因学"}[i%5]
}

var benchFiles struct {
	sync.Mutex
	done map[string]bool
}

// cachedFile returns the file name in the temp directory, calling write to create it the first
// time. The file is written under another name and renamed, so an interrupted run leaves no
// half-written file to be reused.
func cachedFile(b *testing.B, name string, write func(string) error) string {
	b.Helper()
	benchFiles.Lock()
	defer benchFiles.Unlock()
	path := filepath.Join(os.TempDir(), name)
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := filepath.Join(os.TempDir(), "tmp"+strconv.Itoa(os.Getpid())+"-"+name) // SaveAs wants .xlsx
	if err := write(tmp); err != nil {
		os.Remove(tmp)
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

func writeRegistry(name string, rows int) error {
	f := excelize.NewFile()
	defer f.Close()
	if _, err := f.NewSheet(benchSheet2); err != nil {
		return err
	}
	cells := make([]any, benchCols)
	for first := 0; first < rows; first += maxSheetRows {
		sheet := f.GetSheetName(first / maxSheetRows)
		sw, err := f.NewStreamWriter(sheet)
		if err != nil {
			return err
		}
		for i := first; i < min(rows, first+maxSheetRows); i++ {
			registryRow(i, cells)
			if err := sw.SetRow("A"+strconv.Itoa(i-first+1), cells); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	return f.SaveAs(name)
}

// peakHeap samples the heap while a benchmark runs; ReadMemStats is cheap at this rate.
type peakHeap struct {
	stop chan struct{}
	done chan struct{}
	peak atomic.Uint64
	base uint64
}

func startPeakHeap() *peakHeap {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	p := &peakHeap{stop: make(chan struct{}), done: make(chan struct{}), base: m.HeapAlloc}
	go func() {
		defer close(p.done)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > p.peak.Load() {
				p.peak.Store(m.HeapAlloc)
			}
			select {
			case <-p.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return p
}

// mb stops sampling and returns the peak heap above the baseline, in MiB.
func (p *peakHeap) mb() float64 {
	close(p.stop)
	<-p.done
	return float64(p.peak.Load()-min(p.base, p.peak.Load())) / (1 << 20)
}

// benchReader reads the whole file with Open once per iteration and reports rows/s and the
// peak heap.
func benchReader(b *testing.B, name string, wantRows int) {
	total := 0
	ph := startPeakHeap()
	for b.Loop() {
		r, err := Open(name)
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			total++
		}
		r.Close()
	}
	b.ReportMetric(ph.mb(), "peak-heap-MiB")
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "rows/s")
	if total != wantRows*b.N {
		b.Errorf("read %d rows, want %d", total, wantRows*b.N)
	}
}

// BenchmarkRead compares this reader with excelize's Rows() on the 1,050,000 × 24
// inline-string export.
func BenchmarkRead(b *testing.B) {
	name := cachedFile(b, benchFileName, func(tmp string) error { return writeRegistry(tmp, benchRows) })
	b.Run("fupin", func(b *testing.B) { benchReader(b, name, benchRows) })
	b.Run("excelize", func(b *testing.B) {
		total := 0
		ph := startPeakHeap()
		for b.Loop() {
			f, err := excelize.OpenFile(name)
			if err != nil {
				b.Fatal(err)
			}
			for _, sheet := range f.GetSheetList() {
				rows, err := f.Rows(sheet)
				if err != nil {
					b.Fatal(err)
				}
				for rows.Next() {
					if _, err := rows.Columns(excelize.Options{RawCellValue: true}); err != nil {
						b.Fatal(err)
					}
					total++
				}
				rows.Close()
			}
			f.Close()
		}
		b.ReportMetric(ph.mb(), "peak-heap-MiB")
		b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "rows/s")
	})
}

// BenchmarkWriteVillage writes a village-sized sheet (600 rows of 86
// cells), the size of the exports a township downloads many times a day:
// per-export allocation is what a busy server's collector pays for.
func BenchmarkWriteVillage(b *testing.B) {
	cells := make([]string, 86)
	for i := range cells {
		cells[i] = "单元格" + strconv.Itoa(i)
	}
	b.ReportAllocs()
	for b.Loop() {
		w := NewWriter(io.Discard, cells)
		for r := 0; r < 600; r++ {
			if err := w.WriteRow("户", cells); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
