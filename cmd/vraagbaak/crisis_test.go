package main

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/vraagbaak/vraagbaak/internal/browsertest"
)

// inView is JavaScript: is the text want of the last emergency answer in the widget
// wholly inside the scroll container's visible box, and the start of that answer too?
func inView(want string) string {
	return `(() => {
		const root = ` + widgetRoot + `;
		const scroller = root.querySelector(".vb-scroll");
		const answer = [...root.querySelectorAll(".vb-msg--urgent")].at(-1);
		if (!scroller || !answer) return false;
		const walker = document.createTreeWalker(answer, NodeFilter.SHOW_TEXT);
		let node;
		while ((node = walker.nextNode()) && !node.data.includes(` + strconv.Quote(want) + `)) {}
		if (!node) return false;
		const range = document.createRange();
		const i = node.data.indexOf(` + strconv.Quote(want) + `);
		range.setStart(node, i);
		range.setEnd(node, i + ` + strconv.Itoa(len(want)) + `);
		const t = range.getBoundingClientRect(), s = scroller.getBoundingClientRect(), a = answer.getBoundingClientRect();
		return t.top >= s.top && t.bottom <= s.bottom && a.top >= s.top - 1 && a.top < s.bottom;
	})()`
}

// citizenTexts is JavaScript for every text of the widget's conversation, joined by "|".
const citizenTexts = `[...` + widgetRoot + `.querySelectorAll(".vb-msg")].map((e) => e.textContent).join("|")`

// TestCrisisWithNobodyOnline runs the real service with the contact centre closed
// until three days from now and nobody online. A citizen writes "ik wil niet meer
// leven" in a small widget: the 113 numbers stay in view when the call-back offer
// appears below them, no text promises a person, and the texts say when the centre
// opens again. The hand-off stays queued: the first agent who logs in sees it at the
// top of the queue as "Spoed: zelfdoding (113)", also after the citizen pressed "Praat
// met een medewerker", and it leaves the queue only when seen or taken over. A
// refusal offers a person and, since nobody can come, the call-back.
func TestCrisisWithNobodyOnline(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	opens := time.Now().In(loc).AddDate(0, 0, 3)
	codes := []string{"zo", "ma", "di", "wo", "do", "vr", "za"}
	days := []string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}
	reopens := fmt.Sprintf("Het contactcentrum is weer open op %s vanaf 9.00 uur.", days[opens.Weekday()])
	base, _, email, password := startDemo(t, map[string]string{
		"VRAAGBAAK_OPENING_HOURS": "GM9001=" + codes[opens.Weekday()] + " 09:00-17:00",
	})

	browserCtx := browsertest.New(t, browsertest.Timeout(2*time.Minute))

	// Two small screens: a narrow phone, and a phone on its side (little height).
	for _, size := range []struct{ width, height int }{{320, 568}, {568, 320}} {
		t.Run(fmt.Sprintf("%dx%d", size.width, size.height), func(t *testing.T) {
			citizen := browsertest.NewContext(t, browserCtx)
			browsertest.FailOnConsoleErrors(t, citizen)
			browsertest.Do(t, citizen, chromedp.EmulateViewport(int64(size.width), int64(size.height)),
				chromedp.Navigate(base+"/?municipality=GM9001"))
			browsertest.WaitFor(t, citizen, wq(".vb-root")+` && !`+wq(".vb-root")+`.hidden`)
			browsertest.Do(t, citizen, chromedp.Evaluate[chromedp.Void](wq("#vb-launcher")+`.click()`))
			browsertest.WaitFor(t, citizen, `!`+wq("#vb-panel")+`.hidden && `+widgetFocused("vb-input"), 20*time.Second)
			browsertest.Do(t, citizen, chromedp.KeyEvent("ik wil niet meer leven"), chromedp.KeyEvent(kb.Enter))

			// The numbers, then the call-back form below them; the numbers stay in view.
			browsertest.WaitFor(t, citizen, wqa(".vb-msg--urgent")+`.length === 1 && !`+wq("#vb-callback")+`.hidden`, 30*time.Second)
			browsertest.WaitFor(t, citizen, inView("0800-0113"), 5*time.Second)
			if !browsertest.Eval[bool](t, citizen, wq("#vb-callback")+`.getBoundingClientRect().top >= `+wqa(".vb-msg--urgent")+`[0].getBoundingClientRect().bottom`) {
				t.Error("the call-back form is not below the emergency answer")
			}
			answer := browsertest.Eval[string](t, citizen, wqa(".vb-msg--urgent")+`[0].textContent`)
			for _, want := range []string{"0800-0113", "113.nl", "112", "Er is nu geen medewerker beschikbaar.", reopens} {
				if !strings.Contains(answer, want) {
					t.Errorf("the emergency answer lacks %q: %s", want, answer)
				}
			}

			// Asking for a person changes nothing of that: told honestly again, the
			// form keeps its place below, the numbers stay in view.
			browsertest.Do(t, citizen, chromedp.Evaluate[chromedp.Void](wq("#vb-handoff")+`.click()`))
			browsertest.WaitFor(t, citizen, wqa(".vb-msg--system")+`.filter((e) => e.textContent.includes(`+strconv.Quote(reopens)+`)).length === 1`, 10*time.Second)
			browsertest.WaitFor(t, citizen, inView("0800-0113")+` && `+widgetFocused("vb-cb-name"), 5*time.Second)

			texts := browsertest.Eval[string](t, citizen, citizenTexts)
			for _, promise := range []string{"neemt dit gesprek", "zo snel mogelijk over", "wachtrij", "Ik zet u door", "blijven wachten"} {
				if strings.Contains(texts, promise) {
					t.Errorf("the citizen is promised a person (%q) while nobody can come: %s", promise, texts)
				}
			}
			browsertest.AssertAxe(t, citizen)
		})
	}

	// A refusal offers a person and, since nobody can come, the call-back.
	citizen := browsertest.NewContext(t, browserCtx)
	browsertest.FailOnConsoleErrors(t, citizen)
	browsertest.Do(t, citizen, chromedp.Navigate(base+"/?municipality=GM9001"))
	browsertest.WaitFor(t, citizen, wq(".vb-root")+` && !`+wq(".vb-root")+`.hidden`)
	browsertest.Do(t, citizen, chromedp.Evaluate[chromedp.Void](wq("#vb-launcher")+`.click()`))
	browsertest.WaitFor(t, citizen, widgetFocused("vb-input"), 20*time.Second)
	browsertest.Do(t, citizen, chromedp.KeyEvent("wat voor weer wordt het morgen in Utrecht"), chromedp.KeyEvent(kb.Enter))
	browsertest.WaitFor(t, citizen, botAnswers+`.length === 1`, 30*time.Second)
	refusal := botAnswers + `[0]`
	if got := browsertest.Eval[string](t, citizen, refusal+`.querySelector(".vb-offer")?.textContent ?? ""`); got !=
		"Er is nu geen medewerker beschikbaar. U kunt wel een terugbelverzoek achterlaten.Praat met een medewerkerTerugbelverzoek achterlaten" {
		t.Errorf("offer under the refusal: %q", got)
	}
	browsertest.Do(t, citizen, chromedp.Evaluate[chromedp.Void](refusal+`.querySelector(".vb-offer__callback").click()`))
	browsertest.WaitFor(t, citizen, `!`+wq("#vb-callback")+`.hidden && `+widgetFocused("vb-cb-name"))
	browsertest.Do(t, citizen, chromedp.Evaluate[chromedp.Void](refusal+`.querySelector(".vb-offer__handoff").click()`))
	browsertest.WaitFor(t, citizen, wqa(".vb-msg--system")+`.some((e) => e.textContent.includes(`+strconv.Quote(reopens)+`))`)
	browsertest.AssertAxe(t, citizen)

	// The first agent who logs in sees both emergencies at the top of the queue, with
	// their most serious reason, not the later request.
	agent := browsertest.NewContext(t, browserCtx)
	browsertest.FailOnConsoleErrors(t, agent)
	consoleLogin(t, agent, base, email, password)
	browsertest.WaitFor(t, agent, `document.querySelectorAll("#sc-queue > li").length === 2`)
	titles := browsertest.Eval[[]string](t, agent, `[...document.querySelectorAll("#sc-queue > li h3")].map((h) => h.textContent)`)
	for _, title := range titles {
		if title != "Spoed: zelfdoding (113)" {
			t.Errorf("queue titles %q, want the emergencies", titles)
		}
	}
	if got := browsertest.Eval[string](t, agent, doc("#sc-queue > li")+`.textContent`); !strings.Contains(got, "ik wil niet meer leven") {
		t.Errorf("first queue item %q", got)
	}
	browsertest.AssertAxe(t, agent)

	// Seen: off the queue. The other one is taken over.
	browsertest.Do(t, agent, chromedp.Click(chromedp.CSS("#sc-queue > li .sc-seen")))
	browsertest.WaitFor(t, agent, `document.querySelectorAll("#sc-queue > li").length === 1`)
	browsertest.Do(t, agent, chromedp.Click(chromedp.CSS("#sc-queue > li button")))
	browsertest.WaitFor(t, agent, `document.querySelectorAll("#sc-queue > li").length === 0 && document.activeElement?.id === "sc-reply"`)
}
