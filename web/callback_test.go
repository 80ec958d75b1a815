package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/vraagbaak/vraagbaak/internal/browsertest"
)

// invalid is JavaScript: the field's error line and aria-invalid, as "message|true".
func invalid(id string) string {
	return `(` + text("#"+id+"-error") + ` + "|" + (` + q("#"+id) + `.getAttribute("aria-invalid") ?? ""))`
}

func TestWidgetCallback(t *testing.T) {
	t.Parallel()
	srv, f := serve(t)
	f.mu.Lock()
	f.offline = true
	f.mu.Unlock()
	ctx := browser(t)
	openWidget(t, ctx, srv.URL+"/")
	ask(t, ctx, "Hoe vraag ik bijzondere bijstand aan?")
	browsertest.WaitFor(t, ctx, finalAnswers+` === 1`)

	// Nobody can take over: the notice, and the form with the question filled in;
	// focus moves to it, since the citizen just asked for a person.
	press(t, ctx, "#vb-handoff")
	f.waitMessages(t, "handoff.request", 1)
	browsertest.WaitFor(t, ctx, `!`+q("#vb-callback")+`.hidden && `+focused("vb-cb-name"))
	checks := map[string]string{
		"offline notice":      qa(".vb-msg--system") + `.at(-1).textContent === "Melding: ` + offlineText + `"`,
		"question filled in":  q("#vb-cb-question") + `.value === "Hoe vraag ik bijzondere bijstand aan?"`,
		"form named by title": q("#vb-callback") + `.getAttribute("aria-labelledby") === "vb-cb-title" && ` + text("#vb-cb-title") + ` === "Terugbelverzoek"`,
		"labels": `["vb-cb-name", "vb-cb-contact", "vb-cb-question", "vb-cb-consent"].map((id) => ` + root + `.querySelector('label[for="' + id + '"]').textContent).join("|") === ` +
			`"Naam|Telefoonnummer of e-mailadres|Uw vraag|Ik geef toestemming dat de gemeente mij hierover belt of mailt. Mijn gegevens worden alleen hiervoor gebruikt."`,
		"consent required, not given": q("#vb-cb-consent") + `.required && !` + q("#vb-cb-consent") + `.checked`,
		"send button":                 text("#vb-cb-send") + ` === "Verstuur"`,
		"not in the live log":         q("#vb-log #vb-callback") + ` === null`,
	}
	for name, js := range checks {
		if !browsertest.Eval[bool](t, ctx, js) {
			t.Errorf("%s: %s is false", name, js)
		}
	}
	browsertest.AssertAxe(t, ctx)

	// Sent empty: every problem is told at its field, focus goes to the first.
	browsertest.Do(t, ctx, chromedp.KeyEvent(kb.Enter))
	browsertest.WaitFor(t, ctx, invalid("vb-cb-name")+` === "Vul uw naam in.|true"`)
	if got := browsertest.Eval[string](t, ctx, invalid("vb-cb-contact")); got != "Vul uw telefoonnummer of e-mailadres in.|true" {
		t.Errorf("contact: %q", got)
	}
	if got := browsertest.Eval[string](t, ctx, invalid("vb-cb-consent")); got != "Geef toestemming. Anders mag de gemeente u niet bellen of mailen.|true" {
		t.Errorf("consent: %q", got)
	}
	if !browsertest.Eval[bool](t, ctx, focused("vb-cb-name")) {
		t.Error("focus is not on the first field with a problem")
	}
	browsertest.AssertAxe(t, ctx)

	// Filled in with the keyboard; a contact that is neither a phone number nor an
	// e-mail address is not sent.
	browsertest.Do(t, ctx, chromedp.KeyEvent("Jan Jansen"), chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent("bel me maar"))
	browsertest.WaitFor(t, ctx, invalid("vb-cb-name")+` === "|"`)
	browsertest.Do(t, ctx, chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(" ")) // to the checkbox, tick it
	browsertest.WaitFor(t, ctx, q("#vb-cb-consent")+`.checked && `+invalid("vb-cb-consent")+` === "|"`)
	browsertest.Do(t, ctx, chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Enter)) // Verstuur
	browsertest.WaitFor(t, ctx, invalid("vb-cb-contact")+`.startsWith("Dit is geen telefoonnummer of e-mailadres.") && `+focused("vb-cb-contact"))
	if n := len(f.messages("callback")); n != 0 {
		t.Fatalf("%d call-back requests sent with a bad contact", n)
	}

	// The server refuses it: its message is shown and the form stays.
	browsertest.Do(t, ctx, chromedp.SetValue(chromedp.JSPath(q("#vb-cb-contact")), "jan.fout@voorbeeld.nl"), chromedp.KeyEvent(kb.Enter))
	first := f.waitMessages(t, "callback", 1)[0]
	browsertest.WaitFor(t, ctx, text("#vb-cb-alert")+` === "Er ging iets mis met uw bericht. Probeer het opnieuw."`)
	if browsertest.Eval[bool](t, ctx, q("#vb-callback")+`.hidden`) {
		t.Error("the form went away after an error")
	}
	if n := browsertest.Eval[int](t, ctx, root+`.querySelectorAll(".vb-msg--error").length`); n != 0 {
		t.Errorf("%d error notes in the transcript: the call-back's error belongs to its form", n)
	}

	// Sent again with a phone number: the thanks in the transcript, the form gone,
	// focus back in the question box.
	browsertest.Do(t, ctx, chromedp.SetValue(chromedp.JSPath(q("#vb-cb-contact")), "06 12345678"), chromedp.KeyEvent(kb.Enter))
	second := f.waitMessages(t, "callback", 2)[1]
	browsertest.WaitFor(t, ctx, q("#vb-callback")+`.hidden && `+focused("vb-input"))
	browsertest.WaitFor(t, ctx, qa(".vb-msg--system")+`.at(-1).textContent === "Melding: `+callbackThanks+`"`)
	for _, m := range []map[string]any{first, second} {
		if m["name"] != "Jan Jansen" || m["question"] != "Hoe vraag ik bijzondere bijstand aan?" || m["consent"] != true {
			t.Errorf("call-back request %v", m)
		}
		if id, _ := m["id"].(string); id == "" || len(id) > 64 {
			t.Errorf("call-back request id %q", id)
		}
	}
	if first["contact"] != "jan.fout@voorbeeld.nl" || second["contact"] != "06 12345678" || first["id"] == second["id"] {
		t.Errorf("call-back requests %v and %v", first, second)
	}
	browsertest.AssertAxe(t, ctx)

	// Offered again after a long wait, while the citizen types: the form appears
	// without taking focus away, and goes when an agent takes over.
	f.broadcast(map[string]any{"type": "handoff", "state": "queued", "text": "Het duurt langer dan verwacht.", "callback": true})
	browsertest.WaitFor(t, ctx, `!`+q("#vb-callback")+`.hidden`)
	if !browsertest.Eval[bool](t, ctx, focused("vb-input")) {
		t.Error("the form took focus without the citizen asking")
	}
	if got := browsertest.Eval[string](t, ctx, q("#vb-cb-question")+`.value`); got != "Hoe vraag ik bijzondere bijstand aan?" {
		t.Errorf("question %q", got)
	}
	f.broadcast(map[string]any{"type": "handoff", "state": "agent"})
	browsertest.WaitFor(t, ctx, q("#vb-callback")+`.hidden`)
	if notes := browsertest.Eval[string](t, ctx, qa(".vb-msg--system")+`.map((e) => e.textContent).join("|")`); strings.Count(notes, "Het duurt langer") != 1 {
		t.Errorf("notes %q", notes)
	}
}
