package chat

import (
	"context"
	"strconv"
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
	members    chan membersRequest
	done       chan struct{}
}

type joinRequest struct {
	c     *client
	topic string
	leave bool
}

// delivery is a message for every connection subscribed to a topic: "c:<id>" are a
// conversation's citizens, "w:<id>" the agents watching it, "q:<GM0000>" the agents
// of a municipality.
type delivery struct {
	topic        string
	msg          []byte
	seq          int  // the stored message msg carries, 0 for others
	cancelAnswer bool // stop an answer in progress: a person took over
}

func citizenTopic(convID int64) string      { return "c:" + strconv.FormatInt(convID, 10) }
func watchTopic(convID int64) string        { return "w:" + strconv.FormatInt(convID, 10) }
func queueTopic(municipality string) string { return "q:" + municipality }

// NewHub returns a hub; start it with Run.
func NewHub() *Hub {
	return &Hub{
		register:   make(chan *client),
		unregister: make(chan *client),
		join:       make(chan joinRequest),
		deliver:    make(chan delivery, 64),
		count:      make(chan chan int),
		members:    make(chan membersRequest),
		done:       make(chan struct{}),
	}
}

// Run owns the hub until ctx ends, then closes every connection with "going away"
// and returns.
func (h *Hub) Run(ctx context.Context) {
	all := map[*client]map[string]bool{}
	byTopic := map[string]map[*client]bool{}
	leave := func(c *client, topic string) {
		delete(all[c], topic)
		delete(byTopic[topic], c)
		if len(byTopic[topic]) == 0 {
			delete(byTopic, topic)
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
			all[c] = map[string]bool{}
		case c := <-h.unregister:
			for topic := range all[c] {
				leave(c, topic)
			}
			delete(all, c)
		case j := <-h.join:
			switch {
			case all[j.c] == nil:
			case j.leave:
				leave(j.c, j.topic)
			default:
				all[j.c][j.topic] = true
				if byTopic[j.topic] == nil {
					byTopic[j.topic] = map[*client]bool{}
				}
				byTopic[j.topic][j.c] = true
			}
		case d := <-h.deliver:
			for c := range byTopic[d.topic] {
				if d.cancelAnswer {
					c.cancelAnswer()
				}
				if d.msg != nil {
					c.deliver(d)
				}
			}
		case q := <-h.members:
			list := make([]*client, 0, len(byTopic[q.topic]))
			for c := range byTopic[q.topic] {
				list = append(list, c)
			}
			q.reply <- list
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

// subscribe adds (or with leave, removes) a connection to a topic.
func (h *Hub) subscribe(c *client, topic string, leave bool) {
	select {
	case h.join <- joinRequest{c, topic, leave}:
	case <-h.done:
	}
}

// deliverTo sends msg to every connection subscribed to topic on this instance. It
// never blocks on a slow connection: that one is dropped.
func (h *Hub) deliverTo(d delivery) {
	select {
	case h.deliver <- d:
	case <-h.done:
	}
}

// membersRequest asks the hub for the connections subscribed to a topic.
type membersRequest struct {
	topic string
	reply chan []*client // buffered: the hub never waits on it
}

// subscribers returns the connections subscribed to topic on this instance.
func (h *Hub) subscribers(topic string) []*client {
	q := membersRequest{topic: topic, reply: make(chan []*client, 1)}
	select {
	case h.members <- q:
		return <-q.reply
	case <-h.done:
		return nil
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
