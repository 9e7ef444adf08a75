package sqlstore

import (
	"context"
	"fmt"

	"fupin/internal/fupin"
)

// MatchIndex finds the live households an import updates: by 户编号 and by
// a current member's ID number. It holds one entry per household and per
// current person of the actor's areas (a county: over a million), so the
// keys are packed into integers where they fit: the garbage collector
// then has nothing to scan in it, and an import's heap stays within the
// command's soft memory limit.
type MatchIndex struct {
	byNo, byPerson packedMap
}

// Household returns the id of the live household with 户编号 no.
func (x *MatchIndex) Household(no string) (int64, bool) { return x.byNo.get(no) }

// Person returns the id of the live household person idNumber currently
// belongs to.
func (x *MatchIndex) Person(idNumber string) (int64, bool) { return x.byPerson.get(idNumber) }

// Bytes estimates the heap the index holds (measured at 300,000 households
// and 1.04 million people: 43.6 MB, 33 bytes an entry), for a command that
// sets its own soft memory limit: the index is live for the whole import
// and holds no pointers, so it costs the collector headroom, not scanning.
func (x *MatchIndex) Bytes() int64 { return x.byNo.bytes() + x.byPerson.bytes() }

func (m *packedMap) bytes() int64 {
	n := int64(len(m.short)+len(m.id18)) * 32
	for k := range m.str {
		n += 64 + int64(len(k))
	}
	return n
}

// MatchIndex reads the 户编号 and current members' ID numbers of the live
// households in the actor's areas (the answers of LiveHouseholdNos and
// CurrentPeople, packed).
func (db *DB) MatchIndex(ctx context.Context, actor fupin.Actor) (*MatchIndex, error) {
	where, args := householdWhere(actor, fupin.HouseholdFilter{})
	x := &MatchIndex{}
	if err := db.readPairs(ctx, `SELECT h.household_no, h.id FROM households h WHERE `+where+
		` AND h.household_no IS NOT NULL`, args, &x.byNo); err != nil {
		return nil, fmt.Errorf("household numbers: %w", err)
	}
	if err := db.readPairs(ctx, `SELECT m.id_number, m.household_id FROM members m
		JOIN households h ON h.id = m.household_id WHERE m.is_current AND `+where, args, &x.byPerson); err != nil {
		return nil, fmt.Errorf("current people: %w", err)
	}
	return x, nil
}

func (db *DB) readPairs(ctx context.Context, query string, args []any, into *packedMap) error {
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var key []byte
	for rows.Next() {
		var id int64
		if err := rows.Scan(&key, &id); err != nil {
			return err
		}
		into.put(key, id)
	}
	return rows.Err()
}

// packedMap maps short keys to ids. A key of at most 17 digits, or of 18
// characters that are 17 digits and a digit or X (an ID number), is held
// as an integer; any other key as a string.
type packedMap struct {
	short, id18 map[uint64]int64
	str         map[string]int64
}

func (m *packedMap) put(key []byte, id int64) {
	k, ok := packKey(key)
	switch {
	case ok && len(key) == 18:
		if m.id18 == nil {
			m.id18 = map[uint64]int64{}
		}
		m.id18[k] = id
	case ok:
		if m.short == nil {
			m.short = map[uint64]int64{}
		}
		m.short[k] = id
	default:
		if m.str == nil {
			m.str = map[string]int64{}
		}
		m.str[string(key)] = id
	}
}

func (m *packedMap) get(key string) (int64, bool) {
	var id int64
	found := false
	k, ok := packKey([]byte(key))
	switch {
	case ok && len(key) == 18:
		id, found = m.id18[k]
	case ok:
		id, found = m.short[k]
	default:
		id, found = m.str[key]
	}
	return id, found
}

// packKey packs a key of up to 17 digits as its length (top bits, so that
// "01" and "1" differ) above its value, and an 18-character ID number as
// 17 decimal digits and a last digit of base 11 (X is 10). ok is false for
// any other key.
func packKey(s []byte) (uint64, bool) {
	n := len(s)
	if n == 0 || n > 18 {
		return 0, false
	}
	var v uint64
	for i := 0; i < n; i++ {
		c := s[i]
		d := uint64(c) - '0'
		switch {
		case c >= '0' && c <= '9':
		case i == 17 && c == 'X':
			d = 10
		default:
			return 0, false
		}
		if i == 17 {
			v = v*11 + d
		} else {
			v = v*10 + d
		}
	}
	if n == 18 {
		return v, true
	}
	return uint64(n)<<59 | v, true
}
