package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vraagbaak/vraagbaak/review"
	"github.com/vraagbaak/vraagbaak/staff"
	"github.com/vraagbaak/vraagbaak/web"
)

// The human evaluation: the workbench (/eval/) and `vraagbaak eval sample` and
// `eval round-report`, on package review.

// mountEval adds the evaluator workbench to mux: the page for evaluators and
// supervisors, its static files, and its JSON API, scoped to the logged-in account's
// municipality.
func mountEval(mux *http.ServeMux, auth *staff.Auth, pool *pgxpool.Pool, log *slog.Logger) {
	evaluators := auth.Require(staff.Evaluator, staff.Supervisor)
	rounds := review.NewRounds(pool, log)
	pages := web.EvalHandler()
	mux.Handle("GET /eval/{$}", evaluators(pages))
	mux.Handle("GET /eval/static/", pages)
	mux.Handle("/eval/api/", evaluators(rounds.Handler(func(r *http.Request) (review.Evaluator, bool) {
		acc, ok := staff.AccountFrom(r.Context())
		return review.Evaluator{ID: acc.ID, Email: acc.Email, Name: acc.Name, Role: string(acc.Role), Municipality: acc.Municipality}, ok
	})))
}

// parseSince reads a period such as 7d, 24h or 90m.
func parseSince(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 1 {
			return 0, fmt.Errorf("--since %q: want a number of days such as 7d", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("--since %q: want a period such as 7d or 24h", s)
	}
	return d, nil
}

// evaluatorAccount finds the active evaluator or supervisor account with email.
func (a *app) evaluatorAccount(ctx context.Context, store *staff.Store, email string) (review.Evaluator, error) {
	accounts, err := store.List(ctx, "")
	if err != nil {
		return review.Evaluator{}, err
	}
	for _, acc := range accounts {
		if strings.EqualFold(acc.Email, email) {
			if acc.Role != staff.Evaluator && acc.Role != staff.Supervisor {
				return review.Evaluator{}, fmt.Errorf("%s is a %s, not an evaluator or supervisor", acc.Email, acc.Role)
			}
			return review.Evaluator{ID: acc.ID, Email: acc.Email, Name: acc.Name, Role: string(acc.Role), Municipality: acc.Municipality}, nil
		}
	}
	return review.Evaluator{}, fmt.Errorf("no active staff account has the email %s", email)
}

// openEvaluator opens the database, migrated, and finds the evaluator or supervisor
// account with email in it; an account that cannot be used is an error of command.
// The caller closes the pool.
func (a *app) openEvaluator(ctx context.Context, command, email string) (*pgxpool.Pool, review.Evaluator, error) {
	pool, store, err := a.openStaffStore(ctx)
	if err != nil {
		return nil, review.Evaluator{}, err
	}
	ev, err := a.evaluatorAccount(ctx, store, email)
	if err != nil {
		pool.Close()
		return nil, review.Evaluator{}, fmt.Errorf("%s: %w", command, err)
	}
	return pool, ev, nil
}

func (a *app) evalSample(ctx context.Context, args []string) error {
	fs := newFlags(a, "eval sample", "eval sample --by EMAIL [--since 7d] [--n 100] [--municipality GM0363] [--name NAME]")
	since := fs.String("since", "7d", "sample answers from this period back (7d, 24h)")
	n := fs.Int("n", 100, "answers in the round")
	municipality := fs.String("municipality", "", "the municipality (CBS code); default and only allowed value: the account's")
	name := fs.String("name", "", "the round's name (default: Ronde <date>)")
	by := fs.String("by", "", "email of the evaluator or supervisor creating the round")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("eval sample: unexpected argument %q", fs.Arg(0))
	}
	if *by == "" {
		return errors.New("eval sample: --by EMAIL is required")
	}
	period, err := parseSince(*since)
	if err != nil {
		return fmt.Errorf("eval sample: %w", err)
	}
	if *n < 1 {
		return fmt.Errorf("eval sample: --n must be at least 1, not %d", *n)
	}
	pool, ev, err := a.openEvaluator(ctx, "eval sample", *by)
	if err != nil {
		return err
	}
	defer pool.Close()
	if *municipality != "" && *municipality != ev.Municipality {
		return fmt.Errorf("eval sample: %s evaluates %s, not %s", ev.Email, ev.Municipality, *municipality)
	}
	if *name == "" {
		*name = "Ronde " + time.Now().Format(time.DateOnly)
	}
	rd, err := review.NewRounds(pool, a.log).Sample(ctx, ev.Municipality, time.Now().Add(-period), *n, *name, ev.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "round %d %q: %d answers of %s\n", rd.ID, rd.Name, rd.Items, rd.Municipality)
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  stratum\tin period\tsampled")
	for _, s := range slices.Sorted(maps.Keys(rd.Params.Sizes)) {
		fmt.Fprintf(tw, "  %s\t%d\t%d\n", s, rd.Params.Sizes[s], rd.Params.Strata[s])
	}
	return tw.Flush()
}

func (a *app) evalRoundReport(ctx context.Context, args []string) error {
	fs := newFlags(a, "eval round-report", "eval round-report --round ID --by EMAIL")
	id := fs.Int64("round", 0, "the round's ID")
	by := fs.String("by", "", "email of an evaluator or supervisor of the round's municipality")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *id < 1 || *by == "" {
		return errors.New("eval round-report: --round ID and --by EMAIL are required")
	}
	pool, ev, err := a.openEvaluator(ctx, "eval round-report", *by)
	if err != nil {
		return err
	}
	defer pool.Close()
	rep, err := review.NewRounds(pool, a.log).Summary(ctx, ev, *id) // the figures only: no citizen's text is read out
	if errors.Is(err, review.ErrNotFound) {
		return fmt.Errorf("eval round-report: no round %d in %s: %w", *id, ev.Municipality, err)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "round %d %q: %d answers, %d scores\n\n", rep.Round.ID, rep.Round.Name, rep.Round.Items, rep.Overall.Scores)
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "group\tscores")
	for _, item := range rep.Rubric {
		fmt.Fprintf(tw, "\t%s", item.Key)
	}
	fmt.Fprintln(tw)
	groups := append([]review.Means{rep.Overall}, rep.ByOutcome...)
	groups = append(groups, rep.ByDay...)
	for _, m := range groups {
		fmt.Fprintf(tw, "%s\t%d", m.Group, m.Scores)
		for _, v := range m.Means {
			fmt.Fprintf(tw, "\t%.2f", v)
		}
		fmt.Fprintln(tw)
	}
	fmt.Fprintln(tw, "\nkappa (first two evaluators)\titems\t")
	for _, ag := range rep.Agreement {
		k := "undefined"
		if ag.Kappa != nil {
			k = fmt.Sprintf("%.3f", *ag.Kappa)
		}
		fmt.Fprintf(tw, "  %s %s\t%d\t\n", ag.Key, k, ag.Items)
	}
	return tw.Flush()
}
