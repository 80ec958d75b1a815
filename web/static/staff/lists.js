// The console's lists: the waiting queue, "Mijn gesprekken", the conversations
// colleagues hold, and the call-back requests. Each is rebuilt from the latest `queue`
// message; what goes in comes from the server and is set as text (dom.js).

import { el } from "./dom.js";
import { text, priorityLabel, reasonLabel, waited, clock } from "./text.js";

function hidden(t) {
  return el("span", { class: "sc-visually-hidden" }, t);
}

// render replaces a list's items. Focus inside the list stays on the element with the
// same data-focus key when it is still there, else it moves to the section's heading
// (the item was taken or handled), so a keyboard user is never dropped on <body>.
export function render(list, empty, heading, nodes) {
  const active = list.ownerDocument.activeElement;
  const key = active && list.contains(active) ? active.dataset.focus : undefined;
  list.replaceChildren(...nodes);
  empty.hidden = nodes.length > 0;
  if (key !== undefined) {
    const again = [...list.querySelectorAll("[data-focus]")].find((e) => e.dataset.focus === key);
    (again || heading).focus();
  }
}

// badge shows a priority ("Spoed") with its number in a class for its colour.
function badge(priority) {
  const label = priorityLabel(priority);
  return label ? el("span", { class: `sc-badge sc-badge--p${priority}` }, label) : null;
}

// title reads "Spoed: zelfdoding (113)": the hand-off's most serious reason.
function title(item, id) {
  const b = badge(item.priority);
  return el("h3", { class: "sc-item__title", id },
    b, b ? hidden(":") : null, b ? " " : null, reasonLabel(item.reason, item.topic));
}

function summary(item) {
  return item.summary ? el("p", { class: "sc-item__summary" }, item.summary) : null;
}

// waiting is one conversation waiting for an agent, with its "Overnemen" button. An
// emergency stays waiting until someone has seen it: also when nobody took it over
// (its citizen may be long gone), "Gezien" takes it off the queue.
export function waitingItem(item, { fresh, onClaim, onSeen }) {
  const id = item.conversation;
  const button = el("button", { type: "button", class: "sc-button", "data-focus": `claim-${id}` },
    text.claim, hidden(`: ${text.conversation(id)}, ${priorityLabel(item.priority)}`));
  button.addEventListener("click", () => onClaim(id));
  let seen = null;
  if (String(item.reason || "").startsWith("emergency") && onSeen) {
    seen = el("button", { type: "button", class: "sc-button sc-button--secondary sc-seen", "data-focus": `seen-${id}` },
      text.seen, hidden(`: ${text.conversation(id)}`));
    seen.addEventListener("click", () => onSeen(id));
  }
  return el("li", { class: `sc-item sc-item--p${item.priority}${fresh ? " sc-item--new" : ""}`, "data-conversation": id },
    title(item, `sc-q-${id}`),
    summary(item),
    el("p", { class: "sc-item__meta" },
      `${text.waiting} `, el("span", { class: "sc-since", "data-since": item.requested_at }, waited(item.requested_at)),
      ` · ${text.conversation(id)}`),
    seen ? el("div", { class: "sc-item__actions" }, button, seen) : button);
}

// heldItem is a conversation this agent holds.
export function heldItem(item, { selected, unread, onOpen }) {
  const id = item.conversation;
  const button = el("button", {
    type: "button", class: "sc-button sc-button--secondary", "data-focus": `open-${id}`,
    "aria-current": selected ? "true" : null
  }, text.open, hidden(`: ${text.conversation(id)}`));
  button.addEventListener("click", () => onOpen(id));
  return el("li", { class: `sc-item${selected ? " sc-item--selected" : ""}`, "data-conversation": id },
    title(item, `sc-m-${id}`),
    summary(item),
    el("p", { class: "sc-item__meta" }, text.conversation(id),
      unread ? el("span", { class: "sc-unread" }, text.newMessage) : null),
    button);
}

// colleagueItem is a conversation a colleague holds; a team lead can read along
// (onOpen), other agents only see who has it.
export function colleagueItem(item, { selected, onOpen }) {
  const id = item.conversation;
  let button = null;
  if (onOpen) {
    button = el("button", {
      type: "button", class: "sc-button sc-button--secondary", "data-focus": `follow-${id}`,
      "aria-current": selected ? "true" : null
    }, text.follow, hidden(`: ${text.conversation(id)}`));
    button.addEventListener("click", () => onOpen(id));
  }
  return el("li", { class: `sc-item${selected ? " sc-item--selected" : ""}`, "data-conversation": id },
    title(item, `sc-o-${id}`),
    el("p", { class: "sc-item__meta" }, text.heldBy(item.agent_name), ` · ${text.conversation(id)}`),
    button);
}

// contactLink makes a tel: or mailto: link of what the citizen gave, else plain text.
function contactLink(contact) {
  const c = String(contact || "").trim();
  if (/^[^\s@]+@[^\s@]+$/.test(c)) {
    return el("a", { href: `mailto:${encodeURIComponent(c).replace(/%40/g, "@")}` }, c);
  }
  const digits = c.replace(/[\s()-]/g, "");
  if (/^\+?[0-9]{6,20}$/.test(digits)) {
    return el("a", { href: `tel:${digits}` }, c);
  }
  return c;
}

// callbackItem is a call-back request with its "Afgehandeld" button.
export function callbackItem(cb, { onDone }) {
  const button = el("button", { type: "button", class: "sc-button sc-button--secondary", "data-focus": `done-${cb.id}` },
    text.done, hidden(`: ${cb.name}`));
  button.addEventListener("click", () => onDone(cb.id));
  const received = new Date(cb.created_at);
  const day = Number.isNaN(received.getTime()) ? "" : received.toLocaleDateString("nl-NL", { day: "numeric", month: "long" });
  return el("li", { class: "sc-item", "data-callback": cb.id },
    el("h3", { class: "sc-item__title" }, cb.name),
    el("p", {}, `${text.contact}: `, contactLink(cb.contact)),
    cb.question ? el("p", {}, `${text.question}: `, cb.question) : null,
    el("p", { class: "sc-item__meta" }, `${text.received}: ${day} ${clock(cb.created_at)}`.trim()),
    button);
}
