package xlsx

import (
	"archive/zip"
	"compress/flate"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// ErrFormat is matched (errors.Is) by every error that blames the file rather than the
// system: not an xlsx, damaged, truncated, unsupported type. Its message is Chinese and meant
// for the person who chose the file.
var ErrFormat = errors.New("文件格式错误")

type formatError struct {
	msg string
	err error
}

func (e *formatError) Error() string {
	if e.err == nil {
		return e.msg
	}
	return e.msg + "：" + e.err.Error()
}

func (e *formatError) Unwrap() []error {
	if e.err == nil {
		return []error{ErrFormat}
	}
	return []error{ErrFormat, e.err}
}

// damaged blames the file for err, with msg saying which part, unless err already does or is
// a failure to read the file at all (a disk or network error, not the content's fault).
func damaged(msg string, err error) error {
	var fe *formatError
	var pe *fs.PathError
	var le limitError
	switch {
	case errors.As(err, &fe):
		return err
	case errors.As(err, &le):
		return &formatError{msg: string(le)}
	case errors.As(err, &pe):
		return fmt.Errorf("读取文件：%w", err)
	}
	return &formatError{msg: msg, err: explain(err)}
}

// explained gives a low-level cause (zip, flate, XML, end of data) a Chinese message while
// keeping it in the chain for errors.Is and errors.As.
type explained struct {
	msg string
	err error
}

func (e *explained) Error() string { return e.msg }
func (e *explained) Unwrap() error { return e.err }

// explain translates the causes a damaged file produces; other errors are returned as they are.
func explain(err error) error {
	var corrupt flate.CorruptInputError
	var syntax *xml.SyntaxError
	var ex *explained
	switch {
	case err == nil, errors.As(err, &ex):
		return err
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &explained{"数据意外结束，文件可能不完整", err}
	case errors.Is(err, zip.ErrFormat):
		return &explained{"无法识别的 zip 结构", err}
	case errors.Is(err, zip.ErrChecksum):
		return &explained{"数据校验失败", err}
	case errors.Is(err, zip.ErrAlgorithm):
		return &explained{"不支持的压缩算法", err}
	case errors.As(err, &corrupt):
		return &explained{fmt.Sprintf("压缩数据在第 %d 字节处损坏", int64(corrupt)), err}
	case errors.As(err, &syntax):
		return &explained{fmt.Sprintf("XML 语法错误（第 %d 行）", syntax.Line), err}
	}
	return err
}
