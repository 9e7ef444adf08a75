package main

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// maxConfigBytes bounds the configuration file read by --config.
const maxConfigBytes = 64 << 10

// applyConfig fills the flags of fs from a TOML file whose keys are the flag names
// (addr = "0.0.0.0:8080", session-idle = "30m", demo = false). What is given on the command
// line wins, then the environment variable named in envOf, then the file, then the default.
// Unknown keys and values a flag does not accept are errors that name the key.
func applyConfig(fs *flag.FlagSet, path string, envOf map[string]string, getenv func(string) string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("配置文件 %s：%w", path, err)
	}
	if st.Size() > maxConfigBytes {
		return fmt.Errorf("配置文件 %s 超过 %d KB", path, maxConfigBytes>>10)
	}
	var values map[string]any
	_, err = toml.DecodeFile(path, &values)
	if err != nil {
		return fmt.Errorf("配置文件 %s 格式错误（应为 TOML）：%w", path, err)
	}
	onCommandLine := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { onCommandLine[f.Name] = true })
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		f := fs.Lookup(key)
		if f == nil || key == "config" {
			return fmt.Errorf("配置文件 %s：未知的设置项「%s」（可用的设置项与命令行选项同名，见 fupin %s --help）", path, key, fs.Name())
		}
		if onCommandLine[key] {
			continue
		}
		if env := envOf[key]; env != "" && getenv(env) != "" {
			continue
		}
		var s string
		switch v := values[key].(type) {
		case string:
			s = v
		case bool, int64, float64:
			s = fmt.Sprint(v)
		default:
			return fmt.Errorf("配置文件 %s：设置项「%s」应为字符串、数字或 true/false", path, key)
		}
		if err := f.Value.Set(s); err != nil {
			return fmt.Errorf("配置文件 %s：设置项「%s」的值 %q 无效：%v", path, key, s, err)
		}
	}
	return nil
}

// configPath finds --config FILE (or --config=FILE) among args, or FUPIN_CONFIG.
func configPath(args []string, getenv func(string) string) string {
	for i, a := range args {
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "config" {
			continue
		}
		if hasVal {
			return val
		}
		if i+1 < len(args) {
			return args[i+1]
		}
	}
	return getenv("FUPIN_CONFIG")
}
