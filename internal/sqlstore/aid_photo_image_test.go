package sqlstore_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"fupin/internal/aid"
	"fupin/internal/dbtest"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// testJPEG is a small real JPEG.
func testJPEG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 16, 8))
	for x := range 16 {
		for y := range 8 {
			img.Set(x, y, color.RGBA{byte(16 * x), byte(32 * y), 90, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// sameJPEG reports whether a and b are JPEG images of the same size.
func sameJPEG(a, b []byte) bool {
	ca, err1 := jpeg.DecodeConfig(bytes.NewReader(a))
	cb, err2 := jpeg.DecodeConfig(bytes.NewReader(b))
	return err1 == nil && err2 == nil && ca.Width == cb.Width && ca.Height == cb.Height
}

// hugePNG is a valid PNG header claiming width × height pixels, with no pixel data.
func hugePNG(width, height uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], width)
	binary.BigEndian.PutUint32(ihdr[4:], height)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

// Photos are decoded and encoded again: bytes hidden after a JPEG are gone, a file that only
// starts like a JPEG is refused, and a PNG claiming 100,000 × 100,000 pixels is refused
// before it is decoded.
func TestVisitPhotoDecodedAndReencoded(t *testing.T) {
	eachAidWorld(t, func(t *testing.T, db *sqlstore.DB, visit int64) {
		payload := []byte("<script>alert(1)</script> PK\x03\x04 hidden archive")
		p, err := db.AddVisitPhoto(ctx, admin, visit, "走访.jpg", append(testJPEG(t), payload...))
		if err != nil || p.ContentType != "image/jpeg" {
			t.Fatalf("JPEG with trailing bytes: %+v %v", p, err)
		}
		got, err := db.VisitPhotoData(ctx, admin, p.ID)
		if err != nil || bytes.Contains(got.Data, []byte("hidden archive")) || !sameJPEG(got.Data, testJPEG(t)) || got.Size != len(got.Data) {
			t.Errorf("stored photo keeps the trailing bytes or is not the picture: %v", err)
		}
		for name, data := range map[string][]byte{
			"signature then garbage": append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, make([]byte, 100)...),
			"PNG signature only":     []byte("\x89PNG\r\n\x1a\n........"),
			"10 gigapixel PNG":       hugePNG(100_000, 100_000),
		} {
			_, err := db.AddVisitPhoto(ctx, admin, visit, "x.jpg", data)
			if e, ok := err.(*fupin.Error); !ok || e.Code != fupin.EInvalid || e.Fields["file"] == "" {
				t.Errorf("%s: %v, want invalid on file", name, err)
			}
		}
		var b bytes.Buffer
		png.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4)))
		if p, err := db.AddVisitPhoto(ctx, admin, visit, "a.png", b.Bytes()); err != nil || p.ContentType != "image/png" {
			t.Errorf("PNG: %+v %v", p, err)
		}
	})
}

// eachAidWorld runs fn on both engines with a small aid world and one visit.
func eachAidWorld(t *testing.T, fn func(t *testing.T, db *sqlstore.DB, visit int64)) {
	dbtest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := buildAidWorld(t, db, 1)
		v, err := db.RecordVisit(ctx, admin, w.households[tiantai][0], aid.Visit{CadreID: w.secretary[tiantai].ID,
			VisitedOn: fupin.NewDate(2025, 6, 10), Kind: "phone", Findings: "电话回访"})
		if err != nil {
			t.Fatal(err)
		}
		fn(t, db, v.ID)
	})
}
