package layout

import (
	"bytes"
	"encoding/binary"
	"strings"

	"github.com/resindex/resindex"
)

// Every key starts with a one-byte kind and a slash, so that each kind is
// a contiguous range that can be scanned or dropped on its own. These are
// the prefixes; kinds.go says what each holds.
const (
	RecordPrefix     = "r/" // canonical record of one source record
	MemberPrefix     = "m/" // the person a record belongs to
	PersonPrefix     = "p/" // a person's household, golden-record hash and records
	GoldenPrefix     = "g/" // a person's golden record
	RedirectPrefix   = "d/" // a merged-away person ID → the survivor
	BlockPrefix      = "b/" // blocking index entry
	PostcodePrefix   = "i/c/"
	UPRNPrefix       = "i/u/" // address that carries a UPRN, for matching those that do not
	HouseholdPrefix  = "h/"   // the persons at one property
	FreqPrefix       = "f/"   // term-frequency count
	ReviewPrefix     = "w/"   // review-queue pair
	OverridePrefix   = "v/"   // a steward's link or unlink
	PositionPrefix   = "o/"   // applied source position
	DeadLetterPrefix = "q/"   // a dead letter held until published
	OutboxPrefix     = "x/"   // change-feed entry
	AuditPrefix      = "a/"   // audit entry
	TokenPrefix      = "t/"   // API token
	JournalPrefix    = "j/"   // piece of a change too large for one transaction
	AlertPrefix      = "k/"   // safeguarding alert or lookup notification
	EpisodePrefix    = "e/"   // a (household, adult) episode: its open alert, or when the adult left
	DeliveryPrefix   = "y/"   // an alert webhook delivery still to make
	FindingPrefix    = "c/"   // a fraud finding's review: its outcome, note, who and when
	RightsPrefix     = "u/"   // a person's restriction or objection (data-protection rights)
	NoticePrefix     = "l/"   // a rectification notice to a source system, by number
	SingletonPrefix  = "s/"   // counters, settings, secrets, cursors
	DeletedPrefix    = "z/"   // a deleted key, kept a while for read replicas
	secretPrefix     = SingletonPrefix + "secret/"
	cursorPrefix     = SingletonPrefix + "cursor/"
)

// Singleton keys: one value each.
var (
	RecordsCount = []byte(SingletonPrefix + "records")          // live records (decimal)
	PersonSeq    = []byte(SingletonPrefix + "person-seq")       // last person number given (decimal)
	Settings     = []byte(SingletonPrefix + "settings")         // model and population (JSON)
	BulkLoad     = []byte(SingletonPrefix + "bulk-load")        // stage of an unfinished bulk load
	OutboxSeq    = []byte(SingletonPrefix + "outbox-seq")       // last change-feed number (decimal)
	StoreID      = []byte(SingletonPrefix + "store-id")         // the store's identity (idempotency keys)
	AuditHead    = []byte(SingletonPrefix + "audit-head")       // last audit hash and number
	JournalDone  = []byte(SingletonPrefix + "journal-complete") // a large change's journal is whole
	AlertSeq     = []byte(SingletonPrefix + "alert-seq")        // last alert number given (decimal)
	AlertClock   = []byte(SingletonPrefix + "alert-clock")      // each source's newest version day the alert rule has seen (JSON)
	DataClock    = []byte(SingletonPrefix + "data-clock")       // each source's newest version time applied (JSON)
	NoticeSeq    = []byte(SingletonPrefix + "notice-seq")       // last rectification notice number (decimal)
	ReplicaSince = []byte(SingletonPrefix + "replica-since")    // a read replica's next writer version to pull (decimal)
	KeepDeleted  = []byte(SingletonPrefix + "keep-deleted")     // this store marks deleted keys for its replicas (empty)
	Horizon      = []byte(SingletonPrefix + "replica-horizon")  // newest version of a deletion mark dropped (decimal)
	Generation   = []byte(SingletonPrefix + "generation")       // random, new whenever the store's versions may go back (compaction, restore)
	BackupEnd    = []byte(SingletonPrefix + "backup-end")       // a backup's last entry (its length before it); only in backups
)

// singletons names the keys under s/ other than secrets and cursors.
var singletons = [][]byte{RecordsCount, PersonSeq, Settings, BulkLoad, OutboxSeq, StoreID, AuditHead, JournalDone, AlertSeq, AlertClock, DataClock, NoticeSeq, ReplicaSince, KeepDeleted, Horizon, Generation, BackupEnd}

// RecID is a record key in the store's string form: source NUL id.
func RecID(k resindex.RecordKey) string { return k.Source + "\x00" + k.ID }

// ParseRecID reads RecID's form back.
func ParseRecID(s string) resindex.RecordKey {
	src, id, _ := strings.Cut(s, "\x00")
	return resindex.RecordKey{Source: src, ID: id}
}

func recKey(prefix string, k resindex.RecordKey) []byte { return []byte(prefix + RecID(k)) }

// Record is the key of a source record's stored version.
func Record(k resindex.RecordKey) []byte { return recKey(RecordPrefix, k) }

// Member is the key of the person a record belongs to.
func Member(k resindex.RecordKey) []byte { return recKey(MemberPrefix, k) }

// RecordOf is the record a record-keyed key (r/, m/) names.
func RecordOf(key []byte) resindex.RecordKey { return ParseRecID(string(key[min(len(key), 2):])) }

// Person is the key of a person's membership.
func Person(pid string) []byte { return []byte(PersonPrefix + pid) }

// Golden is the key of a person's golden record.
func Golden(pid string) []byte { return []byte(GoldenPrefix + pid) }

// Redirect is the key of a merged-away person ID's redirect.
func Redirect(pid string) []byte { return []byte(RedirectPrefix + pid) }

// Household is the key of the persons at a property.
func Household(property string) []byte { return []byte(HouseholdPrefix + property) }

// Freq is the key of a term-frequency count: the value's kind (one byte)
// and the value.
func Freq(kind byte, value string) []byte {
	return append(append([]byte(FreqPrefix), kind), value...)
}

// ParseFreq reads Freq's key back.
func ParseFreq(key []byte) (kind byte, value string, ok bool) {
	if len(key) < len(FreqPrefix)+1 {
		return 0, "", false
	}
	return key[2], string(key[3:]), true
}

// BlockOf is the prefix of one block: the hash naming a blocking rule and
// its key. Entries sort by the block's sort key, so that an oversized
// block can be windowed as the batch linker windows it.
func BlockOf(h uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte(BlockPrefix), h)
}

// Block is one entry of the blocking index (no value).
func Block(h uint64, sortKey string, k resindex.RecordKey) []byte {
	return append(append(BlockOf(h), sortKey+"\x01"...), RecID(k)...)
}

// ParseBlock splits a blocking entry into its block hash and the entry
// within the block (sort key, \x01, record ID).
func ParseBlock(key []byte) (h uint64, entry string, ok bool) {
	if len(key) < len(BlockPrefix)+8 || string(key[:2]) != BlockPrefix {
		return 0, "", false
	}
	return binary.BigEndian.Uint64(key[2:10]), string(key[10:]), true
}

// PostcodeOf is the prefix of the postcode index entries of one postcode.
func PostcodeOf(postcode string) []byte { return []byte(PostcodePrefix + postcode + "\x00") }

// Postcode is one entry of the postcode index (no value), which lets a
// search by postcode alone find a record.
func Postcode(postcode string, k resindex.RecordKey) []byte {
	return append(PostcodeOf(postcode), RecID(k)...)
}

// PostcodeRecord is the record a postcode index entry names.
func PostcodeRecord(key []byte) resindex.RecordKey {
	_, rec, _ := bytes.Cut(key[min(len(key), len(PostcodePrefix)):], []byte{0})
	return ParseRecID(string(rec))
}

// UPRNOf is the prefix of the UPRN index entries of one match key (see
// matcher.PropertyIndexKeys).
func UPRNOf(match string) []byte { return []byte(UPRNPrefix + match + "\x00") }

// UPRN is one entry of the UPRN index (no value): a record holds an
// address with this match key, at this place (postcode, else town), that
// carries this UPRN. One entry per record, so that the entries of a UPRN
// count the records that give it and leave with them.
func UPRN(match, place, uprn string, k resindex.RecordKey) []byte {
	return append(UPRNOf(match), place+"\x00"+uprn+"\x00"+RecID(k)...)
}

// ParseUPRN reads UPRN's key back (the record is left out).
func ParseUPRN(key []byte) (match, place, uprn string, ok bool) {
	if !bytes.HasPrefix(key, []byte(UPRNPrefix)) {
		return "", "", "", false
	}
	parts := strings.SplitN(string(key[len(UPRNPrefix):]), "\x00", 5)
	if len(parts) != 5 || parts[0] == "" || parts[2] == "" || parts[3] == "" || parts[4] == "" {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

// Finding is the key of a fraud finding's review.
func Finding(id string) []byte { return []byte(FindingPrefix + id) }

// Rights is the key of a person's recorded restriction and objection.
func Rights(pid string) []byte { return []byte(RightsPrefix + pid) }

// Notice is the key of a rectification notice, by its number.
func Notice(seq uint64) []byte { return seqKey(NoticePrefix, seq) }

// Alert is the key of an alert.
func Alert(id string) []byte { return []byte(AlertPrefix + id) }

// EpisodesOf is the prefix of a household's episodes.
func EpisodesOf(household string) []byte { return []byte(EpisodePrefix + household + "\x00") }

// Episode is the key of a (household, adult) episode.
func Episode(household, pid string) []byte { return append(EpisodesOf(household), pid...) }

// Delivery is the key of an alert's delivery still to make to one
// webhook endpoint.
func Delivery(alert, endpoint string) []byte {
	return []byte(DeliveryPrefix + alert + "\x00" + endpoint)
}

// ParseDelivery reads Delivery's key back.
func ParseDelivery(key []byte) (alert, endpoint string, ok bool) {
	a, e, ok := bytes.Cut(key[min(len(key), len(DeliveryPrefix)):], []byte{0})
	return string(a), string(e), ok && len(a) > 0 && len(e) > 0 && bytes.HasPrefix(key, []byte(DeliveryPrefix))
}

// pairKey is the key of an unordered pair of records.
func pairKey(prefix string, a, b resindex.RecordKey) []byte {
	if RecID(b) < RecID(a) {
		a, b = b, a
	}
	return []byte(prefix + RecID(a) + "\x00\x00" + RecID(b))
}

// ParsePair reads a pair key (review, override) back.
func ParsePair(key []byte) (a, b resindex.RecordKey, ok bool) {
	if len(key) < 2 {
		return a, b, false
	}
	x, y, ok := strings.Cut(string(key[2:]), "\x00\x00")
	return ParseRecID(x), ParseRecID(y), ok
}

// Review is a pair in the review queue (no value).
func Review(a, b resindex.RecordKey) []byte { return pairKey(ReviewPrefix, a, b) }

// Override is a steward's decision about a pair.
func Override(a, b resindex.RecordKey) []byte { return pairKey(OverridePrefix, a, b) }

// Position is the key of a stream's applied position.
func Position(stream string) []byte { return []byte(PositionPrefix + stream) }

// DeadLetter is the key of a dead letter held at a position.
func DeadLetter(stream string, offset int64) []byte {
	return binary.BigEndian.AppendUint64(append([]byte(DeadLetterPrefix+stream), 0), uint64(offset))
}

// ParseDeadLetter reads DeadLetter's key back.
func ParseDeadLetter(key []byte) (stream string, offset int64, ok bool) {
	rest := key[min(len(key), 2):]
	if len(rest) < 9 || rest[len(rest)-9] != 0 {
		return "", 0, false
	}
	return string(rest[:len(rest)-9]), int64(binary.BigEndian.Uint64(rest[len(rest)-8:])), true
}

// seqKey is a key numbered big-endian, so that scans run in order.
func seqKey(prefix string, seq uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte(prefix), seq)
}

// Seq reads a numbered key's number (outbox, audit, journal).
func Seq(key []byte) uint64 { return binary.BigEndian.Uint64(key[2:]) }

// Outbox is the key of a change-feed entry.
func Outbox(seq uint64) []byte { return seqKey(OutboxPrefix, seq) }

// Audit is the key of an audit entry.
func Audit(seq uint64) []byte { return seqKey(AuditPrefix, seq) }

// Journal is the key of a piece of a large change's journal.
func Journal(piece uint64) []byte { return seqKey(JournalPrefix, piece) }

// Token is the key of an API token, by the SHA-256 of the token.
func Token(hash string) []byte { return []byte(TokenPrefix + hash) }

// TokenHash is the token hash a token key names.
func TokenHash(key []byte) string { return string(key[min(len(key), len(TokenPrefix)):]) }

// Secret is the key of a random secret kept with the data.
func Secret(name string) []byte { return []byte(secretPrefix + name) }

// Cursor is the key of how far a reader of the change feed has got.
func Cursor(name string) []byte { return []byte(cursorPrefix + name) }
