package prompts

import (
	"hash/fnv"
	"time"

	"github.com/reconnect-app/reconnect/internal/civil"
)

// dayIndex is the number of days from the epoch of every deal, 2024-01-01,
// to d (negative before it). Changing the epoch changes every day's question.
func dayIndex(d civil.Date) int {
	return d.DaysSince(civil.Date{Year: 2024, Month: time.January, Day: 1})
}

// deal is the card of a deck of n dealt on day i: day i belongs to cycle
// floor(i/n) and is position i mod n of that cycle's shuffle of the deck.
// The shuffle depends only on salt, the cycle and n, so the answer is the
// same on every machine and in every run.
func deal(salt string, n, i int) int {
	c, pos := floorDiv(i, n)
	return cycleOrder(salt, n, c)[pos]
}

// cycleOrder is the order of the deck in cycle c: a shuffle seeded by salt
// and c, in which no card among the first k = n/3 positions was among the
// last k of the previous cycle's shuffle. Cards moved out of the head are
// swapped with the earliest fitting card of the middle, so the tail (what
// the next cycle looks back on) is exactly the raw shuffle's tail.
func cycleOrder(salt string, n, c int) []int {
	cur := shuffle(salt, n, c)
	k := n / 3
	if k == 0 {
		return cur
	}
	prev := shuffle(salt, n, c-1)
	recent := make(map[int]bool, k)
	for _, x := range prev[n-k:] {
		recent[x] = true
	}
	j := k
	for i := 0; i < k; i++ {
		if !recent[cur[i]] {
			continue
		}
		for recent[cur[j]] {
			j++
		}
		// j < n-k always: the middle n-2k positions hold at least as many
		// fresh cards as the head holds recent ones, since n >= 3k.
		cur[i], cur[j] = cur[j], cur[i]
		j++
	}
	return cur
}

// shuffle is a Fisher-Yates permutation of 0..n-1 driven by splitmix64,
// seeded by salt and c. Written out here, not taken from math/rand, so the
// sequence can never change under us.
func shuffle(salt string, n, c int) []int {
	h := fnv.New64a()
	h.Write([]byte(salt))
	state := h.Sum64() ^ uint64(c)*0x9e3779b97f4a7c15
	next := func() uint64 {
		state += 0x9e3779b97f4a7c15
		z := state
		z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
		z = (z ^ z>>27) * 0x94d049bb133111eb
		return z ^ z>>31
	}
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := int(next() % uint64(i+1))
		p[i], p[j] = p[j], p[i]
	}
	return p
}

// floorDiv is i/n and i mod n rounded toward minus infinity, so days before
// the epoch deal like any other.
func floorDiv(i, n int) (q, r int) {
	q, r = i/n, i%n
	if r < 0 {
		q, r = q-1, r+n
	}
	return q, r
}
