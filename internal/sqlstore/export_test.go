package sqlstore

// EncodeItems exposes encodeItems to the tests.
var EncodeItems = encodeItems
