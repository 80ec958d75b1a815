package chat

import (
	"context"
	"time"

	"github.com/gorilla/websocket"
)

// Hub knows the open connections and which conversation each belongs to. One
// goroutine (Run) owns that state; connections reach it through channels. It delivers
// events to the connections of a conversation and closes every connection on shutdown
// (http.Server.Shutdown does not close hijacked connections).
type Hub struct {
	register   chan *client
	unregister chan *client
	join       chan joinRequest
	deliver    chan delivery
	count      chan chan int
	done       chan struct{}
}

type joinRequest struct {
	c      *client
	convID int64
}

// delivery is a message for every connection of a conversation.
type delivery struct {
	convID int64
	msg    []byte
	except *client
}

// NewHub returns a hub; start it with Run.
func NewHub() *Hub {
	return &Hub{
		register:   make(chan *client),
		unregister: make(chan *client),
		join:       make(chan joinRequest),
		deliver:    make(chan delivery, 64),
		count:      make(chan chan int),
		done:       make(chan struct{}),
	}
}

// Run owns the hub until ctx ends, then closes every connection with "going away"
// and returns.
func (h *Hub) Run(ctx context.Context) {
	all := map[*client]int64{}
	byConv := map[int64]map[*client]bool{}
	leave := func(c *client) {
		if id := all[c]; id != 0 {
			delete(byConv[id], c)
			if len(byConv[id]) == 0 {
				delete(byConv, id)
			}
		}
	}
	defer func() {
		close(h.done)
		for c := range all {
			c.closeWith(websocket.CloseGoingAway, "de server stopt even")
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case c := <-h.register:
			all[c] = 0
		case c := <-h.unregister:
			leave(c)
			delete(all, c)
		case j := <-h.join:
			if _, ok := all[j.c]; !ok {
				continue
			}
			leave(j.c)
			all[j.c] = j.convID
			if byConv[j.convID] == nil {
				byConv[j.convID] = map[*client]bool{}
			}
			byConv[j.convID][j.c] = true
		case d := <-h.deliver:
			for c := range byConv[d.convID] {
				if c != d.except {
					c.enqueue(d.msg)
				}
			}
		case reply := <-h.count:
			reply <- len(all)
		}
	}
}

// add registers a connection; false when the hub has stopped.
func (h *Hub) add(c *client) bool {
	select {
	case h.register <- c:
		return true
	case <-h.done:
		return false
	}
}

func (h *Hub) remove(c *client) {
	select {
	case h.unregister <- c:
	case <-h.done:
	}
}

func (h *Hub) joinConversation(c *client, convID int64) {
	select {
	case h.join <- joinRequest{c, convID}:
	case <-h.done:
	}
}

// Deliver sends msg to every connection of a conversation on this instance, except
// one (nil for none). It never blocks on a slow connection: that one is dropped.
func (h *Hub) Deliver(convID int64, msg []byte, except *client) {
	select {
	case h.deliver <- delivery{convID, msg, except}:
	case <-h.done:
	}
}

// Connections returns the number of open connections.
func (h *Hub) Connections() int {
	reply := make(chan int, 1)
	select {
	case h.count <- reply:
		return <-reply
	case <-h.done:
		return 0
	case <-time.After(time.Second):
		return -1
	}
}
