package matcher

// groupInitials holds, per given-name variant group, a bit per letter that
// some name of the group starts with: "M." is a fair initial for Peggy,
// since Peggy is a Margaret.
var groupInitials = buildGroupInitials(givenNames.groups)

func buildGroupInitials(groups map[string][]int32) map[int32]uint32 {
	out := map[int32]uint32{}
	for name, ids := range groups {
		if name == "" || name[0] < 'a' || name[0] > 'z' {
			continue
		}
		for _, id := range ids {
			out[id] |= 1 << (name[0] - 'a')
		}
	}
	return out
}

// isInitialOf reports whether a one-letter token is the initial of name or
// of one of name's variants.
func isInitialOf(initial, name string) bool {
	if len(initial) != 1 || name == "" {
		return false
	}
	if name[0] == initial[0] {
		return true
	}
	c := initial[0]
	if c < 'a' || c > 'z' {
		return false
	}
	for _, id := range GivenNameGroups(name) {
		if groupInitials[id]&(1<<(c-'a')) != 0 {
			return true
		}
	}
	return false
}
