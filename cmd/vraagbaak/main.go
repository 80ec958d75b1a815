// Command vraagbaak is the one binary of Vraagbaak: it migrates the database, crawls
// official sources into the index (ingest, reindex, stats), serves the chat service
// with the widget, the staff console and the evaluator workbench (serve), answers one
// question (ask), evaluates on golden sets and runs human scoring rounds (eval),
// manages staff accounts (staff), load-tests a running service (load), checks rule
// files (rules) and runs the demo. main reads the configuration, builds the logger
// and the pool and wires the packages; nothing imports it. Run `vraagbaak help` for
// the subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // opening hours are in Dutch time, also where the system has no zone files
)

const usage = `vraagbaak — answers citizens' questions from official government pages

Usage:
  vraagbaak <command> [flags]

Commands:
  migrate   apply the database migrations
  ingest    crawl the sources in a sources file into the index
  reindex   re-embed every chunk with the configured embedder
  stats     show what the index holds
  ask       answer one question from the index: ask [--municipality GM0363] [--json] "vraag"
  eval      evaluate on a golden set: eval run --golden FILE [--out DIR]; eval compare OLD NEW [--fail-on-worse]
  serve     run the chat service: websocket, widget, demo page, /healthz, /readyz, /metrics
  staff     manage staff accounts: staff add --municipality GM0363 --role agent EMAIL; staff list
  load      load-test a running chat service over its websocket: load [--url URL] [--clients N] [--questions N] [--idle N]
  demo      serve the bundled sample sites on loopback, crawl them, show a summary;
            with --serve ADDR, then run the chat service on ADDR for them
  rules     check guard and hand-off rule files before deploying them: rules check [--kind guard|handoff] FILE...
  realsite  serve the shared corpus's real pages as local sites: realsite --corpus DIR [--port 8093] [--sources FILE]
  help      show this help

Run "vraagbaak <command> -h" for a command's flags. Configuration comes from the
environment: DATABASE_URL and the VRAAGBAAK_* variables listed in the README.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "vraagbaak:", err)
		}
		os.Exit(1)
	}
}

// command is one subcommand.
type command func(ctx context.Context, app *app, args []string) error

var commands = map[string]command{
	"migrate":  cmdMigrate,
	"ingest":   cmdIngest,
	"reindex":  cmdReindex,
	"stats":    cmdStats,
	"ask":      cmdAsk,
	"eval":     cmdEval,
	"demo":     cmdDemo,
	"serve":    cmdServe,
	"staff":    cmdStaff,
	"load":     cmdLoad,
	"rules":    cmdRules,
	"realsite": cmdRealsite,
}

// app is what every command gets: the configuration, the logger and the output.
type app struct {
	cfg    Config
	log    *slog.Logger
	stdout io.Writer
	stderr io.Writer
}

func run(ctx context.Context, args []string, env func(string) (string, bool), stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", args[0])
	}
	cfg, err := LoadConfig(env)
	if err != nil {
		return err
	}
	a := &app{cfg: cfg, log: newLogger(cfg, stderr), stdout: stdout, stderr: stderr}
	return cmd(ctx, a, args[1:])
}

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
