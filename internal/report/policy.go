package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/resindex/resindex/access"
)

// Policy tells an operator what each role of a policy may see and do:
// its sources, the fields of adults and of children, and its abilities.
func Policy(w io.Writer, p *access.Policy) {
	fmt.Fprintf(w, "policy %s: %d roles\n", p.File, len(p.Roles()))
	for _, name := range p.Roles() {
		r, _ := p.Role(name)
		fmt.Fprintf(w, "\n%s: %s\n", name, r.Description)
		fmt.Fprintf(w, "  sources:   %s\n", orNone(r.Sources(), "all"))
		for _, c := range []access.Class{access.Adult, access.Child} {
			fmt.Fprintf(w, "  %-10s %s\n", string(c)+":", orNone(r.Fields(c), "(not visible)"))
		}
		fmt.Fprintf(w, "  abilities: %s\n", orNone(r.Abilities(), "none"))
	}
}

func orNone(xs []string, none string) string {
	if len(xs) == 0 {
		return none
	}
	return strings.Join(xs, ", ")
}
