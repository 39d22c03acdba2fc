package web

import (
	"net/http"
)

// homeData is the home page: the agreement at a glance.
type homeData struct {
	Parties         int // parties named in the agreement file
	PartiesAtStart  int // of which in force on the entry into force
	MineralsInScope int
	Stages          int // mineral-stage pairs with a floor
	Amendments      int
	Registry        int // minerals on the USGS lists
	Hash            string
}

func (p *portal) home(w http.ResponseWriter, r *http.Request) {
	a := p.deps.Agreement
	in, err := a.AsOf(a.EntryIntoForce)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	hash, err := a.Hash()
	if err != nil {
		p.fail(w, r, err)
		return
	}
	d := homeData{
		Parties:         len(a.Parties),
		PartiesAtStart:  len(in.Agreement.Parties),
		MineralsInScope: len(a.Minerals),
		Amendments:      len(a.Amendments),
		Registry:        len(p.deps.Registry.Minerals()),
		Hash:            hash,
	}
	for _, m := range a.Minerals {
		d.Stages += len(m.Stages)
	}
	p.render(w, r, http.StatusOK, "home", page{Title: a.Title, Nav: "home", Data: d})
}
