// Package practice is the case library (典型案例, 可复制可推广的经验): a
// practice names a problem, what was done and what it achieved, with
// figures that point at the records they come from (a closed finding, a
// completed rotation, a project, a sampling round), themes and an area.
// It holds the types, code lists, validation, search-term building and
// the small state machine (proposed → published, or withdrawn); it
// imports only fupin and has no database.
package practice
