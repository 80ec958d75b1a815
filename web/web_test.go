package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/vraagbaak/vraagbaak/internal/browsertest"
	"github.com/vraagbaak/vraagbaak/web"
)

// serve starts the pages and a scripted /ws, mounted as the server's mux does.
func serve(t *testing.T) (*httptest.Server, *fakeChat) {
	t.Helper()
	f := newFakeChat(t)
	mux := http.NewServeMux()
	mux.Handle("/", web.Handler(testOptions))
	mux.Handle("/ws", f)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, f
}

// browser starts Chromium for t, failing the test on console errors and on any
// JavaScript dialog (an alert would mean injected script ran).
func browser(t *testing.T) context.Context {
	t.Helper()
	ctx := browsertest.New(t)
	browsertest.FailOnConsoleErrors(t, ctx)
	var dialogs atomic.Int32
	if err := chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
		}
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if n := dialogs.Load(); n > 0 {
			t.Errorf("%d JavaScript dialogs opened", n)
		}
	})
	return ctx
}

// root is the widget's shadow root in JavaScript.
const root = `document.getElementById("vraagbaak-widget").shadowRoot`

// q is JavaScript for the first element in the widget matching a CSS selector.
func q(sel string) string { return root + ".querySelector(" + strconv.Quote(sel) + ")" }

// qa is JavaScript for an array of the elements in the widget matching a selector.
func qa(sel string) string { return "[..." + root + ".querySelectorAll(" + strconv.Quote(sel) + ")]" }

// text is JavaScript for the text of the first match ("" when none).
func text(sel string) string { return "(" + q(sel) + "?.textContent ?? \"\")" }

// focused is JavaScript: is the element with this id inside the widget focused?
func focused(id string) string {
	return `(document.activeElement?.id === "vraagbaak-widget" && ` + root + `.activeElement?.id === ` + strconv.Quote(id) + `)`
}

// openWidget loads the demo page, reaches the launcher with Tab and opens the panel
// with Enter.
func openWidget(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	browsertest.Do(t, ctx, chromedp.Navigate(url))
	browsertest.WaitFor(t, ctx, q(".vb-root")+` && !`+q(".vb-root")+`.hidden`)
	browsertest.TabUntil(t, ctx, focused("vb-launcher"), 40)
	browsertest.Do(t, ctx, chromedp.KeyEvent(kb.Enter))
	browsertest.WaitFor(t, ctx, `!`+q("#vb-panel")+`.hidden && `+focused("vb-input"))
}

// ask types a question into the focused input and presses Enter.
func ask(t *testing.T, ctx context.Context, question string) {
	t.Helper()
	browsertest.WaitFor(t, ctx, focused("vb-input"))
	browsertest.Do(t, ctx, chromedp.KeyEvent(question), chromedp.KeyEvent(kb.Enter))
}

// press focuses an element of the widget and presses Enter on it, as a keyboard user.
func press(t *testing.T, ctx context.Context, selector string) {
	t.Helper()
	browsertest.WaitFor(t, ctx, q(selector)+" !== null")
	browsertest.Do(t, ctx, chromedp.Evaluate[chromedp.Void](q(selector)+".focus()"), chromedp.KeyEvent(kb.Enter))
}

// finalAnswers is JavaScript for the number of final bot answers shown.
const finalAnswers = `[...` + root + `.querySelectorAll(".vb-msg--bot")].filter((e) => !e.classList.contains("vb-msg--streaming")).length`

type source struct {
	Value int    `json:"value"`
	Text  string `json:"text"`
	Links []struct {
		Href   string `json:"href"`
		Rel    string `json:"rel"`
		Target string `json:"target"`
		Text   string `json:"text"`
		Hidden string `json:"hidden"`
	} `json:"links"`
}

func TestWidgetConversation(t *testing.T) {
	t.Parallel()
	srv, f := serve(t)
	ctx := browser(t)
	openWidget(t, ctx, srv.URL+"/")

	// Structure for assistive technology.
	checks := map[string]string{
		"lang on the host":           `document.getElementById("vraagbaak-widget").lang === "nl"`,
		"lang on the widget root":    q(".vb-root") + `.lang === "nl"`,
		"dialog named by its title":  q("#vb-panel") + `.getAttribute("role") === "dialog" && ` + root + `.getElementById(` + q("#vb-panel") + `.getAttribute("aria-labelledby")).textContent === "Digitale assistent gemeente Bloemendijk"`,
		"transcript is a polite log": q("#vb-log") + `.getAttribute("role") === "log" && ` + q("#vb-log") + `.getAttribute("aria-live") === "polite"`,
		"textarea has a label":       q(`label[for="vb-input"]`) + `.textContent === "Uw vraag"`,
		"launcher tells it is open":  q("#vb-launcher") + `.getAttribute("aria-expanded") === "true"`,
	}
	for name, js := range checks {
		if !browsertest.Eval[bool](t, ctx, js) {
			t.Errorf("%s: %s is false", name, js)
		}
	}

	// Ask; the answer streams into an element screen readers skip, then the final
	// answer replaces it.
	release := f.holdNext()
	ask(t, ctx, "Wat kost een paspoort?")
	browsertest.WaitFor(t, ctx, text(".vb-msg--streaming .vb-msg__text")+` === `+strconv.Quote(passportAnswer))
	if !browsertest.Eval[bool](t, ctx, q(".vb-msg--streaming")+`.getAttribute("aria-hidden") === "true"`) {
		t.Error("the streaming answer is not aria-hidden")
	}
	if n := browsertest.Eval[int](t, ctx, finalAnswers); n != 0 {
		t.Errorf("%d final answers before the answer message", n)
	}
	if got := browsertest.Eval[string](t, ctx, text(".vb-msg--citizen .vb-msg__text")); got != "Wat kost een paspoort?" {
		t.Errorf("question shown as %q", got)
	}
	release()
	browsertest.WaitFor(t, ctx, finalAnswers+` === 1 && `+q(".vb-msg--streaming")+` === null`)

	if got := browsertest.Eval[string](t, ctx, text(".vb-msg--bot .vb-msg__text")); got != passportAnswer {
		t.Errorf("answer text %q, want %q", got, passportAnswer)
	}
	var sources []source
	raw := browsertest.Eval[string](t, ctx, `JSON.stringify(`+qa(".vb-msg--bot .vb-sources__list li")+`.map((li) => ({
		value: li.value, text: li.textContent,
		links: [...li.querySelectorAll("a")].map((a) => ({href: a.getAttribute("href"), rel: a.rel, target: a.target,
			text: a.textContent, hidden: a.querySelector(".vb-visually-hidden")?.textContent ?? ""}))})))`)
	if err := json.Unmarshal([]byte(raw), &sources); err != nil {
		t.Fatal(err)
	}
	if len(sources) != 3 {
		t.Fatalf("sources %+v, want 3", sources)
	}
	if s := sources[0]; s.Value != 1 || len(s.Links) != 1 || s.Links[0].Href != "https://www.bloemendijk.nl/paspoort#kosten" ||
		s.Links[0].Rel != "noopener noreferrer" || s.Links[0].Target != "_blank" ||
		!strings.HasPrefix(s.Links[0].Text, "Paspoort aanvragen") || s.Links[0].Hidden != " (opent in nieuw venster)" ||
		!strings.Contains(s.Text, "gecontroleerd op 22 november 2026") {
		t.Errorf("source 1: %+v", s)
	}
	if s := sources[1]; len(s.Links) != 1 || !strings.HasPrefix(s.Links[0].Text, "<img src=x onerror=alert(1)>") ||
		!strings.Contains(s.Text, "gecontroleerd op 5 maart 2026") {
		t.Errorf("source 2 (hostile title) not shown as text: %+v", s)
	}
	if s := sources[2]; len(s.Links) != 0 || !strings.Contains(s.Text, "Gevaarlijke link") {
		t.Errorf("source 3 (javascript: URL) became a link: %+v", s)
	}
	noMarkup := map[string]string{
		"img elements":        `document.querySelectorAll("img").length + ` + root + `.querySelectorAll("img").length`,
		"b elements":          root + `.querySelectorAll("b").length`,
		"javascript: links":   root + `.querySelectorAll('a[href^="javascript:" i]').length`,
		"inline handlers":     root + `.querySelectorAll("[onerror],[onclick],[onload]").length`,
		"links not to a URL":  qa(".vb-msg a") + `.filter((a) => !/^https:\/\/www\.bloemendijk\.nl\//.test(a.href)).length`,
		"wide hidden text":    qa(".vb-visually-hidden") + `.filter((e) => e.getBoundingClientRect().width > 1).length`,
		"html in answer text": qa(".vb-msg__text") + `.filter((e) => e.children.length > 0 && [...e.children].some((c) => c.tagName !== "BR")).length`,
	}
	for name, js := range noMarkup {
		if n := browsertest.Eval[int](t, ctx, js); n != 0 {
			t.Errorf("%d %s", n, name)
		}
	}

	// With the panel open and an answer shown: no WCAG 2.1 A/AA violations.
	browsertest.AssertAxe(t, ctx)

	// Feedback: Ja, then Nee with a comment.
	press(t, ctx, ".vb-feedback button:first-of-type")
	if fb := f.waitMessages(t, "feedback", 1)[0]; fb["answer_id"] != float64(41) || fb["useful"] != true {
		t.Errorf("feedback %v", fb)
	}
	browsertest.WaitFor(t, ctx, text(".vb-feedback__thanks")+` === "Bedankt voor uw reactie."`)
	press(t, ctx, ".vb-feedback button:nth-of-type(2)")
	if fb := f.waitMessages(t, "feedback", 2)[1]; fb["useful"] != false || fb["comment"] != nil {
		t.Errorf("feedback %v", fb)
	}
	browsertest.WaitFor(t, ctx, focused("vb-comment-41"))
	browsertest.Do(t, ctx, chromedp.KeyEvent("Te weinig uitleg"), chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Enter))
	if fb := f.waitMessages(t, "feedback", 3)[2]; fb["useful"] != false || fb["comment"] != "Te weinig uitleg" || fb["answer_id"] != float64(41) {
		t.Errorf("feedback with comment %v", fb)
	}
	browsertest.WaitFor(t, ctx, text(".vb-feedback__thanks")+`.startsWith("Bedankt. Met uw reactie")`)
	browsertest.AssertAxe(t, ctx)

	// A refusal, an error and an emergency.
	browsertest.Do(t, ctx, chromedp.Evaluate[chromedp.Void](q("#vb-input")+".focus()"))
	ask(t, ctx, "Geef me stemadvies")
	browsertest.WaitFor(t, ctx, finalAnswers+` === 2`)
	if got := browsertest.Eval[string](t, ctx, qa(".vb-msg--bot")+`.at(-1).querySelector(".vb-msg__text").textContent`); !strings.HasPrefix(got, "Daar kan ik u niet mee helpen") {
		t.Errorf("refusal shown as %q", got)
	}
	ask(t, ctx, "Dit gaat fout")
	browsertest.WaitFor(t, ctx, text(".vb-msg--error")+`.includes("U stelt veel vragen achter elkaar")`)
	if n := browsertest.Eval[int](t, ctx, root+`.querySelectorAll(".vb-msg--pending").length`); n != 0 {
		t.Errorf("%d questions still 'Wordt verstuurd…' after the error", n)
	}
	ask(t, ctx, "Ik denk aan zelfmoord")
	browsertest.WaitFor(t, ctx, text(".vb-msg--urgent")+`.includes("113")`)
	if browsertest.Eval[bool](t, ctx, q(".vb-msg--urgent .vb-feedback")+` !== null`) {
		t.Error("an emergency answer asks for feedback")
	}

	// Escape closes the dialog and gives focus back to the launcher.
	browsertest.Do(t, ctx, chromedp.KeyEvent(kb.Escape))
	browsertest.WaitFor(t, ctx, q("#vb-panel")+`.hidden && `+focused("vb-launcher")+` && `+q("#vb-launcher")+`.getAttribute("aria-expanded") === "false"`)
	if style := browsertest.Eval[string](t, ctx, `(() => { const s = getComputedStyle(`+q("#vb-launcher")+`); return s.outlineStyle + " " + s.outlineWidth; })()`); style != "solid 3px" {
		t.Errorf("focused launcher outline %q, want a visible 3px outline", style)
	}

	// The protocol as the server saw it.
	hellos := f.messages("hello")
	if len(hellos) != 1 || hellos[0]["v"] != float64(1) || hellos[0]["conversation"] != nil {
		t.Errorf("hello messages %v, want one without a token", hellos)
	}
	f.mu.Lock()
	query := f.queries[0]
	f.mu.Unlock()
	if query.Get("v") != "1" || query.Get("municipality") != "GM9001" {
		t.Errorf("websocket query %v", query)
	}
	for _, m := range f.messages("question") {
		if id, _ := m["id"].(string); len(id) < 1 || len(id) > 64 {
			t.Errorf("question id %q", id)
		}
	}
}

// An answer that quotes a list shows it as a list, so that a screen reader announces
// its items.
func TestWidgetAnswerList(t *testing.T) {
	t.Parallel()
	srv, _ := serve(t)
	ctx := browser(t)
	openWidget(t, ctx, srv.URL+"/")
	ask(t, ctx, "Wanneer is de balie open?")
	browsertest.WaitFor(t, ctx, finalAnswers+` === 1`)
	got := browsertest.Eval[string](t, ctx, `JSON.stringify([...`+q(".vb-msg--bot")+`.children].filter((e) => e.matches("p.vb-msg__text, ul.vb-msg__text-list")).map((e) =>
		e.tagName === "UL" ? [...e.children].map((li) => li.tagName + ":" + li.textContent) : e.tagName + ":" + e.textContent))`)
	want := `["P:De balie is open op:",["LI:maandag: 9.00 - 12.00 uur","LI:donderdag: gesloten [1]."],"P:Kom op tijd [1]."]`
	if got != want {
		t.Errorf("answer rendered as %s, want %s", got, want)
	}
	browsertest.AssertAxe(t, ctx)
}

func TestWidgetReconnect(t *testing.T) {
	t.Parallel()
	srv, f := serve(t)
	ctx := browser(t)
	openWidget(t, ctx, srv.URL+"/?municipality=GM9002")
	ask(t, ctx, "Wat kost een paspoort?")
	browsertest.WaitFor(t, ctx, finalAnswers+` === 1`)

	// This question's ack gets lost.
	ask(t, ctx, "[stil] Wanneer is de milieustraat open?")
	lost := f.waitMessages(t, "question", 2)[1]
	browsertest.WaitFor(t, ctx, text(".vb-msg--pending .vb-msg__state")+` === "Wordt verstuurd…"`)

	// The connection breaks and cannot come back yet.
	open := f.closeGate()
	f.dropAll()
	browsertest.WaitFor(t, ctx, text("#vb-status")+` === "Verbinding verbroken. We proberen opnieuw te verbinden…"`)
	browsertest.AssertAxe(t, ctx)
	f.addHistory("agent", "Dit bericht kwam terwijl u weg was.")
	open()

	// Back: hello with the token, the stored conversation replaces the transcript, and
	// the lost question is sent again with the same id.
	hello := f.waitMessages(t, "hello", 2)[1]
	if hello["conversation"] != fakeToken {
		t.Errorf("hello after the reconnect %v, want the token %s", hello, fakeToken)
	}
	again := f.waitMessages(t, "question", 3)[2]
	if again["id"] != lost["id"] || again["text"] != lost["text"] {
		t.Errorf("question sent again as %v, want %v", again, lost)
	}
	browsertest.WaitFor(t, ctx, finalAnswers+` === 2`)
	browsertest.WaitFor(t, ctx, text("#vb-status")+` === "De verbinding is hersteld."`)
	wants := map[string]string{
		"the message from history":         text(".vb-msg--agent") + ` === "Medewerker:Dit bericht kwam terwijl u weg was."`,
		"each question once":               root + `.querySelectorAll(".vb-msg--citizen").length === 2`,
		"no question waiting":              root + `.querySelectorAll(".vb-msg--pending").length === 0`,
		"sources of the answer in history": qa(".vb-sources__list a") + `.length === 2`,
	}
	for name, js := range wants {
		if !browsertest.Eval[bool](t, ctx, js) {
			t.Errorf("%s: %s is false; transcript: %s", name, js, browsertest.Eval[string](t, ctx, text("#vb-log")))
		}
	}
	if n := len(f.messages("question")); n != 3 {
		t.Errorf("%d questions sent, want 3 (the stored one is not sent again)", n)
	}
}

// A question that got busy or unavailable is kept and sent again with the same id,
// and its answer is shown.
func TestWidgetResendsBusyAndUnavailable(t *testing.T) {
	t.Parallel()
	srv, f := serve(t)
	ctx := browser(t)
	openWidget(t, ctx, srv.URL+"/?municipality=GM9002")
	for i, question := range []string{"[bezet] Wat kost een paspoort?", "[storing] Wanneer is de balie open?"} {
		ask(t, ctx, question)
		sent := f.waitMessages(t, "question", 2*i+2)
		first, again := sent[2*i], sent[2*i+1]
		if first["text"] != question || again["id"] != first["id"] || again["text"] != first["text"] {
			t.Errorf("%q: sent as %v, then %v; want the same id and text twice", question, first, again)
		}
		browsertest.WaitFor(t, ctx, finalAnswers+` === `+strconv.Itoa(i+1))
	}
	wants := map[string]string{
		"the paspoort answer":    text(".vb-msg--bot") + `.includes("84,95 euro")`,
		"the balie answer":       qa(".vb-msg--bot") + `.some((e) => e.textContent.includes("De balie is open op"))`,
		"each question once":     root + `.querySelectorAll(".vb-msg--citizen").length === 2`,
		"no question waiting":    root + `.querySelectorAll(".vb-msg--pending, .vb-msg--streaming").length === 0`,
		"each problem told once": root + `.querySelectorAll(".vb-msg--error").length === 2`,
	}
	for name, js := range wants {
		if !browsertest.Eval[bool](t, ctx, js) {
			t.Errorf("%s: %s is false; transcript: %s", name, js, browsertest.Eval[string](t, ctx, text("#vb-log")))
		}
	}
	if n := len(f.messages("question")); n != 4 {
		t.Errorf("%d questions sent, want 4 (each twice, then answered)", n)
	}
}

func TestWidgetHandoff(t *testing.T) {
	t.Parallel()
	srv, f := serve(t)
	ctx := browser(t)
	openWidget(t, ctx, srv.URL+"/")
	ask(t, ctx, "Hoe laat is het gemeentehuis open?")
	browsertest.WaitFor(t, ctx, finalAnswers+` === 1`)

	press(t, ctx, "#vb-handoff")
	f.waitMessages(t, "handoff.request", 1)
	browsertest.WaitFor(t, ctx, text(".vb-msg--agent")+` === "Medewerker Sanne:Goedemiddag, u spreekt met Sanne van de gemeente."`)
	browsertest.WaitFor(t, ctx, text("#vb-typing")+` === "Medewerker typt…"`)
	// The state changes and the system messages, each said once, as neutral notes.
	notes := browsertest.Eval[[]string](t, ctx, qa(".vb-msg--system")+`.map((e) => e.textContent)`)
	want := []string{"Melding: U bent nummer 2 in de wachtrij.", "Melding: We zoeken een medewerker voor u.", "Melding: U praat nu met een medewerker van de gemeente."}
	if strings.Join(notes, "|") != strings.Join(want, "|") {
		t.Errorf("notes %q, want %q", notes, want)
	}
	if !browsertest.Eval[bool](t, ctx, q("#vb-handoff")+`.hidden`) {
		t.Error("the hand-off button is still shown while an agent has the conversation")
	}
	browsertest.AssertAxe(t, ctx)

	// Typing tells the agent, at most every few seconds.
	browsertest.Do(t, ctx, chromedp.Evaluate[chromedp.Void](q("#vb-input")+".focus()"))
	started := time.Now()
	browsertest.Do(t, ctx, chromedp.KeyEvent("Ik heb een vraag over mijn aanslag"))
	typed := time.Since(started)
	f.waitMessages(t, "typing", 1)
	browsertest.Do(t, ctx, chromedp.KeyEvent(kb.Enter))
	f.waitMessages(t, "question", 2)
	browsertest.WaitFor(t, ctx, root+`.querySelectorAll(".vb-msg--citizen:not(.vb-msg--pending)").length === 2`)
	// One per started 3 s of typing at most (34 key presses).
	if n, most := len(f.messages("typing")), 1+int(typed/(3*time.Second)); n > most {
		t.Errorf("%d typing messages while typing for %v, want at most %d", n, typed, most)
	}
	if browsertest.Eval[bool](t, ctx, q(".vb-msg--streaming")+` !== null`) {
		t.Error("waiting for a bot answer while an agent has the conversation")
	}
}

func TestWidgetSmallScreens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		width, height int64
	}{
		{"320px phone", 320, 640},
		{"200% zoom of 1280x720", 640, 360},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := serve(t)
			ctx := browser(t)
			browsertest.Do(t, ctx, chromedp.EmulateViewport(tt.width, tt.height))
			openWidget(t, ctx, srv.URL+"/")
			ask(t, ctx, "Wat kost een paspoort?")
			browsertest.WaitFor(t, ctx, finalAnswers+` === 1`)
			press(t, ctx, ".vb-feedback button:nth-of-type(2)") // shows the comment form too

			checks := map[string]string{
				"page does not scroll sideways": `document.documentElement.scrollWidth <= window.innerWidth`,
				"panel fills the screen": `(() => { const r = ` + q("#vb-panel") + `.getBoundingClientRect();
					return r.left === 0 && r.top === 0 && r.width === window.innerWidth && r.height === window.innerHeight; })()`,
				"nothing in the panel overflows": qa("#vb-panel *") + `.filter((e) => !e.classList.contains("vb-visually-hidden"))
					.every((e) => { const r = e.getBoundingClientRect(); return r.width === 0 || (r.left >= -0.5 && r.right <= window.innerWidth + 0.5); })`,
				"transcript does not scroll sideways": q(".vb-scroll") + `.scrollWidth <= ` + q(".vb-scroll") + `.clientWidth`,
				"input and send button visible": `(() => { const i = ` + q("#vb-input") + `.getBoundingClientRect(), s = ` + q("#vb-send") + `.getBoundingClientRect();
					return i.width > 100 && s.right <= window.innerWidth && s.bottom <= window.innerHeight; })()`,
			}
			for name, js := range checks {
				if !browsertest.Eval[bool](t, ctx, js) {
					t.Errorf("%s: %s is false", name, js)
				}
			}
			browsertest.AssertAxe(t, ctx)
		})
	}
}

func TestWidgetReducedMotion(t *testing.T) {
	t.Parallel()
	srv, _ := serve(t)
	ctx := browser(t)
	for _, reduce := range []bool{false, true} {
		value := "no-preference"
		if reduce {
			value = "reduce"
		}
		browsertest.Do(t, ctx, chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
			_, err := cdp.Call(ctx, tgt, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: value}},
			})
			return err
		}))
		openWidget(t, ctx, srv.URL+"/")
		got := browsertest.Eval[string](t, ctx, `getComputedStyle(`+q("#vb-panel")+`).animationName`)
		if want := map[bool]string{false: "vb-appear", true: "none"}[reduce]; got != want {
			t.Errorf("prefers-reduced-motion: %s: panel animation %q, want %q", value, got, want)
		}
	}
}

func TestPagesAccessible(t *testing.T) {
	t.Parallel()
	srv, _ := serve(t)
	ctx := browser(t)
	pages := []struct{ path, title string }{
		{"/", "Gemeente Bloemendijk (voorbeeldwebsite)"},
		{"/?municipality=GM9002", "Gemeente Heuvelrade (voorbeeldwebsite)"},
		{"/privacy", "Privacy en de digitale assistent"},
	}
	for _, p := range pages {
		browsertest.Do(t, ctx, chromedp.Navigate(srv.URL+p.path))
		if got := browsertest.Eval[string](t, ctx, "document.title"); got != p.title {
			t.Errorf("%s: title %q, want %q", p.path, got, p.title)
		}
		if p.path != "/privacy" {
			browsertest.WaitFor(t, ctx, q(".vb-root")+` && !`+q(".vb-root")+`.hidden`)
		}
		t.Run(p.path, func(t *testing.T) { browsertest.AssertAxe(t, ctx) })
	}
}

func TestNotFoundPageAccessible(t *testing.T) {
	t.Parallel()
	srv, _ := serve(t)
	ctx := browsertest.New(t) // not watching the console: the browser logs the 404 status
	browsertest.Do(t, ctx, chromedp.Navigate(srv.URL+"/bestaat-niet"))
	if got := browsertest.Eval[string](t, ctx, `document.querySelector("h1").textContent`); got != "Deze pagina bestaat niet" {
		t.Errorf("404 page heading %q", got)
	}
	browsertest.AssertAxe(t, ctx)
}
