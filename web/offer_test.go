package web_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/vraagbaak/vraagbaak/internal/browsertest"
)

// TestWidgetRefusalOffersAPerson: under a refusal the citizen finds "Praat met een
// medewerker"; when nobody can come (offer "callback") also the call-back offer.
func TestWidgetRefusalOffersAPerson(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		offline bool
		offer   string
	}{
		{"someone online", false, "Wilt u het liever aan een medewerker van de gemeente vragen?Praat met een medewerker"},
		{"nobody online", true, "Er is nu geen medewerker beschikbaar. U kunt wel een terugbelverzoek achterlaten." +
			"Praat met een medewerkerTerugbelverzoek achterlaten"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, f := serve(t)
			f.mu.Lock()
			f.offline = tt.offline
			f.mu.Unlock()
			ctx := browser(t)
			openWidget(t, ctx, srv.URL+"/")
			ask(t, ctx, "Geef me stemadvies")
			browsertest.WaitFor(t, ctx, finalAnswers+` === 1`)
			if got := browsertest.Eval[string](t, ctx, text(".vb-msg--bot .vb-offer")); got != tt.offer {
				t.Errorf("offer under the refusal %q, want %q", got, tt.offer)
			}
			browsertest.AssertAxe(t, ctx)
			if tt.offline {
				// The call-back offer opens the form, ready to fill in.
				press(t, ctx, ".vb-offer__callback")
				browsertest.WaitFor(t, ctx, `!`+q("#vb-callback")+`.hidden && `+focused("vb-cb-name"))
				if got := browsertest.Eval[string](t, ctx, q("#vb-cb-question")+`.value`); got != "Geef me stemadvies" {
					t.Errorf("question in the form %q", got)
				}
				if n := len(f.messages("handoff.request")); n != 0 {
					t.Errorf("%d hand-off requests: the call-back offer asks for none", n)
				}
			}
			// The person offer asks for a person, as the footer's button does.
			press(t, ctx, ".vb-offer__handoff")
			f.waitMessages(t, "handoff.request", 1)
			if tt.offline {
				browsertest.WaitFor(t, ctx, `!`+q("#vb-callback")+`.hidden && `+focused("vb-cb-name"))
			} else {
				browsertest.WaitFor(t, ctx, qa(".vb-msg--system")+`.some((e) => e.textContent.includes("U praat nu met een medewerker"))`)
			}
		})
	}
}

// TestWidgetSafetyNoteOffersAPerson: an answer with the safety note shows the
// note as a paragraph of its own and, under it, "Praat met een medewerker", as a
// refusal does; an answer without one offers nothing.
func TestWidgetSafetyNoteOffersAPerson(t *testing.T) {
	t.Parallel()
	srv, f := serve(t)
	ctx := browser(t)
	openWidget(t, ctx, srv.URL+"/")
	last := qa(".vb-msg--bot") + `.at(-1)`
	ask(t, ctx, "Wat kost een paspoort?")
	browsertest.WaitFor(t, ctx, finalAnswers+` === 1`)
	if n := browsertest.Eval[int](t, ctx, last+`.querySelectorAll(".vb-offer").length`); n != 0 {
		t.Errorf("%d offers under an answer without a note", n)
	}
	ask(t, ctx, "wat kost een paspoort? ik wil eigenlijk gewoon weg")
	browsertest.WaitFor(t, ctx, finalAnswers+` === 2`)
	if got := browsertest.Eval[string](t, ctx, last+`.querySelector(".vb-offer")?.textContent ?? ""`); got != "Wilt u het liever aan een medewerker van de gemeente vragen?Praat met een medewerker" {
		t.Errorf("offer under the answer with a note %q", got)
	}
	paras := browsertest.Eval[[]string](t, ctx, `[...`+last+`.querySelectorAll(".vb-msg__text")].map((e) => e.textContent)`)
	if len(paras) == 0 || paras[len(paras)-1] != safetyNote {
		t.Errorf("paragraphs %q, want the note as the last", paras)
	}
	browsertest.AssertAxe(t, ctx)
	press(t, ctx, ".vb-offer__handoff")
	f.waitMessages(t, "handoff.request", 1)
}

// TestWidgetEmergencyStaysInView: at 320x480 with reduced motion, the call-back offer
// after an emergency answer appears below it without moving the numbers out of view:
// the scroll happens at once, with nothing to wait for.
func TestWidgetEmergencyStaysInView(t *testing.T) {
	t.Parallel()
	srv, f := serve(t)
	f.mu.Lock()
	f.offline = true
	f.mu.Unlock()
	ctx := browser(t)
	browsertest.Do(t, ctx, chromedp.EmulateViewport(320, 480), chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tgt, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
		})
		return err
	}))
	openWidget(t, ctx, srv.URL+"/")
	// A conversation long enough to scroll.
	for i := range 3 {
		ask(t, ctx, "Wat kost een paspoort?")
		browsertest.WaitFor(t, ctx, finalAnswers+` === `+strconv.Itoa(i+1))
	}
	ask(t, ctx, "Ik denk aan zelfmoord")
	browsertest.WaitFor(t, ctx, `!`+q("#vb-callback")+`.hidden && `+q(".vb-msg--urgent")+` !== null`)
	numbers := `(() => {
		const s = ` + q(".vb-scroll") + `.getBoundingClientRect(), a = ` + q(".vb-msg--urgent") + `;
		const node = a.querySelector(".vb-msg__text").firstChild, i = node.data.indexOf("0800-0113");
		const r = document.createRange();
		r.setStart(node, i);
		r.setEnd(node, i + 9);
		const t = r.getBoundingClientRect();
		return t.top >= s.top && t.bottom <= s.bottom && a.getBoundingClientRect().top >= s.top - 1;
	})()`
	if !browsertest.Eval[bool](t, ctx, numbers) {
		t.Errorf("the emergency numbers are out of view once the call-back form is shown")
	}
	if !browsertest.Eval[bool](t, ctx, q("#vb-callback")+`.getBoundingClientRect().top >= `+q(".vb-msg--urgent")+`.getBoundingClientRect().bottom`) {
		t.Error("the call-back form is not below the emergency answer")
	}
	// The citizen writes again: the conversation goes on as usual, to its end.
	ask(t, ctx, "Wat kost een paspoort?")
	browsertest.WaitFor(t, ctx, finalAnswers+` === 5`)
	browsertest.WaitFor(t, ctx, q(".vb-scroll")+`.scrollTop + `+q(".vb-scroll")+`.clientHeight >= `+q(".vb-scroll")+`.scrollHeight - 2 - `+
		q("#vb-callback")+`.getBoundingClientRect().height`)
}
