package chat

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/internal/pii"
)

// The citizen's side of the websocket protocol (docs/protocol.md): the messages the
// widget sends and is sent, the error codes with the fixed Dutch text a citizen reads,
// and the checks every incoming message passes before it is handled. The staff
// console's codes and messages are in console.go.

// Error codes of the protocol, with the fixed Dutch text a citizen reads.
const (
	ErrCodeBadJSON     = "bad_json"
	ErrCodeUnknownType = "unknown_type"
	ErrCodeBadRequest  = "bad_request"
	ErrCodeTooLong     = "too_long"
	ErrCodeRateLimited = "rate_limited"
	ErrCodeBusy        = "busy"
	ErrCodeNotFound    = "not_found"
	ErrCodeUnavailable = "unavailable"
)

var errorTexts = map[string]string{
	ErrCodeBadJSON:     "Dat bericht kon ik niet lezen. Probeer het opnieuw.",
	ErrCodeUnknownType: "Dat bericht kon ik niet lezen. Probeer het opnieuw.",
	ErrCodeBadRequest:  "Er ging iets mis met uw bericht. Probeer het opnieuw.",
	ErrCodeTooLong:     "Uw vraag is te lang. Schrijf hem korter, in hoogstens 1000 tekens.",
	ErrCodeRateLimited: "U stelt veel vragen kort na elkaar. Wacht even en probeer het dan opnieuw.",
	ErrCodeBusy:        "Ik ben nog bezig met uw vorige vragen. Een ogenblik geduld.",
	ErrCodeNotFound:    "Dat gesprek of antwoord kon ik niet vinden.",
	ErrCodeUnavailable: "Het lukt nu even niet om uw vraag te beantwoorden. Probeer het over een paar minuten opnieuw. " +
		"Of bel 14 gevolgd door het netnummer van uw gemeente.",
}

// inMessage is any message from the widget; which fields count depends on Type.
type inMessage struct {
	Type         string `json:"type"`
	V            int    `json:"v"`
	Conversation string `json:"conversation"`
	ID           string `json:"id"`
	Text         string `json:"text"`
	AnswerID     int64  `json:"answer_id"`
	Useful       *bool  `json:"useful"`
	Comment      string `json:"comment"`

	// callback
	Name     string `json:"name"`
	Contact  string `json:"contact"`
	Question string `json:"question"`
	Consent  bool   `json:"consent"`

	// staff console
	ConvID     int64  `json:"conversation_id"`
	CallbackID int64  `json:"callback_id"`
	Outcome    string `json:"outcome"`
	To         int64  `json:"to"`
}

type welcomeMsg struct {
	Type         string    `json:"type"`
	Conversation string    `json:"conversation"`
	Resumed      bool      `json:"resumed"`
	State        string    `json:"state"`
	History      []Message `json:"history"`
}

type ackMsg struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Seq  int    `json:"seq"`
}

type deltaMsg struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Text string `json:"text"`
}

type answerMsg struct {
	Type          string            `json:"type"`
	ID            string            `json:"id"`
	AnswerID      int64             `json:"answer_id"`
	Seq           int               `json:"seq"`
	Outcome       answer.Outcome    `json:"outcome"`
	Text          string            `json:"text"`
	Citations     []answer.Citation `json:"citations"`
	HandoffReason string            `json:"handoff_reason"`
	// Offer, for a refusal: "agent" (a person can take over now) or "callback"
	// (nobody can; offer the call-back form).
	Offer string `json:"offer,omitempty"`
}

type feedbackOKMsg struct {
	Type     string `json:"type"`
	AnswerID int64  `json:"answer_id"`
}

type errorMsg struct {
	Type    string `json:"type"`
	Code    string `json:"code"`
	Message string `json:"message"`
	ID      string `json:"id,omitempty"`
	// Conversation names the conversation a staff console's view_closed is about, so
	// that the console (and a test) can tell it from the reply to its own request.
	Conversation int64 `json:"conversation,omitempty"`
}

func knownType(t string) bool {
	switch t {
	case "hello", "question", "feedback", "handoff.request", "typing", "callback":
		return true
	}
	return false
}

// Texts of errors that the code's usual text does not fit.
const (
	badTextText           = "Uw bericht bevat tekens die ik niet kan lezen. Haal ze weg en probeer het opnieuw."
	badIDText             = "Er ging iets mis met uw bericht. Vernieuw de pagina en probeer het opnieuw."
	manyConversationsText = "Er worden vanaf uw adres veel gesprekken kort na elkaar gestart. " +
		"Wacht een paar minuten en probeer het dan opnieuw."
	manyHandoffsText  = "U heeft al gevraagd om een medewerker. Wacht even en probeer het dan opnieuw."
	manyCallbacksText = "U heeft veel terugbelverzoeken kort na elkaar gestuurd. Wacht even en probeer het dan opnieuw."
)

// clientIDRe matches a client message id: an opaque token.
var clientIDRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// validClientID reports whether id is an opaque token (letters, digits, "-" and "_",
// at most 64) and not itself personal data such as a BSN or a phone number: ids are
// stored as they are, without redaction, so nothing a citizen types may end up in one.
func validClientID(id string) bool {
	if !clientIDRe.MatchString(id) {
		return false
	}
	redacted, _ := pii.Redact(id)
	for _, label := range pii.Labels {
		if redacted == label {
			return false
		}
	}
	return true
}

// readableText reports whether a client's message holds only text PostgreSQL can
// store: no NUL character (JSON decoding already replaced invalid UTF-8).
func readableText(m inMessage) bool {
	for _, s := range []string{m.Type, m.Conversation, m.ID, m.Text, m.Comment, m.Name, m.Contact, m.Question, m.Outcome} {
		if strings.ContainsRune(s, 0) || !utf8.ValidString(s) {
			return false
		}
	}
	return true
}

func answerMessage(id string, reply Message) answerMsg {
	cites := reply.Citations
	if cites == nil {
		cites = []answer.Citation{}
	}
	return answerMsg{Type: "answer", ID: id, AnswerID: reply.AnswerID, Seq: reply.Seq, Outcome: reply.Outcome,
		Text: reply.Text, Citations: cites, HandoffReason: reply.HandoffReason}
}
