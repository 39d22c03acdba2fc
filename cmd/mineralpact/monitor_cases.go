package main

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mineralpact/mineralpact/internal/monitor"
	"github.com/mineralpact/mineralpact/internal/service"
	"github.com/mineralpact/mineralpact/internal/store"
)

// `monitor cases VERB` and `monitor alerts VERB` are nouns of three words;
// the command table knows two, so each is one command that runs its verb
// from a table of its own.

var monitorCasesVerbs = map[string]command{
	"list":    {"list the cases, newest first", "monitor cases list [--status open|confirmed|dismissed] [--db ...] [--format table|json|csv]", runVerb[casesListOptions]()},
	"show":    {"show a case: its alerts and its history", "monitor cases show ID [--db ...] [--format text|json]", runVerb[casesShowOptions]()},
	"open":    {"open a case from stored alerts", "monitor cases open ALERT_ID... [--title T] [--actor NAME] [--db ...] [--format text|json]", runVerb[casesOpenOptions]()},
	"note":    {"add a note to a case", "monitor cases note ID --text T [--actor NAME] [--db ...]", runVerb[casesEventOptions[noteKind]]()},
	"confirm": {"confirm an open case, saying why", "monitor cases confirm ID --reason T [--actor NAME] [--db ...]", runVerb[casesEventOptions[confirmKind]]()},
	"dismiss": {"dismiss an open case, saying why: its patterns are not raised again unless they grow", "monitor cases dismiss ID --reason T [--actor NAME] [--db ...]", runVerb[casesEventOptions[dismissKind]]()},
}

var monitorAlertsVerbs = map[string]command{
	"import": {"store a scan's alerts (its JSON Lines output), screened against the dismissed cases", "monitor alerts import FILE.jsonl... --as-of DATE [--margin 0.25] [--detector NAME...] [--actor NAME] [--db ...] [--format text|json]", runVerb[alertsImportOptions]()},
	"list":   {"list the stored alerts, ranked by score", "monitor alerts list [--detector D] [--importer C] [--exporter C] [--hs HS] [--status S] [--limit N] [--db ...] [--format table|json|csv]", runVerb[alertsListOptions]()},
}

// runVerbs is the run of a noun whose verbs are in verbs.
func runVerbs(noun string, verbs map[string]command) func(context.Context, []string, streams) error {
	return func(ctx context.Context, args []string, s streams) error {
		names := slices.Sorted(maps.Keys(verbs))
		if len(args) == 0 {
			return usagef("name a verb: %s", strings.Join(names, ", "))
		}
		v, ok := verbs[args[0]]
		if !ok {
			return usagef("%q is not a verb of %s: want %s", args[0], noun, strings.Join(names, ", "))
		}
		err := v.run(ctx, args[1:], s)
		if _, ok := err.(usageError); ok {
			return usagef("%s\nusage: mineralpact %s", err, v.usage)
		}
		return err
	}
}

// actorOption is --actor: who acts, in the audit trail and the case's
// history. The command line has no sign-in; by default it is the system
// user, named as such.
type actorOption struct{ name string }

func (a *actorOption) bind(fs *flag.FlagSet) {
	def := "command line"
	if u := os.Getenv("USER"); u != "" {
		def = "command line: " + u
	}
	fs.StringVar(&a.name, "actor", def, "who acts, for the case's history and the audit trail")
}

// now is the actor acting now (the adapter's clock).
func (a *actorOption) now() store.Acting { return store.Acting{Actor: a.name, At: time.Now().UTC()} }

func caseID(pos []string) (int64, error) {
	if len(pos) != 1 {
		return 0, usagef("name one case id (`mineralpact monitor cases list` shows them)")
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("case id %q: want a positive whole number", pos[0])
	}
	return id, nil
}

type casesListOptions struct {
	status string
	db     *dbOption
	format formatOption
}

func (o *casesListOptions) bind(fs *flag.FlagSet) {
	fs.StringVar(&o.status, "status", "", "only cases of this status: open, confirmed or dismissed")
	o.db = dbFlag(fs)
	o.format.bind(fs, "table", "json", "csv")
}

func (o *casesListOptions) validate(pos []string) error {
	return firstError(noArgs(pos), o.format.validate(), store.CheckCaseStatus(o.status))
}

func (o *casesListOptions) run(ctx context.Context, s streams) error {
	st, err := openStore(ctx, o.db.dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	cs, err := st.ListCases(ctx, o.status)
	if err != nil {
		return err
	}
	if o.format.name == "json" {
		return writeJSON(s.out, nonNil(cs))
	}
	tb := table{header: []string{"id", "status", "title", "alerts", "opened_by", "opened_at", "last_event"}, right: []int{0, 3}}
	for _, c := range cs {
		last := c.Events[len(c.Events)-1]
		tb.add(strconv.FormatInt(c.ID, 10), c.Status, c.Title, strconv.Itoa(len(c.Alerts)), c.OpenedBy, stamp(c.OpenedAt), last.Kind+" "+stamp(last.At))
	}
	if o.format.name == "csv" {
		return tb.writeCSV(s.out)
	}
	return tb.write(s)
}

func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

type casesShowOptions struct {
	id     int64
	db     *dbOption
	format formatOption
}

func (o *casesShowOptions) bind(fs *flag.FlagSet) {
	o.db = dbFlag(fs)
	o.format.bind(fs, "text", "json")
}

func (o *casesShowOptions) validate(pos []string) (err error) {
	o.id, err = caseID(pos)
	return firstError(err, o.format.validate())
}

func (o *casesShowOptions) run(ctx context.Context, s streams) error {
	st, err := openStore(ctx, o.db.dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	v, err := service.LoadCase(ctx, st, o.id)
	if err != nil {
		return err
	}
	if o.format.name == "json" {
		return writeJSON(s.out, v)
	}
	return writeCase(s, v)
}

func writeCase(s streams, v service.CaseView) error {
	fmt.Fprintf(s.out, "case %d: %s\nstatus: %s\nopened by %s at %s\n\nalerts:\n", v.ID, v.Title, v.Status, v.OpenedBy, stamp(v.OpenedAt))
	at := alertTable(v.AlertRows)
	if err := at.write(s); err != nil {
		return err
	}
	fmt.Fprintln(s.out, "\nhistory:")
	ht := table{header: []string{"at", "event", "actor", "text"}}
	for _, e := range v.Events {
		ht.add(stamp(e.At), e.Kind, e.Actor, e.Text)
	}
	return ht.write(s)
}

func alertTable(as []store.StoredAlert) table {
	tb := table{header: []string{"id", "detector", "importer", "exporter", "via", "hs", "from", "to", "score", "magnitude", "unit", "status", "case"}, right: []int{8, 9}}
	for _, x := range as {
		a := x.Alert
		cas := ""
		switch {
		case x.Case != 0:
			cas = strconv.FormatInt(x.Case, 10)
		case x.StateCase != 0:
			cas = "dismissed " + strconv.FormatInt(x.StateCase, 10)
		}
		tb.add(a.ID, a.Detector, a.Importer, a.Exporter, a.Via, a.HS, a.From.String(), a.To.String(),
			strconv.FormatFloat(a.Score, 'f', 2, 64), magnitude(a.Magnitude), a.Unit, x.Status(), cas)
	}
	return tb
}

// magnitude writes an alert's magnitude whole when it is large (USD, t), to
// 4 significant digits when small (a share).
func magnitude(x float64) string {
	if x >= 1000 || x <= -1000 {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

type casesOpenOptions struct {
	alerts []string
	title  string
	actor  actorOption
	db     *dbOption
	format formatOption
}

func (o *casesOpenOptions) bind(fs *flag.FlagSet) {
	fs.StringVar(&o.title, "title", "", "the case's title (default: named after its first alert)")
	o.actor.bind(fs)
	o.db = dbFlag(fs)
	o.format.bind(fs, "text", "json")
}

func (o *casesOpenOptions) validate(pos []string) error {
	if len(pos) == 0 {
		return usagef("name the alerts to open the case from (`mineralpact monitor alerts list` shows them)")
	}
	o.alerts = pos
	return o.format.validate()
}

func (o *casesOpenOptions) run(ctx context.Context, s streams) error {
	st, err := openStore(ctx, o.db.dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	who := o.actor.now()
	c, err := service.OpenCase(ctx, st, o.title, o.alerts, who.Actor, who.At)
	if err != nil {
		return err
	}
	if o.format.name == "json" {
		return writeJSON(s.out, c)
	}
	fmt.Fprintf(s.out, "case %d opened from %d alerts by %s\n", c.ID, len(c.Alerts), c.OpenedBy)
	return nil
}

// Kinds of case events, as types, so that one options type serves the
// three verbs.
type (
	noteKind    struct{}
	confirmKind struct{}
	dismissKind struct{}
)

type eventKind interface{ kind() (name, flag string) }

func (noteKind) kind() (string, string)    { return monitor.EventNote, "text" }
func (confirmKind) kind() (string, string) { return monitor.EventConfirm, "reason" }
func (dismissKind) kind() (string, string) { return monitor.EventDismiss, "reason" }

type casesEventOptions[K eventKind] struct {
	id    int64
	text  string
	actor actorOption
	db    *dbOption
}

func (o *casesEventOptions[K]) bind(fs *flag.FlagSet) {
	var k K
	kind, flagName := k.kind()
	fs.StringVar(&o.text, flagName, "", "what the "+kind+" says (required)")
	o.actor.bind(fs)
	o.db = dbFlag(fs)
}

func (o *casesEventOptions[K]) validate(pos []string) (err error) {
	o.id, err = caseID(pos)
	if err != nil {
		return err
	}
	var k K
	if _, flagName := k.kind(); strings.TrimSpace(o.text) == "" {
		return usagef("--%s is required", flagName)
	}
	return nil
}

func (o *casesEventOptions[K]) run(ctx context.Context, s streams) error {
	st, err := openStore(ctx, o.db.dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	var k K
	kind, _ := k.kind()
	who := o.actor.now()
	c, err := service.CaseEvent(ctx, st, o.id, kind, o.text, who.Actor, who.At)
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "case %d: %s by %s; status %s\n", c.ID, kind, who.Actor, c.Status)
	return nil
}
