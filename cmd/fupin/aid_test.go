package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"fupin/internal/aid"
	"fupin/internal/demo"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// TestAidDemoAndCommands loads the demo (with its aid forces) and runs the
// aid batch commands on it.
func TestAidDemoAndCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "aid.db")
	var out bytes.Buffer
	if code := run(context.Background(), []string{"demo", "--db", db, "--households", "300", "--seed", "3"}, noEnv, nil, &out, io.Discard); code != 0 {
		t.Fatalf("demo: exit %d", code)
	}
	if !strings.Contains(out.String(), "帮扶力量已写入：22 个成员单位") {
		t.Errorf("demo output lacks the aid forces: %q", out.String())
	}
	aid := func(args ...string) string {
		t.Helper()
		var o, e bytes.Buffer
		if code := run(context.Background(), append(append([]string{"aid"}, args...), "--db", db), noEnv, nil, &o, &e); code != 0 {
			t.Fatalf("aid %v: exit %d %s", args, code, e.String())
		}
		return o.String()
	}
	if s := aid("unpaired", "--area", "500236266"); !strings.Contains(s, "未结对 0 户") {
		t.Errorf("every helped household of the demo is paired:\n%s", s)
	}
	if s := aid("alerts"); !strings.Contains(s, "驻乡工作队队长") {
		t.Errorf("the township team's term ends soon in the demo:\n%s", s)
	}
	if s := aid("report"); !strings.Contains(s, "驻村工作队") {
		t.Errorf("report:\n%s", s)
	}
	sheet := filepath.Join(dir, "交接清单.xlsx")
	aid("handover-sheet", "1", "--out", sheet)
	f, err := excelize.OpenFile(sheet)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("交接清单")
	if !strings.Contains(rows[0][0], "平安乡") || !strings.Contains(strings.Join(flatten(rows), " "), "结对农户") {
		t.Errorf("sheet rows = %v", rows)
	}
	checkDemoRotation(t, db)
}

// checkDemoRotation checks the demo's pairings start once their helper is
// posted, and completes the demo's rotation the way the demo users would:
// the outgoing cadres confirmed when it was generated, a county user
// (fengjie) confirms for the incoming ones and the township office
// (pingan) confirms and completes.
func checkDemoRotation(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	town := fupin.Actor{Name: "pingan", Areas: []string{demo.TownshipCode}}
	county := fupin.Actor{Name: "fengjie", Areas: []string{"500236"}}
	page, err := db.ListActivePairings(ctx, town, "", 0, 0, 500)
	if err != nil || page.Total == 0 {
		t.Fatalf("demo pairings: %d %v", page.Total, err)
	}
	for _, p := range page.Items {
		c, err := db.Cadre(ctx, town, p.CadreID)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Postings) == 0 || p.StartedOn.Before(c.Postings[len(c.Postings)-1].StartedOn) {
			t.Errorf("pairing of household %d starts %s, before %s's posting", p.HouseholdID, p.StartedOn, c.Name)
		}
	}
	r, err := db.Rotation(ctx, town, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range r.Items {
		if r, err = db.ConfirmRotation(ctx, county, r.ID, aid.Confirmation{Version: r.Version, Party: "incoming", ItemID: it.ID}); err != nil {
			t.Fatalf("incoming confirmation: %v", err)
		}
	}
	if r, err = db.ConfirmRotation(ctx, town, r.ID, aid.Confirmation{Version: r.Version, Party: "office"}); err != nil {
		t.Fatalf("office confirmation: %v", err)
	}
	if r, err = db.CompleteRotation(ctx, town, r.ID, r.Version); err != nil || r.Status != "completed" {
		t.Fatalf("completing the demo rotation: %v", err)
	}
	if rep, err := db.Unpaired(ctx, town, ""); err != nil || rep.Total != 0 {
		t.Errorf("unpaired after the demo rotation: %d %v", rep.Total, err)
	}
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}
