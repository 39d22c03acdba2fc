package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestMembersHeterogeneity(t *testing.T) {
	tests := []struct {
		name string
		tty  bool
		args []string
		want []string
	}{
		{name: "terminal", tty: true, args: []string{"members", "heterogeneity", "--as-of", "2027-07-01", "--top", "3"},
			want: []string{"Nordås 2016", "(ILLUSTRATIVE)", "MEAN INDEX", "where arbitrage is most likely", "US  AR  lithium", "note: party UZ records no standard"}},
		{name: "default date", args: []string{"members", "heterogeneity"},
			want: []string{"its entry into force (--as-of not given)"}},
		// The US and the EU both apply due-diligence law to tin (Dodd-Frank
		// 1502, Reg. 2017/821) and neither implements the EITI: 0 on 2 measures.
		{name: "cells csv", args: []string{"members", "heterogeneity", "--as-of", "2027-07-01", "--cells", "--format", "csv"},
			want: []string{"a,b,mineral,stage,index,compared,differ_on,unknown", "US,EU,tin,mined,0,2,-,", "US,AR,lithium,mined,1,1,eiti,"}},
	}
	for _, c := range tests {
		t.Run(c.name, func(t *testing.T) {
			out, errs, code := runAs(t, c.tty, c.args...)
			if code != exitOK {
				t.Fatalf("%v: exit %d, stderr %s", c.args, code, errs)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("%v: output lacks %q:\n%s", c.args, w, out)
				}
			}
		})
	}
	if _, errs, code := runCLI(t, "members", "heterogeneity", "--top", "-1"); code == exitOK || !strings.Contains(errs, "--top -1") {
		t.Errorf("--top -1: exit %d, stderr %q; want a usage error naming the flag", code, errs)
	}
}

func TestMembersHeterogeneityJSON(t *testing.T) {
	out, errs, code := runCLI(t, "members", "heterogeneity", "--format", "json", "--as-of", "2027-07-01")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var h struct {
		Pairs []struct {
			A, B string
			Mean *float64 `json:"mean_index"`
		}
		Arbitrage []struct{ Index *float64 }
	}
	if err := json.Unmarshal([]byte(out), &h); err != nil {
		t.Fatal(err)
	}
	// 12 profiled parties in force on 2027-07-01 (UZ records none): 66 pairs.
	if len(h.Pairs) != 66 || len(h.Arbitrage) != 15 {
		t.Errorf("%d pairs, %d arbitrage cells; want 66 and the default 15", len(h.Pairs), len(h.Arbitrage))
	}
}
