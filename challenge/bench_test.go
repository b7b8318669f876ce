package challenge

import "testing"

// BenchmarkParsePlan is the one-time cost of the embedded plan.
func BenchmarkParsePlan(b *testing.B) {
	for b.Loop() {
		if _, err := parsePlan(planYAML); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProgressOf folds a full run for two partners.
func BenchmarkProgressOf(b *testing.B) {
	run := Run{Start: date("2026-11-01")}
	var dones []Done
	for i := range Length {
		for _, a := range []string{"sam", "alex"} {
			dones = append(dones, Done{Author: a, Date: run.Start.AddDays(i), Emotional: true})
		}
	}
	today := run.Start.AddDays(Length - 1)
	for b.Loop() {
		ProgressOf(run, dones, []string{"sam", "alex"}, today)
	}
}
