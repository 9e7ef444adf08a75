package sqlstore

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"

	"fupin/internal/fupin"
)

// loadTerms are the search terms (migration 0011) of the households a bulk
// load on SQLite inserts, made by the producer as it turns households into
// rows, sorted there while the writer rebuilds the indexes, and appended to
// household_terms in key order at the end. Building them in SQL (a
// recursive suffix query sorted by SQLite's own sorter) was about a fifth
// of a fresh import's CPU, on the writer's core.
//
// The terms are exactly termsSelect's: every suffix of a current member's
// name (the whole name included, and "" for an empty name) and '#' with
// the last six characters of the ID number reversed. Names that are not
// valid UTF-8 or hold a NUL byte, and ID numbers shorter than six bytes or
// not ASCII, are left to termsSelect (their household is listed in odd),
// since SQLite counts characters in them differently from Go.
type loadTerms struct {
	// text holds the names and '#'-terms back to back, each ended by a NUL
	// byte (plainTerms keeps NUL out of them): a term runs from its offset
	// to the next NUL, so that an entry is 8 bytes (3.8 million of them at a
	// million people).
	text  []byte
	ents  []termEnt
	odd   []int64 // households whose terms the SQL computes
	first int64   // the load's first household id
	// full is set once text could outgrow its 32-bit offsets: the SQL then
	// computes every household's terms.
	full bool
	// held is told the bytes reserved each time they grow (LoadOptions.Held).
	held     func(int64)
	reserved int64
}

// termEnt is a term starting at text[off] of household first+hid.
type termEnt struct{ off, hid uint32 }

// add records the terms of a new household (its ids assigned).
func (lt *loadTerms) add(h *fupin.Household) {
	if lt.full {
		return
	}
	if len(lt.text) > math.MaxUint32-1<<20 || h.ID-lt.first >= math.MaxUint32 {
		lt.full = true
		return
	}
	for i := range h.Members {
		m := &h.Members[i]
		if m.Active() && !plainTerms(m) {
			lt.odd = append(lt.odd, h.ID)
			return
		}
	}
	hid := uint32(h.ID - lt.first)
	for i := range h.Members {
		m := &h.Members[i]
		if !m.Active() {
			continue
		}
		off := uint32(len(lt.text))
		lt.text = append(lt.text, m.Name...)
		lt.text = append(lt.text, 0)
		// Each suffix, the whole name first; "" for an empty name.
		lt.ents = append(lt.ents, termEnt{off: off, hid: hid})
		for j := 0; j < len(m.Name); {
			_, size := utf8.DecodeRuneInString(m.Name[j:])
			if j += size; j < len(m.Name) {
				lt.ents = append(lt.ents, termEnt{off: off + uint32(j), hid: hid})
			}
		}
		lt.ents = append(lt.ents, termEnt{off: uint32(len(lt.text)), hid: hid})
		lt.text = append(lt.text, '#')
		for k := 1; k <= 6; k++ {
			lt.text = append(lt.text, m.IDNumber[len(m.IDNumber)-k])
		}
		lt.text = append(lt.text, 0)
	}
	if n := int64(cap(lt.text) + 8*cap(lt.ents)); n != lt.reserved && lt.held != nil {
		lt.reserved = n
		lt.held(n)
	}
}

// plainTerms reports whether Go makes the same terms of m as SQLite does:
// a valid UTF-8 name of at most 1,000 bytes without NUL, an ASCII ID number
// of at least six bytes without NUL.
func plainTerms(m *fupin.Member) bool {
	if len(m.Name) > 1000 || !utf8.ValidString(m.Name) || strings.IndexByte(m.Name, 0) >= 0 || len(m.IDNumber) < 6 {
		return false
	}
	for i := 0; i < len(m.IDNumber); i++ {
		if c := m.IDNumber[i]; c == 0 || c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// sort orders the terms by the table's key (term bytes, then household)
// and drops repeats (two members of a household sharing a suffix).
func (lt *loadTerms) sort() {
	slices.SortFunc(lt.ents, func(a, b termEnt) int {
		if c := lt.compare(a.off, b.off); c != 0 {
			return c
		}
		return int(a.hid) - int(b.hid)
	})
	lt.ents = slices.CompactFunc(lt.ents, func(a, b termEnt) bool {
		return a.hid == b.hid && lt.compare(a.off, b.off) == 0
	})
}

// compare orders the terms at offsets a and b as bytes.Compare orders
// them: the NUL ending the shorter one is below any byte of the other.
func (lt *loadTerms) compare(a, b uint32) int {
	text := lt.text
	for {
		x, y := text[a], text[b]
		if x != y {
			return int(x) - int(y)
		}
		if x == 0 {
			return 0
		}
		a, b = a+1, b+1
	}
}

// term returns the term at text[off].
func (lt *loadTerms) term(off uint32) []byte {
	t := lt.text[off:]
	return t[:bytes.IndexByte(t, 0)]
}

// insertLoadedTerms appends the sorted terms to household_terms with
// multi-row INSERTs, then lets the SQL make the terms of the households Go
// left to it.
func (tx *Tx) insertLoadedTerms(ctx context.Context, lt *loadTerms) error {
	if lt.full {
		return tx.selectLoadedTerms(ctx, lt.first)
	}
	mi, err := tx.newMultiInsert(ctx, "household_terms", "term, household_id", 2, 500, " ON CONFLICT DO NOTHING")
	if err != nil {
		return err
	}
	defer mi.close()
	for _, e := range lt.ents {
		// The driver copies a text argument before it returns, and text is
		// not written to any more: the term needs no string of its own.
		t := lt.term(e.off)
		if err := mi.put(ctx, unsafe.String(unsafe.SliceData(t), len(t))); err != nil {
			return err
		}
		if err := mi.put(ctx, lt.first+int64(e.hid)); err != nil {
			return err
		}
	}
	if err := mi.flush(ctx); err != nil {
		return err
	}
	for _, id := range lt.odd {
		if _, err := tx.ExecContext(ctx, `INSERT INTO household_terms (term, household_id) `+
			termsSelect("m.household_id = $1")+` ON CONFLICT DO NOTHING`, id); err != nil {
			return fmt.Errorf("search terms: %w", err)
		}
	}
	return nil
}
