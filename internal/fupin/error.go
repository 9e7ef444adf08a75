// Package fupin holds the domain types of the registry: households, members,
// income years, code lists, the caller's area, and the one error type every
// layer returns. It knows nothing about databases or HTTP.
package fupin

import (
	"errors"
	"fmt"
)

// Error codes are stable English identifiers; the HTTP layer maps them to
// status codes in one table.
const (
	EInvalid      = "invalid"
	ENotFound     = "not_found"
	EConflict     = "conflict"
	EUnauthorized = "unauthorized"
	EForbidden    = "forbidden"
	ETooLarge     = "too_large"
	ERateLimited  = "rate_limited"
	EInternal     = "internal"
)

// Error is the error every layer returns for a problem a user can act on.
// Message is Simplified Chinese for people; Code and the keys of Fields
// (JSON paths such as "members[1].id_number") are stable for programs.
type Error struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	return fmt.Sprintf("%s (%d 个字段有误)", e.Message, len(e.Fields))
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EInternal
	}
}

// ErrorMessage returns the user-facing message of err; internal errors get a
// generic message so that details never leak to users.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "服务器内部错误"
}

// FieldErrors collects per-field validation messages in the order found.
type FieldErrors map[string]string

// Add records msg for path unless the path already has a message.
func (f FieldErrors) Add(path, msg string) {
	if _, ok := f[path]; !ok {
		f[path] = msg
	}
}

// Err returns nil when nothing was collected, else an invalid *Error that
// names every bad field.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: "输入有误，请检查标出的字段", Fields: f}
}
