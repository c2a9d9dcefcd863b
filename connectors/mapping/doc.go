// Package mapping turns a council system's own rows — a Debezium event's
// "after", a line of a CSV or NDJSON extract — into canonical records,
// following a declarative YAML mapping per source.
//
// A mapping names the source, the field holding the system's primary key
// and, for each canonical field, the native field(s) it comes from and
// how to convert them (date layout, code table, list separator, flag for a
// true boolean, constant). Mappings for the ten council systems ship with
// the binary (Shipped); a council adds or replaces one with a YAML file of
// its own, without code (LoadDir). Every mapping is checked when it is
// loaded, and an error names the file, the line and the key at fault;
// mapping a row that does not fit names the source, the record and the
// native field, never the field's value, since that is resident data.
//
// The format is documented in docs/mappings.md.
package mapping
