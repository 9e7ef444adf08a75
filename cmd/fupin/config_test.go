package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The configuration file fills flags; the command line wins over the environment, which wins
// over the file; unknown keys and bad values are refused with the key named.
func TestConfigFilePrecedence(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("fupin.toml", "addr = \"0.0.0.0:9000\"\ndb = \"/var/lib/fupin/fupin.db\"\nsession-idle = \"45m\"\ndemo = true\nhouseholds = 500\n")
	env := map[string]string{"FUPIN_ADDR": "10.0.0.5:8080"}
	getenv := func(k string) string { return env[k] }
	fs := flags("serve", "", io.Discard)
	addr := fs.String("addr", envOr(getenv, "FUPIN_ADDR", "127.0.0.1:8080"), "")
	db := fs.String("db", envOr(getenv, "FUPIN_DB", "fupin.db"), "")
	idle := fs.Duration("session-idle", 30*time.Minute, "")
	demo := fs.Bool("demo", false, "")
	households := fs.Int("households", 3000, "")
	fs.String("config", "", "")
	args := []string{"--db", "/tmp/cli.db", "--config", good}
	if err := parse(fs, args); err != nil {
		t.Fatal(err)
	}
	if p := configPath(args, getenv); p != good {
		t.Fatalf("configPath = %q", p)
	}
	envOf := map[string]string{"addr": "FUPIN_ADDR", "db": "FUPIN_DB"}
	if err := applyConfig(fs, good, envOf, getenv); err != nil {
		t.Fatal(err)
	}
	if *addr != "10.0.0.5:8080" || *db != "/tmp/cli.db" || *idle != 45*time.Minute || !*demo || *households != 500 {
		t.Errorf("addr=%s db=%s idle=%v demo=%v households=%d", *addr, *db, *idle, *demo, *households)
	}
	for _, c := range []struct{ name, body, want string }{
		{"unknown key", "adress = \"x\"\n", "未知的设置项「adress」"},
		{"bad duration", "session-idle = \"soon\"\n", "设置项「session-idle」的值"},
		{"bad number", "households = \"many\"\n", "设置项「households」的值"},
		{"table value", "[db]\nurl = \"x\"\n", "设置项「db」应为"},
		{"not toml", "addr: 1\n", "格式错误"},
		{"too big", strings.Repeat("# padding line\n", 5000), "超过 64 KB"},
	} {
		fs := flags("serve", "", io.Discard)
		fs.String("addr", "", "")
		fs.String("db", "", "")
		fs.Duration("session-idle", 0, "")
		fs.Int("households", 0, "")
		err := applyConfig(fs, write(c.name+".toml", c.body), nil, getenv)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if err := applyConfig(flags("serve", "", io.Discard), filepath.Join(dir, "missing.toml"), nil, getenv); err == nil {
		t.Error("a missing file is an error")
	}
}
