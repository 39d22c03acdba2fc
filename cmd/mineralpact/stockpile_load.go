package main

import (
	"errors"
	"flag"
	"os"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/stockpile"
)

// stockpileInputs are the files the stockpile verbs read: the agreement,
// flows, exposures and holdings ("example": the shipped files under
// data/stockpile, the flows of parties other than the US ILLUSTRATIVE).
type stockpileInputs struct {
	agreement, flows, exposures, holdings string
}

func (in *stockpileInputs) bind(fs *flag.FlagSet) {
	agreementFlag(fs, &in.agreement)
	fs.StringVar(&in.flows, "flows", "example", "flows CSV (party,mineral,stage,year,production,imports,exports,consumption,source[,illustrative]); example: the shipped data/stockpile/flows.csv")
	fs.StringVar(&in.exposures, "exposures", "example", "exposures CSV (party,mineral,stage,origin,share); example: the shipped file")
	fs.StringVar(&in.holdings, "holdings", "example", "holdings CSV (party,mineral,stage,date,form,tonnes,holder); example: the shipped ILLUSTRATIVE holdings")
	// With another agreement, "example" reads the shipped rows of its
	// parties and minerals only (stockpile.ReadShipped).
}

// load reads the agreement and the files, each checked against it.
func (in *stockpileInputs) load() (*loaded, *stockpile.Flows, []stockpile.Holding, error) {
	env, err := loadEnv(in.agreement)
	if err != nil {
		return nil, nil, nil, err
	}
	a := env.agreement
	flows := &stockpile.Flows{}
	if in.flows == "example" || in.exposures == "example" {
		shipped, err := stockpile.ReadShipped(data.FS, a)
		if err != nil {
			return nil, nil, nil, err
		}
		flows.Years, flows.Exposures = shipped.Years, shipped.Exposures
	}
	if in.flows != "example" {
		if flows.Years, err = readWith(in.flows, a, stockpile.ReadFlows); err != nil {
			return nil, nil, nil, err
		}
	}
	if in.exposures != "example" {
		if flows.Exposures, err = readWith(in.exposures, a, stockpile.ReadExposures); err != nil {
			return nil, nil, nil, err
		}
	}
	var hs []stockpile.Holding
	if in.holdings == "example" {
		hs, err = stockpile.ReadShippedHoldings(data.FS, a)
	} else {
		hs, err = readWith(in.holdings, a, stockpile.ReadHoldings)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	return env, flows, hs, nil
}

// readWith reads the file at path with read.
func readWith[T any, A any](path string, a A, read func(string, []byte, A) ([]T, error)) ([]T, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &problem.Error{Code: problem.NotFound, Pos: problem.Pos{File: path}, Message: "no such file"}
		}
		return nil, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: path}, Message: "cannot read the file", Err: err}
	}
	return read(path, b, a)
}
