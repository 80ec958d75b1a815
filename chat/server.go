package chat

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/internal/cbs"
	"github.com/vraagbaak/vraagbaak/internal/throttle"
)

// ProtocolVersion is the version of docs/protocol.md this server speaks.
const ProtocolVersion = 1

// ServerConfig configures the websocket endpoint. Zero values take the defaults of
// DefaultServerConfig.
type ServerConfig struct {
	// AllowedOrigins maps a municipality's CBS code ("*" for every municipality) to the
	// origins (scheme://host[:port]) whose pages may open a chat for it. The server's
	// own origin is always allowed.
	AllowedOrigins map[string][]string
	// Questions per minute allowed from one IP address (default 30) and in one
	// conversation (default 12).
	IPRate           float64
	ConversationRate float64
	MaxQuestionRunes int              // default 1000
	MaxMessageBytes  int64            // largest frame read, default 8 KiB
	TrustedProxies   throttle.Proxies // reverse proxies whose X-Forwarded-For is believed (see throttle.ClientIP)
	PingInterval     time.Duration
	PongWait         time.Duration
	WriteWait        time.Duration
	AnswerTimeout    time.Duration // default 60s

	// OpeningHours per municipality ("*" for all); a municipality without hours is
	// always open. Outside them, or when no agent is online, the citizen is told so
	// honestly, with when the contact centre opens again and the offer of a call-back;
	// an emergency stays in the queue until a person has seen it.
	OpeningHours map[string]Hours
	QueueTimeout time.Duration // a citizen waiting longer is told so and offered a call-back (default 5m)
	// Now is the clock that opening hours are read against (nil: time.Now), for tests.
	Now func() time.Time
	// CheckSession re-validates an agent's session on their open websocket (nil: never expires).
	CheckSession func(ctx context.Context, token string) error

	// A citizen's connection that has not sent hello within HelloTimeout (default 10s)
	// is closed (1008). At most MaxConnectionsPerIP citizen connections come from one
	// address at a time (default 200: many citizens share one address behind a
	// carrier's or an office's NAT) and MaxConnections from all addresses together
	// (0: no limit; serve sets it below the process's file-descriptor limit). The
	// excess is closed at once with 1013, try again later.
	HelloTimeout        time.Duration
	MaxConnectionsPerIP int
	MaxConnections      int
	// Per minute from one address: conversations started (default 20), hand-off
	// requests (default 10) and call-back requests (default 5); and per conversation:
	// hand-off requests (default 3) and call-back requests (default 2). A
	// conversation has at most one open call-back request.
	NewConversationRate float64
	HandoffIPRate       float64
	CallbackIPRate      float64
	HandoffConvRate     float64
	CallbackConvRate    float64
}

// DefaultServerConfig returns the values NewServer gives a field left zero: the one
// source of the defaults, which cmd/vraagbaak's environment variables (README,
// Configuration) take too. MaxConnections has none: zero is no limit.
func DefaultServerConfig() ServerConfig {
	return ServerConfig{
		IPRate:              30,
		ConversationRate:    12,
		MaxQuestionRunes:    1000,
		MaxMessageBytes:     8 << 10,
		PingInterval:        25 * time.Second,
		PongWait:            60 * time.Second,
		WriteWait:           10 * time.Second,
		AnswerTimeout:       60 * time.Second,
		QueueTimeout:        5 * time.Minute,
		HelloTimeout:        10 * time.Second,
		MaxConnectionsPerIP: 200,
		NewConversationRate: 20,
		HandoffIPRate:       10,
		CallbackIPRate:      5,
		HandoffConvRate:     3,
		CallbackConvRate:    2,
	}
}

// orDefault sets *v to d when *v is zero or negative.
func orDefault[T int | int64 | float64 | time.Duration](v *T, d T) {
	if *v <= 0 {
		*v = d
	}
}

func (c ServerConfig) withDefaults() ServerConfig {
	d := DefaultServerConfig()
	orDefault(&c.IPRate, d.IPRate)
	orDefault(&c.ConversationRate, d.ConversationRate)
	orDefault(&c.MaxQuestionRunes, d.MaxQuestionRunes)
	orDefault(&c.MaxMessageBytes, d.MaxMessageBytes)
	orDefault(&c.PingInterval, d.PingInterval)
	orDefault(&c.PongWait, d.PongWait)
	orDefault(&c.WriteWait, d.WriteWait)
	orDefault(&c.AnswerTimeout, d.AnswerTimeout)
	orDefault(&c.QueueTimeout, d.QueueTimeout)
	orDefault(&c.HelloTimeout, d.HelloTimeout)
	orDefault(&c.MaxConnectionsPerIP, d.MaxConnectionsPerIP)
	orDefault(&c.NewConversationRate, d.NewConversationRate)
	orDefault(&c.HandoffIPRate, d.HandoffIPRate)
	orDefault(&c.CallbackIPRate, d.CallbackIPRate)
	orDefault(&c.HandoffConvRate, d.HandoffConvRate)
	orDefault(&c.CallbackConvRate, d.CallbackConvRate)
	return c
}

// Server is the citizens' websocket endpoint (/ws): it upgrades connections, checks
// where they come from and how often they ask, and runs the protocol of
// docs/protocol.md on each.
type Server struct {
	svc      *answer.Service
	convs    *Conversations
	hub      *Hub
	cfg      ServerConfig
	log      *slog.Logger
	metrics  *Metrics
	upgrader websocket.Upgrader
	ipLimits *throttle.Keyed
	// Limits per address (ip…) and per conversation (conv…) of what puts work before
	// staff: new conversations, hand-off requests and call-back requests.
	ipConversations, ipHandoffs, ipCallbacks   *throttle.Keyed
	convQuestions, convHandoffs, convCallbacks *throttle.Keyed // survive a reconnect

	connsMu sync.Mutex
	conns   map[string]int // open citizen connections per address
	total   int            // open citizen connections

	wg sync.WaitGroup // every connection's goroutines

	instance      string        // this instance's name in agent_presence
	listening     chan struct{} // closed once events are received
	listeningOnce sync.Once

	agentsMu            sync.Mutex
	agentMunicipalities map[string]int // agent connections per municipality, for a resync
	agentConns          map[int64]int  // connections per agent account, for presence
}

// NewServer returns a server; metrics may be nil. Start it with Run.
func NewServer(svc *answer.Service, convs *Conversations, cfg ServerConfig, metrics *Metrics, log *slog.Logger) *Server {
	cfg = cfg.withDefaults()
	s := &Server{svc: svc, convs: convs, hub: NewHub(), cfg: cfg, log: log, metrics: metrics,
		instance: instanceName(), listening: make(chan struct{}), agentMunicipalities: map[string]int{}, agentConns: map[int64]int{}}
	s.upgrader = websocket.Upgrader{
		ReadBufferSize:  4096,
		WriteBufferSize: 4096,
		CheckOrigin:     func(*http.Request) bool { return true }, // checked in ServeHTTP, per municipality
	}
	s.ipLimits = throttle.NewKeyed(cfg.IPRate, max(int(cfg.IPRate/3), 3))
	s.ipConversations = throttle.NewKeyed(cfg.NewConversationRate, max(int(cfg.NewConversationRate/2), 3))
	s.ipHandoffs = throttle.NewKeyed(cfg.HandoffIPRate, max(int(cfg.HandoffIPRate/2), 2))
	s.ipCallbacks = throttle.NewKeyed(cfg.CallbackIPRate, max(int(cfg.CallbackIPRate/2), 2))
	s.convQuestions = throttle.NewKeyed(cfg.ConversationRate, max(int(cfg.ConversationRate/3), 3))
	s.convHandoffs = throttle.NewKeyed(cfg.HandoffConvRate, max(int(cfg.HandoffConvRate/2), 2))
	s.convCallbacks = throttle.NewKeyed(cfg.CallbackConvRate, max(int(cfg.CallbackConvRate/2), 2))
	s.conns = map[string]int{}
	return s
}

// Hub returns the server's hub.
func (s *Server) Hub() *Hub { return s.hub }

// Run runs the hub, listens for the events of all instances and tells citizens who
// wait long, until ctx ends; then it closes every connection, waits for their
// goroutines (answers in progress are cancelled) and returns.
func (s *Server) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); s.listen(ctx, s.convs.pool) }()
	go func() { defer wg.Done(); s.watchWaits(ctx) }()
	s.hub.Run(ctx)
	wg.Wait()
	s.wg.Wait()
}

// Listening is closed once the server receives events from other instances.
func (s *Server) Listening() <-chan struct{} { return s.listening }

// instanceName identifies this process among the serve instances.
func instanceName() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s-%d-%x", host, os.Getpid(), b)
}

// ServeHTTP upgrades a request for /ws?v=1&municipality=GM0363.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	municipality := r.URL.Query().Get("municipality")
	if municipality != "" && !cbs.Valid(municipality) {
		http.Error(w, "municipality must be a CBS code such as GM0363", http.StatusBadRequest)
		return
	}
	if v := r.URL.Query().Get("v"); v != "" && v != "1" {
		http.Error(w, "unsupported protocol version; this server speaks v=1", http.StatusBadRequest)
		return
	}
	if !s.originAllowed(r.Header.Get("Origin"), municipality, r.Host) {
		s.metrics.error("origin")
		s.log.Warn("websocket refused: origin not allowed", "origin", r.Header.Get("Origin"), "municipality", municipality)
		http.Error(w, "origin not allowed", http.StatusForbidden)
		return
	}
	ip := throttle.Bucket(throttle.ClientIP(r, s.cfg.TrustedProxies)) // limits count an IPv6 /64 as one address
	refusal := s.admit(ip)
	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		if refusal == "" {
			s.leave(ip)
		}
		return // the upgrader has answered with an HTTP error
	}
	if refusal != "" {
		// Upgraded all the same, so that the widget learns why and waits before it
		// tries again (a browser does not show a script the status of a refused upgrade).
		s.metrics.error(refusal)
		s.log.Warn("websocket refused: too many connections", "limit", refusal)
		text := map[string]string{"connections_ip": closeTooManyFromAddress, "connections": closeTooMany}[refusal]
		_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseTryAgainLater, text), time.Now().Add(time.Second))
		_ = conn.Close()
		return
	}
	c := newClient(s, conn, municipality, ip)
	if !s.hub.add(c) {
		c.closeWith(websocket.CloseGoingAway, "de server stopt even")
		s.leave(ip)
		return
	}
	s.metrics.connected(1)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		c.run()
		s.leave(ip)
		s.hub.remove(c)
		s.metrics.connected(-1)
	}()
}

// Close reasons (Dutch: the widget may show them) of connections refused for their number.
const (
	closeTooManyFromAddress = "te veel verbindingen vanaf uw adres; probeer het later opnieuw"
	closeTooMany            = "de chat is even vol; probeer het later opnieuw"
	closeNoHello            = "geen hello ontvangen"
)

// admit counts a new citizen connection from ip, or refuses it: "" when admitted
// (leave must follow), else the limit that refused it ("connections_ip" or
// "connections", also the metric's error code).
func (s *Server) admit(ip string) string {
	s.connsMu.Lock()
	defer s.connsMu.Unlock()
	switch {
	case s.conns[ip] >= s.cfg.MaxConnectionsPerIP:
		return "connections_ip"
	case s.cfg.MaxConnections > 0 && s.total >= s.cfg.MaxConnections:
		return "connections"
	}
	s.conns[ip]++
	s.total++
	return ""
}

// leave uncounts a citizen connection that admit admitted.
func (s *Server) leave(ip string) {
	s.connsMu.Lock()
	defer s.connsMu.Unlock()
	if s.conns[ip]--; s.conns[ip] <= 0 {
		delete(s.conns, ip)
	}
	s.total--
}

// originAllowed: browsers always send Origin; a request without one is not a browser
// and cannot be a cross-site hijack.
func (s *Server) originAllowed(origin, municipality, host string) bool {
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, host) {
		return true
	}
	o := strings.ToLower(u.Scheme + "://" + u.Host)
	for _, key := range []string{municipality, "*"} {
		for _, allowed := range s.cfg.AllowedOrigins[key] {
			if strings.ToLower(strings.TrimRight(allowed, "/")) == o {
				return true
			}
		}
	}
	return false
}
