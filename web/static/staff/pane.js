// The conversation pane: the whole transcript of the conversation the agent has open
// (the citizen's messages, the bot's answers with their numbered sources and outcome,
// system messages and the agents' messages), the reply box and the buttons to hand
// the conversation back, transfer it or close it. Server text always goes in as text
// (dom.js); links are made only from http(s) addresses of an answer's citations.

import { el, textBlocks } from "./dom.js";
import { text, priorityLabel, reasonLabel, clock } from "./text.js";

const typingShown = 6000; // ms "Inwoner typt…" stays after the last typing message
const typingInterval = 3000; // send `typing` at most this often (ms)

function hidden(t) {
  return el("span", { class: "sc-visually-hidden" }, t);
}

// safeURL returns the address when it is an absolute http(s) URL, else "".
function safeURL(raw) {
  try {
    const u = new URL(String(raw));
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : "";
  } catch (err) {
    return "";
  }
}

function sources(citations) {
  const items = (Array.isArray(citations) ? citations : [])
    .filter((c) => c && typeof c === "object" && Number.isInteger(c.n) && c.n > 0)
    .sort((a, b) => a.n - b.n);
  if (items.length === 0) {
    return null;
  }
  return el("div", { class: "sc-sources" },
    el("p", { class: "sc-sources__heading" }, text.sources),
    el("ol", { class: "sc-sources__list" }, items.map((c) => {
      const href = safeURL(c.url);
      const title = typeof c.title === "string" && c.title.trim() !== "" ? c.title : String(c.url || "");
      return el("li", { value: c.n },
        href
          ? el("a", { href, target: "_blank", rel: "noopener noreferrer" }, title, hidden(` ${text.newWindow}`))
          : el("span", {}, title),
        href ? el("span", { class: "sc-sources__url" }, href) : null);
    })));
}

// messageNode renders one stored message.
export function messageNode(m) {
  const role = ["citizen", "bot", "agent"].includes(m.role) ? m.role : "system";
  let who = text.who[role];
  if (role === "agent" && typeof m.author === "string" && m.author !== "") {
    who = `${who} ${m.author}`;
  }
  const at = clock(m.at);
  const node = el("div", { class: `sc-msg sc-msg--${role}`, "data-seq": m.seq },
    el("p", { class: "sc-msg__who" }, who, at ? el("time", { class: "sc-msg__time", datetime: m.at }, ` ${at}`) : null, hidden(":")),
    textBlocks(m.text, "sc-msg__text"));
  if (role === "bot") {
    const outcome = text.outcomes[m.outcome];
    if (m.outcome === "handoff") {
      node.classList.add("sc-msg--handoff");
    }
    if (outcome) {
      node.appendChild(el("p", { class: "sc-msg__outcome" }, `${text.outcome}: ${outcome}`,
        m.handoff_reason ? ` (${text.reason.toLowerCase()}: ${reasonLabel(m.handoff_reason, "")})` : ""));
    }
    const s = sources(m.citations);
    if (s) {
      node.appendChild(s);
    }
  }
  return node;
}

// mine reports whether the agent holds the conversation.
export function mine(conv, me) {
  return Boolean(conv && conv.state === "agent" && conv.handoff && me && conv.handoff.claimed_by === me);
}

export class Pane {
  // actions: reply(convID, text) → bool, typing(convID), handback(convID),
  // colleagues(convID), transfer(convID, to), close(convID, outcome), hide(convID).
  constructor(doc, actions) {
    const $ = (id) => doc.getElementById(id);
    this.doc = doc;
    this.actions = actions;
    this.conv = null;
    this.me = 0;
    this.lastTyping = 0;
    this.typingTimer = 0;
    this.title = $("sc-conv-title");
    this.hideButton = $("sc-conv-hide");
    this.none = $("sc-conv-none");
    this.body = $("sc-conv-body");
    this.meta = $("sc-conv-meta");
    this.status = $("sc-conv-status");
    this.log = $("sc-log");
    this.typingLine = $("sc-typing");
    this.controls = $("sc-controls");
    this.form = $("sc-reply-form");
    this.input = $("sc-reply");
    this.replyError = $("sc-reply-error");
    this.handbackButton = $("sc-handback");
    this.transferButton = $("sc-transfer");
    this.outcome = $("sc-outcome");
    this.outcomeError = $("sc-outcome-error");
    this.closeButton = $("sc-close");
    this.transferPanel = $("sc-transfer-panel");
    this.colleagueList = $("sc-colleagues");
    this.transferError = $("sc-transfer-error");
    this.transferCancel = $("sc-transfer-cancel");
    this.wire();
  }

  wire() {
    const id = () => this.conv?.id;
    const submit = () => {
      const t = this.input.value.trim();
      if (t === "") {
        this.fieldError(this.input, this.replyError, text.emptyReply);
        return;
      }
      this.fieldError(this.input, this.replyError, "");
      if (this.actions.reply(id(), t)) {
        this.input.value = "";
      }
    };
    this.form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      submit();
    });
    this.input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        submit();
      }
    });
    // Some input paths (DevTools' key events, some IMEs) deliver the Enter character
    // even when keydown was cancelled: it must not put a new line in the empty box.
    this.input.addEventListener("keypress", (ev) => {
      if (ev.key === "Enter" && !ev.shiftKey) {
        ev.preventDefault();
      }
    });
    this.input.addEventListener("input", () => {
      if (this.replyError.textContent !== "") {
        this.fieldError(this.input, this.replyError, "");
      }
      const now = Date.now();
      if (this.input.value.trim() !== "" && now - this.lastTyping >= typingInterval) {
        this.lastTyping = now;
        this.actions.typing(id());
      }
    });
    this.handbackButton.addEventListener("click", () => this.actions.handback(id()));
    this.transferButton.addEventListener("click", () => {
      if (this.transferPanel.hidden) {
        this.transferButton.setAttribute("aria-busy", "true");
        this.actions.colleagues(id());
      } else {
        this.closeTransfer(true);
      }
    });
    this.transferCancel.addEventListener("click", () => this.closeTransfer(true));
    this.transferPanel.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const chosen = this.transferPanel.querySelector("input[name=sc-colleague]:checked");
      if (!chosen) {
        this.transferError.textContent = text.chooseColleague;
        this.colleagueList.querySelector("input")?.focus();
        return;
      }
      this.transferError.textContent = "";
      this.actions.transfer(id(), Number(chosen.value));
    });
    this.outcome.addEventListener("change", () => this.fieldError(this.outcome, this.outcomeError, ""));
    this.closeButton.addEventListener("click", () => {
      if (this.outcome.value === "") {
        this.fieldError(this.outcome, this.outcomeError, text.chooseOutcome);
        this.outcome.focus();
        return;
      }
      this.actions.close(id(), this.outcome.value);
    });
    this.hideButton.addEventListener("click", () => this.actions.hide(id()));
  }

  fieldError(field, line, message) {
    line.textContent = message;
    if (message) {
      field.setAttribute("aria-invalid", "true");
    } else {
      field.removeAttribute("aria-invalid");
    }
  }

  // showing reports which conversation is open (0 for none).
  showing() {
    return this.conv ? this.conv.id : 0;
  }

  // show renders a conversation; focus is "reply" (after a claim: the agent can type
  // at once), "title" (after opening it) or null (leave focus where it is).
  show(conv, me, focus) {
    const same = this.conv && this.conv.id === conv.id;
    this.conv = conv;
    this.me = me;
    this.none.hidden = true;
    this.body.hidden = false;
    this.hideButton.hidden = false;
    this.title.textContent = text.conversation(conv.id);
    if (!same) {
      this.input.value = "";
      this.outcome.value = "";
      this.fieldError(this.input, this.replyError, "");
      this.fieldError(this.outcome, this.outcomeError, "");
      this.closeTransfer(false);
      this.stopTyping();
    }
    // A new log element: screen readers announce what is added to a live region, and
    // the whole history at once is not news.
    const log = this.log.cloneNode(false);
    for (const m of [...conv.messages.values()].sort((a, b) => a.seq - b.seq)) {
      log.appendChild(messageNode(m));
    }
    this.log.replaceWith(log);
    this.log = log;
    this.update(conv, me);
    log.scrollTop = log.scrollHeight;
    if (focus === "reply" && !this.controls.hidden) {
      this.input.focus();
    } else if (focus) {
      this.title.focus();
    }
  }

  // update shows the conversation's state and whether the agent can act on it.
  update(conv, me) {
    if (!this.conv || this.conv.id !== conv.id) {
      return;
    }
    this.me = me;
    const h = conv.handoff;
    const parts = [];
    if (h) {
      const p = priorityLabel(h.priority);
      if (p) {
        parts.push(el("span", { class: `sc-badge sc-badge--p${h.priority}` }, p), " ");
      }
      parts.push(reasonLabel(h.reason, h.topic));
      if (h.summary) {
        parts.push(` — ${h.summary}`);
      }
    }
    this.meta.replaceChildren(...parts);
    this.meta.hidden = parts.length === 0;

    const isMine = mine(conv, me);
    let status;
    if (isMine) {
      conv.note = "";
      status = text.stateMine;
    } else if (conv.note) {
      status = conv.note;
    } else if (conv.state === "queued") {
      status = text.stateQueued;
    } else if (conv.state === "agent") {
      status = text.stateOther(h?.agent_name);
    } else if (conv.state === "closed") {
      status = text.stateClosed;
    } else {
      status = text.stateBot;
    }
    this.status.textContent = status;
    const hadFocus = this.controls.contains(this.doc.activeElement);
    this.controls.hidden = !isMine;
    if (!isMine) {
      this.stopTyping();
      this.closeTransfer(false);
      if (hadFocus) {
        this.status.focus();
      }
    }
  }

  // note tells what the agent's own action did, and moves focus there when the
  // controls they used are gone.
  note(conv, message) {
    conv.note = message;
    if (this.conv && this.conv.id === conv.id) {
      this.status.textContent = message;
      if (this.controls.hidden || this.controls.contains(this.doc.activeElement)) {
        this.status.focus();
      }
    }
  }

  // append adds a new message to the open conversation.
  append(m) {
    const stick = this.log.scrollTop + this.log.clientHeight >= this.log.scrollHeight - 8;
    this.log.appendChild(messageNode(m));
    if (m.role === "citizen") {
      this.stopTyping();
    }
    if (stick || m.role === "agent") {
      this.log.scrollTop = this.log.scrollHeight;
    }
  }

  // restore puts back a reply the server refused, unless the agent typed a new one.
  restore(convID, t) {
    if (this.conv && this.conv.id === convID && this.input.value.trim() === "") {
      this.input.value = t;
    }
  }

  typing() {
    this.typingLine.textContent = text.citizenTyping;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), typingShown);
  }

  stopTyping() {
    clearTimeout(this.typingTimer);
    this.typingLine.textContent = "";
  }

  // colleagues shows the online colleagues to transfer to.
  colleagues(list) {
    this.transferButton.removeAttribute("aria-busy");
    if (this.controls.hidden) {
      return;
    }
    const items = (Array.isArray(list) ? list : []).filter((c) => c && Number.isInteger(c.id));
    this.transferError.textContent = "";
    if (items.length === 0) {
      this.colleagueList.replaceChildren(el("p", { class: "sc-empty", tabindex: "-1" }, text.noColleagues));
    } else {
      this.colleagueList.replaceChildren(...items.map((c) => {
        const id = `sc-colleague-${c.id}`;
        return el("div", { class: "sc-radio" },
          el("input", { type: "radio", name: "sc-colleague", id, value: c.id }),
          el("label", { for: id }, c.name || String(c.id)));
      }));
    }
    this.transferPanel.hidden = false;
    this.transferButton.setAttribute("aria-expanded", "true");
    this.doc.getElementById("sc-transfer-go").hidden = items.length === 0;
    const first = this.colleagueList.firstElementChild;
    (first.querySelector("input") || first).focus();
  }

  closeTransfer(focusButton) {
    this.transferPanel.hidden = true;
    this.transferButton.setAttribute("aria-expanded", "false");
    this.transferButton.removeAttribute("aria-busy");
    if (focusButton) {
      this.transferButton.focus();
    }
  }

  // hide closes the pane.
  hide() {
    this.conv = null;
    this.stopTyping();
    this.closeTransfer(false);
    this.body.hidden = true;
    this.hideButton.hidden = true;
    this.none.hidden = false;
    this.title.textContent = text.noConversation;
  }
}
