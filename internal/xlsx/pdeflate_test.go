package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// A part compressed in parallel chunks reads back byte for byte through
// the standard zip reader (which checks the CRC and sizes), across chunk
// boundaries and with entries before and after it.
func TestParallelDeflateRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var want bytes.Buffer
	for want.Len() < 5*deflateChunk+12345 {
		if r.IntN(3) == 0 {
			want.WriteString("<c t=\"inlineStr\"><is><t>重庆市奉节县平安乡</t></is></c>")
		} else {
			want.WriteByte(byte(r.IntN(256)))
		}
	}
	var file bytes.Buffer
	zw := zip.NewWriter(&file)
	if w, err := zw.Create("before.txt"); err != nil {
		t.Fatal(err)
	} else {
		io.WriteString(w, "before")
	}
	p, err := createDeflated(zw, "big.xml")
	if err != nil {
		t.Fatal(err)
	}
	// Odd write sizes so that writes straddle chunk boundaries.
	for rest := want.Bytes(); len(rest) > 0; {
		n := min(len(rest), 1+r.IntN(300000))
		if _, err := p.Write(rest[:n]); err != nil {
			t.Fatal(err)
		}
		rest = rest[n:]
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if w, err := zw.Create("after.txt"); err != nil {
		t.Fatal(err)
	} else {
		io.WriteString(w, "after")
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(file.Bytes()), int64(file.Len()))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc) // checks the CRC at EOF
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		got[f.Name] = b
	}
	if !bytes.Equal(got["big.xml"], want.Bytes()) {
		t.Fatalf("big.xml: %d bytes back, want %d", len(got["big.xml"]), want.Len())
	}
	if string(got["before.txt"]) != "before" || string(got["after.txt"]) != "after" {
		t.Fatalf("neighbouring entries: %q %q", got["before.txt"], got["after.txt"])
	}
}

// failAfter accepts n bytes, then fails every write.
type failAfter struct{ n int }

func (f *failAfter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

// When the output fails mid-sheet, WriteRow reports it, and Abort stops the
// compressing goroutines (an export whose client went away leaks nothing).
func TestWriterOutputFailureAndAbort(t *testing.T) {
	before := runtime.NumGoroutine()
	r := rand.New(rand.NewPCG(3, 4))
	x := NewWriter(&failAfter{n: 1 << 20}, []string{"姓名", "证件号码"})
	var err error
	for i := 0; i < 200000 && err == nil; i++ {
		err = x.WriteRow("Sheet", []string{strconv.FormatUint(r.Uint64(), 36), strconv.FormatUint(r.Uint64(), 10)})
	}
	if err == nil {
		t.Fatal("WriteRow kept succeeding after the output failed")
	}
	x.Abort()
	if err := x.Close(); err == nil {
		t.Error("Close after Abort succeeded")
	}
	for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > before; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines after Abort, %d before", runtime.NumGoroutine(), before)
		}
	}
}
