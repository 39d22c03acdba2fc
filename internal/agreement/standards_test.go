package agreement

import (
	"testing"

	"github.com/mineralpact/mineralpact/internal/registry"
)

func TestPartyHolds(t *testing.T) {
	src := &Citation{Title: "t"}
	p := Party{ID: "AR", Standards: []Standard{
		{Measure: EITI, Source: src},
		{Measure: IRMA, Minerals: []string{"lithium"}, Stages: []registry.Stage{registry.Mined}, Source: src},
		// A later, narrower entry overrides the general one.
		{Measure: EITI, Status: DoesNotApply, Minerals: []string{"copper"}, Source: src},
	}}
	tests := []struct {
		m              Measure
		mineral        string
		stage          registry.Stage
		applies, known bool
	}{
		{EITI, "lithium", registry.Processed, true, true},
		{EITI, "copper", registry.Mined, false, true},
		{IRMA, "lithium", registry.Mined, true, true},
		{IRMA, "lithium", registry.Processed, false, false},
		{IRMA, "copper", registry.Mined, false, false},
		{OECDDDG, "lithium", registry.Mined, false, false},
	}
	for _, tt := range tests {
		applies, known := p.Holds(tt.m, tt.mineral, tt.stage)
		if applies != tt.applies || known != tt.known {
			t.Errorf("Holds(%s, %s, %s) = %v, %v, want %v, %v", tt.m, tt.mineral, tt.stage, applies, known, tt.applies, tt.known)
		}
	}
}

func TestAuthorityOf(t *testing.T) {
	p := Party{ID: "US", Authorities: []LegalAuthority{
		{ID: "us-hts", Covers: []InstrumentType{MFN}},
		{ID: "us-s301", Covers: []InstrumentType{AdditionalDuty}},
		{ID: "us-ieepa"},
	}}
	tests := []struct {
		in   Instrument
		want string
	}{
		{Instrument{ID: "a", Type: MFN}, "us-hts"},
		{Instrument{ID: "b", Type: AdditionalDuty}, "us-s301"},
		{Instrument{ID: "c", Type: AdditionalDuty, LegalAuthority: "us-ieepa"}, "us-ieepa"},
		{Instrument{ID: "d", Type: Safeguard}, ""},
		{Instrument{ID: "e", Type: MFN, LegalAuthority: "nope"}, ""},
	}
	for _, tt := range tests {
		got := ""
		if a := p.AuthorityOf(&tt.in); a != nil {
			got = a.ID
		}
		if got != tt.want {
			t.Errorf("AuthorityOf(%s) = %q, want %q", tt.in.ID, got, tt.want)
		}
	}
	if (&Party{}).HasProfile() || !p.HasProfile() {
		t.Error("HasProfile: want false without standards or authorities, true with")
	}
}
