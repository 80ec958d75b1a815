package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/vraagbaak/vraagbaak/internal/browsertest"
	"github.com/vraagbaak/vraagbaak/web"
)

var staffVersionRE = regexp.MustCompile(`/staff/static/([0-9a-f]{12})/console\.js`)

func TestStaffRoutes(t *testing.T) {
	h := web.StaffHandler()
	_, page := get(t, h, "GET", "/staff/", nil)
	m := staffVersionRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("the console page loads no versioned console.js: %.500s", page)
	}
	v := m[1]
	tests := []struct {
		method, path string
		status       int
		contentType  string
		cache        string
		contains     string
	}{
		{"GET", "/staff/", 200, "text/html; charset=utf-8", "no-store", `<html lang="nl">`},
		{"HEAD", "/staff/", 200, "text/html; charset=utf-8", "no-store", ""},
		{"GET", "/staff/static/" + v + "/console.js", 200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "/staff/ws"},
		{"GET", "/staff/static/" + v + "/staff.css", 200, "text/css; charset=utf-8", "public, max-age=31536000, immutable", ".sc-"},
		{"GET", "/staff/static/" + v + "/connection.js", 200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "export class Connection"},
		{"GET", "/staff/static/" + v + "/dom.js", 200, "text/javascript; charset=utf-8", "", "export function el"},
		{"GET", "/staff/static/000000000000/console.js", 200, "text/javascript; charset=utf-8", "no-cache", "/staff/ws"},
		{"GET", "/staff/static/" + v + "/main.js", 404, "", "", ""}, // the widget's, not the console's
		{"GET", "/staff/static/" + v + "/nope.js", 404, "", "", ""},
		{"GET", "/staff/index.html", 404, "", "", ""},
		{"POST", "/staff/", 404, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			res, body := get(t, h, tt.method, tt.path, nil)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", got)
			}
			if tt.contentType != "" && res.Header.Get("Content-Type") != tt.contentType {
				t.Errorf("Content-Type %q, want %q", res.Header.Get("Content-Type"), tt.contentType)
			}
			if tt.cache != "" && res.Header.Get("Cache-Control") != tt.cache {
				t.Errorf("Cache-Control %q, want %q", res.Header.Get("Cache-Control"), tt.cache)
			}
			if !strings.Contains(body, tt.contains) {
				t.Errorf("body does not contain %q: %.300s", tt.contains, body)
			}
		})
	}

	res, _ := get(t, h, "GET", "/staff/", nil)
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "connect-src 'self'", "require-trusted-types-for 'script'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	if got := res.Header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy %q", got)
	}
	inline := regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>\s*[^<\s]|<style|\son[a-z]+=|\sstyle=`)
	if m := inline.FindString(page); m != "" {
		t.Errorf("the console page has inline script or style: %q", m)
	}
}

// sq is JavaScript for the first element of the console matching a selector.
func sq(sel string) string { return "document.querySelector(" + strconv.Quote(sel) + ")" }

// stext is JavaScript for the text of the first match ("" when none).
func stext(sel string) string { return "(" + sq(sel) + "?.textContent ?? \"\")" }

// activeID is JavaScript for the id of the focused element.
const activeID = `(document.activeElement?.id ?? "")`

// click clicks an element of the console with the mouse.
func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	browsertest.WaitFor(t, ctx, sq(sel)+" !== null")
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(sel)))
}

// openConsole loads the console and waits until it is connected and shows the queue.
func openConsole(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	browsertest.Do(t, ctx, chromedp.Navigate(url+"/staff/"))
	browsertest.WaitFor(t, ctx, stext("#sc-user")+` === "Ingelogd als Anna (teamleider) · GM9001"`)
	browsertest.WaitFor(t, ctx, stext("#sc-connection")+` === "Verbonden"`)
	browsertest.WaitFor(t, ctx, `document.querySelectorAll("#sc-queue > li").length > 0`)
}

type listItem struct {
	Conv   string `json:"conv"`
	Title  string `json:"title"`
	Text   string `json:"text"`
	Button string `json:"button"`
}

// items reads the items of one of the console's lists.
func items(t *testing.T, ctx context.Context, list string) []listItem {
	t.Helper()
	raw := browsertest.Eval[string](t, ctx, `JSON.stringify([...document.querySelectorAll("`+list+` > li")].map((li) => ({
		conv: li.dataset.conversation ?? "", title: li.querySelector("h3")?.textContent ?? "",
		text: li.textContent, button: li.querySelector("button")?.textContent ?? ""})))`)
	var out []listItem
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestStaffConsoleAgentCannotReadAlong: an agent who is no team lead sees who holds a
// colleague's conversation, without a button to read along (the server refuses it
// anyway).
func TestStaffConsoleAgentCannotReadAlong(t *testing.T) {
	t.Parallel()
	srv, f := serveStaff(t)
	f.mu.Lock()
	f.role = "agent"
	f.mu.Unlock()
	ctx := browser(t)
	browsertest.Do(t, ctx, chromedp.Navigate(srv.URL+"/staff/"))
	browsertest.WaitFor(t, ctx, stext("#sc-user")+` === "Ingelogd als Anna · GM9001"`)
	browsertest.WaitFor(t, ctx, `document.querySelectorAll("#sc-others > li").length === 1`)
	others := items(t, ctx, "#sc-others")
	if len(others) != 1 || others[0].Conv != "20" || !strings.Contains(others[0].Text, "Bij Bert") || others[0].Button != "" {
		t.Errorf("conversations of colleagues for an agent %+v, want Bert's without a button", others)
	}
	browsertest.AssertAxe(t, ctx)
}

func TestStaffConsoleQueue(t *testing.T) {
	t.Parallel()
	srv, f := serveStaff(t)
	ctx := browser(t)
	openConsole(t, ctx, srv.URL)

	// The waiting conversations in the order the server gives, with their priority,
	// reason, summary and waiting time.
	queue := items(t, ctx, "#sc-queue")
	if len(queue) != 2 || queue[0].Conv != "15" || queue[1].Conv != "12" {
		t.Fatalf("queue %+v, want conversations 15 and 12 in that order", queue)
	}
	if q := queue[0]; q.Title != "Spoed: zelfdoding (113)" || !strings.Contains(q.Text, "Ik zie het niet meer zitten") ||
		!strings.HasPrefix(q.Button, "Overnemen") {
		t.Errorf("first item %+v", q)
	}
	if q := queue[1]; q.Title != "Gevoelig: gevoelig onderwerp: uitzetting" || !strings.Contains(q.Text, "Ik moet mijn huis uit") ||
		!strings.Contains(q.Text, "Wacht 3 min") {
		t.Errorf("second item %+v", q)
	}
	// The waiting time goes on: conversation 15 has waited 58 s.
	browsertest.WaitFor(t, ctx, stext(`#sc-queue [data-conversation="15"] .sc-since`)+` === "1 min"`, 5*time.Second)

	others := items(t, ctx, "#sc-others")
	if len(others) != 1 || others[0].Conv != "20" || !strings.Contains(others[0].Text, "Bij Bert") || !strings.HasPrefix(others[0].Button, "Meelezen") {
		t.Errorf("conversations of colleagues %+v", others)
	}
	if n := len(items(t, ctx, "#sc-mine")); n != 0 || !browsertest.Eval[bool](t, ctx, `!`+sq("#sc-mine-empty")+`.hidden`) {
		t.Errorf("%d of my conversations, want none and the empty text", n)
	}
	checks := map[string]string{
		"agents online":                   stext("#sc-online") + ` === "2 medewerkers online"`,
		"waiting count":                   stext("#sc-queue-count") + ` === "2"`,
		"count in the title":              `document.title === "(2) Klantcontact — Vraagbaak"`,
		"call-back name":                  stext("#sc-callbacks h3") + ` === "Jan de Vries"`,
		"call-back phone link":            sq("#sc-callbacks a") + `.getAttribute("href") === "tel:0612345678"`,
		"call-back question":              stext("#sc-callbacks") + `.includes("Vraag: Wanneer wordt mijn container geleegd?")`,
		"call-back button":                stext("#sc-callbacks button") + ` === "Afgehandeld: Jan de Vries"`,
		"landmarks":                       `document.querySelectorAll("header, main").length === 2`,
		"one h1":                          `document.querySelectorAll("h1").length === 1`,
		"nothing new yet":                 sq("#sc-flash") + `.hidden && ` + stext("#sc-announce") + ` === ""`,
		"claim button has label":          stext(`#sc-queue [data-conversation="12"] button`) + ` === "Overnemen: Gesprek 12, Gevoelig"`,
		"an emergency can be marked seen": stext(`#sc-queue [data-conversation="15"] .sc-seen`) + ` === "Gezien: Gesprek 15"`,
		"others cannot":                   sq(`#sc-queue [data-conversation="12"] .sc-seen`) + ` === null`,
	}
	for name, js := range checks {
		if !browsertest.Eval[bool](t, ctx, js) {
			t.Errorf("%s: %s is false", name, js)
		}
	}
	browsertest.AssertAxe(t, ctx)

	// A new conversation arrives: shown, marked and announced.
	f.mu.Lock()
	next := append([]map[string]any{}, f.items...)
	f.mu.Unlock()
	next = append(next[:2:2], map[string]any{"conversation": 30, "reason": "personal", "topic": "aanvraag", "priority": 3,
		"summary": "Waar blijft mijn vergunning?", "requested_at": now()}, next[2])
	f.setItems(next...)
	browsertest.WaitFor(t, ctx, `document.querySelectorAll("#sc-queue > li").length === 3`)
	browsertest.WaitFor(t, ctx, stext("#sc-announce")+` === "Nieuw gesprek in de wachtrij: Persoonlijk, persoonlijke situatie: aanvraag."`)
	for name, js := range map[string]string{
		"marked new":          sq(`#sc-queue [data-conversation="30"]`) + `.classList.contains("sc-item--new")`,
		"old one not new":     `!` + sq(`#sc-queue [data-conversation="12"]`) + `.classList.contains("sc-item--new")`,
		"visual notification": `!` + sq("#sc-flash") + `.hidden && ` + stext("#sc-flash") + ` === "Er is een nieuw gesprek in de wachtrij."`,
		"title":               `document.title === "(3) Klantcontact — Vraagbaak"`,
	} {
		if !browsertest.Eval[bool](t, ctx, js) {
			t.Errorf("%s: %s is false", name, js)
		}
	}

	// A colleague was first: the error is shown and focus goes to the queue's heading,
	// not lost with the button.
	click(t, ctx, `#sc-queue [data-conversation="15"] button`)
	if c := f.waitMessages(t, "claim", 1)[0]; c["conversation_id"] != float64(15) || c["id"] == "" {
		t.Errorf("claim %v", c)
	}
	browsertest.WaitFor(t, ctx, stext("#sc-alert")+` === "Een collega heeft dit gesprek al overgenomen."`)
	browsertest.WaitFor(t, ctx, sq(`#sc-queue [data-conversation="15"]`)+` === null && `+sq(`#sc-others [data-conversation="15"]`)+` !== null`)
	browsertest.WaitFor(t, ctx, activeID+` === "sc-queue-title"`)
	if browsertest.Eval[bool](t, ctx, `!`+sq("#sc-conv-body")+`.hidden`) {
		t.Error("a conversation opened after a failed claim")
	}

	// A call-back request handled.
	click(t, ctx, "#sc-callbacks button")
	if d := f.waitMessages(t, "callback.done", 1)[0]; d["callback_id"] != float64(3) {
		t.Errorf("callback.done %v", d)
	}
	browsertest.WaitFor(t, ctx, `document.querySelectorAll("#sc-callbacks > li").length === 0 && `+activeID+` === "sc-callbacks-title"`)
	browsertest.WaitFor(t, ctx, stext("#sc-announce")+` === "Het terugbelverzoek is afgehandeld."`)

	// A colleague gives this agent a conversation: it is followed and announced.
	f.mu.Lock()
	f.states[40] = "agent"
	given := append([]map[string]any{}, f.items...)
	f.mu.Unlock()
	f.setItems(append(given, map[string]any{"conversation": 40, "reason": "complex", "topic": "situatie", "priority": 5,
		"summary": "Lastige vraag", "requested_at": now(), "claimed_by": annaID, "agent_name": "Anna"})...)
	if o := f.waitMessages(t, "open", 1)[0]; o["conversation_id"] != float64(40) {
		t.Errorf("open %v", o)
	}
	browsertest.WaitFor(t, ctx, stext("#sc-announce")+` === "Gesprek 40 is aan u doorverbonden."`)
	browsertest.WaitFor(t, ctx, sq(`#sc-mine [data-conversation="40"]`)+` !== null`)
	f.addMessage(40, "citizen", "Is daar iemand?", "")
	browsertest.WaitFor(t, ctx, stext(`#sc-log .sc-msg--citizen`)+`.includes("Is daar iemand?")`)

	// Log out with the session's CSRF token, then on to the login page.
	click(t, ctx, "#sc-logout")
	browsertest.WaitFor(t, ctx, `location.pathname === "/staff/login"`)
	f.mu.Lock()
	logouts := f.logouts
	f.mu.Unlock()
	if len(logouts) != 1 || logouts[0] != fakeCSRF {
		t.Errorf("logout requests with X-CSRF-Token %q, want one with %q", logouts, fakeCSRF)
	}
}

func TestStaffConsoleConversation(t *testing.T) {
	t.Parallel()
	srv, f := serveStaff(t)
	ctx := browser(t)
	openConsole(t, ctx, srv.URL)

	// One click on Overnemen: the transcript opens with the reply box focused.
	click(t, ctx, `#sc-queue [data-conversation="12"] button`)
	browsertest.WaitFor(t, ctx, activeID+` === "sc-reply"`)
	if c := f.waitMessages(t, "claim", 1)[0]; c["conversation_id"] != float64(12) {
		t.Errorf("claim %v", c)
	}
	checks := map[string]string{
		"heading":             stext("#sc-conv-title") + ` === "Gesprek 12"`,
		"meta":                stext("#sc-conv-meta") + ` === "Gevoelig gevoelig onderwerp: uitzetting — Ik moet mijn huis uit"`,
		"status":              stext("#sc-conv-status") + ` === "U heeft dit gesprek. De inwoner ziet uw berichten."`,
		"all messages":        `document.querySelectorAll("#sc-log .sc-msg").length === 6`,
		"citizen question":    stext("#sc-log .sc-msg--citizen .sc-msg__text") + ` === "Wat kost een paspoort?"`,
		"bot answer as text":  stext("#sc-log .sc-msg--bot .sc-msg__text") + ` === ` + strconv.Quote(passportAnswer),
		"outcome":             stext("#sc-log .sc-msg--bot .sc-msg__outcome") + ` === "Uitkomst: beantwoord"`,
		"hand-off answer":     stext("#sc-log .sc-msg--handoff .sc-msg__outcome") + ` === "Uitkomst: doorgezet naar een medewerker (reden: gevoelig onderwerp)"`,
		"system message":      stext("#sc-log .sc-msg--system") + `.includes("Ik zet u door naar een medewerker")`,
		"source numbers":      `[...document.querySelectorAll("#sc-log .sc-msg--bot .sc-sources__list li")].map((li) => li.value).join() === "1,2,3"`,
		"no markup from text": `document.querySelectorAll("#sc-log img, #sc-log b").length === 0`,
		"no javascript: link": `document.querySelectorAll('a[href^="javascript:" i]').length === 0`,
		"mine lists it":       sq(`#sc-mine [data-conversation="12"] button`) + `?.getAttribute("aria-current") === "true"`,
		"controls shown":      `!` + sq("#sc-controls") + `.hidden`,
		"log is a live log":   sq("#sc-log") + `.getAttribute("role") === "log" && ` + sq("#sc-log") + `.getAttribute("aria-live") === "polite"`,
	}
	for name, js := range checks {
		if !browsertest.Eval[bool](t, ctx, js) {
			t.Errorf("%s: %s is false; log: %s", name, js, browsertest.Eval[string](t, ctx, stext("#sc-log")))
		}
	}
	var links []struct{ Href, Text, Target, Rel string }
	raw := browsertest.Eval[string](t, ctx, `JSON.stringify([...document.querySelectorAll("#sc-log .sc-sources a")].map((a) => ({
		Href: a.getAttribute("href"), Text: a.textContent, Target: a.target, Rel: a.rel})))`)
	if err := json.Unmarshal([]byte(raw), &links); err != nil {
		t.Fatal(err)
	}
	if len(links) != 2 || links[0].Href != "https://www.bloemendijk.nl/paspoort#kosten" || links[0].Text != "Paspoort aanvragen (opent in nieuw venster)" ||
		links[0].Target != "_blank" || links[0].Rel != "noopener noreferrer" ||
		links[1].Href != "https://www.bloemendijk.nl/id-kaart" || !strings.HasPrefix(links[1].Text, "<img src=x onerror=alert(1)>") {
		t.Errorf("citation links %+v", links)
	}

	// Typing tells the citizen (throttled); Shift+Enter is a new line, Enter sends.
	started := time.Now()
	browsertest.Do(t, ctx, chromedp.KeyEvent("Goedemiddag, u spreekt met Anna."))
	f.waitMessages(t, "typing", 1)
	browsertest.Do(t, ctx, chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierShift)), chromedp.KeyEvent("Waarmee kan ik helpen?"))
	typed := time.Since(started)
	browsertest.Do(t, ctx, chromedp.KeyEvent(kb.Enter))
	reply := f.waitMessages(t, "reply", 1)[0]
	if reply["conversation_id"] != float64(12) || reply["text"] != "Goedemiddag, u spreekt met Anna.\nWaarmee kan ik helpen?" {
		t.Errorf("reply %v", reply)
	}
	if ty := f.messages("typing"); len(ty) > 1+int(typed/(3*time.Second)) || ty[0]["conversation_id"] != float64(12) {
		t.Errorf("typing messages %v while typing for %v", ty, typed)
	}
	browsertest.WaitFor(t, ctx, stext("#sc-log .sc-msg--agent .sc-msg__who")+`.startsWith("Medewerker Anna")`)
	if got := browsertest.Eval[string](t, ctx, `[...document.querySelectorAll("#sc-log .sc-msg--agent .sc-msg__text")].map((p) => p.innerText).join("|")`); got != "Goedemiddag, u spreekt met Anna.\nWaarmee kan ik helpen?" {
		t.Errorf("agent message shown as %q", got)
	}
	if !browsertest.Eval[bool](t, ctx, sq("#sc-reply")+`.value === "" && `+activeID+` === "sc-reply"`) {
		t.Errorf("the reply box is not empty and focused after sending: %q, focus on %q", browsertest.Eval[string](t, ctx, sq("#sc-reply")+`.value`), browsertest.Eval[string](t, ctx, activeID))
	}

	// The citizen types, then writes.
	f.broadcast(map[string]any{"type": "typing", "conversation": 12, "role": "citizen"})
	browsertest.WaitFor(t, ctx, stext("#sc-typing")+` === "Inwoner typt…"`)
	f.addMessage(12, "citizen", "Ik krijg een brief van de deurwaarder.", "")
	browsertest.WaitFor(t, ctx, `[...document.querySelectorAll("#sc-log .sc-msg--citizen")].at(-1).textContent.includes("deurwaarder")`)
	browsertest.WaitFor(t, ctx, stext("#sc-typing")+` === ""`)

	// With the transcript open: no WCAG 2.1 A/AA violations.
	browsertest.AssertAxe(t, ctx)

	// Closing needs an outcome.
	click(t, ctx, "#sc-close")
	browsertest.WaitFor(t, ctx, stext("#sc-outcome-error")+` === "Kies eerst de uitkomst van het gesprek." && `+activeID+` === "sc-outcome"`)
	if n := len(f.messages("close")); n != 0 {
		t.Errorf("%d close messages without an outcome", n)
	}

	// Back to the assistant: the controls go, focus moves to what happened.
	click(t, ctx, "#sc-handback")
	if h := f.waitMessages(t, "handback", 1)[0]; h["conversation_id"] != float64(12) {
		t.Errorf("handback %v", h)
	}
	browsertest.WaitFor(t, ctx, stext("#sc-conv-status")+` === "U heeft het gesprek teruggegeven aan de digitale assistent."`)
	browsertest.WaitFor(t, ctx, sq("#sc-controls")+`.hidden && `+activeID+` === "sc-conv-status"`)
	browsertest.WaitFor(t, ctx, `document.querySelectorAll("#sc-mine > li").length === 0`)

	// Another conversation, closed with an outcome.
	f.mu.Lock()
	waiting := append([]map[string]any{}, f.items...)
	f.mu.Unlock()
	f.setItems(append(waiting, map[string]any{"conversation": 31, "reason": "request", "topic": "medewerker", "priority": 4,
		"summary": "Ik wil iemand spreken", "requested_at": now()})...)
	click(t, ctx, `#sc-queue [data-conversation="31"] button`)
	browsertest.WaitFor(t, ctx, stext("#sc-conv-title")+` === "Gesprek 31" && `+activeID+` === "sc-reply"`)
	if got := browsertest.Eval[string](t, ctx, sq("#sc-outcome")+`.value`); got != "" {
		t.Errorf("outcome %q is chosen before the agent chose one", got)
	}
	browsertest.Do(t, ctx, chromedp.SetValue(chromedp.CSS("#sc-outcome"), "geen_reactie"))
	click(t, ctx, "#sc-close")
	if c := f.waitMessages(t, "close", 1)[0]; c["conversation_id"] != float64(31) || c["outcome"] != "geen_reactie" {
		t.Errorf("close %v", c)
	}
	browsertest.WaitFor(t, ctx, stext("#sc-conv-status")+` === "U heeft het gesprek afgesloten." && `+sq("#sc-controls")+`.hidden`)

	// And one transferred to a colleague.
	f.mu.Lock()
	waiting = append([]map[string]any{}, f.items...)
	f.mu.Unlock()
	f.setItems(append(waiting, map[string]any{"conversation": 32, "reason": "complex", "topic": "situatie", "priority": 5,
		"summary": "Het is ingewikkeld", "requested_at": now()})...)
	click(t, ctx, `#sc-queue [data-conversation="32"] button`)
	browsertest.WaitFor(t, ctx, stext("#sc-conv-title")+` === "Gesprek 32" && `+activeID+` === "sc-reply"`)
	click(t, ctx, "#sc-transfer")
	f.waitMessages(t, "colleagues", 1)
	browsertest.WaitFor(t, ctx, activeID+` === "sc-colleague-8" && `+sq("#sc-transfer")+`.getAttribute("aria-expanded") === "true"`)
	browsertest.Do(t, ctx, chromedp.KeyEvent(" ")) // choose Bert with the keyboard
	browsertest.AssertAxe(t, ctx)
	click(t, ctx, "#sc-transfer-go")
	if tr := f.waitMessages(t, "transfer", 1)[0]; tr["conversation_id"] != float64(32) || tr["to"] != float64(bertID) {
		t.Errorf("transfer %v", tr)
	}
	browsertest.WaitFor(t, ctx, stext("#sc-conv-status")+` === "U heeft het gesprek doorverbonden." && `+sq("#sc-controls")+`.hidden`)
	browsertest.WaitFor(t, ctx, stext(`#sc-others [data-conversation="32"]`)+`.includes("Bij Bert")`)

	// Closing the view stops following the conversation.
	click(t, ctx, "#sc-conv-hide")
	if v := f.waitMessages(t, "close.view", 1)[0]; v["conversation_id"] != float64(32) {
		t.Errorf("close.view %v", v)
	}
	browsertest.WaitFor(t, ctx, sq("#sc-conv-body")+`.hidden && `+activeID+` === "sc-queue-title"`)
}

func TestStaffConsoleReconnect(t *testing.T) {
	t.Parallel()
	srv, f := serveStaff(t)
	ctx := browser(t)
	openConsole(t, ctx, srv.URL)
	click(t, ctx, `#sc-queue [data-conversation="12"] button`)
	browsertest.WaitFor(t, ctx, activeID+` === "sc-reply"`)

	f.dropAll()
	browsertest.WaitFor(t, ctx, stext("#sc-connection")+` === "Verbinding verbroken. We verbinden opnieuw…"`)
	browsertest.WaitFor(t, ctx, stext("#sc-connection")+` === "Verbonden"`)
	// The open conversation is followed again.
	if o := f.waitMessages(t, "open", 1)[0]; o["conversation_id"] != float64(12) {
		t.Errorf("open after the reconnect %v", o)
	}
	f.addMessage(12, "citizen", "Bent u er nog?", "")
	browsertest.WaitFor(t, ctx, `[...document.querySelectorAll("#sc-log .sc-msg--citizen")].at(-1).textContent.includes("Bent u er nog?")`)
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll("#sc-log .sc-msg").length`); n != 7 {
		t.Errorf("%d messages after the reconnect, want 7 (each once)", n)
	}

	// Out of view, a conversation the agent holds is still followed: a new message
	// from the citizen is marked and announced.
	click(t, ctx, "#sc-conv-hide")
	browsertest.WaitFor(t, ctx, sq("#sc-conv-body")+`.hidden`)
	f.addMessage(12, "citizen", "Hallo?", "")
	browsertest.WaitFor(t, ctx, stext(`#sc-mine [data-conversation="12"] .sc-unread`)+` === "nieuw bericht"`)
	browsertest.WaitFor(t, ctx, stext("#sc-announce")+` === "Nieuw bericht van de inwoner in gesprek 12."`)
	if n := len(f.messages("close.view")); n != 0 {
		t.Errorf("%d close.view messages for a conversation the agent holds", n)
	}
	click(t, ctx, `#sc-mine [data-conversation="12"] button`)
	browsertest.WaitFor(t, ctx, stext("#sc-conv-title")+` === "Gesprek 12" && `+activeID+` === "sc-conv-title"`)
	browsertest.WaitFor(t, ctx, sq("#sc-mine .sc-unread")+` === null`)
	if o := f.waitMessages(t, "open", 2)[1]; o["conversation_id"] != float64(12) {
		t.Errorf("open %v", o)
	}
	if got := browsertest.Eval[string](t, ctx, `[...document.querySelectorAll("#sc-log .sc-msg--citizen")].at(-1).textContent`); !strings.Contains(got, "Hallo?") {
		t.Errorf("last citizen message %q", got)
	}
}

func TestStaffConsoleSessionExpired(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		expire func(f *fakeStaff)
	}{
		{"error then close 4001", func(f *fakeStaff) { f.expire(true) }},
		{"close 4001", func(f *fakeStaff) { f.expire(false) }},
		{"gone before the page loads", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, f := serveStaff(t)
			ctx := browsertest.New(t) // not watching the console: the browser logs the 401 of /staff/session
			if tt.expire == nil {
				f.mu.Lock()
				f.sessionStatus = http.StatusUnauthorized
				f.mu.Unlock()
				browsertest.Do(t, ctx, chromedp.Navigate(srv.URL+"/staff/"))
			} else {
				openConsole(t, ctx, srv.URL)
				tt.expire(f)
			}
			browsertest.WaitFor(t, ctx, `!`+sq("#sc-expired")+`.hidden && `+sq("#sc-layout")+`.hidden`)
			browsertest.WaitFor(t, ctx, activeID+` === "sc-expired-title"`)
			if got := browsertest.Eval[string](t, ctx, stext("#sc-expired-title")); got != "Uw sessie is verlopen" {
				t.Errorf("heading %q", got)
			}
			if got := browsertest.Eval[string](t, ctx, sq("#sc-expired a")+`.getAttribute("href")`); !strings.HasPrefix(got, "/staff/login") {
				t.Errorf("log-in link %q", got)
			}
			browsertest.AssertAxe(t, ctx)
			f.mu.Lock()
			connects := f.connects
			f.mu.Unlock()
			if want := map[bool]int{true: 0, false: 1}[tt.expire == nil]; connects != want {
				t.Errorf("%d websocket connections, want %d", connects, want)
			}
		})
	}
}

// The console names each hand-off reason, also acute danger, and says when the crisis
// detector rather than a rule recognised it.
func TestStaffConsoleReasonLabels(t *testing.T) {
	t.Parallel()
	srv, _ := serveStaff(t)
	ctx := browser(t)
	openConsole(t, ctx, srv.URL)
	src := browsertest.Eval[string](t, ctx, `document.querySelector('script[type="module"]').src.replace(/console\.js$/, "text.js")`)
	browsertest.Do(t, ctx, chromedp.Evaluate[chromedp.Void](`import("`+src+`").then((m) => { window.labels = JSON.stringify([
		m.priorityLabel(1) + " " + m.reasonLabel("emergency_danger", "direct_gevaar"),
		m.reasonLabel("emergency_danger", "detector_direct_gevaar"),
		m.reasonLabel("emergency_suicide", "detector_zelfdoding"),
		m.reasonLabel("sensitive", "detector_acute_nood"),
		m.reasonLabel("sensitive", "uitzetting")]); })`))
	browsertest.WaitFor(t, ctx, `typeof window.labels === "string"`)
	got := browsertest.Eval[string](t, ctx, `window.labels`)
	want := `["Spoed direct gevaar (112)","direct gevaar (112) · detector","zelfdoding (113) · detector","gevoelig onderwerp · detector","gevoelig onderwerp: uitzetting"]`
	if got != want {
		t.Errorf("labels %s, want %s", got, want)
	}
}
