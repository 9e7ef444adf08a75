package sqlstore

import (
	"context"
	"errors"
	"fmt"

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

func (tx *Tx) saveRegions(ctx context.Context, path []region.Region) error {
	for _, r := range path {
		var parent any
		if r.ParentCode != "" {
			parent = r.ParentCode
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO regions (code, name, full_name, level, parent_code, vintage)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING`,
			r.Code, r.Name, r.FullName, string(r.Level), parent, region.Vintage); err != nil {
			return fmt.Errorf("save region %s: %w", r.Code, err)
		}
	}
	return nil
}
