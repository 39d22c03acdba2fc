package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/ownership"
)

// ownershipTransactionOptions are `ownership transaction`: a proposed
// acquisition (buyer acquires share S of target on date D) screened on
// every facility the target is or holds.
type ownershipTransactionOptions struct {
	files         filesOption
	agreement     string
	buyer, target string
	share         string
	fraction      float64
	on            dateOption
	format        formatOption
}

func (o *ownershipTransactionOptions) bind(fs *flag.FlagSet) {
	ownershipFlag(fs, &o.files)
	agreementFlag(fs, &o.agreement)
	fs.StringVar(&o.buyer, "buyer", "", "the acquirer's id in the ownership files")
	fs.StringVar(&o.target, "target", "", "the entity or facility acquired into")
	fs.StringVar(&o.share, "share", "", "the share acquired, a percentage (30 or 30%)")
	o.on.bind(fs, "on", "date (YYYY-MM-DD) of the acquisition")
	o.format.bind(fs, "table", "json")
}

func (o *ownershipTransactionOptions) validate(pos []string) error {
	if err := firstError(noArgs(pos), o.files.validate(), o.format.validate(), o.on.validate()); err != nil {
		return err
	}
	if o.buyer == "" || o.target == "" {
		return usagef("--buyer and --target are required")
	}
	v, err := strconv.ParseFloat(strings.TrimSuffix(o.share, "%"), 64)
	if err != nil || !(v > 0 && v <= 100) {
		return usagef("--share %q: want a percentage above 0 and at most 100", o.share)
	}
	o.fraction = v / 100
	return nil
}

func (o *ownershipTransactionOptions) run(_ context.Context, s streams) error {
	env, err := loadEnv(o.agreement)
	if err != nil {
		return err
	}
	r, err := loadRegister(o.files, env.reg, s)
	if err != nil {
		return err
	}
	in, z, err := inForce(env.agreement, env.reg, o.on.date)
	if err != nil {
		return err
	}
	res, err := ownership.Evaluate(r, ownership.Transaction{Buyer: o.buyer, Target: o.target, Share: o.fraction, On: o.on.date}, in, z, ownership.GroupMembers(env.reg.Minerals()))
	if err != nil {
		return err
	}
	if o.format.name == "json" {
		return writeJSON(s.out, res)
	}
	dec := string(res.Decision)
	if dec == "" {
		dec = "none"
	}
	fmt.Fprintf(s.out, "%s (%s, %s) acquires %s of %s on %s: decision %s\n", o.buyer, res.Buyer.Class, res.Buyer.By, ownPct(o.fraction, o.fraction), o.target, o.on.date, dec)
	for _, w := range res.Warnings {
		fmt.Fprintf(s.out, "warning: %s\n", w)
	}
	if len(res.Facilities) == 0 {
		fmt.Fprintf(s.out, "%s is no facility and holds none: nothing to screen\n", o.target)
	}
	for _, f := range res.Facilities {
		before, after := orDash(string(f.Before)), orDash(string(f.Decision))
		fmt.Fprintf(s.out, "\n%s: before %s, the transaction %s\n", f.Facility, before, after)
		if f.Offer != nil {
			fmt.Fprintf(s.out, "right of first refusal offered to %s within %d days (%s)\n", strings.Join(f.Offer.OfferedTo, ", "), f.Offer.Days, f.Offer.Basis)
		}
		writeDecision(s, f.After)
	}
	return nil
}
