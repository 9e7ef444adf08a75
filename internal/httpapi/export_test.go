package httpapi

// SetMaxUpload lowers the upload limit for a test and returns what restores it.
func SetMaxUpload(n int64) (restore func()) {
	old := maxUpload
	maxUpload = n
	return func() { maxUpload = old }
}
