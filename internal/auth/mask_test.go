package auth

import "testing"

func TestMaskPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13987654321", "139****4321"},
		{"+8613987654321", "+86*******4321"},
		{"0871-1234567", "087*****4567"},
		{"1234567890", "123*****90"},
		{"8123456", "812**56"},
		{"123456", "123*56"},
		{"12345", "*****"},
		{"1", "*"},
		{"", ""},
		{"１３９８７６５４３２１", "１３９****４３２１"},
	}
	for _, tt := range tests {
		if got := MaskPhone(tt.in); got != tt.want {
			t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
