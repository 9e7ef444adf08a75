// Package aid is the aid-forces (帮扶力量) domain, pure like criteria: the
// types the store reads and writes (groups and units, cadres and postings,
// pairings, visits, check-ins and leave, rotations and their handover
// lists), the code lists, the settings and their resolution by area
// prefix, and the rules as functions over values: attendance pro-rating
// (RequiredDays, LeaveDays), term alerts (TermAlertOf), overdue visits
// (CheckOverdue), the leave and rotation state machines (LeaveTransition,
// CheckTransition, ConfirmingItem, ConfirmedAs) and the handover list
// builder (PairingMoves, HandoverList). It imports no database code;
// sqlstore/aid_*.go hold the SQL and call into it.
package aid
