package facts

import "unicode/utf8"

// closest returns the candidate with the smallest edit distance to s (after
// norm), if that distance is at most limit (at least 1); ties go to the
// first candidate.
func closest(s string, candidates []string, norm func(string) string, limit int) string {
	best, bestD := "", max(limit, 1)+1
	n := utf8.RuneCountInString(s)
	for _, c := range candidates {
		// The distance is at least the difference in length: skip the
		// quadratic EditDistance when that alone is too far, so that a 4 KB
		// token costs a length comparison per candidate, not seconds.
		nc := norm(c)
		if abs(n-utf8.RuneCountInString(nc)) >= bestD {
			continue
		}
		if d := distance(s, nc); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// distance is EditDistance; a variable so that a test can count the calls.
var distance = EditDistance

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// EditDistance is the Damerau–Levenshtein (optimal string alignment)
// distance, so a swap of two adjacent letters counts once.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
