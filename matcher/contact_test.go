package matcher

import (
	"strings"
	"testing"
)

func TestNormalisePhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"(020) 7946 0000", "02079460000"},
		{"020 7946 0000", "02079460000"},
		{"+44 20 7946 0000", "02079460000"},
		{"+44 (0)20 7946 0000", "02079460000"},
		{"+44(0)2079460000", "02079460000"},
		{"0044 20 7946 0000", "02079460000"},
		{"0044 (0) 20 7946 0000", "02079460000"},
		{"07700 900123", "07700900123"},
		{"07700-900-123", "07700900123"},
		{"+33 1 23 45 67 89", "33123456789"},  // not UK: digits only
		{"441234567890", "441234567890"},      // no plus: not a country code
		{"Tel: 020 7946 0000", "02079460000"}, // label before
		{"020 7946 0000 ext 123", "02079460000"},
		{"07700 900123 (mobile)", "07700900123"},
		{"0044 0044 20 7946 0000", "02079460000"},
		{"123456", ""},
		{"1234567", "1234567"},
		{"", ""},
		{"n/a", ""},
		{"+44", ""},
		{"020 7946 0000 / 07700 900123", ""}, // two numbers run together
		{"０２０７９４６００００", ""}, // fullwidth digits are not read
		{strings.Repeat("1", 1000), ""},
	}
	for _, tt := range tests {
		if got := NormalisePhone(tt.in); got != tt.want {
			t.Errorf("NormalisePhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormaliseEmail(t *testing.T) {
	tests := []struct{ in, want string }{
		{" John.Smith@Example.COM ", "john.smith@example.com"},
		{"a@b.co", "a@b.co"},
		{"someone@googlemail.com", "someone@gmail.com"},
		{"Someone@GoogleMail.com", "someone@gmail.com"},
		{"someone@mail.googlemail.com", "someone@mail.googlemail.com"},
		{"first.last+tag@sub.example.org.uk", "first.last+tag@sub.example.org.uk"},
		{"", ""},
		{"   ", ""},
		{"no-at-sign.example.com", ""},
		{"@example.com", ""},
		{"user@", ""},
		{"user@localhost", ""},
		{"user@.com", ""},
		{"user@example.", ""},
		{"user@example..com", ""},
		{"user@@example.com", ""},
		{"a@b@example.com", ""},
		{"john smith@example.com", ""},
		{"john@exa\tmple.com", ""},
		{"jöhn@exämple.com", "jöhn@exämple.com"}, // internationalised: kept, lower-cased
		{"ÉLISE@EXAMPLE.COM", "élise@example.com"},
	}
	for _, tt := range tests {
		if got := NormaliseEmail(tt.in); got != tt.want {
			t.Errorf("NormaliseEmail(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
