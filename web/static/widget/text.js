// Every text the citizen reads in the widget: Dutch, at language level B1.

export const text = {
  launcher: "Stel uw vraag",
  title: "Digitale assistent",
  titleOf: (name) => `Digitale assistent gemeente ${name}`,
  close: "Sluiten",
  intro:
    "Ik zoek het antwoord op de websites van de gemeente en de overheid. " +
    "Onder het antwoord staan de bronnen. Mijn antwoord kan fout zijn: " +
    "lees de bron als het belangrijk is.",
  privacyLink: "Wat gebeurt er met mijn gegevens?",
  log: "Gesprek",
  empty: "Stel uw vraag in een paar woorden. Bijvoorbeeld: Hoeveel kost een paspoort?",
  inputLabel: "Uw vraag",
  inputHint: "Typ geen persoonlijke gegevens, zoals uw BSN of adres.",
  keyHint: "Versturen: Enter. Nieuwe regel: Shift + Enter.",
  send: "Versturen",
  handoff: "Praat met een medewerker",
  you: "U",
  bot: "Digitale assistent",
  agent: "Medewerker",
  system: "Melding",
  sources: "Bronnen",
  checkedOn: "gecontroleerd op",
  newWindow: "(opent in nieuw venster)",
  useful: "Was dit antwoord nuttig?",
  yes: "Ja",
  no: "Nee",
  commentLabel: "Wat kunnen we beter doen? (niet verplicht)",
  commentSend: "Reactie versturen",
  thanks: "Bedankt voor uw reactie.",
  thanksComment: "Bedankt. Met uw reactie maken we de antwoorden beter.",
  notSent: "Dit is niet verstuurd, want er is geen verbinding. Probeer het zo nog een keer.",
  sending: "Wordt verstuurd…",
  searching: "Ik zoek het antwoord…",
  disconnected: "Verbinding verbroken. We proberen opnieuw te verbinden…",
  reconnected: "De verbinding is hersteld.",
  agentTyping: "Medewerker typt…",
  tooLong: (max) => `Uw vraag is te lang. Gebruik maximaal ${max} tekens.`,
  noQuestion: "Typ eerst uw vraag.",
  error: "Er ging iets mis. Probeer het later nog een keer.",
  offline: "Er is nu geen medewerker beschikbaar.",
  offerPerson: "Wilt u het liever aan een medewerker van de gemeente vragen?",
  offerNobody: "Er is nu geen medewerker beschikbaar. U kunt wel een terugbelverzoek achterlaten.",
  offerCallback: "Terugbelverzoek achterlaten",
  queuePosition: (n) => `U bent nummer ${n} in de wachtrij.`,
  callback: {
    title: "Terugbelverzoek",
    intro: "Laat uw naam en telefoonnummer of e-mailadres achter. Een medewerker van de gemeente neemt dan contact met u op.",
    name: "Naam",
    contact: "Telefoonnummer of e-mailadres",
    contactHint: "Bijvoorbeeld: 06 12345678 of naam@voorbeeld.nl",
    question: "Uw vraag",
    consent: "Ik geef toestemming dat de gemeente mij hierover belt of mailt. Mijn gegevens worden alleen hiervoor gebruikt.",
    send: "Verstuur",
    noName: "Vul uw naam in.",
    noContact: "Vul uw telefoonnummer of e-mailadres in.",
    badContact: "Dit is geen telefoonnummer of e-mailadres. Bijvoorbeeld: 06 12345678 of naam@voorbeeld.nl.",
    noConsent: "Geef toestemming. Anders mag de gemeente u niet bellen of mailen.",
    thanks: "Bedankt. We hebben uw terugbelverzoek ontvangen.",
    lost: "De verbinding was even weg. Misschien is uw verzoek niet aangekomen. Verstuur het nog een keer."
  }
};

const months = [
  "januari", "februari", "maart", "april", "mei", "juni",
  "juli", "augustus", "september", "oktober", "november", "december"
];

// dutchDate turns "2026-11-22" (or a full ISO time) into "22 november 2026"; anything
// else into "".
export function dutchDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso || ""));
  if (!m) {
    return "";
  }
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) {
    return "";
  }
  return `${day} ${months[month - 1]} ${m[1]}`;
}
