package main

import (
	"context"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/agreement"
)

func runAgreementSchema(ctx context.Context, args []string, s streams) error {
	pos, err := parseFlags(newFlags("agreement schema"), args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("takes no arguments")
	}
	b, err := agreement.Schema()
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(s.out, "%s\n", b)
	return err
}
