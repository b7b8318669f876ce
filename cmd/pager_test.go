package cmd

import (
	"reflect"
	"slices"
	"testing"
)

func TestSplitCommand(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		bad  bool
	}{
		{in: "less", want: []string{"less"}},
		{in: "  less  -R  ", want: []string{"less", "-R"}},
		{in: "", want: nil},
		{in: "less -R -S", want: []string{"less", "-R", "-S"}},
		{in: `'/opt/my pager/bin/p' -x`, want: []string{"/opt/my pager/bin/p", "-x"}},
		{in: `"/opt/my pager/p" --title "a b"`, want: []string{"/opt/my pager/p", "--title", "a b"}},
		{in: `my\ pager arg`, want: []string{"my pager", "arg"}},
		{in: `a"b c"d`, want: []string{"ab cd"}},
		{in: `'it''s'`, want: []string{"its"}},
		{in: `"say \"hi\" \$HOME \n"`, want: []string{`say "hi" $HOME \n`}},
		{in: `'no \escape'`, want: []string{`no \escape`}},
		{in: `''`, want: []string{""}},
		{in: `less $HOME *`, want: []string{"less", "$HOME", "*"}},
		{in: "a\tb\nc", want: []string{"a", "b", "c"}},
		{in: `"open`, bad: true},
		{in: `'open`, bad: true},
		{in: `trailing\`, bad: true},
	} {
		got, err := splitCommand(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("splitCommand(%q) = %q, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("splitCommand(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestPagerEnv(t *testing.T) {
	for _, tc := range []struct {
		env, want []string
	}{
		{env: []string{"HOME=/h"}, want: []string{"HOME=/h", "LESS=FRX", "LV=-c"}},
		{env: []string{"LESS=-iM"}, want: []string{"LESS=-iM", "LV=-c"}},
		{env: []string{"LESS=", "LV=x"}, want: []string{"LESS=", "LV=x"}},
		{env: []string{"LESSOPEN=|x"}, want: []string{"LESSOPEN=|x", "LESS=FRX", "LV=-c"}},
	} {
		if got := pagerEnv(tc.env); !slices.Equal(got, tc.want) {
			t.Errorf("pagerEnv(%q) = %q, want %q", tc.env, got, tc.want)
		}
	}
}
