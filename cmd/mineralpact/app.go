package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// Exit statuses, one table for every command.
const (
	exitOK       = 0
	exitInvalid  = 1 // the input was wrong: a bad file, an unknown code
	exitUsage    = 2 // the command line was wrong
	exitInternal = 3 // mineralpact failed
)

// exitCodes maps problem codes to exit statuses.
var exitCodes = map[problem.Code]int{
	problem.Invalid:      exitInvalid,
	problem.NotFound:     exitInvalid,
	problem.Conflict:     exitInvalid,
	problem.Unauthorized: exitInvalid,
	problem.Forbidden:    exitInvalid,
	problem.Internal:     exitInternal,
}

// usageError is a mistake on the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// command is one verb of one noun.
type command struct {
	summary string
	usage   string
	run     func(ctx context.Context, args []string, s streams) error
}

// verb is the shape of a command (kubectl's Complete → Validate → Run, over
// cli/cli's injected streams): its options struct binds its flags, validate
// completes the options from the flags and arguments (a mistake is a usage
// error, exit 2), and run does the work, reading and writing only s.
type verb interface {
	bind(fs *flag.FlagSet)
	validate(args []string) error
	run(ctx context.Context, s streams) error
}

// runVerb makes the run function of a command from its options type O.
func runVerb[O any, P interface {
	*O
	verb
}]() func(context.Context, []string, streams) error {
	return func(ctx context.Context, args []string, s streams) error {
		o := P(new(O))
		fs := newFlags("")
		o.bind(fs)
		pos, err := parseFlags(fs, args)
		if err != nil {
			return err
		}
		if err := o.validate(pos); err != nil {
			return err
		}
		return o.run(ctx, s)
	}
}

// commands lists every command as "noun verb" (or a lone noun).
var commands = map[string]command{
	"agreement validate": {"check agreement files and report every problem", "agreement validate FILE... [--prices --as-of DATE]", runVerb[agreementValidateOptions]()},
	"agreement show":     {"show the agreement in force on a date", "agreement show FILE --as-of DATE [--format table|json|yaml]", runVerb[agreementShowOptions]()},
	"agreement diff":     {"list what changed between two agreement files", "agreement diff OLD NEW [--as-of DATE] [--format table|json]", runVerb[agreementDiffOptions]()},
	"agreement schema":   {"print the JSON Schema of agreement files", "agreement schema", runVerb[agreementSchemaOptions]()},
	"minerals list":      {"list the critical minerals of the registry", "minerals list [--list 2025|2022|all] [--format table|json|csv]", runVerb[mineralsListOptions]()},
	"gen costcurve":      {"write an ILLUSTRATIVE cost curve calibrated to USGS MCS 2026", "gen costcurve --mineral M --stage S [--seed N] [--unit U] [--ratio 0.70] [--out FILE|-]", runVerb[genCostcurveOptions]()},
	"hs lookup":          {"classify an HS code to mineral, stage and content", "hs lookup CODE [--format table|json]", runVerb[hsLookupOptions]()},
	"prices compute":     {"compute the floors in force on a date", "prices compute --as-of DATE [--agreement F] [--mineral M] [--stage S] [--format table|json|csv]", runVerb[pricesComputeOptions]()},
	"prices explain":     {"explain one floor down to its inputs", "prices explain MINERAL/STAGE --as-of DATE [--agreement F] [--format text|json]", runVerb[pricesExplainOptions]()},
	"prices publish":     {"store the floors of a date, or the schedule through a date, as publications", "prices publish --as-of DATE|--through DATE [--agreement F] [--db sqlite:PATH|postgres://...] [--format table|json|csv]", runVerb[pricesPublishOptions]()},
	"prices history":     {"list a floor's revisions between two dates", "prices history MINERAL/STAGE --from DATE --to DATE [--agreement F] [--format table|json|csv]", runVerb[pricesHistoryOptions]()},
	"projects value":     {"value a project over price paths: NPV without and with the floor, the floor's value, its public support's expected cost", "projects value --pipeline FILE --project ID [--agreement F] [--as-of D] [--floor PRICE] [--scenario S] [--paths N] [--seed N] [--format table|json]", runVerb[projectsValueOptions]()},
	"projects rank":      {"rank projects of mutual interest by the zone's secure supply added per dollar of expected public cost", "projects rank --pipeline FILE --agreement F --as-of D --parties US,MX [--mineral M] [--budget USD] [--scenario S] [--paths N] [--format table|json|csv]", runVerb[projectsRankOptions]()},
	"projects offtake":   {"value an offtake contract to producer and buyer", "projects offtake --pipeline FILE --project ID --contract FILE [--scenario S] [--format table|json]", runVerb[projectsOfftakeOptions]()},
	"scope score":        {"score the criticality of the minerals for the world, the US and the zone", "scope score [--basis world|us|zone] [--mineral M] [--agreement F] [--as-of DATE] [--format table|json|csv]", runVerb[scopeScoreOptions]()},
	"scope groups":       {"propose groups of the minerals, with reasons (host families, co-occurrence, markets, geography)", "scope groups [--format table|json|csv]", runVerb[scopeGroupsOptions]()},
	"scope compare":      {"compare our supply risks with the published EU 2023 and USGS 2022 assessments: rank correlation and list membership", "scope compare [--format table|json|csv]", runVerb[scopeCompareOptions]()},
	"scope warnings":     {"warn where an agreement's scope is exposed: by-products whose host is out of scope, co-product markets, shared HS lines", "scope warnings [--agreement F] [--as-of DATE] [--format table|json|csv]", runVerb[scopeWarningsOptions]()},
	"members evaluate":   {"what-if: add or remove countries and see per mineral in scope the zone's share, self-sufficiency and club criticality before and after", "members evaluate [--agreement F] [--as-of DATE] [--add XX[,YY]] [--remove XX] [--format table|json|csv]", runVerb[membersEvaluateOptions]()},
	"members rank":       {"rank the countries outside the zone by what they bring to the minerals in scope", "members rank [--agreement F] [--as-of DATE] [--top N] [--format table|json|csv]", runVerb[membersRankOptions]()},
	"assess":             {"assess import declarations against the published floors", "assess --in FILE|- [--out FILE|-] [--errors FILE] [--agreement F] [--format csv|jsonl] [--out-format parquet] [--workers N] [--trace] [--duties] [--db sqlite:PATH|postgres://...]", runAssess},
	"gen declarations":   {"write synthetic import declarations", "gen declarations --n N --seed S [--bad-rate R] [--agreement F] [--format csv|jsonl]", runGenDeclarations},
	"monitor cases":      {"the secretariat's cases on alerts: list, show, open, note, confirm, dismiss", "monitor cases list|show|open|note|confirm|dismiss ... [--db sqlite:PATH|postgres://...]", runVerbs("monitor cases", monitorCasesVerbs)},
	"monitor alerts":     {"store a scan's alerts (import its JSON Lines) and list them ranked by score", "monitor alerts import|list ... [--db sqlite:PATH|postgres://...]", runVerbs("monitor alerts", monitorAlertsVerbs)},
	"token create":       {"issue an API token for a named holder with a role (and a party): printed once, stored as a hash", "token create --name NAME --role analyst|customs|secretariat|administrator [--party P] [--expires-in 90d] [--db sqlite:PATH|postgres://...] [--format text|json]", runVerb[tokenCreateOptions]()},
	"audit verify":       {"check the store's invariants (the audit trail's hash chain; each assessment and allocation against its audit record; the quota ledger: each period's balance the sum of its allocations, within its volume), naming each fault", "audit verify [--db sqlite:PATH|postgres://...] [--format text|json]", runVerb[auditVerifyOptions]()},
	"token list":         {"list the API tokens of a store (never their secrets)", "token list [--db sqlite:PATH|postgres://...] [--format table|json|csv]", runVerb[tokenListOptions]()},
	"token revoke":       {"revoke an API token: refused by running servers within 5 s, its portal sessions ended", "token revoke ID [--db sqlite:PATH|postgres://...]", runVerb[tokenRevokeOptions]()},
	"serve":              {"serve the HTTP API and the portal", "serve [--addr :8080] [--db sqlite:PATH|postgres://...] [--agreement FILE] [--batch-max-lines N] [--batch-max-bytes N] [--batch-idle D] [--batch-max-duration D] [--batch-held-max BYTES] [--behind-proxy] [--sim-result-ttl D] [--sim-lease D] [--sim-sync-per-token N] [--sim-sync-total N] [--sim-sync-wait D] [--design-declarations N] [--design-stored-max N] [--design-stored-for D]", runVerb[serveOptions]()},
	"design compare":     {"compare two agreement versions: floors, a year of declarations re-assessed, market scenarios, old -> new", "design compare --agreement OLD --agreement NEW [--declarations FILE] [--scenario S...] [--from D --to D] [--format table|json]", runVerb[designCompareOptions]()},
	"bench design":       {"measure the design loop: one changed line, a year of declarations, every floor, the scenarios; cold and warm", "bench design [--declarations FILE] [--n N] [--iterations N] [--paths N] [--format table|json]", runVerb[benchDesignOptions]()},
	"bench":              {"measure the engines on this machine", "bench [agreement|prices|prices-history|assess|simulate|montecarlo ...] [--n N] [--format table|json]", runVerb[benchOptions]()},

	// Its own block, so that gofmt does not realign the table above.
	"members heterogeneity": {"regulatory heterogeneity of the parties' standards per pair, mineral and stage (Nordås 2016), and where arbitrage is most likely", "members heterogeneity [--agreement F] [--as-of DATE] [--top N] [--cells] [--format table|json|csv]", runVerb[membersHeterogeneityOptions]()},

	"simulate equilibrium": {"solve the spatial price equilibrium of an instance", "simulate equilibrium --instance FILE.json [--format table|json]", runSimulateEquilibrium},
	"simulate gsim":        {"run a GSIM trade-policy experiment", "simulate gsim --instance FILE.json [--format table|json]", runSimulateGSIM},
	"simulate":             {"simulate a design over a scenario: prices, trade, revenue, investment, buffer stock, Monte Carlo", "simulate --scenario S [--agreement F] [--paths N] [--seed N] [--workers N] [--floor-scale X] [--format table|json|csv]", runSimulate},
	"simulate compare":     {"two designs over one scenario, side by side", "simulate compare --scenario S --agreement A [--agreement B] [--floor-scale-b X] [--paths N] [--seed N] [--format table|json]", runSimulateCompare},

	"ownership screen":      {"screen facilities against the agreement's investment-screening rules: non-party interest, control, decision", "ownership screen --ownership FILE... [--facility ID] [--all] [--agreement F] --as-of DATE [--format table|json]", runVerb[ownershipScreenOptions]()},
	"ownership transaction": {"screen a proposed acquisition (buyer acquires share S of target on a date) on every facility it reaches", "ownership transaction --ownership FILE... --buyer X --target Y --share S --on DATE [--agreement F] [--format table|json]", runVerb[ownershipTransactionOptions]()},
	"ownership interests":   {"every holder's effective interest in every entity and facility on a date, and every controller", "ownership interests --ownership FILE... --as-of DATE [--format table|json|csv]", runVerb[ownershipInterestsOptions]()},
	"monitor scan":          {"scan trade flows (Comtrade, BACI) and assessed declarations for circumvention, routing, code shifting, prices below the floor, undertaking breaches and surges, each alert with its evidence", "monitor scan --flows FILE... [--baci-codes FILE] [--declarations FILE] [--agreement F] --as-of DATE [--detector NAME...] [--measure name=YYYY-MM-DD[:hs,...]] [--measures FILE] [--format table|json|jsonl]", runMonitorScan},
	"ownership paths":       {"the effective interest of one holder in one entity or facility, and every chain that makes it", "ownership paths --ownership FILE... --from X --to Y --as-of DATE [--format table|json]", runVerb[ownershipPathsOptions]()},

	"stockpile check":   {"every party's stockholding obligation, countable holdings, shortfall and days of cover on a date, and the zone's", "stockpile check [--agreement F] [--holdings FILE] [--flows FILE] --as-of DATE [--mineral M] [--format table|json|csv]", runVerb[stockpileCheckOptions]()},
	"stockpile respond": {"a disruption of a scenario (or losses by hand) against the crisis triggers, the coordinated response plan per party and month, and what it buys in the market, without and with it (and each party alone)", "stockpile respond --scenario S [--agreement F] [--holdings FILE] [--flows FILE] [--exposures FILE] [--losses FILE] [--alone] [--initial holdings|obligation] [--days N] [--paths N] [--seed N] [--format table|json|csv]", runVerb[stockpileRespondOptions]()},
}

func run(ctx context.Context, args []string, s streams) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(s.out)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	// "noun verb" first, so that a noun that is also a command of its own
	// ("simulate") still reaches its verbs ("simulate equilibrium").
	var (
		name string
		rest []string
		cmd  command
		ok   bool
	)
	if len(args) > 1 {
		name, rest = args[0]+" "+args[1], args[2:]
		cmd, ok = commands[name]
	}
	if !ok {
		name, rest = args[0], args[1:]
		cmd, ok = commands[name]
	}
	if !ok {
		if verbs := verbsOf(args[0]); len(verbs) > 0 {
			fmt.Fprintf(s.err, "mineralpact %s: name a verb\n\n", args[0])
			printCommands(s.err, verbs)
			return exitUsage
		}
		fmt.Fprintf(s.err, "mineralpact: unknown command %q\n\n", strings.Join(args[:min(2, len(args))], " "))
		printUsage(s.err)
		return exitUsage
	}
	out := &checkedWriter{w: s.out, name: "standard output"}
	s.out = out
	err := cmd.run(ctx, rest, s)
	if out.err != nil {
		err = out.err // whatever the command made of it
	}
	var help helpRequest
	if errors.As(err, &help) {
		fmt.Fprintf(s.out, "mineralpact %s: %s\nusage: mineralpact %s\n", name, cmd.summary, cmd.usage)
		if help.flags != "" {
			fmt.Fprintf(s.out, "\nflags:\n%s", help.flags)
		}
		return exitOK
	}
	return report(s.err, name, cmd, err)
}

// report prints err as the user should see it and returns the exit status.
func report(w io.Writer, name string, cmd command, err error) int {
	if err == nil {
		return exitOK
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(w, "mineralpact %s: %s\nusage: mineralpact %s\n", name, ue.msg, cmd.usage)
		return exitUsage
	}
	var we *writeError
	if errors.As(err, &we) {
		fmt.Fprintf(w, "mineralpact %s: %v\n", name, we)
		return exitInternal
	}
	if errors.Is(err, errReported) {
		return exitInvalid
	}
	code := problem.CodeOf(err)
	if code == problem.Internal {
		fmt.Fprintf(w, "mineralpact %s: internal error: %v\n", name, err)
	} else {
		fmt.Fprintf(w, "%v\n", err)
	}
	return exitCodes[code]
}

// errReported means the command has already written its problems to stderr.
var errReported = errors.New("problems reported")

// verbsOf is the commands of a noun ("monitor": "monitor scan", "monitor
// cases", ...), so that the noun alone lists them rather than being unknown.
func verbsOf(noun string) []string {
	var names []string
	for n := range commands {
		if strings.HasPrefix(n, noun+" ") {
			names = append(names, n)
		}
	}
	return names
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: mineralpact <noun> <verb> [arguments] [flags]   (mineralpact <noun> <verb> --help: its flags)")
	printCommands(w, slices.Collect(maps.Keys(commands)))
}

func printCommands(w io.Writer, names []string) {
	fmt.Fprintln(w, "\ncommands:")
	for _, n := range slices.Sorted(slices.Values(names)) {
		fmt.Fprintf(w, "  %-20s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nexit status: 0 ok, 1 invalid input, 2 usage error, 3 internal error (a failed write included)")
}
