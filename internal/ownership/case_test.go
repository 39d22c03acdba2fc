package ownership

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
)

// testZone is a zone of US, AU and JP, each its own party.
type testZone map[string]bool

func (z testZone) PartyOf(c string) (string, bool) { return c, z[c] }

var zoneUSAUJP = testZone{"US": true, "AU": true, "JP": true}

// parseCase splits a hand-worked case file into its sections: the files
// ("-- name.csv --") and the expectations ("-- expect --").
func parseCase(t *testing.T, path string) (map[string]string, []string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	var order []string
	cur := ""
	for line := range strings.SplitSeq(string(b), "\n") {
		if strings.HasPrefix(line, "-- ") && strings.HasSuffix(line, " --") {
			cur = strings.TrimSuffix(strings.TrimPrefix(line, "-- "), " --")
			order = append(order, cur)
			continue
		}
		if cur != "" {
			files[cur] += line + "\n"
		}
	}
	return files, order
}

func loadCase(t *testing.T, path string) (*Register, []string) {
	t.Helper()
	files, order := parseCase(t, path)
	r := NewRegister()
	for _, name := range order {
		if name == "expect" {
			continue
		}
		var err error
		if strings.HasSuffix(name, ".json") {
			err = ReadBODS(r, name, []byte(files[name]))
		} else {
			err = ReadCSV(r, name, []byte(files[name]))
		}
		if err != nil {
			t.Fatalf("%s: %s: %v", path, name, err)
		}
	}
	return r, strings.Split(strings.TrimSpace(files["expect"]), "\n")
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9 }

// TestCases runs the hand-worked cases of testdata/cases: each file says in
// its comment how its figures were worked out.
func TestCases(t *testing.T) {
	paths, _ := filepath.Glob("testdata/cases/*.case")
	if len(paths) < 7 {
		t.Fatalf("found %d cases, want the 7 hand-worked ones", len(paths))
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			r, expect := loadCase(t, path)
			var on date.Date
			var x *Interests
			var ctl *Control
			var attr []Attribution
			id := func(s string) int {
				i, ok := r.Lookup(s)
				if !ok {
					t.Fatalf("no node %q", s)
				}
				return i
			}
			num := func(s string) float64 {
				v, err := strconv.ParseFloat(s, 64)
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			for _, line := range expect {
				f := strings.Fields(line)
				if len(f) == 0 {
					continue
				}
				if f[0] == "on" {
					on = date.MustParse(f[1])
					var err error
					if x, err = Effective(r, on); err != nil {
						t.Fatal(err)
					}
					ctl = Controllers(r, on)
					attr = Attribute(r, ctl, zoneUSAUJP)
					continue
				}
				switch f[0] {
				case "interest":
					lo := num(f[3])
					hi := lo
					if len(f) > 4 {
						hi = num(f[4])
					}
					got, _ := x.Between(id(f[1]), id(f[2]))
					if !near(got.Low, lo) || !near(got.High, hi) {
						t.Errorf("Effective(%s in %s) = [%.12f, %.12f], want [%.12f, %.12f]", f[1], f[2], got.Low, got.High, lo, hi)
					}
				case "controller", "possible":
					want := int32(-1)
					if f[2] != "none" {
						want = int32(id(f[2]))
					}
					got := ctl.Controller[id(f[1])]
					if f[0] == "possible" {
						got = ctl.Possible[id(f[1])]
					}
					if got != want {
						name := "none"
						if got >= 0 {
							name = r.Nodes[got].ID
						}
						t.Errorf("%s of %s = %s, want %s", f[0], f[1], name, f[2])
					}
				case "class":
					if got := attr[id(f[1])].Class; string(got) != f[2] {
						t.Errorf("class of %s = %s (%s), want %s", f[1], got, attr[id(f[1])].By, f[2])
					}
				case "aggregate":
					kind := Class(f[1])
					lo, hi, err := Aggregate(x.Graph(), func(i int) bool {
						if kind == NonParty {
							return attr[i].Class.NonPartyClass()
						}
						return attr[i].Class == kind
					})
					if err != nil {
						t.Fatal(err)
					}
					wl := num(f[3])
					wh := wl
					if len(f) > 4 {
						wh = num(f[4])
					}
					j := id(f[2])
					if !near(lo[j], wl) || !near(hi[j], wh) {
						t.Errorf("Aggregate(%s in %s) = [%.12f, %.12f], want [%.12f, %.12f]", kind, f[2], lo[j], hi[j], wl, wh)
					}
				case "paths":
					n, _ := strconv.Atoi(f[3])
					if got := x.Paths(id(f[1]), id(f[2])); len(got) != n {
						t.Errorf("Paths(%s, %s) = %d paths, want %d", f[1], f[2], len(got), n)
					}
				default:
					t.Fatalf("unknown expectation %q", line)
				}
			}
		})
	}
}
