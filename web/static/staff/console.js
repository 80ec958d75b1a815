// The staff console: who is logged in (GET /staff/session), the live queue of the
// municipality and the open conversation, over the websocket /staff/ws (the staff part
// of docs/protocol.md). One click on "Overnemen" claims a conversation and opens its
// transcript with the reply box focused.

import { Connection } from "./connection.js";
import { el } from "./dom.js";
import { text, priorityLabel, reasonLabel, waited } from "./text.js";
import { render, waitingItem, heldItem, colleagueItem, callbackItem } from "./lists.js";
import { Pane, mine } from "./pane.js";

const freshShown = 10000; // ms a new waiting conversation stays highlighted
const keepAliveEvery = 5 * 60 * 1000; // ms; see keepAlive
const tick = 1000; // ms between updates of the waiting times

const $ = (id) => document.getElementById(id);

// validItem keeps queue items and call-backs that have what the console needs.
const validItem = (i) => i && typeof i === "object" && Number.isInteger(i.conversation) && i.conversation > 0;
const validCallback = (c) => c && typeof c === "object" && Number.isInteger(c.id);

class Console {
  constructor() {
    this.me = 0; // account id, from welcome
    this.supervisor = false; // only a team lead may read along with a colleague (the server checks it)
    this.csrf = "";
    this.items = [];
    this.callbacks = [];
    this.online = 0;
    this.known = null; // ids of the waiting conversations last shown; null before the first queue
    this.fresh = new Map(); // conversation id → until when it is marked new
    this.unread = new Set(); // held conversations with a citizen message not yet seen
    this.held = new Set(); // ids of the conversations this agent held at the last queue
    this.following = new Set(); // held conversations asked for with open on this connection
    this.convs = new Map(); // followed conversations: id → {id, state, handoff, messages, note}
    this.pending = new Map(); // request id → {type, conv, text}
    this.claimTarget = 0;
    this.openTarget = 0;
    this.nextID = 0;
    this.opened = false; // the current connection attempt got through
    this.expiredShown = false;
    this.lastKeepAlive = Date.now(); // loading the page just extended the session

    this.alert = $("sc-alert");
    this.announcer = $("sc-announce");
    this.connection = $("sc-connection");
    this.flash = $("sc-flash");
    this.flashUntil = 0;
    this.pane = new Pane(document, {
      reply: (conv, t) => this.request("reply", { conversation_id: conv, text: t }, { conv, text: t }),
      typing: (conv) => {
        this.keepAlive();
        this.conn.send({ type: "typing", conversation_id: conv });
      },
      handback: (conv) => this.request("handback", { conversation_id: conv }, { conv }),
      colleagues: (conv) => this.request("colleagues", {}, { conv }),
      transfer: (conv, to) => this.request("transfer", { conversation_id: conv, to }, { conv }),
      close: (conv, outcome) => this.request("close", { conversation_id: conv, outcome }, { conv }),
      hide: (conv) => this.hide(conv)
    });

    const url = new URL("/staff/ws", location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    this.conn = new Connection(url.href, {
      open: () => { this.opened = true; },
      message: (msg) => this.receive(msg),
      close: (ev) => this.lost(ev)
    });

    $("sc-logout").addEventListener("click", () => this.logout());
    window.addEventListener("online", () => this.conn.now());
    setInterval(() => this.tick(), tick);
  }

  async start() {
    let session = null;
    try {
      const res = await fetch("/staff/session", { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (res.status === 401) {
        this.expired();
        return;
      }
      if (res.ok) {
        session = await res.json();
      }
    } catch (err) {
      session = null;
    }
    if (session && typeof session === "object") {
      this.csrf = String(session.csrf || "");
      this.supervisor = session.role === "supervisor";
      const user = $("sc-user");
      user.replaceChildren(`${text.loggedInAs} `, el("strong", {}, String(session.name || session.email || "")),
        session.role === "supervisor" ? ` (${text.supervisor})` : "",
        session.municipality ? ` · ${session.municipality}` : "");
    } else {
      this.showAlert(text.sessionFailed);
    }
    this.conn.start();
  }

  // keepAlive extends the session while the agent works. The server checks the
  // session on every websocket message but does not extend it there; a page request
  // through the session check does.
  keepAlive() {
    const now = Date.now();
    if (now - this.lastKeepAlive < keepAliveEvery) {
      return;
    }
    this.lastKeepAlive = now;
    fetch("/staff/", { method: "HEAD", credentials: "same-origin", cache: "no-store" }).catch(() => {});
  }

  // request sends a message with an id that comes back in its ok or error; false when
  // there is no connection.
  request(type, fields, what) {
    this.keepAlive();
    const id = `r${++this.nextID}`;
    if (!this.conn.send({ type, id, ...fields })) {
      this.showAlert(text.notSent);
      return false;
    }
    this.pending.set(id, { type, ...what });
    this.showAlert("");
    return true;
  }

  showAlert(message) {
    this.alert.textContent = message;
  }

  announce(message) {
    // Cleared first, so that the same words twice are read twice.
    this.announcer.textContent = "";
    setTimeout(() => { this.announcer.textContent = message; }, 50);
  }

  lost(ev) {
    const opened = this.opened;
    this.opened = false;
    // Requests on the lost connection get no answer; the agent sees the state anew
    // after the reconnect and can act again.
    this.pending.clear();
    this.following.clear();
    this.claimTarget = 0;
    this.openTarget = 0;
    if (ev && ev.code === 4001) {
      this.expired();
      return;
    }
    this.setConnection(false);
    if (!opened) {
      // The handshake failed: perhaps the session is gone (the server answers 401).
      fetch("/staff/session", { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((res) => { if (res.status === 401) this.expired(); })
        .catch(() => {});
    }
  }

  setConnection(up) {
    this.connection.textContent = up ? text.connected : text.disconnected;
    this.connection.className = `sc-connection sc-connection--${up ? "up" : "down"}`;
  }

  expired() {
    if (this.expiredShown) {
      return;
    }
    this.expiredShown = true;
    this.conn.stop();
    this.connection.textContent = "";
    $("sc-layout").hidden = true;
    $("sc-logout").hidden = true;
    this.showAlert("");
    document.title = text.title;
    const box = $("sc-expired");
    box.hidden = false;
    $("sc-expired-title").focus();
  }

  receive(msg) {
    switch (msg.type) {
      case "welcome":
        this.me = Number.isInteger(msg.account_id) ? msg.account_id : 0;
        this.conn.established();
        this.setConnection(true);
        if (this.pane.showing()) {
          this.conn.send({ type: "open", conversation_id: this.pane.showing() });
        }
        break;
      case "queue":
        this.queue(msg);
        break;
      case "conversation":
        this.conversation(msg);
        break;
      case "message":
        this.message(msg);
        break;
      case "state": {
        const c = this.convs.get(msg.conversation);
        if (c) {
          c.state = String(msg.state || "");
          c.handoff = msg.handoff && typeof msg.handoff === "object" ? msg.handoff : null;
          this.pane.update(c, this.me);
        }
        break;
      }
      case "typing":
        if (msg.conversation === this.pane.showing() && msg.role === "citizen") {
          this.pane.typing();
        }
        break;
      case "colleagues":
        this.pane.colleagues(msg.colleagues);
        break;
      case "ok":
        this.ok(msg);
        break;
      case "error":
        this.error(msg);
        break;
      default:
        // A newer server may send more; unknown messages are ignored.
    }
  }

  queue(msg) {
    this.items = Array.isArray(msg.items) ? msg.items.filter(validItem) : [];
    this.callbacks = Array.isArray(msg.callbacks) ? msg.callbacks.filter(validCallback) : [];
    this.online = Number.isInteger(msg.online) ? msg.online : 0;
    const waiting = this.items.filter((i) => !i.claimed_by);
    if (this.known) {
      const fresh = waiting.filter((i) => !this.known.has(i.conversation));
      if (fresh.length > 0) {
        const until = Date.now() + freshShown;
        for (const i of fresh) {
          this.fresh.set(i.conversation, until);
        }
        this.announce(fresh.map((i) => text.newInQueue(`${priorityLabel(i.priority)}, ${reasonLabel(i.reason, i.topic)}`)).join(" "));
        this.flash.textContent = text.newInQueueFlash(fresh.length);
        this.flash.hidden = false;
        this.flashUntil = until;
      }
    }
    // Conversations given to this agent elsewhere (a colleague transferred one, or
    // another tab claimed it) are followed too, so that new messages show.
    const held = this.items.filter((i) => i.claimed_by === this.me).map((i) => i.conversation);
    for (const id of held) {
      if (!this.convs.has(id) && !this.following.has(id)) {
        this.following.add(id);
        this.conn.send({ type: "open", conversation_id: id });
        if (this.known && !this.held.has(id)) {
          this.announce(text.givenToYou(id));
        }
      }
    }
    this.held = new Set(held);
    this.known = new Set(waiting.map((i) => i.conversation));
    for (const id of this.unread) {
      if (!this.items.some((i) => i.conversation === id && i.claimed_by === this.me)) {
        this.unread.delete(id);
      }
    }
    this.renderLists();
  }

  renderLists() {
    const now = Date.now();
    const shown = this.pane.showing();
    const waiting = this.items.filter((i) => !i.claimed_by);
    const held = this.items.filter((i) => i.claimed_by && i.claimed_by === this.me);
    const others = this.items.filter((i) => i.claimed_by && i.claimed_by !== this.me);
    const claim = (id) => this.claim(id);
    const open = (id) => this.open(id);
    render($("sc-queue"), $("sc-queue-empty"), $("sc-queue-title"),
      waiting.map((i) => waitingItem(i, {
        fresh: (this.fresh.get(i.conversation) || 0) > now, onClaim: claim,
        onSeen: (id) => this.request("seen", { conversation_id: id }, { conv: id })
      })));
    render($("sc-mine"), $("sc-mine-empty"), $("sc-mine-title"),
      held.map((i) => heldItem(i, { selected: i.conversation === shown, unread: this.unread.has(i.conversation), onOpen: open })));
    render($("sc-others"), $("sc-others-empty"), $("sc-others-title"),
      others.map((i) => colleagueItem(i, { selected: i.conversation === shown, onOpen: this.supervisor ? open : null })));
    render($("sc-callbacks"), $("sc-callbacks-empty"), $("sc-callbacks-title"),
      this.callbacks.map((cb) => callbackItem(cb, { onDone: (id) => this.request("callback.done", { callback_id: id }, {}) })));
    $("sc-queue-count").textContent = String(waiting.length);
    $("sc-callbacks-count").textContent = String(this.callbacks.length);
    $("sc-online").textContent = text.online(this.online);
    document.title = waiting.length > 0 ? `(${waiting.length}) ${text.title}` : text.title;
  }

  tick() {
    const now = Date.now();
    for (const span of document.querySelectorAll("[data-since]")) {
      const t = waited(span.dataset.since, now);
      if (span.textContent !== t) {
        span.textContent = t;
      }
    }
    for (const [id, until] of this.fresh) {
      if (until <= now) {
        this.fresh.delete(id);
        document.querySelector(`#sc-queue [data-conversation="${id}"]`)?.classList.remove("sc-item--new");
      }
    }
    if (!this.flash.hidden && this.flashUntil <= now) {
      this.flash.hidden = true;
    }
  }

  claim(id) {
    if (this.request("claim", { conversation_id: id }, { conv: id })) {
      this.claimTarget = id;
    }
  }

  open(id) {
    if (this.request("open", { conversation_id: id }, { conv: id })) {
      this.openTarget = id;
    }
  }

  // hide closes the pane. A conversation the agent holds is still followed, so that
  // "Mijn gesprekken" shows the citizen's new messages; others are let go.
  hide(id) {
    const c = this.convs.get(id);
    if (id && !mine(c, this.me)) {
      this.conn.send({ type: "close.view", conversation_id: id });
      this.convs.delete(id);
    }
    this.pane.hide();
    this.renderLists();
    $("sc-queue-title").focus();
  }

  conversation(msg) {
    const id = msg.conversation;
    if (!Number.isInteger(id)) {
      return;
    }
    const messages = new Map();
    for (const m of Array.isArray(msg.messages) ? msg.messages : []) {
      if (m && typeof m === "object" && Number.isInteger(m.seq)) {
        messages.set(m.seq, m);
      }
    }
    const old = this.convs.get(id);
    const c = {
      id,
      state: String(msg.state || ""),
      handoff: msg.handoff && typeof msg.handoff === "object" ? msg.handoff : null,
      messages,
      note: old ? old.note : ""
    };
    this.convs.set(id, c);
    if (this.claimTarget === id) {
      this.claimTarget = 0;
      this.select(c, "reply");
    } else if (this.openTarget === id) {
      this.openTarget = 0;
      this.select(c, "title");
    } else if (this.pane.showing() === id || (!this.pane.showing() && mine(c, this.me))) {
      // Sent again after a reconnect, or a conversation this agent holds, reopened.
      this.select(c, null);
    }
  }

  select(c, focus) {
    this.unread.delete(c.id);
    this.pane.show(c, this.me, focus);
    this.renderLists();
  }

  message(msg) {
    const c = this.convs.get(msg.conversation);
    const m = msg.message;
    if (!c || !m || typeof m !== "object" || !Number.isInteger(m.seq) || c.messages.has(m.seq)) {
      return;
    }
    c.messages.set(m.seq, m);
    if (this.pane.showing() === c.id) {
      this.pane.append(m);
    } else if (m.role === "citizen" && mine(c, this.me)) {
      this.unread.add(c.id);
      this.renderLists();
      this.announce(text.newFromCitizen(c.id));
    }
  }

  ok(msg) {
    const p = this.pending.get(msg.id);
    this.pending.delete(msg.id);
    if (!p) {
      return;
    }
    const c = this.convs.get(p.conv);
    switch (p.type) {
      case "handback":
        if (c) this.pane.note(c, text.handedBack);
        break;
      case "close":
        if (c) this.pane.note(c, text.closed);
        break;
      case "transfer":
        if (c) this.pane.note(c, text.transferred);
        break;
      case "callback.done":
        this.announce(text.callbackDone);
        break;
      case "seen":
        this.announce(text.seenDone(p.conv));
        break;
      default:
    }
  }

  error(msg) {
    if (msg.code === "session_expired") {
      this.expired();
      return;
    }
    const p = this.pending.get(msg.id);
    this.pending.delete(msg.id);
    if (p?.type === "claim" && this.claimTarget === p.conv) {
      this.claimTarget = 0;
    }
    if (p?.type === "open" && this.openTarget === p.conv) {
      this.openTarget = 0;
    }
    if (p?.type === "reply") {
      this.pane.restore(p.conv, p.text);
    }
    if (p?.type === "colleagues") {
      this.pane.colleagues([]);
    }
    const message = typeof msg.message === "string" && msg.message.trim() !== "" ? msg.message : text.errors[msg.code] || text.error;
    this.showAlert(message);
  }

  async logout() {
    try {
      const res = await fetch("/staff/logout", {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRF-Token": this.csrf, Accept: "application/json" }
      });
      if (!res.ok) {
        this.showAlert(text.logoutFailed);
        return;
      }
    } catch (err) {
      this.showAlert(text.logoutFailed);
      return;
    }
    this.conn.stop();
    location.assign("/staff/login");
  }
}

new Console().start();
