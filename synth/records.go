package synth

import "slices"

// The source layer: each source system's records, as a list of dated
// changes that the source makes, replayed into versions.

// Change operations a source makes to one of its records.
const (
	opCreate   uint8 = iota // the record appears, at an address (val)
	opAddress               // the source learns a new address: val = property, from = since
	opName                  // the source learns a family name: val = index into person.names
	opAttr                  // attribute slot = sval
	opFlag                  // flag bit val set
	opUnflag                // flag bit val cleared
	opActivity              // last_activity touched
	opDelete                // the record is closed
)

// change is one dated change to a source record.
type change struct {
	at   day
	from day // for opCreate/opAddress: since when the person lived there
	val  int32
	op   uint8
	slot uint8
	sval string
}

// rstate is what a source record holds at one moment.
type rstate struct {
	prop    int32
	from    day
	nameIdx int32
	flags   uint16
	attrs   [4]string
	active  day
	hist    int32 // number of earlier addresses known (sources with history)
	deleted bool
}

// pastAddr is an earlier address a record with history keeps.
type pastAddr struct {
	prop     int32
	from, to day
}

// srec is one source record: who it is about, what it holds, which
// deviations were injected, and its changes.
type srec struct {
	src     uint8
	id      string
	person  int32
	seed    uint64
	hold    hold
	errs    errMask
	badID   string // identifier kind made invalid, with errInvalidIdentifier
	changes []change
	past    []pastAddr
	props   []propSeen // every address it held, from when: scenario evidence
	final   rstate
	applied errMask // deviations visible in the final version
	occ     int32   // the occupancy a property-bound record is about (council tax, housing)
	deleted day     // when the record was closed, or never
	start   day     // when the record was created
	cache   renderCache
}

// propSeen is an address a record held from a version on.
type propSeen struct {
	at   day
	prop int32
}

// add appends a change, never dated before the record's creation.
func (s *srec) add(c change) {
	if c.at < s.start {
		c.at = s.start
	}
	s.changes = append(s.changes, c)
}

// created returns the day the record was created.
func (s *srec) created() day { return s.start }

// apply folds one change into the state.
func (s *srec) apply(st *rstate, c change) {
	switch c.op {
	case opCreate, opAddress:
		if st.prop >= 0 && st.prop != c.val && s.hold&holdHistory != 0 {
			s.past = append(s.past, pastAddr{prop: st.prop, from: st.from, to: max(st.from, c.from)})
			st.hist = int32(len(s.past))
		}
		st.prop, st.from = c.val, c.from
	case opName:
		st.nameIdx = c.val
	case opAttr:
		st.attrs[c.slot] = c.sval
	case opFlag:
		st.flags |= 1 << c.val
	case opUnflag:
		st.flags &^= 1 << c.val
	case opDelete:
		st.deleted = true
	}
	st.active = c.at
}

// sortChanges puts the changes in date order, the creation first.
func (s *srec) sortChanges() {
	slices.SortStableFunc(s.changes[1:], func(a, b change) int { return int(a.at) - int(b.at) })
}

// replay folds the changes up to the end of the timeline into versions, one
// per day on which something changed, calling emit with each. It rebuilds
// the record's address history and the addresses it held as it goes, and
// leaves the final state in s.final.
func (s *srec) replay(end day, emit func(d day, st *rstate)) {
	st := rstate{prop: -1}
	var last rstate
	s.past, s.props = s.past[:0], s.props[:0]
	n := 0
	for i := 0; i < len(s.changes); {
		d := s.changes[i].at
		if d > end {
			break
		}
		for ; i < len(s.changes) && s.changes[i].at == d; i++ {
			s.apply(&st, s.changes[i])
		}
		if n > 0 && st == last {
			continue
		}
		// A version that deletes the record shows no address (sources
		// publish a delete without the row): it is no evidence of one.
		if st.prop >= 0 && !st.deleted && (len(s.props) == 0 || s.props[len(s.props)-1].prop != st.prop) {
			s.props = append(s.props, propSeen{at: d, prop: st.prop})
		}
		emit(d, &st)
		last, n = st, n+1
		if st.deleted {
			break
		}
	}
	s.final, s.deleted = st, never
	if st.deleted {
		s.deleted = st.active
	}
}
