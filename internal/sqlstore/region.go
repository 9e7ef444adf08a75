package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fupin/internal/fupin"
	"fupin/internal/region"
)

// ensureVillage checks that code is a village in the embedded 2023 division
// tree and copies it and its ancestors into the regions table, which holds
// only the regions in use.
func (tx *Tx) ensureVillage(ctx context.Context, code string) error {
	path, err := region.Path(code)
	switch {
	case errors.Is(err, region.ErrNotFound):
		return villageError(fmt.Sprintf("统计用区划代码（%s 年版）中没有这个村：%s", region.Vintage, code))
	case err != nil:
		return villageError("所在村应为 12 位村级统计用区划代码")
	case len(path) == 0 || path[len(path)-1].Level != "village":
		return villageError("所在村必须是村级（村委会/居委会）区划代码：" + code)
	}
	return tx.saveRegions(ctx, path)
}

func villageError(msg string) error {
	return &fupin.Error{Code: fupin.EInvalid, Message: msg, Fields: map[string]string{"village_code": msg}}
}

// saveRegions inserts the regions of path that are not stored yet, in one
// statement (a village's path has five).
func (tx *Tx) saveRegions(ctx context.Context, path []region.Region) error {
	if len(path) == 0 {
		return nil
	}
	values := make([]string, len(path))
	args := make([]any, 0, 6*len(path))
	for i, r := range path {
		var parent any
		if r.ParentCode != "" {
			parent = r.ParentCode
		}
		values[i] = "(" + placeholders(6*i+1, 6) + ")"
		args = append(args, r.Code, r.Name, r.FullName, string(r.Level), parent, region.Vintage)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO regions (code, name, full_name, level, parent_code, vintage)
		VALUES `+strings.Join(values, ", ")+` ON CONFLICT (code) DO NOTHING`, args...); err != nil {
		return fmt.Errorf("save regions of %s: %w", path[len(path)-1].Code, err)
	}
	return nil
}
