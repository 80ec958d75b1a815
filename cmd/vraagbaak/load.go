package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// loadQuestions are what the load tool asks when no file is given: questions of the
// kind citizens ask about the bundled sample sites, written for this project.
var loadQuestions = []string{
	"wat kost een paspoort",
	"hoe lang is een identiteitskaart geldig",
	"wanneer wordt het grofvuil opgehaald",
	"ik heb schulden waar kan ik hulp krijgen",
	"hoe vraag ik bijzondere bijstand aan",
	"kan ik zorgtoeslag krijgen als student",
	"verhuizing doorgeven hoeveel dagen van tevoren",
	"wat is de wmo",
	"kwijtschelding gemeentelijke belastingen voorwaarden",
	"wanneer is de milieustraat open",
	"hoe hoog is de bijstand voor een alleenstaande",
	"wat moet ik meenemen voor een nieuw paspoort",
}

func cmdLoad(ctx context.Context, a *app, args []string) error {
	fs := newFlags(a, "load", "load [--url http://localhost:8080] [--clients 20] [--questions 10] [--idle 0]")
	base := fs.String("url", "http://"+a.cfg.Addr, "address of a running `vraagbaak serve`")
	municipality := fs.String("municipality", "", "CBS code the questions are asked for")
	clients := fs.Int("clients", 20, "conversations asking at the same time")
	perClient := fs.Int("questions", 10, "questions each conversation asks, one after the other")
	file := fs.String("questions-file", "", "file with one question per line (default: a built-in list)")
	idle := fs.Int("idle", 0, "first open this many idle connections and report the server's memory per connection (from /metrics)")
	metricsURL := fs.String("metrics-url", "http://"+a.cfg.MetricsAddr, "the server's metrics address (VRAAGBAAK_METRICS_ADDR), read by --idle")
	if err := fs.Parse(args); err != nil {
		return err
	}
	u, err := url.Parse(*base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("load: --url must be an http(s) address such as http://localhost:8080")
	}
	if *clients < 1 || *perClient < 1 || *idle < 0 {
		return errors.New("load: --clients and --questions must be 1 or more, --idle 0 or more")
	}
	questions := loadQuestions
	if *file != "" {
		if questions, err = readLines(*file); err != nil {
			return fmt.Errorf("load: %w", err)
		}
	}
	l := loader{base: u, municipality: *municipality, questions: questions}
	if *idle > 0 {
		if l.metrics, err = url.Parse(*metricsURL); err != nil || l.metrics.Host == "" {
			return fmt.Errorf("load: --metrics-url must be an http address such as http://127.0.0.1:9090")
		}
	}
	if *idle > 0 {
		if err := l.idleConnections(ctx, *idle, a.stdout); err != nil {
			return err
		}
	}
	return l.run(ctx, *clients, *perClient, a.stdout)
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if q := strings.TrimSpace(sc.Text()); q != "" {
			out = append(out, q)
		}
	}
	if len(out) == 0 && sc.Err() == nil {
		return nil, fmt.Errorf("%s holds no questions", path)
	}
	return out, sc.Err()
}

// loader drives a running chat service over its public websocket, as browsers would.
type loader struct {
	base         *url.URL
	metrics      *url.URL // the server's metrics address, for --idle
	municipality string
	questions    []string
}

func (l loader) dial(ctx context.Context) (*websocket.Conn, error) {
	ws := *l.base
	ws.Scheme = map[string]string{"http": "ws", "https": "wss"}[l.base.Scheme]
	ws.Path = "/ws"
	ws.RawQuery = url.Values{"v": {"1"}, "municipality": {l.municipality}}.Encode()
	h := http.Header{"Origin": {l.base.Scheme + "://" + l.base.Host}}
	conn, _, err := websocket.DefaultDialer.DialContext(ctx, ws.String(), h)
	if err != nil {
		return nil, err
	}
	if err := conn.WriteJSON(map[string]any{"type": "hello", "v": 1}); err != nil {
		conn.Close()
		return nil, err
	}
	var w struct{ Type string }
	if err := conn.ReadJSON(&w); err != nil || w.Type != "welcome" {
		conn.Close()
		return nil, fmt.Errorf("no welcome (%v)", err)
	}
	return conn, nil
}

// sample is one question's timings.
type sample struct {
	ack, first, answer time.Duration
	outcome, err       string
}

func (l loader) run(ctx context.Context, clients, perClient int, out io.Writer) error {
	results := make(chan sample, clients*perClient)
	var wg sync.WaitGroup
	start := time.Now()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := l.dial(ctx)
			if err != nil {
				for range perClient {
					results <- sample{err: "connect: " + err.Error()}
				}
				return
			}
			defer conn.Close()
			for i := range perClient {
				q := l.questions[(c*perClient+i)%len(l.questions)]
				results <- ask(conn, fmt.Sprintf("load-%d-%d", c, i), q)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(results)
	var acks, firsts, answers []time.Duration
	outcomes, errs := map[string]int{}, map[string]int{}
	for s := range results {
		if s.err != "" {
			errs[s.err]++
			continue
		}
		acks, firsts, answers = append(acks, s.ack), append(firsts, s.first), append(answers, s.answer)
		outcomes[s.outcome]++
	}
	fmt.Fprintf(out, "%d conversations × %d questions against %s in %s: %d answered messages, %.1f questions/s\n",
		clients, perClient, l.base, elapsed.Round(time.Millisecond), len(answers), float64(len(answers))/elapsed.Seconds())
	fmt.Fprintf(out, "outcomes: %v\n", outcomes)
	if len(errs) > 0 {
		fmt.Fprintf(out, "errors: %v\n", errs)
	}
	fmt.Fprintf(out, "%-22s %8s %8s %8s %8s\n", "latency (ms)", "p50", "p95", "p99", "max")
	for _, row := range []struct {
		name string
		d    []time.Duration
	}{{"stored (ack)", acks}, {"first text", firsts}, {"whole answer", answers}} {
		fmt.Fprintf(out, "%-22s %8.2f %8.2f %8.2f %8.2f\n", row.name, pct(row.d, 50), pct(row.d, 95), pct(row.d, 99), pct(row.d, 100))
	}
	if len(errs) > 0 {
		return fmt.Errorf("load: %d questions failed", sum(errs))
	}
	return nil
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// ask asks one question and times its acknowledgement, first text and final answer.
func ask(conn *websocket.Conn, id, question string) sample {
	start := time.Now()
	if err := conn.WriteJSON(map[string]any{"type": "question", "id": id, "text": question}); err != nil {
		return sample{err: "send: " + err.Error()}
	}
	var s sample
	_ = conn.SetReadDeadline(time.Now().Add(60 * time.Second))
	for {
		var m struct{ Type, ID, Code, Outcome string }
		if err := conn.ReadJSON(&m); err != nil {
			return sample{err: "read: " + err.Error()}
		}
		if m.ID != id {
			continue
		}
		switch m.Type {
		case "ack":
			s.ack = time.Since(start)
		case "answer.delta":
			if s.first == 0 {
				s.first = time.Since(start)
			}
		case "answer":
			s.answer, s.outcome = time.Since(start), m.Outcome
			if s.first == 0 {
				s.first = s.answer
			}
			return s
		case "error":
			return sample{err: m.Code}
		}
	}
}

// pct is the p-th percentile in milliseconds (nearest rank).
func pct(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := int(float64(len(s))*p/100+0.5) - 1
	i = max(0, min(len(s)-1, i))
	return float64(s[i].Microseconds()) / 1000
}

// idleConnections opens n idle conversations and reports the server's resident memory
// per connection, read from its /metrics before and after.
func (l loader) idleConnections(ctx context.Context, n int, out io.Writer) error {
	before, err := l.rss(ctx)
	if err != nil {
		return err
	}
	conns := make([]*websocket.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	start := time.Now()
	for i := range n {
		c, err := l.dial(ctx)
		if err != nil {
			return fmt.Errorf("load: idle connection %d: %w", i+1, err)
		}
		conns = append(conns, c)
	}
	after, err := l.rss(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d idle conversations opened in %s; server memory %.1f → %.1f MB: %.1f KB per connection\n",
		n, time.Since(start).Round(time.Millisecond), before/1e6, after/1e6, (after-before)/float64(n)/1e3)
	return nil
}

// rss reads process_resident_memory_bytes from the server's /metrics.
func (l loader) rss(ctx context.Context) (float64, error) {
	u := *l.metrics
	u.Path = "/metrics"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("load: metrics: %w", err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "process_resident_memory_bytes "); ok {
			return strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
	}
	return 0, errors.New("load: /metrics has no process_resident_memory_bytes")
}
