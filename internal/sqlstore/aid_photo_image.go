package sqlstore

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"

	"fupin/internal/aid"
	"fupin/internal/fupin"
)

// maxPhotoPixels bounds a photo's width × height before it is decoded: a few megabytes of
// PNG can claim a picture of billions of pixels. 40 million covers the sensors of current
// phones (a decoded JPEG costs 1.5 bytes a pixel, a PNG up to 8).
const maxPhotoPixels = 40_000_000

// cleanImage decodes a JPEG or PNG photo and encodes it again, so that what is stored and
// served is only the picture: no bytes appended after the image, nothing before it, no
// metadata (EXIF with the place it was taken). It returns the new bytes and their type, or an
// invalid error naming the file.
func cleanImage(data []byte) ([]byte, string, error) {
	ct := aid.SniffImage(data)
	bad := func(msg string) error {
		return &fupin.Error{Code: fupin.EInvalid, Message: msg, Fields: map[string]string{"file": msg}}
	}
	if ct == "" {
		return nil, "", bad("照片只支持 JPEG 和 PNG 格式")
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, "", bad("照片已损坏，无法读取（不是有效的 JPEG 或 PNG 图片）")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPhotoPixels {
		return nil, "", bad("照片尺寸过大（超过 4000 万像素），请缩小后再上传")
	}
	var img image.Image
	if ct == "image/jpeg" {
		img, err = jpeg.Decode(bytes.NewReader(data))
	} else {
		img, err = png.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, "", bad("照片已损坏，无法读取（不是有效的 JPEG 或 PNG 图片）")
	}
	var out bytes.Buffer
	if ct == "image/jpeg" {
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: 90})
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&out, img)
	}
	if err != nil {
		return nil, "", bad("照片无法重新编码")
	}
	if out.Len() > MaxPhotoBytes {
		return nil, "", &fupin.Error{Code: fupin.ETooLarge, Message: "照片重新编码后超过 5 MB，请缩小后再上传", Fields: map[string]string{"file": "照片过大"}}
	}
	return out.Bytes(), ct, nil
}
