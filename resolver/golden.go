package resolver

import (
	"github.com/resindex/resindex"
)

// PersonView is what the store holds of one person.
type PersonView struct {
	ID      string
	Records []resindex.RecordKey
	Golden  resindex.Golden
}

// GetPerson reads a person, following the redirect of a merged-away ID to
// the person that absorbed it. A missing person is resindex.ErrNotFound.
func GetPerson(s Store, pid string) (PersonView, error) {
	var out PersonView
	err := s.View(func(t resindex.Txn) error {
		for range 16 { // redirects never chain far; a loop would be corruption
			next, err := t.Get(redirectKey(pid))
			if err != nil {
				break
			}
			pid = string(next)
		}
		if _, err := t.Get(personKey(pid)); err != nil {
			return err
		}
		p, err := loadPerson(t, pid)
		if err != nil {
			return err
		}
		out.ID, out.Golden = pid, p.Golden
		for _, id := range p.Records {
			out.Records = append(out.Records, parseRecID(id))
		}
		return nil
	})
	return out, err
}
