package xlsx

// Formula injection (OWASP "CSV Injection"): a CSV cell that starts with = + - @, a tab or a
// carriage return is taken for a formula by Excel and WPS, so that a name such as
// =HYPERLINK(...) typed into the registry would run in whoever opens the export. CSVSafe
// turns such a cell into text with a leading apostrophe, which spreadsheet programs show
// without it. So that Fupin's own CSV round-trips exactly, the rule is a bijection:
//
//   - written: a cell matching ^'*[=+\-@\t\r] (any apostrophes, then a trigger) gets one more
//     apostrophe in front;
//   - read (OpenCSV, Open): a cell matching ^'+[=+\-@\t\r] loses one leading apostrophe.
//
// Other cells, including ones starting with an apostrophe and no trigger after it, pass
// unchanged both ways. xlsx files need none of this: their cells are typed, and the writer
// stores text as text.

// CSVSafe returns cell as it must be written to a CSV file.
func CSVSafe(cell string) string {
	if formulaLike(cell, 0) {
		return "'" + cell
	}
	return cell
}

// csvUnsafe undoes CSVSafe for a cell read from a CSV file.
func csvUnsafe(cell string) string {
	if len(cell) > 1 && cell[0] == '\'' && formulaLike(cell, 1) {
		return cell[1:]
	}
	return cell
}

// formulaLike reports whether cell[from:], after any apostrophes, starts with a character
// that makes a spreadsheet read a formula.
func formulaLike(cell string, from int) bool {
	i := from
	for i < len(cell) && cell[i] == '\'' {
		i++
	}
	if i >= len(cell) {
		return false
	}
	switch cell[i] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}
