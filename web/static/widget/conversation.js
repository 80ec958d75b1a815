// The client side of the chat protocol, version 1 (docs/protocol.md): hello and resume
// with the token kept in sessionStorage, questions with client ids that are sent again
// after a reconnect until the server has stored them, feedback, hand-off, call-back
// requests and typing.
// What to show is left to the view; nothing here touches the page.

import { Connection } from "./connection.js";

const typingInterval = 3000; // send `typing` at most this often (ms)

// A question that got `busy` or `unavailable` is kept and sent again with the same id
// after a wait that doubles with each try (1 s up to 30 s, with jitter); the server
// never answers the same id twice.
const retryCodes = new Set(["busy", "unavailable"]);
const retryBase = 1000;
const retryMax = 30000;

// newID returns a random client message id (1–64 characters, as the protocol wants).
function newID() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return "c" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class Conversation {
  // view receives what happened: connection(up), history(messages), citizen(question),
  // acked(id, seq, expectAnswer), failed(id), retrying(id), delta(id, text), answer(msg),
  // message(msg), feedbackOk(answerID), handoff(msg), state(state), typing(role),
  // callbackOk(msg), callbackFailed(msg), error(msg).
  constructor({ origin, municipality, view }) {
    const url = new URL("/ws", origin);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("v", "1");
    url.searchParams.set("municipality", municipality);
    this.key = `vraagbaak:${origin}:${municipality}`;
    this.view = view;
    this.state = "bot";
    this.welcomed = false;
    this.pending = new Map(); // questions not yet answered (or, for an agent, not yet stored), by id
    this.lastTyping = 0;
    this.callbackID = ""; // id of the call-back request waiting for callback.ok
    this.conn = new Connection(url.href, {
      open: () => this.hello(),
      message: (msg) => this.receive(msg),
      close: () => this.lost()
    });
  }

  // start connects (once; later calls do nothing).
  start() {
    this.conn.start();
  }

  // retryNow reconnects without waiting for the back-off (the browser is online again).
  retryNow() {
    this.conn.now();
  }

  // ask sends a question now, or as soon as the connection is back.
  ask(text) {
    const q = { id: newID(), text, acked: false, tries: 0, timer: 0 };
    this.pending.set(q.id, q);
    this.view.citizen(q);
    if (this.welcomed) {
      this.sendQuestion(q);
    }
  }

  // feedback sends "was this answer useful"; false when there is no connection.
  feedback(answerID, useful, comment) {
    const msg = { type: "feedback", answer_id: answerID, useful };
    if (comment) {
      msg.comment = comment;
    }
    return this.welcomed && this.conn.send(msg);
  }

  // requestHandoff asks for a person; false when there is no connection.
  requestHandoff() {
    return this.welcomed && this.conn.send({ type: "handoff.request", id: newID() });
  }

  // callback sends a call-back request (the citizen gave consent); false when there
  // is no connection.
  callback({ name, contact, question }) {
    const id = newID();
    if (!this.welcomed || !this.conn.send({ type: "callback", id, name, contact, question, consent: true })) {
      return false;
    }
    this.callbackID = id;
    return true;
  }

  // typing tells an agent that the citizen is typing, at most every few seconds.
  typing() {
    const now = Date.now();
    if (this.state !== "agent" || !this.welcomed || now - this.lastTyping < typingInterval) {
      return;
    }
    if (this.conn.send({ type: "typing" })) {
      this.lastTyping = now;
    }
  }

  token() {
    try {
      return sessionStorage.getItem(this.key) || "";
    } catch (err) {
      return ""; // storage blocked: every page load starts a new conversation
    }
  }

  saveToken(token) {
    try {
      sessionStorage.setItem(this.key, token);
    } catch (err) {
      // storage blocked: see token()
    }
  }

  hello() {
    const msg = { type: "hello", v: 1 };
    const token = this.token();
    if (token) {
      msg.conversation = token;
    }
    this.conn.send(msg);
  }

  lost() {
    this.welcomed = false;
    this.view.connection(false);
    if (this.callbackID) {
      this.callbackID = ""; // it may or may not have arrived: the citizen may send it again
      this.view.callbackFailed({ code: "lost" });
    }
  }

  sendQuestion(q) {
    this.conn.send({ type: "question", id: q.id, text: q.text });
  }

  setState(state) {
    if (typeof state !== "string" || state === "") {
      return;
    }
    this.state = state;
    this.view.state(state);
  }

  // expectsAnswer: does the bot answer questions now? Not while an agent has the
  // conversation: then questions go to the agent as messages.
  expectsAnswer() {
    return this.state !== "agent";
  }

  receive(msg) {
    switch (msg.type) {
      case "welcome":
        this.welcome(msg);
        break;
      case "ack": {
        const q = this.pending.get(msg.id);
        if (q) {
          q.acked = true;
          if (!this.expectsAnswer()) {
            clearTimeout(q.timer);
            this.pending.delete(msg.id);
          }
        }
        this.view.acked(msg.id, msg.seq, Boolean(q) && this.expectsAnswer());
        break;
      }
      case "answer.delta":
        this.view.delta(msg.id, typeof msg.text === "string" ? msg.text : "");
        break;
      case "answer":
        clearTimeout(this.pending.get(msg.id)?.timer);
        this.pending.delete(msg.id);
        this.view.answer(msg);
        break;
      case "message":
        // The message's fields sit beside `type`; a server that nests them under
        // `message` is understood too.
        this.view.message(msg.message && typeof msg.message === "object" ? msg.message : msg);
        break;
      case "feedback.ok":
        this.view.feedbackOk(msg.answer_id);
        break;
      case "handoff":
        this.setState(msg.state);
        this.view.handoff(msg);
        break;
      case "typing":
        this.view.typing(msg.role);
        break;
      case "callback.ok":
        this.callbackID = "";
        this.view.callbackOk(msg);
        break;
      case "error":
        if (msg.id && msg.id === this.callbackID) {
          this.callbackID = "";
          this.view.callbackFailed(msg);
          break;
        }
        if (msg.id && this.pending.has(msg.id) && retryCodes.has(msg.code)) {
          this.retryLater(this.pending.get(msg.id), msg);
          break;
        }
        if (msg.id && this.pending.has(msg.id)) {
          clearTimeout(this.pending.get(msg.id).timer);
          this.pending.delete(msg.id); // refused for good: not sent again
          this.view.failed(msg.id);
        }
        this.view.error(msg);
        break;
      default:
        // A newer server may send more; unknown messages are ignored.
    }
  }

  // retryLater keeps a question the server could not take or answer now and sends it
  // again with the same id after the back-off. The citizen is told once; what was
  // streamed of its answer is dropped (the answer is written anew).
  retryLater(q, msg) {
    if (q.tries === 0) {
      this.view.error(msg);
    }
    this.view.retrying(q.id);
    if (q.acked && this.expectsAnswer()) {
      this.view.acked(q.id, undefined, true);
    }
    const ceiling = Math.min(retryMax, retryBase * 2 ** q.tries);
    q.tries++;
    clearTimeout(q.timer);
    q.timer = setTimeout(() => {
      q.timer = 0;
      if (this.pending.get(q.id) === q && this.welcomed) {
        this.sendQuestion(q); // not welcomed: welcome sends it again
      }
    }, ceiling / 2 + Math.random() * (ceiling / 2));
  }

  // welcome answers hello: keep the token, show the stored conversation instead of
  // what was shown, and send again every question the server does not have or has not
  // answered yet (the server never asks the same id twice).
  welcome(msg) {
    if (typeof msg.conversation === "string" && msg.conversation !== "") {
      this.saveToken(msg.conversation);
    }
    this.conn.established();
    this.welcomed = true;
    const history = Array.isArray(msg.history) ? msg.history.filter((m) => m && typeof m === "object") : [];
    this.setState(msg.state || "bot");
    this.view.connection(true);
    this.view.history(history);

    // Stored questions, and those without a bot answer after them (answers come in order).
    const stored = new Set();
    const open = [];
    for (const m of history) {
      if (m.role === "citizen" && m.id) {
        stored.add(m.id);
        open.push(m.id);
      } else if (m.role === "bot" && open.length > 0) {
        open.shift();
      }
    }
    const unanswered = new Set(open);
    for (const q of [...this.pending.values()]) {
      clearTimeout(q.timer); // sent now, or no longer waiting
      q.timer = 0;
      if (!stored.has(q.id)) {
        q.acked = false;
        this.view.citizen(q);
        this.sendQuestion(q);
      } else if (unanswered.has(q.id) && this.expectsAnswer()) {
        q.acked = true;
        this.view.acked(q.id, undefined, true);
        this.sendQuestion(q);
      } else {
        this.pending.delete(q.id);
      }
    }
  }
}
