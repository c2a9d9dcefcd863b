package matcher

// withinEdits reports whether a and b are at most k edits apart
// (insertions, deletions, substitutions and transpositions of adjacent
// letters: optimal string alignment). matchr.OSA answers the same but
// builds the whole matrix on the heap for every call; on the scoring hot
// path only "at most k" matters, so a band of width 2k+1 on the stack will
// do. Names are compared byte-wise: they are ASCII after normalisation.
func withinEdits(a, b string, k int) bool {
	if d := len(a) - len(b); d > k || -d > k {
		return false
	}
	if len(b) > 62 {
		return false // names never get this long; the rows below are fixed
	}
	if k == 1 {
		return withinOneEdit(a, b)
	}
	var prev2, prev, cur [64]int
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > k {
			return false
		}
		prev2, prev = prev, cur
	}
	return prev[len(b)] <= k
}

// withinOneEdit is withinEdits(a, b, 1) in one pass, without the matrix:
// identifiers, emails and phone numbers that differ are compared so on
// every scored pair.
func withinOneEdit(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	i := 0
	for i < len(b) && a[i] == b[i] {
		i++
	}
	if len(a) != len(b) {
		// One letter more in a: the rest of a after it is the rest of b.
		return a[i+1:] == b[i:]
	}
	if i == len(a) {
		return true
	}
	j := len(a) - 1
	for a[j] == b[j] {
		j--
	}
	switch j - i {
	case 0: // one letter replaced
		return true
	case 1: // two adjacent letters swapped
		return a[i] == b[j] && a[j] == b[i]
	}
	return false
}
