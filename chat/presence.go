package chat

import (
	"context"
	"time"
)

// A staff agent's presence while their console is open: marked online (per instance,
// counted over their consoles), their session re-checked, and marked offline when
// the last console closes. Agent itself and the presence table's queries are in
// queue.go.

// agentPresence keeps the agent marked online and their session valid while the
// console is open; an expired session closes the connection.
func (s *Server) agentPresence(c *client) {
	tick := time.NewTicker(30 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-c.done:
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			s.agentsMu.Lock()
			s.agentConns[c.agent.ID]--
			last := s.agentConns[c.agent.ID] <= 0
			if last {
				delete(s.agentConns, c.agent.ID)
			}
			s.agentsMu.Unlock()
			if last { // another console of this agent on this instance keeps them online
				_ = s.convs.SeeAgent(ctx, *c.agent, s.instance, false)
				// A console that connected meanwhile may have marked them online before
				// that delete; mark them again. One that connects after this check marks
				// them online itself, after the delete.
				s.agentsMu.Lock()
				again := s.agentConns[c.agent.ID] > 0
				s.agentsMu.Unlock()
				if again {
					_ = s.convs.SeeAgent(ctx, *c.agent, s.instance, true)
				}
			}
			_ = s.convs.publish(ctx, event{Kind: eventQueue, Municipality: c.agent.Municipality})
			cancel()
			return
		case <-tick.C:
			if !s.sessionValid(c) {
				return
			}
			ctx, cancel := c.dbContext()
			_ = s.convs.SeeAgent(ctx, *c.agent, s.instance, true)
			cancel()
		}
	}
}

// sessionValid re-checks the agent's session, closing the connection when it expired.
func (s *Server) sessionValid(c *client) bool {
	if s.cfg.CheckSession == nil {
		return true
	}
	ctx, cancel := c.dbContext()
	defer cancel()
	err := s.cfg.CheckSession(ctx, c.session)
	if err == nil {
		return true
	}
	if ctx.Err() != nil {
		return true // the database is slow or away: not the agent's fault
	}
	s.staffError(c, ErrCodeSessionExpired, "")
	c.closeAfterSend(4001, "sessie verlopen")
	return false
}
