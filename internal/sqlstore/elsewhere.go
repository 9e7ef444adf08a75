package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"fupin/internal/fupin"
)

// registeredElsewhere is all a caller learns of a person registered in an
// area outside theirs: not which household or cadre, nor where.
const registeredElsewhere = "此人已在系统其他地区登记"

// refuseElsewhere notes an attempt to register a person (an ID number)
// already registered outside the actor's areas, for the audit log: the
// write is refused, the attempt is recorded.
func (tx *Tx) refuseElsewhere(entity, idNumber string, otherID int64) {
	detail, _ := jsonOrNil(map[string]string{"id_number": idNumber, "registered_as": entity + " #" + strconv.FormatInt(otherID, 10)})
	tx.refused = append(tx.refused, auditRow{action: "person.elsewhere", entity: entity, entityID: "", after: detail})
}

// auditRefused writes the refused attempts of a rolled-back transaction in
// a transaction of their own, whatever became of the caller's request.
func (db *DB) auditRefused(ctx context.Context, t *Tx) {
	if len(t.refused) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	db.update(ctx, t.actor, func(tx *Tx) error {
		for _, r := range t.refused {
			if err := tx.appendAudit(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// checkCadreElsewhere refuses a cadre's ID number that another cadre
// outside the actor's areas holds, saying only that it is registered
// elsewhere (inside, the unique index answers with a conflict as before).
func (tx *Tx) checkCadreElsewhere(ctx context.Context, self int64, idNumber string) error {
	var other int64
	var area string
	err := tx.QueryRowContext(ctx, `SELECT id, area_code FROM cadres WHERE id_number = $1 AND id <> $2`, idNumber, self).Scan(&other, &area)
	if errors.Is(err, sql.ErrNoRows) || err == nil && tx.actor.Covers(area) {
		return nil
	} else if err != nil {
		return fmt.Errorf("check cadre id_number: %w", err)
	}
	tx.refuseElsewhere("cadre", idNumber, other)
	return &fupin.Error{Code: fupin.EConflict, Message: registeredElsewhere, Fields: map[string]string{"id_number": registeredElsewhere}}
}
