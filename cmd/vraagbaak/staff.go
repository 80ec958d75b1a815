package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/term"

	"github.com/vraagbaak/vraagbaak/internal/cbs"
	"github.com/vraagbaak/vraagbaak/internal/postgres"
	"github.com/vraagbaak/vraagbaak/staff"
)

const staffUsage = `Usage:
  vraagbaak staff add --municipality GM0363 --role agent|supervisor|evaluator|privacy [--name "Naam"] [--password-file FILE] EMAIL
  vraagbaak staff list [--municipality GM0363]
  vraagbaak staff passwd [--password-file FILE] EMAIL
  vraagbaak staff disable EMAIL

Manages the accounts of contact-centre staff and evaluators. A password (at least 12
characters) is the first line of --password-file; without it, it is asked twice when
standard input is a terminal, else read as one line from standard input.
A new password and disabling an account end the account's sessions.
`

func cmdStaff(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(a.stderr, staffUsage)
		return errors.New("staff: name a subcommand: add, list, passwd or disable")
	}
	switch args[0] {
	case "add":
		return a.staffAdd(ctx, args[1:])
	case "list":
		return a.staffList(ctx, args[1:])
	case "passwd":
		return a.staffPasswd(ctx, args[1:])
	case "disable":
		return a.staffDisable(ctx, args[1:])
	case "help", "-h", "--help":
		fmt.Fprint(a.stderr, staffUsage)
		return flag.ErrHelp
	default:
		fmt.Fprint(a.stderr, staffUsage)
		return fmt.Errorf("staff: unknown subcommand %q: want add, list, passwd or disable", args[0])
	}
}

func (a *app) staffAdd(ctx context.Context, args []string) error {
	fs := newFlags(a, "staff add", "staff add --municipality GM0363 --role agent|supervisor|evaluator|privacy [--name \"Naam\"] [--password-file FILE] EMAIL")
	municipality := fs.String("municipality", "", "the CBS code of the staff member's municipality, such as GM0363 (required)")
	role := fs.String("role", "", "agent, supervisor, evaluator or privacy (required)")
	name := fs.String("name", "", "the name colleagues and citizens see")
	passwordFile := fs.String("password-file", "", "read the password from the first line of this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	email, err := oneEmail(fs, "staff add")
	if err != nil {
		return err
	}
	switch {
	case *municipality == "":
		return errors.New("staff add: --municipality is required (a CBS code such as GM0363)")
	case !cbs.Valid(*municipality):
		return fmt.Errorf("staff add: --municipality must be a CBS code such as GM0363, not %q", *municipality)
	case *role == "":
		return errors.New("staff add: --role is required: agent, supervisor, evaluator or privacy")
	case !staff.Role(*role).Valid():
		return fmt.Errorf("staff add: --role must be agent, supervisor, evaluator or privacy, not %q", *role)
	}
	password, err := a.readPassword(*passwordFile, email)
	if err != nil {
		return fmt.Errorf("staff add: %w", err)
	}
	pool, store, err := a.openStaffStore(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	acc, err := store.Add(ctx, staff.Account{Email: email, Name: *name, Municipality: *municipality, Role: staff.Role(*role)}, password)
	if errors.Is(err, staff.ErrExists) {
		return fmt.Errorf("staff add: %s already has an account (staff passwd sets a new password): %w", email, err)
	}
	if err != nil {
		return fmt.Errorf("staff add: %w", err)
	}
	fmt.Fprintf(a.stdout, "added %s %s for %s (account %d)\n", acc.Role, acc.Email, acc.Municipality, acc.ID)
	return nil
}

func (a *app) staffList(ctx context.Context, args []string) error {
	fs := newFlags(a, "staff list", "staff list [--municipality GM0363]")
	municipality := fs.String("municipality", "", "only the accounts of this municipality (a CBS code such as GM0363)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("staff list: unexpected argument %q (filter with --municipality)", fs.Arg(0))
	}
	if *municipality != "" && !cbs.Valid(*municipality) {
		return fmt.Errorf("staff list: --municipality must be a CBS code such as GM0363, not %q", *municipality)
	}
	pool, store, err := a.openStaffStore(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	accounts, err := store.List(ctx, *municipality)
	if err != nil {
		return err
	}
	if len(accounts) == 0 {
		fmt.Fprintln(a.stdout, "no staff accounts")
		return nil
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "id\temail\tname\tmunicipality\trole")
	for _, acc := range accounts {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", acc.ID, acc.Email, dash(acc.Name), acc.Municipality, acc.Role)
	}
	return tw.Flush()
}

func (a *app) staffPasswd(ctx context.Context, args []string) error {
	fs := newFlags(a, "staff passwd", "staff passwd [--password-file FILE] EMAIL")
	passwordFile := fs.String("password-file", "", "read the new password from the first line of this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	email, err := oneEmail(fs, "staff passwd")
	if err != nil {
		return err
	}
	password, err := a.readPassword(*passwordFile, email)
	if err != nil {
		return fmt.Errorf("staff passwd: %w", err)
	}
	pool, store, err := a.openStaffStore(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	err = store.SetPassword(ctx, email, password)
	if errors.Is(err, staff.ErrNotFound) {
		return fmt.Errorf("staff passwd: no account has the email %s: %w", email, err)
	}
	if err != nil {
		return fmt.Errorf("staff passwd: %w", err)
	}
	fmt.Fprintf(a.stdout, "set a new password for %s and ended its sessions\n", email)
	return nil
}

func (a *app) staffDisable(ctx context.Context, args []string) error {
	fs := newFlags(a, "staff disable", "staff disable EMAIL")
	if err := fs.Parse(args); err != nil {
		return err
	}
	email, err := oneEmail(fs, "staff disable")
	if err != nil {
		return err
	}
	pool, store, err := a.openStaffStore(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	err = store.Disable(ctx, email)
	if errors.Is(err, staff.ErrNotFound) {
		return fmt.Errorf("staff disable: no account has the email %s: %w", email, err)
	}
	if err != nil {
		return fmt.Errorf("staff disable: %w", err)
	}
	fmt.Fprintf(a.stdout, "disabled %s and ended its sessions\n", email)
	return nil
}

// oneEmail returns the one argument left after the flags.
func oneEmail(fs *flag.FlagSet, cmd string) (string, error) {
	switch fs.NArg() {
	case 0:
		return "", fmt.Errorf("%s: give the EMAIL of the account after the flags", cmd)
	case 1:
		return strings.TrimSpace(fs.Arg(0)), nil
	default:
		return "", fmt.Errorf("%s: want one EMAIL after the flags, got %q (flags go before the EMAIL)", cmd, fs.Args())
	}
}

// openStaffStore opens the database, migrated, and the staff accounts in it.
func (a *app) openStaffStore(ctx context.Context) (*pgxpool.Pool, *staff.Store, error) {
	if err := a.cfg.needDatabase(); err != nil {
		return nil, nil, err
	}
	pool, err := postgres.Open(ctx, a.cfg.DatabaseURL)
	if err != nil {
		return nil, nil, err
	}
	return pool, staff.NewStore(pool), nil
}

// readPassword returns the password: the first line of file when given, else asked
// twice without echo when standard input is a terminal, else one line of standard
// input. It must have at least staff.MinPasswordLength characters.
func (a *app) readPassword(file, email string) (string, error) {
	pw, from, err := a.passwordFrom(file, email)
	if err != nil {
		return "", err
	}
	if utf8.RuneCountInString(pw) < staff.MinPasswordLength {
		return "", fmt.Errorf("the password %s has %d characters; it needs at least %d", from, utf8.RuneCountInString(pw), staff.MinPasswordLength)
	}
	return pw, nil
}

// passwordFrom reads the password and says where from.
func (a *app) passwordFrom(file, email string) (pw, from string, err error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", "", fmt.Errorf("--password-file: %w", err)
		}
		line, _, _ := strings.Cut(string(b), "\n")
		if line = strings.TrimSuffix(line, "\r"); line == "" {
			return "", "", fmt.Errorf("--password-file: the first line of %s is empty", file)
		}
		return line, "in --password-file", nil
	}
	if fd := int(os.Stdin.Fd()); term.IsTerminal(fd) {
		fmt.Fprintf(a.stderr, "Password for %s (at least %d characters): ", email, staff.MinPasswordLength)
		first, err := term.ReadPassword(fd)
		fmt.Fprintln(a.stderr)
		if err != nil {
			return "", "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(a.stderr, "Same password again: ")
		again, err := term.ReadPassword(fd)
		fmt.Fprintln(a.stderr)
		if err != nil {
			return "", "", fmt.Errorf("read password: %w", err)
		}
		if string(first) != string(again) {
			return "", "", errors.New("the two passwords differ")
		}
		return string(first), "typed", nil
	}
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", "", fmt.Errorf("read password from standard input: %w", err)
	}
	if line = strings.TrimRight(line, "\r\n"); line == "" {
		return "", "", errors.New("no password: give --password-file, type it at a terminal, or pipe it in on one line")
	}
	return line, "on standard input", nil
}
