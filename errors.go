package resindex

import "errors"

// The kinds of error every package shares. A package wraps one of them
// (fmt.Errorf("person %s: %w", id, ErrNotFound)) or makes its own with
// NewError, and each boundary maps the kind once: the web to an HTTP
// status, the command line to an exit status, access to the audit log's
// outcome. An error of none of these kinds is internal.
var (
	// ErrNotFound: no such thing, or one the caller may not know of (the
	// two are never told apart). Txn.Get returns it for a missing key.
	ErrNotFound = errors.New("not found")
	// ErrForbidden: the caller may not do this.
	ErrForbidden = errors.New("forbidden")
	// ErrInvalid: the request or the input is malformed; the message
	// names the field, never quotes the value.
	ErrInvalid = errors.New("invalid")
	// ErrConflict: the request clashes with the state of the index (a
	// consumer group in use, a transaction that kept conflicting).
	ErrConflict = errors.New("conflict")
	// ErrUnavailable: the index cannot serve now; the same request may
	// succeed later (a stopped store, an interrupted load).
	ErrUnavailable = errors.New("unavailable")
	// ErrInternal: a fault of the index itself (corrupt data, a broken
	// audit chain).
	ErrInternal = errors.New("internal error")
)

// ErrAuditBroken is an audit log whose hash chain does not hold: an entry
// edited, removed or inserted. It is of kind ErrInternal; the store's
// check returns it, and an auditor's page tells it apart from a failure
// to read.
// ErrNotFillable is returned by a fill (store.DB.Fill) of a store that
// holds keys of its own among those the fill writes, before it changes
// anything: the caller writes in batches instead.
var ErrNotFillable = NewError(ErrConflict, "the store holds keys among those a fill writes")

var ErrAuditBroken = NewError(ErrInternal, "the audit log has been tampered with")

// ErrorKind is the kind of an error, by name.
type ErrorKind string

// The error kinds, as KindOf names them.
const (
	KindNotFound    ErrorKind = "not_found"
	KindForbidden   ErrorKind = "forbidden"
	KindInvalid     ErrorKind = "invalid"
	KindConflict    ErrorKind = "conflict"
	KindUnavailable ErrorKind = "unavailable"
	KindInternal    ErrorKind = "internal"
)

var kinds = []struct {
	err  error
	kind ErrorKind
}{
	{ErrNotFound, KindNotFound},
	{ErrForbidden, KindForbidden},
	{ErrInvalid, KindInvalid},
	{ErrConflict, KindConflict},
	{ErrUnavailable, KindUnavailable},
	{ErrInternal, KindInternal},
}

// KindOf returns the kind of an error: the first kind it wraps, in the
// order above, or KindInternal for one of no kind; "" for nil.
func KindOf(err error) ErrorKind {
	if err == nil {
		return ""
	}
	for _, k := range kinds {
		if errors.Is(err, k.err) {
			return k.kind
		}
	}
	return KindInternal
}

// NewError returns an error with its own text that is of a kind (one of
// the Err values above): errors.Is(err, kind) holds, and so does
// errors.Is(err, err) for a sentinel made with it.
func NewError(kind error, text string) error { return &kindError{kind: kind, text: text} }

type kindError struct {
	kind error
	text string
}

func (e *kindError) Error() string        { return e.text }
func (e *kindError) Is(target error) bool { return target == e.kind }
