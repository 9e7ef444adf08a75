package xlsx

import (
	"archive/zip"
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
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
