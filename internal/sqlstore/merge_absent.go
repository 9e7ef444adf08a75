package sqlstore

import (
	"encoding/json"
	"fmt"
	"strings"

	"fupin/internal/fupin"
)

// absentPaths are the household and member JSON paths an imported file has
// no column for.
type absentPaths struct{ household, member []string }

// keepAbsent copies into the imported household, at each absent path where
// its value is empty, the stored household's value; likewise for each
// imported member from the stored member of the same ID number (current
// first). A file without Fupin's own columns (a national list) then updates
// what it carries and leaves the rest as it is.
func keepAbsent(cur, in *fupin.Household, absent absentPaths) error {
	if len(absent.household) > 0 {
		members, incomes := in.Members, in.Incomes
		if err := overlay(in, cur, absent.household); err != nil {
			return err
		}
		in.Members, in.Incomes = members, incomes
	}
	if len(absent.member) == 0 {
		return nil
	}
	for i := range in.Members {
		m := &in.Members[i]
		var old *fupin.Member
		for j := range cur.Members {
			o := &cur.Members[j]
			if o.IDNumber == m.IDNumber && (old == nil || (o.Active() == m.Active() && old.Active() != m.Active())) {
				old = o
			}
		}
		if old == nil {
			continue
		}
		id := m.ID
		if err := overlay(m, old, absent.member); err != nil {
			return err
		}
		m.ID = id
	}
	return nil
}

// overlay sets dst's empty values at paths ("housing.area_m2") to src's,
// through their JSON forms; at "=path" src's value wins when it has one.
func overlay(dst, src any, paths []string) error {
	d, err := jsonMap(dst)
	if err != nil {
		return err
	}
	s, err := jsonMap(src)
	if err != nil {
		return err
	}
	changed := false
	for _, p := range paths {
		p, force := strings.CutPrefix(p, "=")
		sv, ok := lookupPath(s, p)
		if !ok || emptyJSON(sv) {
			continue
		}
		if dv, _ := lookupPath(d, p); !force && !emptyJSON(dv) {
			continue
		}
		setPath(d, p, sv)
		changed = true
	}
	if !changed {
		return nil
	}
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("keep stored fields: %w", err)
	}
	if err := json.Unmarshal(b, dst); err != nil {
		return fmt.Errorf("keep stored fields: %w", err)
	}
	return nil
}

func jsonMap(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("keep stored fields: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("keep stored fields: %w", err)
	}
	return m, nil
}

func lookupPath(m map[string]any, path string) (any, bool) {
	head, rest, nested := strings.Cut(path, ".")
	v, ok := m[head]
	if !ok || !nested {
		return v, ok
	}
	sub, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	return lookupPath(sub, rest)
}

func setPath(m map[string]any, path string, v any) {
	head, rest, nested := strings.Cut(path, ".")
	if !nested {
		m[head] = v
		return
	}
	sub, ok := m[head].(map[string]any)
	if !ok {
		sub = map[string]any{}
		m[head] = sub
	}
	setPath(sub, rest, v)
}

// emptyJSON reports a JSON value that carries nothing: null, "", false, 0,
// [] or {}.
func emptyJSON(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	case float64:
		return x == 0
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}
