package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/agreement"
)

// agreementSchemaOptions are `agreement schema`: the JSON Schema of agreement
// files. It has no options.
type agreementSchemaOptions struct{}

func (o *agreementSchemaOptions) bind(fs *flag.FlagSet) {}

func (o *agreementSchemaOptions) validate(pos []string) error { return noArgs(pos) }

func (o *agreementSchemaOptions) run(ctx context.Context, s streams) error {
	b, err := agreement.Schema()
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(s.out, "%s\n", b)
	return err
}
