package monitor

import (
	"encoding/json"
	"testing"
)

func TestParsePeriod(t *testing.T) {
	for _, c := range []struct {
		in, want string
		bad      bool
	}{
		{"2023", "2023", false},
		{"202308", "2023-08", false},
		{"2023-12", "2023-12", false},
		{"202313", "", true},
		{"23", "", true},
		{"20a3", "", true},
	} {
		p, err := ParsePeriod(c.in)
		if (err != nil) != c.bad || (!c.bad && p.String() != c.want) {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %q bad=%v", c.in, p, err, c.want, c.bad)
		}
	}
	if p, _ := ParsePeriod("202302"); p.End().String() != "2023-02-28" || p.Start().String() != "2023-02-01" {
		t.Errorf("February 2023 runs %s to %s", p.Start(), p.End())
	}
}

func TestAlertIDIsItsPatternAndWindow(t *testing.T) {
	a := Alert{Detector: "routing", Importer: "US", Exporter: "CN", Via: "VN", HS: "811292", From: Period{2023, 9}, To: Period{2024, 3}}
	b := a
	b.Score = 7 // the score does not name the finding
	if a.ComputeID() != b.ComputeID() {
		t.Error("same pattern and window, different IDs")
	}
	b.To = Period{2024, 4}
	if a.ComputeID() == b.ComputeID() {
		t.Error("different window, same ID")
	}
	raw, _ := json.Marshal(a)
	var back Alert
	if err := json.Unmarshal(raw, &back); err != nil || back.From != a.From {
		t.Fatalf("round trip: %v %+v", err, back.From)
	}
}
