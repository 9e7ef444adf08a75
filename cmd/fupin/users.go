package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/term"

	"fupin/internal/auth"
	"fupin/internal/fupin"
	"fupin/internal/sqlstore"
)

// areaList is a repeatable --area flag.
type areaList []string

func (a *areaList) String() string     { return strings.Join(*a, ",") }
func (a *areaList) Set(v string) error { *a = append(*a, v); return nil }

const userUsage = `用法：
  fupin user add NAME --role ROLE --area CODE [--area CODE…] [--display-name 名字] [--password-stdin]
  fupin user list
  fupin user passwd NAME [--password-stdin]
  fupin user disable NAME | fupin user enable NAME
角色：admin 系统管理员、county 县级用户、township 乡镇指挥部办公室、village 村级干部、aid_unit 帮扶单位、inspector 督查评估。
--area 为统计用区划代码前缀（省 2 位…村 12 位），空字符串 "" 表示全国。
`

func cmdUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	sub, fs, dsn, err := subcommandFlags("user", "管理登录用户。", userUsage, args, getenv, stderr)
	if err != nil {
		return err
	}
	role := fs.String("role", "", "角色（user add）")
	display := fs.String("display-name", "", "显示名（user add）")
	fromStdin := fs.Bool("password-stdin", false, "从标准输入读取密码（一行），不提示")
	var areas areaList
	fs.Var(&areas, "area", "管辖区域，可重复（user add）")
	name, rest := leadingArg(fs, args[1:])
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return errUsage
	}
	if sub != "list" && name == "" {
		fmt.Fprint(stderr, userUsage)
		return errUsage
	}
	db, err := openQuiet(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	cli := fupin.SystemActor("命令行管理员")
	switch sub {
	case "add":
		r, err := auth.ParseRole(*role)
		if err != nil {
			return err
		}
		pw, err := readPassword(stdin, stderr, *fromStdin, name)
		if err != nil {
			return err
		}
		u, err := db.CreateUser(ctx, cli, sqlstore.User{Username: name, DisplayName: *display, Role: string(r), Areas: areas}, pw)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已创建用户 %s（%s，区域 %q）\n", u.Username, r.Label(), u.Areas)
	case "list":
		users, err := db.Users(ctx, cli)
		if err != nil {
			return err
		}
		for _, u := range users {
			state := "启用"
			if u.Disabled {
				state = "停用"
			}
			fmt.Fprintf(stdout, "%-20s %-16s %-4s 区域 %q  创建者 %s\n", u.Username, auth.Role(u.Role).Label(), state, u.Areas, u.CreatedBy)
		}
	case "passwd":
		pw, err := readPassword(stdin, stderr, *fromStdin, name)
		if err != nil {
			return err
		}
		if err := db.UpdateUser(ctx, cli, name, pw, nil); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已重置 %s 的密码，其登录会话已结束\n", name)
	case "disable", "enable":
		off := sub == "disable"
		if err := db.UpdateUser(ctx, cli, name, "", &off); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已%s用户 %s\n", map[bool]string{true: "停用", false: "启用"}[off], name)
	default:
		fmt.Fprint(stderr, userUsage)
		return errUsage
	}
	return nil
}

// readPassword reads a new password (from a prompt without echo, or one
// line of stdin), checks its strength and returns its hash.
func readPassword(stdin io.Reader, stderr io.Writer, fromStdin bool, username string) (string, error) {
	var pw string
	if f, ok := stdin.(*os.File); ok && !fromStdin && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stderr, "新密码：")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "再输入一次：")
		again, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stderr)
		if err != nil {
			return "", err
		}
		if string(b) != string(again) {
			return "", fmt.Errorf("两次输入的密码不一致")
		}
		pw = string(b)
	} else {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", fmt.Errorf("请在标准输入中提供密码（--password-stdin）")
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	if err := auth.CheckStrength(pw, username); err != nil {
		return "", err
	}
	return auth.HashPassword(pw)
}

func cmdToken(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	const usage = "用法：\n  fupin token add NAME --role ROLE --area CODE [--area CODE…]\n  fupin token list\n  fupin token revoke ID\n"
	sub, fs, dsn, err := subcommandFlags("token", "管理 API 令牌（Bearer）。", usage, args, getenv, stderr)
	if err != nil {
		return err
	}
	role := fs.String("role", "", "角色")
	var areas areaList
	fs.Var(&areas, "area", "区域，可重复")
	arg, rest := leadingArg(fs, args[1:])
	if err := fs.Parse(rest); err != nil {
		return errUsage
	}
	db, err := openQuiet(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	cli := fupin.SystemActor("命令行管理员")
	switch sub {
	case "add":
		r, err := auth.ParseRole(*role)
		if err != nil {
			return err
		}
		plain, err := auth.NewToken(auth.APITokenPrefix)
		if err != nil {
			return err
		}
		t, err := db.CreateToken(ctx, cli, sqlstore.APIToken{Name: arg, Role: string(r), Areas: areas}, auth.HashToken(plain))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "令牌 #%d（%s，%s，区域 %q）：\n%s\n只显示这一次，请妥善保存。\n", t.ID, t.Name, r.Label(), t.Areas, plain)
	case "list":
		tokens, err := db.Tokens(ctx)
		if err != nil {
			return err
		}
		for _, t := range tokens {
			state := "有效"
			if t.RevokedAt != nil {
				state = "已吊销"
			}
			fmt.Fprintf(stdout, "#%-4d %-20s %-16s %-6s 区域 %q\n", t.ID, t.Name, auth.Role(t.Role).Label(), state, t.Areas)
		}
	case "revoke":
		id, err := strconv.ParseInt(arg, 10, 64)
		if err != nil {
			return fmt.Errorf("令牌编号应为数字：%q", arg)
		}
		if err := db.RevokeToken(ctx, cli, id); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已吊销令牌 #%d\n", id)
	default:
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	return nil
}

func cmdAudit(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprint(stderr, "用法：fupin audit verify [--db …]   校验审计日志哈希链\n")
		return errUsage
	}
	fs := flags("audit verify", "校验审计日志的哈希链（HMAC 密钥保护）和检查点文件，报告第一条被修改、删除或调换顺序的记录，以及被删除的最新记录或被清空的日志。", stderr)
	dsn := fs.String("db", envOr(getenv, "FUPIN_DB", "fupin.db"), "SQLite 文件或 postgres:// 连接串（FUPIN_DB）")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	db, err := openQuiet(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	n, prob, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if prob != nil {
		return fmt.Errorf("审计日志第 %d 条（共检查 %d 条）：%s", prob.ID, n, prob.Reason)
	}
	fmt.Fprintf(stdout, "审计日志完整：%d 条记录，哈希链无断裂，与检查点文件一致\n", n)
	return nil
}
