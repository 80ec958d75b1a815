// The evaluator workbench: sample rounds of logged answers, score them blind on the
// rubric (going back to change one's own earlier scores), read the report. It speaks
// the JSON API under /eval/api/ and reads the CSRF token from /staff/session. All
// server text goes in as text nodes (el).
import { el } from "./dom.js";

const $ = (id) => document.getElementById(id);
const nl = (x, digits = 2) => x.toLocaleString("nl-NL", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const outcomeNames = { answered: "Beantwoord", refused: "Geweigerd", handoff: "Doorverbonden" };

// items: the round's items in order, each with whether this evaluator scored it;
// position: that of the item on screen (one past the last when all are done).
const state = { csrf: "", rubric: [], rounds: [], round: null, items: [], position: 0, item: null, seq: 0 };

class APIError extends Error {}

async function api(method, path, body) {
  const opts = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.headers["X-CSRF-Token"] = state.csrf;
    opts.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, opts);
  } catch {
    throw new APIError("Geen verbinding met de server. Probeer het opnieuw.");
  }
  if (res.status === 401) {
    location.assign("/staff/login?next=%2Feval%2F");
    throw new APIError("U bent niet (meer) ingelogd.");
  }
  if (res.status === 204) {
    return null;
  }
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    throw new APIError(data.error || "Er ging iets mis. Probeer het later opnieuw.");
  }
  return data;
}

function alertError(err) {
  $("ev-alert").textContent = err instanceof APIError ? err.message : "Er ging iets mis. Probeer het later opnieuw.";
  if (!(err instanceof APIError)) {
    console.warn(err);
  }
}

function clearAlert() {
  $("ev-alert").textContent = "";
}

function show(view) {
  $("ev-home").hidden = view !== "home";
  $("ev-score").hidden = view !== "score";
  $("ev-report").hidden = view !== "report";
}

// --- rounds ---------------------------------------------------------------

async function loadRounds() {
  const data = await api("GET", "/eval/api/rounds");
  state.rubric = data.rubric;
  state.rounds = data.rounds;
  const list = $("ev-rounds");
  list.replaceChildren(...data.rounds.map(roundItem));
  $("ev-rounds-empty").hidden = data.rounds.length > 0;
}

function roundItem(r) {
  const created = new Date(r.created_at).toLocaleDateString("nl-NL", { day: "numeric", month: "long", year: "numeric" });
  const score = el("button", { type: "button", class: "ev-button" }, r.scored < r.items ? "Beoordelen" : "Bekijken");
  score.addEventListener("click", () => openScoring(r).catch(alertError));
  const report = el("button", { type: "button", class: "ev-button ev-button--secondary" }, "Rapport");
  report.addEventListener("click", () => openReport(r).catch(alertError));
  return el("li", { class: "ev-round", "data-round": r.id },
    el("h3", { class: "ev-round__name" }, r.name),
    el("p", { class: "ev-meta" }, `${r.items} antwoorden · samengesteld op ${created} · u heeft ${r.scored} van ${r.items} beoordeeld`),
    el("div", { class: "ev-round__actions", role: "group", "aria-label": `Ronde ${r.name}` },
      score, report,
      el("a", { class: "ev-link", href: `/eval/api/rounds/${r.id}/export.csv`, download: `ronde-${r.id}.csv` }, "Exporteer CSV")));
}

async function sample(ev) {
  ev.preventDefault();
  clearAlert();
  const name = $("ev-name").value.trim();
  const days = Number($("ev-days").value);
  const n = Number($("ev-n").value);
  const error = $("ev-new-error");
  let bad = null;
  if (!name) {
    bad = ["ev-name", "Geef de ronde een naam."];
  } else if (!Number.isInteger(days) || days < 1 || days > 366) {
    bad = ["ev-days", "Kies een periode van 1 tot 366 dagen."];
  } else if (!Number.isInteger(n) || n < 1 || n > 1000) {
    bad = ["ev-n", "Kies een aantal van 1 tot 1000 antwoorden."];
  }
  for (const id of ["ev-name", "ev-days", "ev-n"]) {
    $(id).removeAttribute("aria-invalid");
    $(id).removeAttribute("aria-describedby");
  }
  if (bad) {
    error.textContent = bad[1];
    $(bad[0]).setAttribute("aria-invalid", "true");
    $(bad[0]).setAttribute("aria-describedby", "ev-new-error");
    $(bad[0]).focus();
    return;
  }
  error.textContent = "";
  const button = $("ev-sample");
  button.disabled = true;
  try {
    const r = await api("POST", "/eval/api/rounds", { since_days: days, n, name });
    $("ev-new").reset();
    await loadRounds();
    $("ev-announce").textContent = `Ronde ${r.name} is samengesteld met ${r.items} antwoorden.`;
    await openScoring(state.rounds.find((x) => x.id === r.id) || r);
  } catch (err) {
    error.textContent = err instanceof APIError ? err.message : "Er ging iets mis. Probeer het later opnieuw.";
  } finally {
    button.disabled = false;
  }
}

// --- scoring ----------------------------------------------------------------

function scaleOptions(item) {
  if (item.min === 0 && item.max === 1) {
    return [[0, "Nee"], [1, "Ja"]];
  }
  const words = { 1: "slecht", 5: "goed" };
  const out = [];
  for (let v = item.min; v <= item.max; v++) {
    out.push([v, words[v] ? `${v} (${words[v]})` : String(v)]);
  }
  return out;
}

function buildRubric() {
  const box = $("ev-rubric");
  box.replaceChildren(...state.rubric.map((item) =>
    el("fieldset", { class: "ev-scale", "data-key": item.key },
      el("legend", {}, item.label),
      el("div", { class: "ev-scale__options" },
        scaleOptions(item).map(([v, label]) => {
          const id = `ev-${item.key}-${v}`;
          return el("span", { class: "ev-option" },
            el("input", { type: "radio", id, name: item.key, value: v, required: true }),
            el("label", { for: id }, label));
        })))));
}

async function openScoring(round) {
  clearAlert();
  state.round = round;
  state.items = [];
  if (!$("ev-rubric").firstChild) {
    buildRubric();
  }
  $("ev-score-title").textContent = `Beoordelen: ${round.name}`;
  $("ev-overview").open = false;
  show("score");
  await loadItems();
  await nextItem();
}

// load runs one request for the scoring view and drops its answer when a later one
// was started meanwhile (a quick "Vorig antwoord, Vorig antwoord").
async function load(path) {
  const seq = ++state.seq;
  const data = await api("GET", path);
  return seq === state.seq ? data : null;
}

async function loadItems() {
  const data = await api("GET", `/eval/api/rounds/${state.round.id}/items`);
  state.items = data.items;
  renderItems();
}

// renderItems shows the overview of the round's items, marks the one on screen and
// sets which step buttons apply.
function renderItems() {
  const scored = state.items.filter((x) => x.scored).length;
  $("ev-overview-summary").textContent = `Overzicht van de antwoorden (${scored} van ${state.items.length} beoordeeld)`;
  $("ev-items").replaceChildren(...state.items.map((x) =>
    el("li", {},
      el("button", { type: "button", class: "ev-itemlink", "data-item": x.id, "aria-current": x.position === state.position ? "true" : null },
        el("span", { class: "ev-itemlink__pos" }, `Antwoord ${x.position}`),
        el("span", { class: "ev-itemlink__question" }, x.question),
        el("span", { class: x.scored ? "ev-itemlink__state ev-itemlink__state--done" : "ev-itemlink__state" },
          x.scored ? "beoordeeld" : "nog niet beoordeeld")))));
  $("ev-prev").disabled = !state.items.some((x) => x.position < state.position);
  $("ev-next").disabled = !state.items.some((x) => x.position > state.position);
}

function progress(text, scored, total) {
  $("ev-progress-text").textContent = text;
  $("ev-progress").max = Math.max(total, 1);
  $("ev-progress").value = scored;
}

async function nextItem() {
  const it = await load(`/eval/api/rounds/${state.round.id}/next`);
  if (it) {
    showItem(it);
  }
}

async function openItem(id) {
  clearAlert();
  const it = await load(`/eval/api/rounds/${state.round.id}/items/${id}`);
  if (it) {
    showItem(it);
  }
}

// step opens the item before (-1) or after (+1) the one on screen, without saving.
function step(delta) {
  const target = state.items.find((x) => x.position === state.position + delta);
  if (target) {
    openItem(target.id).catch(alertError);
  }
}

function showItem(it) {
  if (it.done) {
    state.item = null;
    state.position = state.items.length + 1;
    $("ev-item").hidden = true;
    $("ev-done").hidden = false;
    progress(`${it.scored} van ${it.total} beoordeeld`, it.scored, it.total);
    $("ev-done-text").textContent = "U heeft alle antwoorden van deze ronde beoordeeld. Dank u wel.";
    renderItems();
    $("ev-done-text").focus();
    return;
  }
  state.item = it;
  state.position = it.position;
  $("ev-item").hidden = false;
  $("ev-done").hidden = true;
  progress(`Antwoord ${it.position} van ${it.total} · ${it.scored} beoordeeld`, it.scored, it.total);
  $("ev-question").textContent = it.question;
  $("ev-answer").textContent = it.answer;
  $("ev-sources").replaceChildren(...it.citations.map((c) =>
    el("li", { class: "ev-source" },
      el("p", { class: "ev-source__title" }, `[${c.n}] `, el("a", { href: c.url, rel: "noopener noreferrer", target: "_blank" }, c.title || c.url)),
      c.passages.map((p) => el("blockquote", { class: "ev-passage" },
        p.headings ? el("p", { class: "ev-meta" }, p.headings) : null,
        el("p", {}, p.body))))));
  $("ev-sources-empty").hidden = it.citations.length > 0;
  $("ev-form").reset();
  $("ev-form-error").textContent = "";
  // Only ever the evaluator's own earlier score: the API sends no one else's.
  if (it.mine) {
    for (const item of state.rubric) {
      const radio = $(`ev-${item.key}-${it.mine[item.key]}`);
      if (radio) {
        radio.checked = true;
      }
    }
    $("ev-comment").value = it.mine.comment;
  }
  $("ev-mine-note").hidden = !it.mine;
  if (it.mine) {
    $("ev-announce").textContent = `Antwoord ${it.position}: u heeft dit al beoordeeld, uw score staat ingevuld.`;
  }
  $("ev-save").textContent = it.mine ? "Wijziging opslaan" : "Opslaan en volgende";
  renderItems();
  const first = document.querySelector("#ev-rubric fieldset");
  if (first) {
    (first.querySelector("input:checked") || first.querySelector("input")).focus();
  }
}

function fieldsets() {
  return [...document.querySelectorAll("#ev-rubric fieldset")];
}

// currentFieldset is the rubric question the keyboard works on: the one holding the
// focus, else the first one not answered yet.
function currentFieldset() {
  const fs = document.activeElement && document.activeElement.closest ? document.activeElement.closest("#ev-rubric fieldset") : null;
  return fs || fieldsets().find((f) => !f.querySelector("input:checked")) || null;
}

function onKey(ev) {
  if ($("ev-score").hidden || ev.altKey || ev.ctrlKey || ev.metaKey) {
    return;
  }
  const inText = ev.target instanceof HTMLTextAreaElement || (ev.target instanceof HTMLInputElement && ev.target.type !== "radio");
  if (!inText && (ev.key === "<" || ev.key === "," || ev.key === ">" || ev.key === ".")) {
    ev.preventDefault();
    step(ev.key === "<" || ev.key === "," ? -1 : 1);
    return;
  }
  if (!state.item) {
    return;
  }
  if (ev.key === "Enter" && !ev.shiftKey && !(ev.target instanceof HTMLButtonElement) && !(ev.target instanceof HTMLAnchorElement)) {
    if (ev.target.closest && ev.target.closest("#ev-form")) {
      ev.preventDefault();
      save().catch(alertError);
    }
    return;
  }
  if (inText || !/^[0-9]$/.test(ev.key)) {
    return;
  }
  const fs = currentFieldset();
  if (!fs) {
    return;
  }
  const radio = fs.querySelector(`input[value="${ev.key}"]`);
  if (!radio) {
    return;
  }
  ev.preventDefault();
  radio.checked = true;
  const all = fieldsets();
  const next = all[all.indexOf(fs) + 1];
  if (next) {
    (next.querySelector("input:checked") || next.querySelector("input")).focus();
  } else {
    $("ev-save").focus();
  }
}

async function save() {
  const rating = {};
  for (const fs of fieldsets()) {
    const checked = fs.querySelector("input:checked");
    if (!checked) {
      $("ev-form-error").textContent = `Beantwoord eerst: ${fs.querySelector("legend").textContent}.`;
      fs.querySelector("input").focus();
      return;
    }
    rating[fs.dataset.key] = Number(checked.value);
  }
  rating.comment = $("ev-comment").value;
  $("ev-form-error").textContent = "";
  const button = $("ev-save");
  if (button.disabled) {
    return;
  }
  button.disabled = true;
  const it = state.item;
  try {
    await api("POST", `/eval/api/rounds/${state.round.id}/items/${it.id}/score`, rating);
    const ref = state.items.find((x) => x.id === it.id);
    if (ref) {
      ref.scored = true;
    }
    $("ev-announce").textContent = it.mine ? `Wijziging van antwoord ${it.position} opgeslagen.` : "Opgeslagen.";
    await nextItem();
  } finally {
    button.disabled = false;
  }
}

// --- report -----------------------------------------------------------------

function meansTable(rep) {
  const groups = [
    ...[rep.overall].map((m) => ["Alle antwoorden", m]),
    ...rep.by_outcome.map((m) => [`Uitkomst: ${outcomeNames[m.group] || m.group}`, m]),
    ...rep.by_municipality.map((m) => [`Gemeente: ${m.group}`, m]),
    ...rep.by_day.map((m) => [`Dag: ${m.group}`, m]),
  ];
  return el("table", { class: "ev-table" },
    el("caption", {}, "Gemiddelde score per vraag en groep (doorverbinden: aandeel ja)"),
    el("thead", {}, el("tr", {},
      el("th", { scope: "col" }, "Groep"),
      el("th", { scope: "col" }, "Scores"),
      rep.rubric.map((r) => el("th", { scope: "col" }, r.label)))),
    el("tbody", {}, groups.map(([name, m]) => el("tr", {},
      el("th", { scope: "row" }, name),
      el("td", {}, String(m.scores)),
      m.means.map((v) => el("td", {}, m.scores ? nl(v) : "–"))))));
}

function kappaTable(rep) {
  const label = Object.fromEntries(rep.rubric.map((r) => [r.key, r.label]));
  return el("table", { class: "ev-table" },
    el("caption", {}, "Overeenstemming tussen de eerste twee beoordelaars (Cohens kappa)"),
    el("thead", {}, el("tr", {},
      el("th", { scope: "col" }, "Vraag"),
      el("th", { scope: "col" }, "Kappa"),
      el("th", { scope: "col" }, "Antwoorden met twee beoordelingen"))),
    el("tbody", {}, rep.agreement.map((a) => el("tr", {},
      el("th", { scope: "row" }, label[a.key] || a.key),
      el("td", {}, a.kappa === null ? "niet te bepalen" : nl(a.kappa)),
      el("td", {}, String(a.items))))));
}

function feedbackText(row) {
  if (row.feedback_useful === null) {
    return "geen";
  }
  const verdict = row.feedback_useful ? "nuttig" : "niet nuttig";
  return row.feedback_comment ? `${verdict}: “${row.feedback_comment}”` : verdict;
}

function scoresTable(rep) {
  return el("table", { class: "ev-table ev-table--scores" },
    el("caption", {}, "Alle beoordelingen, met de beoordeling door de inwoner"),
    el("thead", {}, el("tr", {},
      el("th", { scope: "col" }, "Nr."),
      el("th", { scope: "col" }, "Vraag"),
      el("th", { scope: "col" }, "Uitkomst"),
      el("th", { scope: "col" }, "Beoordelaar"),
      rep.rubric.map((r) => el("th", { scope: "col" }, r.label)),
      el("th", { scope: "col" }, "Opmerking"),
      el("th", { scope: "col" }, "Inwoner"))),
    el("tbody", {}, rep.rows.map((row) => el("tr", {},
      el("td", {}, String(row.position)),
      el("td", {}, row.question),
      el("td", {}, outcomeNames[row.outcome] || row.outcome),
      el("td", {}, row.evaluator),
      rep.rubric.map((r) => el("td", {}, String(row.score[r.key]))),
      el("td", {}, row.score.comment),
      el("td", { class: "ev-feedback" }, feedbackText(row))))));
}

async function openReport(round) {
  clearAlert();
  const rep = await api("GET", `/eval/api/rounds/${round.id}/report`);
  $("ev-report-title").textContent = `Rapport: ${rep.round.name}`;
  $("ev-report-export").href = `/eval/api/rounds/${round.id}/export.csv`;
  $("ev-report-export").setAttribute("download", `ronde-${round.id}.csv`);
  const body = $("ev-report-body");
  if (rep.rows.length === 0) {
    body.replaceChildren(el("p", { class: "ev-empty" }, "Er zijn nog geen beoordelingen in deze ronde."));
  } else {
    body.replaceChildren(
      el("div", { class: "ev-scroll", tabindex: "0", role: "region", "aria-label": "Gemiddelden" }, meansTable(rep)),
      el("div", { class: "ev-scroll", tabindex: "0", role: "region", "aria-label": "Overeenstemming" }, kappaTable(rep)),
      el("div", { class: "ev-scroll", tabindex: "0", role: "region", "aria-label": "Beoordelingen" }, scoresTable(rep)));
  }
  show("report");
  $("ev-report-title").focus();
}

async function home() {
  clearAlert();
  state.round = null;
  state.item = null;
  state.seq++;
  show("home");
  await loadRounds();
  $("ev-rounds-title").focus();
}

async function logout() {
  try {
    await fetch("/staff/logout", { method: "POST", headers: { "X-CSRF-Token": state.csrf }, credentials: "same-origin" });
  } finally {
    location.assign("/staff/login?next=%2Feval%2F");
  }
}

async function start() {
  const res = await fetch("/staff/session", { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!res.ok) {
    location.assign("/staff/login?next=%2Feval%2F");
    return;
  }
  const s = await res.json();
  state.csrf = s.csrf;
  $("ev-user").textContent = `Ingelogd als ${s.name || s.email} · ${s.municipality}`;
  $("ev-new").addEventListener("submit", sample);
  $("ev-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    save().catch(alertError);
  });
  document.addEventListener("keydown", onKey);
  $("ev-score-back").addEventListener("click", () => home().catch(alertError));
  $("ev-report-back").addEventListener("click", () => home().catch(alertError));
  $("ev-prev").addEventListener("click", () => step(-1));
  $("ev-next").addEventListener("click", () => step(1));
  $("ev-items").addEventListener("click", (ev) => {
    const button = ev.target.closest("button[data-item]");
    if (button) {
      openItem(Number(button.dataset.item)).catch(alertError);
    }
  });
  $("ev-logout").addEventListener("click", () => logout());
  await loadRounds();
  document.body.dataset.ready = "true";
}

start().catch(alertError);
