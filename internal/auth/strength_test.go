package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckStrength(t *testing.T) {
	tests := []struct {
		name, pw, user string
		want           string // expected message, "" for nil
	}{
		// Length with classes: 9 vs 10 characters.
		{"9 chars 4 classes", "Abcdef1!x", "", msgWeakPassword},
		{"10 chars upper lower digit", "Abcdefgh1x", "", ""},
		{"10 chars lower digit symbol", "abcdefgh1!", "", ""},
		{"10 chars upper digit symbol", "ABCDEFGH1!", "", ""},
		{"10 chars 2 classes", "abcdefgh12", "", msgWeakPassword},
		{"15 chars 2 classes", "abcdefghijk1234", "", msgWeakPassword},
		{"15 chars 1 class", "abcdefghijklmno", "", msgWeakPassword},
		// Long passwords need no classes.
		{"16 chars 1 class", "abcdefghijklmnoq", "", ""},
		{"16 chars passphrase", "correct horse ba", "", ""},
		{"16 Chinese chars", "扶贫路上不落下一户一人齐心协力奔小康", "", ""},
		{"13 Chinese chars", "扶贫路上不落下一户一人齐心", "", msgWeakPassword},
		{"Chinese counts as symbol", "扶贫abcdefg12", "", ""},
		{"empty", "", "", msgWeakPassword},
		// User name, ignoring case.
		{"contains user", "ZhangSan2024!x", "zhangsan", msgContainsUsername},
		{"contains user upper", "xzhangsan2024!", " ZHANGSAN ", msgContainsUsername},
		{"long contains user", "my name is zhangsan ok", "ZhangSan", msgContainsUsername},
		{"Chinese user", "张三的密码Ab12345", "张三的", msgContainsUsername},
		{"other user", "ZhangSan2024!x", "lisi-01", ""},
		{"2-char user not checked", "ab-Cdefgh12", "ab", ""},
		// Common passwords, ignoring case.
		{"common short", "woaini1314", "", msgWeakPassword},
		{"common 3 classes", "P@ssw0rd123", "", msgCommonPassword},
		{"common upper-cased", "ADMIN@123456", "", msgCommonPassword},
		{"common keyboard 12", "1qaz@WSX3edc", "", msgCommonPassword},
		{"common 16 digits", "1234567890123456", "", msgCommonPassword},
		{"common keyboard 16", "1qaz2wsx3edc4rfv", "", msgCommonPassword},
		{"common project name", "Fupin@123456", "", msgCommonPassword},
		// Too few distinct characters.
		{"4 distinct", "Aa1!Aa1!Aa1!", "", msgRepetitive},
		{"5 distinct", "Aa1!bAa1!b", "", ""},
		{"one char 16", "aaaaaaaaaaaaaaaa", "", msgRepetitive},
	}
	for _, tt := range tests {
		err := CheckStrength(tt.pw, tt.user)
		got := ""
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Field != "password" {
				t.Errorf("%s: CheckStrength(%q, %q) error %#v, want *Error for field password", tt.name, tt.pw, tt.user, err)
				continue
			}
			got = e.Message
		}
		if got != tt.want {
			t.Errorf("%s: CheckStrength(%q, %q) = %q, want %q", tt.name, tt.pw, tt.user, got, tt.want)
		}
	}
}

func TestCommonPasswordsLowerCase(t *testing.T) {
	must := []string{"123456", "12345678", "password", "qwerty", "111111", "000000", "123123",
		"a123456", "woaini1314", "88888888", "admin123", "abc123456", "1qaz2wsx"}
	for _, w := range must {
		if _, ok := commonPasswords[w]; !ok {
			t.Errorf("commonPasswords lacks %q", w)
		}
	}
	for w := range commonPasswords {
		if strings.ToLower(w) != w {
			t.Errorf("commonPasswords entry %q is not lower case", w)
		}
		if CheckStrength(w, "") == nil {
			t.Errorf("CheckStrength(%q) = nil, want an error", w)
		}
	}
}
