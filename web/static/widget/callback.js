// The call-back form, offered when nobody can take over the conversation (a `handoff`
// message with callback: true): name, phone number or e-mail address, the question
// and explicit consent. The server checks everything again; the checks here only help
// the citizen fill it in.

import { el } from "./dom.js";
import { text } from "./text.js";

const maxName = 100;
const maxContact = 254;
const maxQuestion = 1000;

// The same rules as the server's: a phone number of 10–20 digits, spaces, brackets
// and dashes, or something that looks like an e-mail address.
const phoneLike = /^\+?[0-9 ()-]{10,20}$/;
const mailLike = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export class CallbackForm {
  // onSend({name, contact, question}) sends the request and reports whether it could;
  // reveal(node) scrolls the form into view (see Transcript.reveal).
  constructor({ onSend, reveal }) {
    this.onSend = onSend;
    this.reveal = reveal;
    this.sending = false;
    this.name = el("input", {
      id: "vb-cb-name", class: "vb-field", type: "text", autocomplete: "name", maxlength: maxName,
      required: true, "aria-describedby": "vb-cb-name-error"
    });
    this.contact = el("input", {
      id: "vb-cb-contact", class: "vb-field", type: "text", autocomplete: "off", maxlength: maxContact,
      required: true, "aria-describedby": "vb-cb-contact-hint vb-cb-contact-error"
    });
    this.question = el("textarea", { id: "vb-cb-question", class: "vb-input vb-cb-question", rows: "3", maxlength: maxQuestion });
    this.consent = el("input", { id: "vb-cb-consent", type: "checkbox", required: true, "aria-describedby": "vb-cb-consent-error" });
    this.errors = {
      name: el("p", { class: "vb-field-error", id: "vb-cb-name-error" }),
      contact: el("p", { class: "vb-field-error", id: "vb-cb-contact-error" }),
      consent: el("p", { class: "vb-field-error", id: "vb-cb-consent-error" })
    };
    this.status = el("p", { class: "vb-cb-status", id: "vb-cb-status", role: "status" });
    this.alert = el("p", { class: "vb-input-error", id: "vb-cb-alert", role: "alert" });
    this.form = el("form", { class: "vb-cb-form", id: "vb-cb-form", novalidate: true },
      el("label", { for: "vb-cb-name", class: "vb-label" }, text.callback.name),
      this.errors.name,
      this.name,
      el("label", { for: "vb-cb-contact", class: "vb-label" }, text.callback.contact),
      el("p", { class: "vb-hint", id: "vb-cb-contact-hint" }, text.callback.contactHint),
      this.errors.contact,
      this.contact,
      el("label", { for: "vb-cb-question", class: "vb-label" }, text.callback.question),
      this.question,
      this.errors.consent,
      el("div", { class: "vb-check" },
        this.consent,
        el("label", { for: "vb-cb-consent" }, text.callback.consent)),
      this.alert,
      this.status,
      el("button", { type: "submit", class: "vb-button", id: "vb-cb-send" }, text.callback.send));
    this.node = el("section", { class: "vb-callback", id: "vb-callback", "aria-labelledby": "vb-cb-title", hidden: true },
      el("h3", { class: "vb-callback__title", id: "vb-cb-title", tabindex: "-1" }, text.callback.title),
      el("p", {}, text.callback.intro),
      this.form);

    this.form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      this.submit();
    });
    for (const [field, key] of [[this.name, "name"], [this.contact, "contact"], [this.consent, "consent"]]) {
      field.addEventListener(key === "consent" ? "change" : "input", () => this.invalid(field, this.errors[key], ""));
    }
  }

  // shown reports whether the form is on screen.
  shown() {
    return !this.node.hidden;
  }

  // show offers the form, with the question filled in; focus moves to the first
  // field when asked (the citizen just asked for a person).
  show(question, focus) {
    if (this.node.hidden) {
      this.question.value = String(question || "").slice(0, maxQuestion);
      this.alert.textContent = "";
      this.status.textContent = "";
      this.sending = false;
      this.node.hidden = false;
    }
    // Focus does not scroll: reveal decides what stays in view (an emergency's
    // numbers above the form).
    if (focus) {
      this.name.focus({ preventScroll: true });
    }
    this.reveal(this.node);
  }

  hide() {
    this.node.hidden = true;
    this.sending = false;
  }

  // hasFocus reports whether focus is inside the form.
  hasFocus() {
    return this.node.contains(this.node.getRootNode().activeElement);
  }

  invalid(field, line, message) {
    line.textContent = message;
    if (message) {
      field.setAttribute("aria-invalid", "true");
    } else {
      field.removeAttribute("aria-invalid");
    }
  }

  submit() {
    if (this.sending) {
      return;
    }
    const name = this.name.value.trim();
    const contact = this.contact.value.trim();
    const checks = [
      [this.name, "name", name === "" ? text.callback.noName : ""],
      [this.contact, "contact", contact === "" ? text.callback.noContact
        : !phoneLike.test(contact) && !mailLike.test(contact) ? text.callback.badContact : ""],
      [this.consent, "consent", this.consent.checked ? "" : text.callback.noConsent]
    ];
    let first = null;
    for (const [field, key, message] of checks) {
      this.invalid(field, this.errors[key], message);
      if (message && !first) {
        first = field;
      }
    }
    this.alert.textContent = "";
    if (first) {
      first.focus();
      return;
    }
    if (!this.onSend({ name, contact, question: this.question.value.trim() })) {
      this.alert.textContent = text.notSent;
      return;
    }
    this.sending = true;
    this.status.textContent = text.sending;
  }

  // failed shows why the server refused the request; the citizen can try again.
  failed(message) {
    this.sending = false;
    this.status.textContent = "";
    this.alert.textContent = message;
  }
}
