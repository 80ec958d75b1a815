package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/vraagbaak/vraagbaak/internal/browsertest"
	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
)

// lockedBuffer is an io.Writer the test reads while the command still writes to it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// The citizen widget lives in a shadow root; these are JavaScript for its elements.
const widgetRoot = `document.getElementById("vraagbaak-widget").shadowRoot`

func wq(sel string) string { return widgetRoot + ".querySelector(" + strconv.Quote(sel) + ")" }

func wqa(sel string) string {
	return "[..." + widgetRoot + ".querySelectorAll(" + strconv.Quote(sel) + ")]"
}

func widgetFocused(id string) string {
	return `(document.activeElement?.id === "vraagbaak-widget" && ` + widgetRoot + `.activeElement?.id === ` + strconv.Quote(id) + `)`
}

// botAnswers is JavaScript for the final bot answers the citizen sees.
const botAnswers = wqaBot + `.filter((e) => !e.classList.contains("vb-msg--streaming"))`

const wqaBot = "[..." + widgetRoot + `.querySelectorAll(".vb-msg--bot")]`

// doc is JavaScript for the first element of a page (not in a shadow root).
func doc(sel string) string { return "document.querySelector(" + strconv.Quote(sel) + ")" }

// startDemo indexes the bundled sample sites into a fresh database and serves the chat
// service on a free port, as `vraagbaak demo --serve` does, with one agent account.
// It returns the service's base URL, the sample sites' base URLs by name, and the
// agent's e-mail address and password. extra are more environment variables.
func startDemo(t *testing.T, extra map[string]string) (base string, sites map[string]string, email, password string) {
	t.Helper()
	db := pgtest.New(t)
	all := map[string]string{"DATABASE_URL": db.URL, "VRAAGBAAK_LOG_LEVEL": "warn", "VRAAGBAAK_METRICS_ADDR": "off"}
	for k, v := range extra {
		all[k] = v
	}
	vars := env(all)

	email, password = "anna@bloemendijk.example", "een lang wachtwoord voor Anna"
	pwFile := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(pwFile, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"staff", "add", "--municipality", "GM9001", "--role", "agent", "--name", "Anna",
		"--password-file", pwFile, email}, vars, &out, &errOut); err != nil {
		t.Fatalf("staff add: %v\n%s", err, errOut.String())
	}

	// A free port for the chat service (the sample sites pick their own).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &lockedBuffer{}, &lockedBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"demo", "--port", "0", "--serve", addr}, vars, stdout, stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("demo --serve: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("demo --serve did not stop within 20s")
		}
		if t.Failed() {
			t.Logf("demo output:\n%s\nlog:\n%s", stdout.String(), stderr.String())
		}
	})

	// Ready when /readyz says so; the crawl comes first.
	base = "http://" + addr
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.After(2 * time.Minute)
	poll := time.NewTicker(50 * time.Millisecond)
	defer poll.Stop()
	for ready := false; !ready; {
		select {
		case err := <-done:
			t.Fatalf("demo --serve stopped before it was ready: %v\n%s\n%s", err, stdout.String(), stderr.String())
		case <-deadline:
			t.Fatalf("demo --serve not ready after 2 minutes\n%s\n%s", stdout.String(), stderr.String())
		case <-poll.C:
			res, err := client.Get(base + "/readyz")
			if err == nil {
				res.Body.Close()
				ready = res.StatusCode == http.StatusOK
			}
		}
	}

	sites = map[string]string{}
	for _, m := range regexp.MustCompile(`sample site (\S+)\s+(http://\S+/)`).FindAllStringSubmatch(stdout.String(), -1) {
		sites[m[1]] = m[2]
	}
	if sites["bloemendijk"] == "" || sites["rijk"] == "" {
		t.Fatalf("no sample site addresses in the demo output:\n%s", stdout.String())
	}
	return base, sites, email, password
}

// consoleLogin opens the staff console in a browser context, is sent to the login
// page, logs in with the keyboard only and waits until the console is connected.
func consoleLogin(t *testing.T, agent context.Context, base, email, password string) {
	t.Helper()
	browsertest.Do(t, agent, chromedp.Navigate(base+"/staff/"))
	browsertest.WaitFor(t, agent, `location.pathname === "/staff/login" && `+doc("#email")+` !== null`)
	browsertest.Do(t, agent,
		chromedp.Focus(chromedp.CSS("#email")), chromedp.KeyEvent(email),
		chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(password), chromedp.KeyEvent(kb.Enter))
	browsertest.WaitFor(t, agent, `location.pathname === "/staff/" && `+doc("#sc-connection")+`?.textContent === "Verbonden"`, 20*time.Second)
}

// TestEndToEnd runs the real service: the sample sites crawled into PostgreSQL, the
// chat service, a citizen in one browser context and an agent in another. The
// citizen asks, gets a streamed answer with a source, asks for a person; the agent
// takes over from the queue, sees the bot's answer with its source, replies and gives
// the conversation back; the bot answers the citizen's next question.
func TestEndToEnd(t *testing.T) {
	t.Parallel()
	began := time.Now()
	base, sites, email, password := startDemo(t, nil)
	t.Logf("sample sites crawled and service ready in %v", time.Since(began).Round(time.Millisecond))
	flow := time.Now()

	citizen := browsertest.New(t, browsertest.Timeout(2*time.Minute))
	browsertest.FailOnConsoleErrors(t, citizen)

	// (a) The citizen opens the widget and asks with the keyboard.
	browsertest.Do(t, citizen, chromedp.Navigate(base+"/?municipality=GM9001"))
	browsertest.WaitFor(t, citizen, wq(".vb-root")+` && !`+wq(".vb-root")+`.hidden`)
	browsertest.TabUntil(t, citizen, widgetFocused("vb-launcher"), 40)
	browsertest.Do(t, citizen, chromedp.KeyEvent(kb.Enter))
	browsertest.WaitFor(t, citizen, `!`+wq("#vb-panel")+`.hidden && `+widgetFocused("vb-input"), 20*time.Second)
	// Remember what streams into the answer before the final answer replaces it.
	browsertest.Do(t, citizen, chromedp.Evaluate[chromedp.Void](`(() => {
		window.streamed = "";
		const log = `+wq("#vb-log")+`;
		new MutationObserver(() => {
			const s = log.querySelector(".vb-msg--streaming");
			if (s && (s.dataset.text || "").length > window.streamed.length) window.streamed = s.dataset.text;
		}).observe(log, {childList: true, subtree: true, characterData: true});
	})()`))
	browsertest.Do(t, citizen, chromedp.KeyEvent("Hoe vraag ik een paspoort aan?"), chromedp.KeyEvent(kb.Enter))
	browsertest.WaitFor(t, citizen, botAnswers+`.length === 1`, 30*time.Second)
	answer := browsertest.Eval[string](t, citizen, botAnswers+`[0].querySelector(".vb-msg__text").textContent`)
	streamed := browsertest.Eval[string](t, citizen, `window.streamed`)
	if a, s := strings.Fields(answer), strings.Fields(streamed); len(s) == 0 || len(a) < len(s) || strings.Join(a[:len(s)], " ") != strings.Join(s, " ") {
		t.Errorf("streamed %q, then the answer %q", streamed, answer)
	}
	citations := browsertest.Eval[[]string](t, citizen, `[...`+botAnswers+`[0].querySelectorAll(".vb-sources__list a")].map((a) => a.href)`)
	sample := ""
	for _, href := range citations {
		for _, site := range sites {
			if strings.HasPrefix(href, site) && sample == "" {
				sample = href
			}
		}
	}
	if sample == "" {
		t.Fatalf("answer %q has citations %q, none to a sample site %v", answer, citations, sites)
	}
	t.Logf("answer: %.120s… cites %s", answer, sample)
	browsertest.AssertAxe(t, citizen)

	// (b) The agent logs in, in a browser context of their own, and sees the console.
	agent := browsertest.NewContext(t, citizen)
	browsertest.FailOnConsoleErrors(t, agent)
	consoleLogin(t, agent, base, email, password)
	browsertest.WaitFor(t, agent, doc("#sc-user")+`.textContent.includes("Anna") && `+doc("#sc-online")+`.textContent === "1 medewerker online"`)

	// (c) The citizen asks for a person; the agent sees the conversation waiting.
	browsertest.Do(t, citizen, chromedp.Evaluate[chromedp.Void](wq("#vb-handoff")+`.focus()`), chromedp.KeyEvent(kb.Enter))
	browsertest.WaitFor(t, citizen, wqa(".vb-msg--system")+`.some((e) => e.textContent.includes("U bent nummer 1 in de wachtrij."))`)
	browsertest.WaitFor(t, agent, `document.querySelectorAll("#sc-queue > li").length === 1`)
	item := browsertest.Eval[string](t, agent, doc("#sc-queue > li")+`.textContent`)
	if !strings.Contains(item, "Verzoek") || !strings.Contains(item, "Hoe vraag ik een paspoort aan?") {
		t.Errorf("queue item %q", item)
	}

	// One click takes it over: the transcript, with the bot's answer and its source,
	// and the reply box ready.
	browsertest.Do(t, agent, chromedp.Click(chromedp.CSS("#sc-queue > li button")))
	browsertest.WaitFor(t, agent, `document.activeElement?.id === "sc-reply"`)
	browsertest.WaitFor(t, citizen, wqa(".vb-msg--system")+`.some((e) => e.textContent.includes("U praat nu met een medewerker"))`)
	transcript := browsertest.Eval[string](t, agent, doc("#sc-log")+`.textContent`)
	for _, want := range []string{"Hoe vraag ik een paspoort aan?", "Uitkomst: beantwoord"} {
		if !strings.Contains(transcript, want) {
			t.Errorf("transcript lacks %q: %s", want, transcript)
		}
	}
	if !browsertest.Eval[bool](t, agent, `[...document.querySelectorAll("#sc-log .sc-msg--bot .sc-sources a")].some((a) => a.href === `+strconv.Quote(sample)+`)`) {
		t.Errorf("the agent does not see the citation %s: %s", sample, transcript)
	}
	browsertest.AssertAxe(t, agent)

	browsertest.Do(t, agent, chromedp.KeyEvent("Goedemiddag, u spreekt met Anna van de gemeente."), chromedp.KeyEvent(kb.Enter))
	browsertest.WaitFor(t, citizen, wqa(".vb-msg--agent")+`.some((e) => e.textContent === "Medewerker Anna:Goedemiddag, u spreekt met Anna van de gemeente.")`)
	browsertest.WaitFor(t, agent, doc("#sc-log .sc-msg--agent")+`?.textContent.includes("Goedemiddag, u spreekt met Anna")`)

	// Back to the assistant, which answers the next question.
	browsertest.Do(t, agent, chromedp.Click(chromedp.CSS("#sc-handback")))
	browsertest.WaitFor(t, agent, doc("#sc-controls")+`.hidden && `+doc("#sc-conv-status")+`.textContent === "U heeft het gesprek teruggegeven aan de digitale assistent."`)
	browsertest.WaitFor(t, citizen, wqa(".vb-msg--system")+`.some((e) => e.textContent.includes("U praat weer met de digitale assistent"))`)
	browsertest.WaitFor(t, citizen, `!`+wq("#vb-handoff")+`.hidden`)
	browsertest.Do(t, citizen, chromedp.Evaluate[chromedp.Void](wq("#vb-input")+`.focus()`),
		chromedp.KeyEvent("Wanneer kan ik grofvuil laten ophalen?"), chromedp.KeyEvent(kb.Enter))
	browsertest.WaitFor(t, citizen, botAnswers+`.length === 2`, 30*time.Second)
	if got := browsertest.Eval[string](t, citizen, botAnswers+`[1].querySelector(".vb-msg__text").textContent`); got == "" {
		t.Error("empty second answer")
	}
	// The agent, still reading along, sees it too.
	browsertest.WaitFor(t, agent, `document.querySelectorAll("#sc-log .sc-msg--bot").length === 2`)
	browsertest.AssertAxe(t, citizen)
	t.Logf("browser flow took %v; whole test %v", time.Since(flow).Round(time.Millisecond), time.Since(began).Round(time.Millisecond))
}
