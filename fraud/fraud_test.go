package fraud

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/resindex/resindex"
)

// The properties of the tests, and the day the data runs to.
const (
	home  = "100000000001" // the tenancy / the account
	other = "100000000002" // somewhere else in the borough
	asOf  = "2026-11-01"
)

// record builds one live record at a UPRN: moved in on from, last active on
// active (the version is written that day too).
func record(src, id, uprn, from, active string, opts ...func(*resindex.Record)) resindex.Record {
	r := resindex.Record{Source: src, ID: id, Version: active + "T12:00:00Z", LastActivity: active,
		Name: resindex.Name{Given: "Given" + id, Family: "Family" + id}, DOB: "1980-01-01",
		Addresses: []resindex.Address{{UPRN: uprn, Lines: []string{"1 High Street"}, Postcode: "NW1 1AA", From: from, Current: true}}}
	for _, o := range opts {
		o(&r)
	}
	return r
}

func attrs(kv ...string) func(*resindex.Record) {
	return func(r *resindex.Record) {
		r.Attributes = map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			r.Attributes[kv[i]] = kv[i+1]
		}
	}
}

func dob(d string) func(*resindex.Record) { return func(r *resindex.Record) { r.DOB = d } }

func named(given, family string) func(*resindex.Record) {
	return func(r *resindex.Record) { r.Name = resindex.Name{Given: given, Family: family} }
}

func flag(f string) func(*resindex.Record) {
	return func(r *resindex.Record) { r.Flags = append(r.Flags, f) }
}

func lead(ref, start string) func(*resindex.Record) {
	return attrs("tenancy_ref", ref, "tenancy_role", "lead_tenant", "tenancy_start", start)
}

func spdOn(ref, start string) func(*resindex.Record) {
	return attrs("account_ref", ref, "account_start", start, "liability", "sole", "single_person_discount", "true")
}

func ct(ref, start string) func(*resindex.Record) {
	return attrs("account_ref", ref, "account_start", start, "liability", "sole", "single_person_discount", "false")
}

// people is a store's persons for a Scan: each a list of records.
type people [][]resindex.Record

// clock gives every source a record written on asOf, so that each
// source's newest day is the same.
func (ps people) scan() Scan { return ps.scanIn(false) }

// scanIn hands the records over forwards, or backwards: the checks must
// not depend on the order.
func (ps people) scanIn(backwards bool) Scan {
	all := append(slices.Clone(ps), []resindex.Record{})
	for _, s := range EvidenceSources {
		all[len(all)-1] = append(all[len(all)-1], record(s, "clock", "100000000999", "2000-01-01", asOf))
	}
	type item struct {
		pid string
		r   *resindex.Record
	}
	var items []item
	for i, recs := range all {
		for j := range recs {
			items = append(items, item{"P" + string(rune('A'+i)), &recs[j]})
		}
	}
	if backwards {
		slices.Reverse(items)
	}
	return func(fn func(string, *resindex.Record, resindex.Property) error) error {
		for _, it := range items {
			{
				var place resindex.Property
				if a, ok := resindex.CurrentAddress(it.r); ok && a.UPRN != "" {
					place = resindex.Property{Key: "uprn:" + a.UPRN, UPRN: a.UPRN}
				}
				if err := fn(it.pid, it.r, place); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

func run(t *testing.T, ps people, k Kind) []Finding {
	t.Helper()
	reps, err := Run(ps.scan(), []Kind{k}, Options{MinScore: DefaultMinScore})
	if err != nil {
		t.Fatal(err)
	}
	if reps[0].AsOf != asOf {
		t.Errorf("as of %s, want %s", reps[0].AsOf, asOf)
	}
	back, err := Run(ps.scanIn(true), []Kind{k}, Options{MinScore: DefaultMinScore})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back[0].Findings, reps[0].Findings) {
		t.Errorf("the findings depend on the order records are read:\n%+v\n%+v", reps[0].Findings, back[0].Findings)
	}
	return reps[0].Findings
}

func TestSubletting(t *testing.T) {
	tenancy := func(active string, o ...func(*resindex.Record)) resindex.Record {
		return record(resindex.SourceHousing, "TEN1-01", home, "2015-03-01", active, append([]func(*resindex.Record){lead("TEN1", "2015-03-01")}, o...)...)
	}
	newcomers := []resindex.Record{
		record(resindex.SourceCouncilTax, "CT9-1", home, "2025-06-01", "2026-03-10", ct("CT9", "2025-06-01"), dob("1990-05-05")),
		record(resindex.SourceElectoralRoll, "ER9", home, "2025-06-01", "2025-12-01", dob("1990-05-05")),
	}
	tests := []struct {
		name    string
		ps      people
		signals []string // nil: no finding
	}{
		{"the tenant lives there", people{
			{tenancy("2026-04-01"), record(resindex.SourceElectoralRoll, "ER1", home, "2015-03-01", "2025-12-01"),
				record(resindex.SourceCouncilTax, "CT1-1", home, "2015-03-01", "2026-03-10", ct("CT1", "2015-03-01"))},
		}, nil},
		{"moved within the borough, newcomers pay the council tax", people{
			{tenancy("2024-04-01"), record(resindex.SourceCouncilTax, "CT2-1", other, "2025-05-20", "2026-03-10", ct("CT2", "2025-05-20")),
				record(resindex.SourceElectoralRoll, "ER2", other, "2025-05-20", "2025-12-01")},
			newcomers,
		}, []string{SigOthersLiable, SigTenantElsewhere, SigTenantHoldsOther, SigOthersAtProperty, SigNoTenantActivity}},
		{"left the borough: only the tenancy, long quiet", people{
			{tenancy("2023-04-01")},
		}, []string{SigTenantDormant}},
		{"a joint tenant still lives there", people{
			{tenancy("2024-04-01"), record(resindex.SourceElectoralRoll, "ER2", other, "2025-05-20", "2025-12-01")},
			{record(resindex.SourceHousing, "TEN1-02", home, "2015-03-01", "2026-04-01", attrs("tenancy_ref", "TEN1", "tenancy_role", "joint_tenant")),
				record(resindex.SourceElectoralRoll, "ER3", home, "2015-03-01", "2025-12-01")},
		}, nil},
		{"the home was re-let: a later tenancy is live", people{
			{tenancy("2024-04-01")},
			{record(resindex.SourceHousing, "TEN5-01", home, "2025-06-01", "2026-04-01", lead("TEN5", "2025-06-01"))},
		}, nil},
		{"a restricted joint tenant still there keeps the home out of it", people{
			{tenancy("2024-04-01"), record(resindex.SourceElectoralRoll, "ER2", other, "2025-05-20", "2025-12-01")},
			{record(resindex.SourceHousing, "TEN1-02", home, "2015-03-01", "2026-04-01", attrs("tenancy_ref", "TEN1", "tenancy_role", "joint_tenant"), flag(resindex.FlagRestricted)),
				record(resindex.SourceElectoralRoll, "ER3", home, "2015-03-01", "2025-12-01")},
		}, nil},
		{"a restricted tenant raises nothing", people{
			{tenancy("2023-04-01", flag(resindex.FlagRestricted))},
			newcomers,
		}, nil},
		{"the tenant's own record the matcher left apart is not another adult", people{
			{tenancy("2026-04-01", named("Ada", "Kowalski"))},
			{record(resindex.SourceCouncilTax, "CT7-1", home, "2025-06-01", "2026-03-10", ct("CT7", "2025-06-01"), named("Ada", "Kowalska"))},
		}, nil},
		{"social care records are no evidence", people{
			{tenancy("2026-04-01"), record(resindex.SourceAdultSocialCare, "ASC1", other, "2025-05-20", "2026-06-01")},
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, ok := runOne(t, tc.ps, Subletting, tc.signals)
			if !ok {
				return
			}
			if f.Account != (resindex.RecordKey{Source: resindex.SourceHousing, ID: "TEN1-01"}) || f.UPRN != home || f.Subject != "PA" {
				t.Errorf("finding names %s at %s, subject %s", f.Account, f.UPRN, f.Subject)
			}
			if _, ok := KindOfID(f.ID); f.ID != findingID(Subletting, f.Account) || !ok {
				t.Errorf("finding ID %q is not the account's", f.ID)
			}
			for _, s := range f.Signals {
				if s.Says == "" || s.Weight <= 0 {
					t.Errorf("signal %s has no words or weight", s.Name)
				}
			}
		})
	}
}

func TestSinglePersonDiscount(t *testing.T) {
	account := func(o ...func(*resindex.Record)) resindex.Record {
		return record(resindex.SourceCouncilTax, "CT1-1", home, "2018-01-01", "2026-03-10", append([]func(*resindex.Record){spdOn("CT1", "2018-01-01")}, o...)...)
	}
	liable := []resindex.Record{account(), record(resindex.SourceElectoralRoll, "ER1", home, "2018-01-01", "2025-12-01")}
	register := func(id, from, active string, o ...func(*resindex.Record)) resindex.Record {
		return record(resindex.SourceElectoralRoll, id, home, from, active, o...)
	}
	tests := []struct {
		name    string
		ps      people
		signals []string
	}{
		{"alone", people{liable}, nil},
		{"another adult on the register", people{liable, {register("ER2", "2020-02-02", "2025-12-01")}}, []string{SigElectoralRegister}},
		{"another adult on the register and a benefit claim", people{liable, {register("ER2", "2020-02-02", "2025-12-01"),
			record(resindex.SourceHousingBenefit, "HB2", home, "2020-02-02", "2026-04-06", attrs("benefit_role", "partner"))}},
			[]string{SigElectoralRegister, SigBenefitClaim}},
		{"disregarded by the source", people{liable, {register("ER2", "2020-02-02", "2025-12-01", attrs(DisregardAttribute, "student"))}}, nil},
		{"a child", people{liable, {register("ER2", "2020-02-02", "2025-12-01", dob("2012-06-01"))}}, nil},
		{"an attainer not yet 18", people{liable, {register("ER2", "2025-02-02", "2025-12-01", dob(""), attrs("attainer", "true", "attainment_date", "2027-05-01"))}}, nil},
		{"records disagree: the younger date wins", people{liable, {register("ER2", "2020-02-02", "2025-12-01", dob("1990-01-01")),
			record(resindex.SourceSchools, "S2", home, "2020-02-02", "2026-10-01", dob("2012-03-03"))}}, nil},
		{"known to children's social care", people{liable, {register("ER2", "2020-02-02", "2025-12-01", dob("")),
			record(resindex.SourceChildrenSocial, "CSC2", home, "2020-02-02", "2026-06-01", dob(""))}}, nil},
		{"a disregard of no is none", people{liable, {register("ER2", "2020-02-02", "2025-12-01", attrs(DisregardAttribute, "No"))}}, []string{SigElectoralRegister}},
		{"turned 18 after the evidence", people{liable, {register("ER2", "2020-02-02", "2025-12-01", dob("2007-12-20"))}}, nil},
		{"turned 18 before the evidence", people{liable, {register("ER2", "2020-02-02", "2025-12-01", dob("2007-06-20"))}}, []string{SigElectoralRegister}},
		{"evidence from before the discount began", people{liable, {register("ER2", "2010-02-02", "2017-12-01")}}, nil},
		{"a restricted other adult", people{liable, {register("ER2", "2020-02-02", "2025-12-01", flag(resindex.FlagRestricted))}}, nil},
		{"a restricted liable party", people{{account(flag(resindex.FlagRestricted))}, {register("ER2", "2020-02-02", "2025-12-01")}}, nil},
		{"moved away since: newest evidence elsewhere", people{liable, {register("ER2", "2020-02-02", "2025-12-01"),
			record(resindex.SourceCouncilTax, "CT5-1", other, "2026-02-01", "2026-03-10", ct("CT5", "2026-02-01"))}}, nil},
		{"social care only", people{liable, {record(resindex.SourceAdultSocialCare, "ASC2", home, "2020-02-02", "2026-06-01")}}, nil},
		{"the payer moved away, one adult there", people{
			{account(), record(resindex.SourceElectoralRoll, "ER1", other, "2025-01-01", "2025-12-01")},
			{register("ER2", "2020-02-02", "2025-12-01")}}, nil},
		{"the payer moved away, two adults there", people{
			{account(), record(resindex.SourceElectoralRoll, "ER1", other, "2025-01-01", "2025-12-01")},
			{register("ER2", "2020-02-02", "2025-12-01")}, {register("ER3", "2020-02-02", "2025-12-01")}}, []string{SigElectoralRegister}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, ok := runOne(t, tc.ps, SPD, tc.signals)
			if ok && (len(f.Others) == 0 || len(f.OtherRecords) == 0) {
				t.Errorf("a finding names no other adult: %+v", f)
			}
		})
	}
}

// runOne runs a check wanting no finding (signals nil) or one with those
// signals; ok says there is one to look at further.
func runOne(t *testing.T, ps people, k Kind, signals []string) (Finding, bool) {
	t.Helper()
	fs := run(t, ps, k)
	if signals == nil {
		if len(fs) > 0 {
			t.Fatalf("want no finding, got %+v", fs)
		}
		return Finding{}, false
	}
	if len(fs) != 1 {
		t.Fatalf("want one finding, got %d", len(fs))
	}
	if got := fs[0].SignalNames(); !sameSet(got, signals) {
		t.Errorf("signals %v, want %v", got, signals)
	}
	return fs[0], true
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestWriteCSV(t *testing.T) {
	f := Finding{ID: "FS0123456789ab", Score: 0.8, Account: resindex.RecordKey{Source: "housing", ID: "T,1"}, UPRN: home,
		SubjectRecords: []resindex.RecordKey{{Source: "housing", ID: "T,1"}, {Source: "council_tax", ID: "C1"}},
		OtherRecords:   []resindex.RecordKey{{Source: "electoral_roll", ID: "E1"}},
		Signals:        []Signal{{Name: SigOthersLiable}, {Name: SigTenantDormant}}}
	for k, want := range map[Kind]string{
		Subletting: "finding_id,score,tenancy_source,tenancy_id,uprn,tenant_records,signals\n" +
			"FS0123456789ab,0.800,housing,\"T,1\",100000000001,\"housing/T,1;council_tax/C1\",others_liable_for_council_tax;tenant_dormant\n",
		SPD: "finding_id,score,account_source,account_id,uprn,other_adult_records,signals\n" +
			"FS0123456789ab,0.800,housing,\"T,1\",100000000001,electoral_roll/E1,others_liable_for_council_tax;tenant_dormant\n",
	} {
		var buf bytes.Buffer
		if err := WriteCSV(&buf, k, []Finding{f}); err != nil {
			t.Fatal(err)
		}
		if buf.String() != want {
			t.Errorf("%s:\n%s\nwant\n%s", k, buf.String(), want)
		}
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, []Finding{f}); err != nil || !strings.Contains(buf.String(), `"account": "housing/T,1"`) {
		t.Errorf("JSON: %v\n%s", err, buf.String())
	}
}

func TestParseKind(t *testing.T) {
	for _, s := range []string{"subletting", "spd"} {
		if k, err := ParseKind(s); err != nil || string(k) != s {
			t.Errorf("ParseKind(%q) = %q, %v", s, k, err)
		}
	}
	for _, s := range []string{"", "SPD", "sublet", "spd "} {
		if _, err := ParseKind(s); err == nil || resindex.KindOf(err) != resindex.ErrorKind(resindex.ErrInvalid.Error()) && !strings.Contains(err.Error(), "want subletting or spd") {
			t.Errorf("ParseKind(%q) = %v, want an error naming the checks", s, err)
		}
	}
}

func TestScoreCombinesSignals(t *testing.T) {
	for _, tc := range []struct {
		w    []float64
		want float64
	}{{nil, 0}, {[]float64{0.5}, 0.5}, {[]float64{0.5, 0.5}, 0.75}, {[]float64{0.6, 0.5, 0.3}, 0.86}} {
		var sigs []Signal
		for _, w := range tc.w {
			sigs = append(sigs, Signal{Weight: w})
		}
		if got := score(sigs); got != tc.want {
			t.Errorf("score(%v) = %v, want %v", tc.w, got, tc.want)
		}
	}
}

func TestDayOf(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"1970-01-01", "1970-01-01"}, {"2024-02-29", "2024-02-29"}, {"2026-12-31T23:59:59Z", "2026-12-31"},
		{"1900-03-01", "1900-03-01"}, {"2000-02-29", "2000-02-29"}, {"1969-12-31", "1969-12-31"},
		{"2023-02-29", ""}, {"1900-02-29", ""}, {"2026-13-01", ""}, {"2026-04-31", ""}, {"2026-00-10", ""},
		{"2026-1-1", ""}, {"26-01-01", ""}, {"", ""}, {"abcd-ef-gh", ""}, {"2026/01/01", ""},
	} {
		if got := dayOf(tc.in).String(); got != tc.want {
			t.Errorf("dayOf(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzDayOf(f *testing.F) {
	for _, s := range []string{"2026-11-01", "2024-02-29", "0000-01-01", "9999-12-31", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := dayOf(s)
		if d == 0 {
			return
		}
		if got := d.String(); len(s) < 10 || got != s[:10] {
			t.Fatalf("dayOf(%q) = %s", s, got)
		}
	})
}
