package access_test

import (
	"errors"
	"testing"

	"github.com/resindex/resindex"
)

// withheldChild is a child known to children's services and a school
// whose golden record the index does not keep (no recorded consent).
func withheldChild(n int) resindex.Person {
	p := person(n,
		rec(srcCSC, "K1", named("Amelia", "Okafor"), dob("2014-05-06"), flags(resindex.FlagChildProtectionPlan), otherName("Millie", "Okafor")),
		rec(srcSchl, "S1", named("Amy", "Okafor"), dob("2014-05-07"), attrs("school", "Holloway Primary"), addr("2 Mill Lane", "N7 8QT", true)))
	p.NoGolden = true
	return p
}

// TestChildWithoutGoldenRecord: children's services see a child the index
// keeps no golden record of record by record, nothing merged across the
// records; frontline never sees the child at all.
func TestChildWithoutGoldenRecord(t *testing.T) {
	e := newEnv(t, mustDefault(t), withheldChild(1))
	ref := e.svc.Ref(pid(1))
	if _, err := e.svc.Person(as("frontline"), ref, ""); !errors.Is(err, resindex.ErrNotFound) {
		t.Errorf("frontline: %v, want not found", err)
	}
	for _, role := range []string{"childrens_services", "safeguarding"} {
		v, err := e.svc.Person(as(role), ref, "")
		if err != nil {
			t.Fatalf("%s: %v", role, err)
		}
		if !v.PerRecord || len(v.Records) != 2 {
			t.Fatalf("%s: per record %v, %d records; want each of the two records", role, v.PerRecord, len(v.Records))
		}
		top := v.Records[0] // most trusted first: children's social care
		if v.Name == nil || v.Name.Value.Given != top.Name.Given || v.DOB.Value != top.DOB || top.Source != srcCSC {
			t.Errorf("%s: headline %+v / %+v, want the most trusted record's alone (%+v)", role, v.Name, v.DOB, top)
		}
		if v.Address == nil || v.Address.Value.Lines[0] != "1 High Street" {
			t.Errorf("%s: address %+v, want the headline record's, not the school's newer one", role, v.Address)
		}
		if len(v.OtherNames) != 1 || v.OtherNames[0].Given != "Millie" {
			t.Errorf("%s: other names %+v, want the headline record's own only", role, v.OtherNames)
		}
		school := v.Records[1]
		if school.Source != srcSchl || school.Name.Given != "Amy" || school.DOB != "2014-05-07" || school.Attributes["school"] != "Holloway Primary" {
			t.Errorf("%s: school record %+v", role, school)
		}
		if len(top.Flags) != 1 || top.Flags[0] != resindex.FlagChildProtectionPlan {
			t.Errorf("%s: social care record's flags %v", role, top.Flags)
		}
	}
	kept := withheldChild(2)
	kept.NoGolden = false
	e = newEnv(t, mustDefault(t), kept)
	v, err := e.svc.Person(as("childrens_services"), e.svc.Ref(pid(2)), "")
	if err != nil || v.PerRecord || v.Records != nil || len(v.OtherNames) != 2 {
		t.Errorf("a child with a golden record: per record %v, records %v, other names %v, %v; want the merged view", v.PerRecord, v.Records, v.OtherNames, err)
	}
}
