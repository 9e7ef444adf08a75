package sqlstore

import (
	"errors"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// DiskFullMessage is what users are told when a write failed for want of disk space.
const DiskFullMessage = "磁盘空间已满，数据未保存：请联系管理员清理服务器磁盘后重试"

// IsDiskFull reports whether err comes from a full disk: ENOSPC from the file system,
// SQLITE_FULL from SQLite, or disk_full (53100) from PostgreSQL.
func IsDiskFull(err error) bool {
	var pg *pgconn.PgError
	var lite *sqlite.Error
	switch {
	case err == nil:
		return false
	case errors.Is(err, syscall.ENOSPC):
		return true
	case errors.As(err, &pg):
		return pg.Code == "53100"
	case errors.As(err, &lite):
		return lite.Code()&0xff == sqlite3.SQLITE_FULL
	}
	return false
}
