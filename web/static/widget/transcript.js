// The conversation as the citizen sees it: the messages in the log (role="log", read
// out politely by screen readers), answers with their numbered sources and the "was
// this useful" question. Everything the server sends goes in as text (dom.js); links
// are made only from the http(s) addresses of an answer's citations.

import { el, textBlocks } from "./dom.js";
import { text, dutchDate } from "./text.js";

const maxComment = 1000;

function hidden(t) {
  return el("span", { class: "vb-visually-hidden" }, t);
}

// safeURL returns the address when it is an absolute http(s) URL, else "".
function safeURL(raw) {
  if (typeof raw !== "string") {
    return "";
  }
  let u;
  try {
    u = new URL(raw);
  } catch (err) {
    return "";
  }
  return u.protocol === "http:" || u.protocol === "https:" ? u.href : "";
}

// idPart makes a server value usable in an id attribute.
function idPart(v) {
  return String(v).replace(/[^A-Za-z0-9_-]/g, "_");
}

// smooth reports whether scrolling may move smoothly (not for reduced motion).
function smooth() {
  return !window.matchMedia || window.matchMedia("(prefers-reduced-motion: no-preference)").matches;
}

export class Transcript {
  // log is the role="log" element, inside the scroll container; onFeedback(answerID,
  // useful, comment) sends feedback and reports whether it could; onHandoff() asks for
  // a person and onCallback() offers the call-back form (under a refusal).
  constructor(log, { onFeedback, onHandoff, onCallback }) {
    this.log = log;
    this.onFeedback = onFeedback;
    this.onHandoff = onHandoff;
    this.onCallback = onCallback;
    this.clear();
  }

  clear() {
    this.log.replaceChildren();
    this.seqs = new Set(); // seq of every stored message shown
    this.questions = new Map(); // citizen message element by client id
    this.streams = new Map(); // element of an answer being written, by question id
    this.answers = new Map(); // feedback state of each answer shown, by answer_id
    this.anchor = null; // the emergency answer that must stay in view, until the citizen goes on
  }

  add(node) {
    this.log.appendChild(node);
    this.reveal();
    return node;
  }

  // unpin lets the emergency answer scroll away: the citizen wrote again, or a person
  // took over.
  unpin() {
    this.anchor = null;
  }

  // reveal scrolls to what is new (target, or the end of the conversation), but never
  // so far that the start of an emergency answer leaves the view: the numbers to call
  // stay visible, whatever comes after them (a notice, the call-back form).
  reveal(target) {
    const scroller = this.log.parentElement;
    if (this.anchor && this.anchor.isConnected) {
      const top = this.anchor.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
      const to = Math.max(0, Math.min(top - 8, scroller.scrollHeight - scroller.clientHeight));
      if (Math.abs(scroller.scrollTop - to) >= 1) {
        scroller.scrollTo({ top: to, behavior: smooth() ? "smooth" : "auto" });
      }
      return;
    }
    if (target) {
      target.scrollIntoView({ block: "nearest" });
    } else {
      scroller.scrollTop = scroller.scrollHeight;
    }
  }

  // seen records a stored message's seq; true when it was shown already.
  seen(seq) {
    if (typeof seq !== "number") {
      return false;
    }
    if (this.seqs.has(seq)) {
      return true;
    }
    this.seqs.add(seq);
    return false;
  }

  bubble(who, kind, body) {
    return el("div", { class: `vb-msg vb-msg--${kind}` },
      el("p", { class: "vb-msg__who" }, who, hidden(":")),
      body);
  }

  // history replaces everything shown with the stored conversation.
  history(messages) {
    this.clear();
    for (const m of messages) {
      this.stored(m);
    }
  }

  // stored shows one message from history or a `message`.
  stored(m) {
    if (this.seen(m.seq)) {
      return;
    }
    switch (m.role) {
      case "citizen": {
        this.unpin();
        const node = this.add(this.bubble(text.you, "citizen", textBlocks(m.text, "vb-msg__text")));
        if (m.id) {
          this.questions.set(m.id, node);
        }
        break;
      }
      case "bot":
        this.answer(m, true);
        break;
      case "agent": {
        this.unpin();
        const author = typeof m.author === "string" ? m.author.trim() : "";
        this.add(this.bubble(author ? `${text.agent} ${author}` : text.agent, "agent", textBlocks(m.text, "vb-msg__text")));
        break;
      }
      default:
        this.note(m.text, "system");
    }
  }

  // citizen shows a question that is not stored yet.
  citizen(q) {
    this.unpin();
    const old = this.questions.get(q.id);
    if (old) {
      old.remove();
    }
    const node = this.bubble(text.you, "citizen", textBlocks(q.text, "vb-msg__text"));
    node.classList.add("vb-msg--pending");
    node.appendChild(el("p", { class: "vb-msg__state" }, text.sending));
    this.questions.set(q.id, this.add(node));
  }

  // acked marks a question as stored and, when the bot will answer, shows that the
  // answer is being looked up.
  acked(id, seq, expectAnswer) {
    this.seen(seq);
    const node = this.questions.get(id);
    if (node) {
      node.classList.remove("vb-msg--pending");
      node.querySelector(".vb-msg__state")?.remove();
    }
    if (expectAnswer && !this.streams.has(id)) {
      this.stream(id).lastChild.textContent = text.searching;
    }
  }

  // failed marks a question the server refused (the error itself is shown as a note).
  failed(id) {
    const node = this.questions.get(id);
    if (node) {
      node.classList.remove("vb-msg--pending");
      node.querySelector(".vb-msg__state")?.remove();
    }
    this.stopStream(id);
  }

  // retrying drops what was streamed of an answer that could not be given now: the
  // question is sent again and its answer written anew.
  retrying(id) {
    this.stopStream(id);
  }

  // stream returns the element an answer is written into while it streams. It is
  // hidden from screen readers: they hear the final answer once, not every piece.
  stream(id) {
    let node = this.streams.get(id);
    if (!node) {
      node = el("div", { class: "vb-msg vb-msg--bot vb-msg--streaming", "aria-hidden": "true" },
        el("p", { class: "vb-msg__who" }, text.bot),
        el("p", { class: "vb-msg__text" }));
      node.dataset.text = "";
      this.streams.set(id, this.add(node));
    }
    return node;
  }

  delta(id, piece) {
    const node = this.stream(id);
    node.dataset.text += piece;
    node.lastChild.textContent = node.dataset.text;
    this.reveal();
  }

  stopStream(id) {
    this.streams.get(id)?.remove();
    this.streams.delete(id);
  }

  // stopSearching removes every "looking it up" indicator (an agent took over).
  stopSearching() {
    for (const id of [...this.streams.keys()]) {
      this.stopStream(id);
    }
  }

  // answer shows a bot answer: the text, its numbered sources and, for an answer
  // (not a hand-off), the feedback question.
  answer(m, fromHistory = false) {
    if (!fromHistory) {
      this.stopStream(m.id);
      if (this.seen(m.seq)) {
        return;
      }
    }
    const answerID = m.answer_id;
    if (answerID !== undefined && answerID !== null && this.answers.has(answerID)) {
      return; // sent again after a reconnect
    }
    const node = this.bubble(text.bot, "bot", textBlocks(m.text, "vb-msg__text"));
    if (m.outcome === "handoff") {
      node.classList.add("vb-msg--urgent");
    }
    const sources = this.sources(m.citations, answerID ?? m.seq);
    if (sources) {
      node.appendChild(sources);
    }
    if (m.outcome === "refused" || (m.outcome === "answered" && m.offer)) {
      // An answer offers a person when it carries a safety note (the server sets offer).
      node.appendChild(this.offer(m.offer === "callback"));
    }
    if (answerID !== undefined && answerID !== null && (m.outcome === "answered" || m.outcome === "refused")) {
      node.appendChild(this.feedback(answerID));
    }
    if (m.outcome === "handoff" && String(m.handoff_reason || "").startsWith("emergency")) {
      this.anchor = node;
    }
    this.add(node);
  }

  // offer is what a refusal offers: a person, and when nobody can come (the server
  // said so with offer "callback") the call-back form too. A refusal never stands
  // alone: the citizen may have told a story of distress the assistant did not see.
  offer(nobody) {
    const person = el("button", { type: "button", class: "vb-button vb-button--small vb-offer__handoff" }, text.handoff);
    person.addEventListener("click", () => this.onHandoff());
    const buttons = el("div", { class: "vb-offer__buttons" }, person);
    if (nobody) {
      const cb = el("button", { type: "button", class: "vb-button vb-button--small vb-offer__callback" }, text.offerCallback);
      cb.addEventListener("click", () => this.onCallback());
      buttons.appendChild(cb);
    }
    return el("div", { class: "vb-offer" },
      el("p", { class: "vb-offer__text" }, nobody ? text.offerNobody : text.offerPerson),
      buttons);
  }

  // sources renders the citations as a numbered list; only http(s) URLs become links.
  sources(citations, key) {
    if (!Array.isArray(citations) || citations.length === 0) {
      return null;
    }
    const items = citations
      .filter((c) => c && typeof c === "object" && Number.isInteger(c.n) && c.n > 0)
      .sort((a, b) => a.n - b.n);
    if (items.length === 0) {
      return null;
    }
    const titleID = `vb-sources-${idPart(key)}`;
    const list = el("ol", { class: "vb-sources__list", "aria-labelledby": titleID });
    for (const c of items) {
      const title = typeof c.title === "string" && c.title.trim() !== "" ? c.title : String(c.url || "");
      const href = safeURL(c.url);
      const date = dutchDate(c.checked_at);
      list.appendChild(el("li", { value: c.n, id: `vb-source-${idPart(key)}-${c.n}` },
        href
          ? el("a", { href, target: "_blank", rel: "noopener noreferrer" }, title, hidden(` ${text.newWindow}`))
          : el("span", { class: "vb-sources__title" }, title),
        date ? el("span", { class: "vb-sources__checked" }, ` (${text.checkedOn} ${date})`) : null));
    }
    return el("div", { class: "vb-sources" },
      el("p", { class: "vb-sources__heading", id: titleID }, text.sources),
      list);
  }

  // feedback builds "Was dit antwoord nuttig? Ja / Nee"; after Nee an optional comment.
  feedback(answerID) {
    const key = idPart(answerID);
    const state = { stage: "", thanks: null, form: null };
    this.answers.set(answerID, state);
    const question = el("p", { class: "vb-feedback__question", id: `vb-fb-${key}` }, text.useful);
    const yes = el("button", { type: "button", class: "vb-button vb-button--small", "aria-pressed": "false" }, text.yes);
    const no = el("button", { type: "button", class: "vb-button vb-button--small", "aria-pressed": "false" }, text.no);
    const thanks = el("p", { class: "vb-feedback__thanks" });
    const group = el("div", { class: "vb-feedback", role: "group", "aria-labelledby": `vb-fb-${key}` },
      question, el("div", { class: "vb-feedback__buttons" }, yes, no), thanks);
    state.thanks = thanks;

    const choose = (useful) => {
      if (!this.onFeedback(answerID, useful, "")) {
        thanks.textContent = text.notSent;
        return;
      }
      yes.setAttribute("aria-pressed", String(useful));
      no.setAttribute("aria-pressed", String(!useful));
      thanks.textContent = "";
      state.stage = useful ? "yes" : "no";
      if (useful) {
        state.form?.remove();
        state.form = null;
      } else if (!state.form) {
        state.form = this.comment(answerID, state);
        group.appendChild(state.form);
        state.form.querySelector("textarea").focus();
      }
    };
    yes.addEventListener("click", () => choose(true));
    no.addEventListener("click", () => choose(false));
    return group;
  }

  comment(answerID, state) {
    const id = `vb-comment-${idPart(answerID)}`;
    const area = el("textarea", { id, class: "vb-input vb-comment__input", rows: "3", maxlength: maxComment });
    const form = el("form", { class: "vb-comment" },
      el("label", { for: id, class: "vb-label" }, text.commentLabel),
      area,
      el("button", { type: "submit", class: "vb-button vb-button--small" }, text.commentSend));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const comment = area.value.trim().slice(0, maxComment);
      if (comment === "") {
        area.focus();
        return;
      }
      if (!this.onFeedback(answerID, false, comment)) {
        state.thanks.textContent = text.notSent;
        return;
      }
      state.stage = "comment";
    });
    return form;
  }

  // feedbackOk thanks the citizen once the server stored the feedback.
  feedbackOk(answerID) {
    const state = this.answers.get(answerID);
    if (!state || state.stage === "") {
      return;
    }
    if (state.stage === "comment" && state.form) {
      const hadFocus = state.form.contains(this.log.getRootNode().activeElement);
      state.form.remove();
      state.form = null;
      state.thanks.textContent = text.thanksComment;
      if (hadFocus) {
        state.thanks.setAttribute("tabindex", "-1");
        state.thanks.focus();
      }
    } else {
      state.thanks.textContent = text.thanks;
    }
  }

  // handoff shows a change in the hand-off to staff: its text, and the place in the
  // queue. A change without text needs no words of its own: the server tells it in a
  // system message (an agent took over, gave the conversation back, closed it).
  handoff(m) {
    let t = typeof m.text === "string" && m.text.trim() !== "" ? m.text : "";
    if (t === "" && m.state === "offline") {
      t = text.offline;
    }
    if (Number.isInteger(m.position) && m.position > 0 && !t.includes(String(m.position))) {
      t = t ? `${t} ${text.queuePosition(m.position)}` : text.queuePosition(m.position);
    }
    if (t) {
      this.note(t, "system");
    }
  }

  // error shows the server's message for the citizen (or a fixed one).
  error(m) {
    this.note(typeof m.message === "string" && m.message.trim() !== "" ? m.message : text.error, "error");
  }

  note(t, kind) {
    return this.add(el("div", { class: `vb-msg vb-msg--${kind}` },
      hidden(`${text.system}: `),
      textBlocks(t, "vb-msg__text")));
  }
}
