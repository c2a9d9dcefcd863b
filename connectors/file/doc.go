// Package file reads a council system's extract file — CSV, NDJSON, or a
// JSON document holding the rows in an array — through the source's
// mapping into canonical records, one at a time.
//
// A row that does not fit (bad CSV quoting, a wrong number of columns, a
// line that is not a JSON object, a value the mapping refuses) is a
// *RowError naming the file and the line (or, for a JSON document, the
// array element), and the reader carries on with the next row. Errors
// never quote a row's values: they are resident data. Only an I/O error
// or input the reader cannot find its way through (a broken JSON
// document, a CSV quoted field left open to the end of the file) stops
// the reader.
//
// CSV continuation: encoding/csv resumes at the line after the one where
// a parse error was found, so one bad row costs one row. The exception is
// a quote that opens a field and is never properly closed: the field then
// runs over the following lines, swallowing the rows there. When it runs
// to the end of the file the rest of the extract is lost, so that is
// fatal; when it ends earlier the RowError gives the lines it covered.
//
// Full extracts: a full extract lists every live record of its source, so
// a record the store holds but the extract lacks has been deleted
// (Missing). That only holds for an extract read without errors: a row
// that failed was not seen, and would look deleted.
package file
