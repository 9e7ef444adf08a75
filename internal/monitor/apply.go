package monitor

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"fupin/internal/fupin"
	"fupin/internal/region"
)

// Bounds of the public 自主申报 page, where anyone may write without signing
// in. A stored application is at most about 700 bytes of text (name 20,
// phone 20 and description 200 characters), so one address writes at most
// a few KB a day. The daily cap is per township (the queue an application
// lands in), so a flood aimed at one township does not close the page for
// the others; only townships the system serves (with registered
// households) take applications, so all addresses together write at most
// MaxApplyPerTownship rows a day for each of them.
const (
	MaxApplyBody        = 4 << 10 // bytes of a request body
	MaxApplyName        = 20      // characters
	MaxApplyPhone       = 20      // bytes
	MaxApplyContent     = 200     // characters
	MaxApplyPerAddr     = 5       // applications per client address per day
	MaxApplyPerTownship = 200     // applications per township per day from all addresses
	applyReceiptLetters = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
)

// ApplyTownship is the township (9-digit code) whose queue an application
// from a checked village lands in.
func ApplyTownship(village string) string { return village[:9] }

// Application is what the public page submits: who, which village, how to
// reach them and what the difficulty is. Nothing in it is checked against
// the registry when it is submitted (the page must not tell whether a
// person is registered); the township matches it to a household when it
// accepts it.
type Application struct {
	Village string `json:"village" required:"true" description:"所在村（居）委会的区划代码"`
	Name    string `json:"name" required:"true" description:"申报人姓名，至多 20 字"`
	Phone   string `json:"phone" required:"true" description:"联系电话"`
	Content string `json:"content" required:"true" description:"家庭困难情况，至多 200 字"`
}

// Check trims the fields and checks their bounds: a village code that
// lies in township (a 9-digit code; empty allows any village), a name of
// at most 20 characters, a phone number of 7–20 digits (with - or a
// leading +), a description of at most 200 characters. Errors: invalid,
// naming each field.
func (a *Application) Check(township string) error {
	errs := fupin.FieldErrors{}
	a.Village, a.Name, a.Phone, a.Content = strings.TrimSpace(a.Village), strings.TrimSpace(a.Name),
		strings.TrimSpace(a.Phone), strings.TrimSpace(a.Content)
	if !region.IsVillage(a.Village) || !strings.HasPrefix(a.Village, township) {
		errs.Add("village", "请选择所在村（社区）")
	}
	textField(errs, "name", "姓名", a.Name, MaxApplyName)
	if !phoneLike(a.Phone) {
		errs.Add("phone", "请填写 7–20 位的电话号码")
	}
	textField(errs, "content", "困难情况", a.Content, MaxApplyContent)
	return errs.Err()
}

func textField(errs fupin.FieldErrors, path, label, s string, max int) {
	switch {
	case s == "":
		errs.Add(path, "请填写"+label)
	case !utf8.ValidString(s) || utf8.RuneCountInString(s) > max:
		errs.Add(path, label+"不能超过 "+strconv.Itoa(max)+" 字")
	case strings.ContainsFunc(s, func(r rune) bool { return r < ' ' && r != '\n' }):
		errs.Add(path, label+"含有不可见字符")
	}
}

func phoneLike(s string) bool {
	if len(s) > MaxApplyPhone {
		return false
	}
	n := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			n++
		case r == '-' || r == ' ' || (r == '+' && i == 0):
		default:
			return false
		}
	}
	return n >= 7
}

// Receipt turns 8 random bytes into a receipt number of the form
// SB-XXXX-XXXX (letters and digits that cannot be misread). It says
// nothing about the applicant or how many applications there are.
func Receipt(random [8]byte) string {
	b := []byte("SB-")
	for i, r := range random {
		if i == 4 {
			b = append(b, '-')
		}
		b = append(b, applyReceiptLetters[int(r)%len(applyReceiptLetters)])
	}
	return string(b)
}

// ApplicationOutcomes are how the township closes an application.
var ApplicationOutcomes = fupin.CodeList{Name: "monitor_application_outcome", Label: "申报受理结果", Items: []fupin.CodeItem{
	{Code: "accept", Label: "受理"}, {Code: "decline", Label: "不受理"},
}}
