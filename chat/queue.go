package chat

import (
	"context"
)

// handoffMessage handles the hand-off messages of the protocol: handoff.request and
// typing.
func (s *Server) handoffMessage(c *client, m inMessage) {
	switch m.Type {
	case "typing":
		// Only an agent sees typing; the bot ignores it.
	case "handoff.request":
		c.sendJSON(handoffMsg{Type: "handoff", State: "offline", Reason: string(ReasonRequest), Text: offlineText})
	}
}

// offlineText tells a citizen honestly that nobody can take over now.
const offlineText = "Er is nu geen medewerker beschikbaar. Bel de gemeente op 14 gevolgd door het netnummer, " +
	"op werkdagen van 9.00 tot 17.00 uur."

type handoffMsg struct {
	Type     string `json:"type"`
	State    string `json:"state"`
	Reason   string `json:"reason,omitempty"`
	Text     string `json:"text,omitempty"`
	Position int    `json:"position,omitempty"`
}

// afterCitizenMessage runs after a citizen's message was stored.
func (s *Server) afterCitizenMessage(c *client, m Message) {}

// botAnswers reports whether the bot may answer in the conversation now.
func (s *Server) botAnswers(ctx context.Context, c *client) bool { return true }

// afterAnswer runs after an answer was stored and sent.
func (s *Server) afterAnswer(ctx context.Context, c *client, a Answer) {}
