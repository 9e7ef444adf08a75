package practice

import (
	"errors"
	"strings"
	"testing"

	"fupin/internal/fupin"
)

func good() Practice {
	return Practice{Title: " 光伏扶贫电站收益分配 ", AreaCode: "500236266", Themes: []string{"industry", "assets"},
		Problem: "村集体无稳定收入", Actions: "建设村级光伏电站，收益按劳分配", Results: "村集体年增收 12 万元",
		Figures: []Figure{{Label: "受益户数", Value: 86, Unit: "户", Source: "asset", SourceID: 3}}}
}

// TestValidate: a good practice passes (trimmed); each bad field is named
// by its path.
func TestValidate(t *testing.T) {
	p := good()
	if err := p.Validate(); err != nil || p.Title != "光伏扶贫电站收益分配" {
		t.Fatalf("good practice: %v, title %q", err, p.Title)
	}
	tests := []struct {
		name  string
		edit  func(p *Practice)
		field string
	}{
		{"no title", func(p *Practice) { p.Title = "  " }, "title"},
		{"long title", func(p *Practice) { p.Title = strings.Repeat("案", MaxTitle+1) }, "title"},
		{"long actions", func(p *Practice) { p.Actions = strings.Repeat("做", MaxText+1) }, "actions"},
		{"bad area", func(p *Practice) { p.AreaCode = "5002362" }, "area_code"},
		{"no theme", func(p *Practice) { p.Themes = nil }, "themes"},
		{"unknown theme", func(p *Practice) { p.Themes = []string{"industry", "magic"} }, "themes[1]"},
		{"repeated theme", func(p *Practice) { p.Themes = []string{"water", "water"} }, "themes[1]"},
		{"too many themes", func(p *Practice) {
			p.Themes = []string{"industry", "employment", "education", "health", "housing", "water"}
		}, "themes"},
		{"too many figures", func(p *Practice) { p.Figures = make([]Figure, MaxFigures+1) }, "figures"},
		{"figure without label", func(p *Practice) { p.Figures[0].Label = "" }, "figures[0].label"},
		{"figure source unknown", func(p *Practice) { p.Figures[0].Source = "magic" }, "figures[0].source"},
		{"figure source without id", func(p *Practice) { p.Figures[0].SourceID = 0 }, "figures[0].source_id"},
		{"figure id without source", func(p *Practice) { p.Figures[0].Source = "" }, "figures[0].source"},
		{"figure too large", func(p *Practice) { p.Figures[0].Value = 2e12 }, "figures[0].value"},
		{"proposed from a project", func(p *Practice) { p.Source, p.SourceID = "project", 1 }, "source"},
		{"proposed from nothing", func(p *Practice) { p.Source = "finding" }, "source"},
	}
	for _, tt := range tests {
		p := good()
		tt.edit(&p)
		var e *fupin.Error
		if err := p.Validate(); !errors.As(err, &e) || e.Code != fupin.EInvalid || e.Fields[tt.field] == "" {
			t.Errorf("%s: %v, want a message on %s", tt.name, err, tt.field)
		}
	}
}

// TestNext: the county publishes a proposed practice and withdraws a
// proposed or published one; nothing else moves.
func TestNext(t *testing.T) {
	tests := []struct {
		status, action, role string
		want                 string
		code                 string
	}{
		{StatusProposed, ActPublish, "county", StatusPublished, ""},
		{StatusProposed, ActPublish, "admin", StatusPublished, ""},
		{StatusProposed, ActPublish, "township", "", fupin.EForbidden},
		{StatusPublished, ActPublish, "county", "", fupin.EConflict},
		{StatusPublished, ActWithdraw, "county", StatusWithdrawn, ""},
		{StatusProposed, ActWithdraw, "county", StatusWithdrawn, ""},
		{StatusWithdrawn, ActWithdraw, "county", "", fupin.EConflict},
		{StatusWithdrawn, ActPublish, "county", "", fupin.EConflict},
		{StatusProposed, "delete", "county", "", fupin.EInvalid},
	}
	for _, tt := range tests {
		got, err := Next(tt.status, tt.action, tt.role)
		var e *fupin.Error
		switch {
		case tt.code == "" && (err != nil || got != tt.want):
			t.Errorf("Next(%s, %s, %s) = %q, %v; want %q", tt.status, tt.action, tt.role, got, err, tt.want)
		case tt.code != "" && (!errors.As(err, &e) || e.Code != tt.code):
			t.Errorf("Next(%s, %s, %s) = %q, %v; want %s", tt.status, tt.action, tt.role, got, err, tt.code)
		}
	}
}

// TestEditAndVisible: who edits in which status, and who reads a practice
// of a village: published ones where the areas overlap, others only
// inside the reader's areas.
func TestEditAndVisible(t *testing.T) {
	if CanEdit("village", StatusProposed) != nil || CanEdit("village", StatusPublished) == nil || CanEdit("county", StatusPublished) != nil ||
		CanEdit("county", StatusWithdrawn) == nil || CanEdit("inspector", StatusProposed) == nil {
		t.Error("CanEdit rules")
	}
	village := "500236266200"
	tests := []struct {
		areas  []string
		status string
		want   bool
	}{
		{[]string{"500236"}, StatusProposed, true},
		{[]string{village}, StatusProposed, true},
		{[]string{"500236266201"}, StatusProposed, false},
		{[]string{"500236266201"}, StatusPublished, false},
		{[]string{"5002362662"}, StatusPublished, true}, // a prefix covering it
		{[]string{"500101"}, StatusPublished, false},
	}
	for _, tt := range tests {
		if got := Visible(fupin.Actor{Areas: tt.areas}, village, tt.status); got != tt.want {
			t.Errorf("Visible(%v, %s) = %v, want %v", tt.areas, tt.status, got, tt.want)
		}
	}
	// A county practice is read by its villages once published.
	if !Visible(fupin.Actor{Areas: []string{village}}, "500236", StatusPublished) || Visible(fupin.Actor{Areas: []string{village}}, "500236", StatusProposed) {
		t.Error("a village reads its county's published practices only")
	}
}
