// The widget: a launcher button "Stel uw vraag" that opens the chat panel (a dialog).
// It lives in an open shadow root on <div id="vraagbaak-widget">, so the host site's
// CSS does not reach it and its CSS (widget.css, classes prefixed vb-) does not leak.

import { el, svg } from "./dom.js";
import { text } from "./text.js";
import { Transcript } from "./transcript.js";
import { Conversation } from "./conversation.js";
import { CallbackForm } from "./callback.js";

const hostID = "vraagbaak-widget";
const maxQuestion = 1000; // characters, as the server counts them
const typingShown = 6000; // ms "Medewerker typt…" stays after the last typing message
const reconnectedShown = 5000; // ms "De verbinding is hersteld." stays

function icon() {
  const s = svg("svg", { class: "vb-icon", viewBox: "0 0 24 24", width: "24", height: "24", "aria-hidden": "true", focusable: "false" });
  s.appendChild(svg("path", {
    d: "M4 4h16a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H9l-4.3 3.6A.4.4 0 0 1 4 20.3V17a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1z",
    fill: "none", stroke: "currentColor", "stroke-width": "2", "stroke-linejoin": "round"
  }));
  return s;
}

// mount puts the widget on the page. options: origin (of the Vraagbaak server), base
// (URL of the widget's files), municipality (CBS code or ""), name (or "").
export function mount(options) {
  if (document.getElementById(hostID)) {
    return; // widget.js included twice
  }
  const host = el("div", { id: hostID, lang: "nl" });
  const shadow = host.attachShadow({ mode: "open" });
  const root = el("div", { class: "vb-root", lang: "nl", dir: "ltr", hidden: true });
  const css = el("link", { rel: "stylesheet", href: options.base + "widget.css" });
  const show = () => { root.hidden = false; };
  css.addEventListener("load", show);
  css.addEventListener("error", show);

  const unread = el("span", { class: "vb-launcher__unread", hidden: true }, el("span", { class: "vb-visually-hidden" }, " (nieuw bericht)"));
  const launcher = el("button", {
    type: "button", class: "vb-launcher", id: "vb-launcher",
    "aria-expanded": "false", "aria-controls": "vb-panel", "aria-haspopup": "dialog"
  }, icon(), el("span", {}, text.launcher), unread);

  const close = el("button", { type: "button", class: "vb-button vb-button--quiet vb-close", id: "vb-close" }, text.close);
  const log = el("div", { class: "vb-log", id: "vb-log", role: "log", "aria-live": "polite", "aria-label": text.log });
  const callbackForm = new CallbackForm({
    onSend: (request) => conversation.callback(request),
    reveal: (node) => transcript.reveal(node)
  });
  const scroller = el("div", { class: "vb-scroll" },
    el("div", { class: "vb-intro" },
      el("p", {}, text.intro),
      el("p", {}, text.empty),
      el("p", {}, el("a", { href: options.origin + "/privacy", target: "_blank", rel: "noopener noreferrer" },
        text.privacyLink, el("span", { class: "vb-visually-hidden" }, ` ${text.newWindow}`)))),
    log,
    callbackForm.node);
  const typing = el("p", { class: "vb-typing", id: "vb-typing", role: "status" });
  const status = el("p", { class: "vb-status", id: "vb-status", role: "status" });
  const input = el("textarea", {
    id: "vb-input", class: "vb-input", rows: "2", maxlength: maxQuestion,
    "aria-describedby": "vb-hint vb-input-error", autocomplete: "off"
  });
  const inputError = el("p", { class: "vb-input-error", id: "vb-input-error", role: "alert" });
  const form = el("form", { class: "vb-form", id: "vb-form", novalidate: true },
    el("label", { for: "vb-input", class: "vb-label" }, text.inputLabel),
    el("p", { class: "vb-hint", id: "vb-hint" }, text.inputHint,
      el("span", { class: "vb-visually-hidden" }, ` ${text.keyHint}`)),
    inputError,
    el("div", { class: "vb-form__row" },
      input,
      el("button", { type: "submit", class: "vb-button vb-send", id: "vb-send" }, text.send)));
  const handoff = el("button", { type: "button", class: "vb-button vb-button--secondary vb-handoff", id: "vb-handoff" }, text.handoff);
  const panel = el("div", { class: "vb-panel", id: "vb-panel", role: "dialog", "aria-labelledby": "vb-title", hidden: true },
    el("div", { class: "vb-header" },
      el("h2", { class: "vb-title", id: "vb-title" }, options.name ? text.titleOf(options.name) : text.title),
      close),
    scroller,
    typing,
    status,
    el("div", { class: "vb-footer" }, form, handoff));
  root.append(panel, launcher);
  shadow.append(css, root);

  let askedPerson = false; // the citizen just pressed a "Praat met een medewerker" button
  const requestHandoff = () => {
    askedPerson = true;
    if (!conversation.requestHandoff()) {
      askedPerson = false;
      transcript.note(text.notSent, "error");
    }
  };
  const transcript = new Transcript(log, {
    onFeedback: (answerID, useful, comment) => conversation.feedback(answerID, useful, comment),
    onHandoff: requestHandoff,
    onCallback: () => callbackForm.show(lastQuestion, true)
  });

  let typingTimer = 0;
  const hideTyping = () => {
    clearTimeout(typingTimer);
    typing.textContent = "";
  };
  let lastQuestion = ""; // the call-back form starts with it
  let down = false;
  let statusTimer = 0;
  const arrived = () => {
    if (panel.hidden) {
      unread.hidden = false;
    }
  };

  const conversation = new Conversation({
    origin: options.origin,
    municipality: options.municipality,
    view: {
      connection(up) {
        clearTimeout(statusTimer);
        if (!up) {
          down = true;
          status.className = "vb-status vb-status--down";
          status.textContent = text.disconnected;
        } else if (down) {
          down = false;
          status.className = "vb-status vb-status--up";
          status.textContent = text.reconnected;
          statusTimer = setTimeout(() => { status.textContent = ""; status.className = "vb-status"; }, reconnectedShown);
        }
      },
      history(messages) {
        transcript.history(messages);
        const asked = messages.filter((m) => m.role === "citizen" && typeof m.text === "string");
        if (asked.length > 0) {
          lastQuestion = asked[asked.length - 1].text;
        }
      },
      citizen: (q) => transcript.citizen(q),
      acked: (id, seq, expectAnswer) => transcript.acked(id, seq, expectAnswer),
      failed: (id) => transcript.failed(id),
      retrying: (id) => transcript.retrying(id),
      delta: (id, piece) => transcript.delta(id, piece),
      answer(m) {
        transcript.answer(m);
        arrived();
      },
      message(m) {
        if (m.role === "agent") {
          hideTyping();
        }
        transcript.stored(m);
        arrived();
      },
      feedbackOk: (answerID) => transcript.feedbackOk(answerID),
      handoff(m) {
        transcript.handoff(m);
        if (m.callback === true) {
          // Focus moves to the form only when the citizen just asked for a person.
          callbackForm.show(lastQuestion, askedPerson);
        }
        if (m.callback === true || m.state === "agent" || Number.isInteger(m.position)) {
          askedPerson = false; // the server's reply to the request
        }
        arrived();
      },
      callbackOk(m) {
        const hadFocus = callbackForm.hasFocus();
        callbackForm.hide();
        transcript.note(typeof m.text === "string" && m.text.trim() !== "" ? m.text : text.callback.thanks, "system");
        if (hadFocus) {
          input.focus();
        }
        arrived();
      },
      callbackFailed(m) {
        callbackForm.failed(m.code === "lost" ? text.callback.lost
          : typeof m.message === "string" && m.message.trim() !== "" ? m.message : text.error);
      },
      state(state) {
        if (state === "agent") {
          transcript.unpin();
          transcript.stopSearching();
          if (callbackForm.hasFocus()) {
            input.focus();
          }
          callbackForm.hide();
          if (shadow.activeElement === handoff) {
            input.focus();
          }
        } else {
          hideTyping();
        }
        handoff.hidden = state === "agent";
      },
      typing(role) {
        if (role !== "agent") {
          return;
        }
        if (typing.textContent === "") {
          typing.textContent = text.agentTyping;
        }
        clearTimeout(typingTimer);
        typingTimer = setTimeout(hideTyping, typingShown);
      },
      error: (m) => transcript.error(m)
    }
  });

  const open = () => {
    panel.hidden = false;
    unread.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    conversation.start();
    transcript.reveal();
    input.focus();
  };
  const shut = () => {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  };
  launcher.addEventListener("click", () => (panel.hidden ? open() : shut()));
  close.addEventListener("click", shut);
  panel.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") {
      ev.preventDefault();
      ev.stopPropagation();
      shut();
    }
  });

  const invalid = (message) => {
    inputError.textContent = message;
    input.setAttribute("aria-invalid", "true");
    input.focus();
  };
  const submit = () => {
    const q = input.value.trim();
    if (q === "") {
      invalid(text.noQuestion);
      return;
    }
    if ([...q].length > maxQuestion) {
      invalid(text.tooLong(maxQuestion));
      return;
    }
    inputError.textContent = "";
    input.removeAttribute("aria-invalid");
    input.value = "";
    lastQuestion = q;
    conversation.ask(q);
  };
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    submit();
  });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      submit();
    }
  });
  // Some input paths (DevTools' key events, some IMEs) deliver the Enter character
  // even when keydown was cancelled: it must not put a new line in the emptied box.
  input.addEventListener("keypress", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey) {
      ev.preventDefault();
    }
  });
  input.addEventListener("input", () => {
    if (inputError.textContent !== "") {
      inputError.textContent = "";
      input.removeAttribute("aria-invalid");
    }
    conversation.typing();
  });
  handoff.addEventListener("click", requestHandoff);
  window.addEventListener("online", () => conversation.retryNow());

  document.body.appendChild(host);
}
