package xlsx

// StartSheet ends the current sheet and begins one named name (at most 31
// characters, unique in the workbook; the caller's business), for
// workbooks whose sheets differ, such as the ledger's 三单. The writer's
// header is not written on it: the caller writes its own first row. A sheet
// that fills up continues on one named by the next WriteRow's prefix.
func (x *Writer) StartSheet(name string) error {
	if x.err != nil {
		return x.err
	}
	header := x.header
	x.header = nil
	err := x.startSheet("")
	x.header = header
	if err == nil {
		x.names[len(x.names)-1] = name
	}
	return err
}
