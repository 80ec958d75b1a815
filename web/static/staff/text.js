// Every text staff read in the console, and how values from the server are shown.
// Staff are civil servants of the contact centre: plain Dutch, "u".

export const text = {
  title: "Klantcontact — Vraagbaak",
  loggedInAs: "Ingelogd als",
  supervisor: "teamleider",
  connecting: "Verbinden…",
  connected: "Verbonden",
  disconnected: "Verbinding verbroken. We verbinden opnieuw…",
  online: (n) => (n === 1 ? "1 medewerker online" : `${n} medewerkers online`),
  claim: "Overnemen",
  seen: "Gezien",
  seenDone: (id) => `Gesprek ${id} is als gezien gemarkeerd en staat niet meer in de wachtrij.`,
  open: "Openen",
  follow: "Meelezen",
  done: "Afgehandeld",
  conversation: (id) => `Gesprek ${id}`,
  noConversation: "Gesprek",
  waiting: "Wacht",
  heldBy: (name) => `Bij ${name || "een collega"}`,
  newMessage: "nieuw bericht",
  newInQueue: (what) => `Nieuw gesprek in de wachtrij: ${what}.`,
  newInQueueFlash: (n) => (n === 1 ? "Er is een nieuw gesprek in de wachtrij." : `Er zijn ${n} nieuwe gesprekken in de wachtrij.`),
  newFromCitizen: (id) => `Nieuw bericht van de inwoner in gesprek ${id}.`,
  givenToYou: (id) => `Gesprek ${id} is aan u doorverbonden.`,
  contact: "Contact",
  question: "Vraag",
  received: "Ontvangen",
  callbackDone: "Het terugbelverzoek is afgehandeld.",
  who: {
    citizen: "Inwoner",
    bot: "Digitale assistent",
    agent: "Medewerker",
    system: "Melding"
  },
  you: "u",
  sources: "Bronnen",
  newWindow: "(opent in nieuw venster)",
  outcome: "Uitkomst",
  outcomes: {
    answered: "beantwoord",
    refused: "geen antwoord gegeven",
    handoff: "doorgezet naar een medewerker"
  },
  reason: "Reden",
  citizenTyping: "Inwoner typt…",
  stateMine: "U heeft dit gesprek. De inwoner ziet uw berichten.",
  stateQueued: "Dit gesprek wacht op een medewerker.",
  stateOther: (name) => `${name || "Een collega"} heeft dit gesprek. U leest mee.`,
  stateBot: "Dit gesprek is bij de digitale assistent.",
  stateClosed: "Dit gesprek is afgesloten.",
  handedBack: "U heeft het gesprek teruggegeven aan de digitale assistent.",
  closed: "U heeft het gesprek afgesloten.",
  transferred: "U heeft het gesprek doorverbonden.",
  noColleagues: "Er is nu geen collega online om naar door te verbinden.",
  chooseColleague: "Kies een collega.",
  chooseOutcome: "Kies eerst de uitkomst van het gesprek.",
  emptyReply: "Typ eerst uw bericht.",
  notSent: "Niet verstuurd: er is geen verbinding. Probeer het zo opnieuw.",
  logoutFailed: "Uitloggen is niet gelukt. Probeer het opnieuw.",
  sessionFailed: "Uw gegevens konden niet worden geladen. Laad de pagina opnieuw.",
  errors: {
    claimed: "Een collega heeft dit gesprek al overgenomen.",
    forbidden: "Dit gesprek hoort niet bij uw gemeente of is niet van u.",
    not_found: "Dat gesprek of verzoek bestaat niet (meer).",
    bad_request: "Dat bericht klopt niet.",
    unavailable: "Dat lukt nu niet. Probeer het zo opnieuw.",
    session_expired: "Uw sessie is verlopen. Log opnieuw in."
  },
  error: "Er ging iets mis. Probeer het opnieuw."
};

// priorities: the queue's priority numbers (docs/protocol.md).
export const priorities = {
  1: "Spoed",
  2: "Gevoelig",
  3: "Persoonlijk",
  4: "Verzoek",
  5: "Complex"
};

// reasons: why a conversation went to staff.
export const reasons = {
  emergency_suicide: "zelfdoding (113)",
  emergency_violence: "geweld (Veilig Thuis)",
  emergency_danger: "direct gevaar (112)",
  sensitive: "gevoelig onderwerp",
  personal: "persoonlijke situatie",
  request: "vraagt om een medewerker",
  complex: "de assistent komt er niet uit"
};

// priorityLabel returns the label of a priority number ("" when unknown).
export function priorityLabel(p) {
  return priorities[p] || "";
}

// reasonLabel returns the reason in words, with the topic when it adds something:
// "gevoelig onderwerp: uitzetting"; "direct gevaar (112) · detector" when the crisis
// detector recognised it.
export function reasonLabel(reason, topic) {
  const r = reasons[reason] || String(reason || "").replace(/_/g, " ");
  if (String(topic || "").startsWith("detector_")) {
    // Recognised by the crisis detector rather than a rule (answer/crisis.go).
    return `${r} · detector`;
  }
  const t = String(topic || "").replace(/_/g, " ").trim();
  if (t === "" || t === "verzoek" || r.includes(t)) {
    return r;
  }
  return r ? `${r}: ${t}` : t;
}

// waited formats how long ago an ISO time was: "45 s", "3 min", "1 u 5 min".
export function waited(iso, now = Date.now()) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) {
    return "";
  }
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 60) {
    return `${s} s`;
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    return `${m} min`;
  }
  return `${Math.floor(m / 60)} u ${m % 60} min`;
}

// clock formats an ISO time as "14:05" in the browser's time zone ("" when invalid).
export function clock(iso) {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) {
    return "";
  }
  return t.toLocaleTimeString("nl-NL", { hour: "2-digit", minute: "2-digit" });
}
