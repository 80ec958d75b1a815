package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/chat"
	"github.com/vraagbaak/vraagbaak/internal/cbs"
	"github.com/vraagbaak/vraagbaak/internal/llm"
	"github.com/vraagbaak/vraagbaak/internal/throttle"
	"github.com/vraagbaak/vraagbaak/staff"
)

// Config is the service's configuration, read once from the environment.
type Config struct {
	DatabaseURL string     // DATABASE_URL
	LogFormat   string     // VRAAGBAAK_LOG_FORMAT: text (default) or json
	LogLevel    slog.Level // VRAAGBAAK_LOG_LEVEL: debug, info (default), warn, error

	// Embedder: VRAAGBAAK_EMBEDDER is builtin (default), ollama or openai.
	Embedder       string
	EmbeddingURL   string // VRAAGBAAK_EMBEDDING_URL
	EmbeddingModel string // VRAAGBAAK_EMBEDDING_MODEL
	EmbeddingKey   string // VRAAGBAAK_EMBEDDING_API_KEY or VRAAGBAAK_EMBEDDING_API_KEY_FILE

	// Optional generative answerer: VRAAGBAAK_LLM is "" (none, the default), ollama
	// or openai.
	LLM        string
	LLMURL     string        // VRAAGBAAK_LLM_URL
	LLMModel   string        // VRAAGBAAK_LLM_MODEL
	LLMKey     string        // VRAAGBAAK_LLM_API_KEY or VRAAGBAAK_LLM_API_KEY_FILE
	LLMTimeout time.Duration // VRAAGBAAK_LLM_TIMEOUT (default 30s)

	// Serving (vraagbaak serve, and demo --serve).
	Addr           string                // VRAAGBAAK_ADDR (default localhost:8080)
	AllowedOrigins map[string][]string   // VRAAGBAAK_ALLOWED_ORIGINS: "GM0363=https://www.amsterdam.nl https://amsterdam.nl;*=https://example.nl"
	RetentionDays  int                   // VRAAGBAAK_RETENTION_DAYS (default 30): conversations and answers older than this are deleted
	AccessLogDays  int                   // VRAAGBAAK_ACCESS_LOG_RETENTION_DAYS (default 365, at least RetentionDays): transcript access log rows older than this are deleted
	TrustedProxies throttle.Proxies      // VRAAGBAAK_TRUSTED_PROXIES: reverse proxies whose X-Forwarded-For is believed; VRAAGBAAK_TRUST_PROXY=true (deprecated) adds loopback
	TrustProxy     bool                  // VRAAGBAAK_TRUST_PROXY was set (deprecated): serve warns
	IPRate         float64               // VRAAGBAAK_RATE_LIMIT_IP: questions per minute per IP address (default: chat.DefaultServerConfig)
	ConvRate       float64               // VRAAGBAAK_RATE_LIMIT_CONVERSATION: questions per minute per conversation (default: chat.DefaultServerConfig)
	OpeningHours   map[string]chat.Hours // VRAAGBAAK_OPENING_HOURS: "GM0363=ma-vr 08:30-17:00;*=ma-vr 09:00-17:00" (default: always open)
	QueueTimeout   time.Duration         // VRAAGBAAK_QUEUE_TIMEOUT: a citizen waiting longer is offered a call-back (default: chat.DefaultServerConfig)
	SessionTTL     time.Duration         // VRAAGBAAK_STAFF_SESSION_TTL: staff sessions expire after this idle time (default staff.DefaultSessionTTL)
	SecureCookies  bool                  // VRAAGBAAK_SECURE_COOKIES: mark staff cookies Secure (default true unless VRAAGBAAK_ADDR is a loopback address)
	MetricsAddr    string                // VRAAGBAAK_METRICS_ADDR: where /metrics is served (default 127.0.0.1:9090; "" or "off": nowhere)

	// The rule files, parsed and checked: VRAAGBAAK_GUARD_FILE and
	// VRAAGBAAK_HANDOFF_FILE, or the embedded answer/guard.txt and answer/handoff.txt.
	Rules       answer.Rules
	GuardFile   string // "" for the embedded guard.txt
	HandoffFile string // "" for the embedded handoff.txt

	// Abuse limits of the citizens' websocket.
	HelloTimeout        time.Duration // VRAAGBAAK_HELLO_TIMEOUT: a connection without hello is closed after this (default: chat.DefaultServerConfig)
	MaxConnectionsPerIP int           // VRAAGBAAK_MAX_CONNECTIONS_PER_IP: open citizen connections from one address (default: chat.DefaultServerConfig)
	MaxConnections      int           // VRAAGBAAK_MAX_CONNECTIONS: open citizen connections in all (default 0: the file-descriptor limit minus a reserve)
	NewConversationRate float64       // VRAAGBAAK_RATE_LIMIT_NEW_CONVERSATIONS: conversations started per minute from one address (default: chat.DefaultServerConfig)
}

const embedderBuiltin = "builtin"

// LoadConfig reads and validates the configuration; an error names the variable.
func LoadConfig(lookup func(string) (string, bool)) (Config, error) {
	get := func(k, def string) string {
		if v, ok := lookup(k); ok && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
		return def
	}
	cfg := Config{
		DatabaseURL:    get("DATABASE_URL", ""),
		LogFormat:      get("VRAAGBAAK_LOG_FORMAT", "text"),
		Embedder:       get("VRAAGBAAK_EMBEDDER", embedderBuiltin),
		EmbeddingURL:   get("VRAAGBAAK_EMBEDDING_URL", ""),
		EmbeddingModel: get("VRAAGBAAK_EMBEDDING_MODEL", ""),
		LLM:            get("VRAAGBAAK_LLM", ""),
		LLMURL:         get("VRAAGBAAK_LLM_URL", ""),
		LLMModel:       get("VRAAGBAAK_LLM_MODEL", ""),
	}
	if cfg.LogFormat != "text" && cfg.LogFormat != "json" {
		return cfg, fmt.Errorf("config: VRAAGBAAK_LOG_FORMAT must be text or json, not %q", cfg.LogFormat)
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(get("VRAAGBAAK_LOG_LEVEL", "info"))); err != nil {
		return cfg, fmt.Errorf("config: VRAAGBAAK_LOG_LEVEL: %w", err)
	}
	key, err := secret(lookup, "VRAAGBAAK_EMBEDDING_API_KEY")
	if err != nil {
		return cfg, err
	}
	cfg.EmbeddingKey = key
	if cfg.LLMKey, err = secret(lookup, "VRAAGBAAK_LLM_API_KEY"); err != nil {
		return cfg, err
	}
	if cfg.LLMTimeout, err = time.ParseDuration(get("VRAAGBAAK_LLM_TIMEOUT", "30s")); err != nil || cfg.LLMTimeout <= 0 {
		return cfg, fmt.Errorf("config: VRAAGBAAK_LLM_TIMEOUT must be a positive duration such as 30s")
	}
	switch cfg.LLM {
	case "":
	case llm.ProviderOllama, llm.ProviderOpenAI:
		if cfg.LLMModel == "" {
			return cfg, fmt.Errorf("config: VRAAGBAAK_LLM_MODEL is required when VRAAGBAAK_LLM=%s", cfg.LLM)
		}
	default:
		return cfg, fmt.Errorf("config: VRAAGBAAK_LLM must be empty, ollama or openai, not %q", cfg.LLM)
	}
	switch cfg.Embedder {
	case embedderBuiltin:
	case llm.ProviderOllama, llm.ProviderOpenAI:
		if cfg.EmbeddingModel == "" {
			return cfg, fmt.Errorf("config: VRAAGBAAK_EMBEDDING_MODEL is required when VRAAGBAAK_EMBEDDER=%s", cfg.Embedder)
		}
	default:
		return cfg, fmt.Errorf("config: VRAAGBAAK_EMBEDDER must be builtin, ollama or openai, not %q", cfg.Embedder)
	}
	if err := cfg.loadServing(lookup, get); err != nil {
		return cfg, err
	}
	if err := cfg.loadRules(get); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// loadRules reads and checks the rule files. A mistake in one stops the service
// from starting: a guard or a suicide triage that is silently off is worse than a
// service that is down.
func (cfg *Config) loadRules(get func(k, def string) string) error {
	cfg.GuardFile, cfg.HandoffFile = get("VRAAGBAAK_GUARD_FILE", ""), get("VRAAGBAAK_HANDOFF_FILE", "")
	var err error
	if cfg.GuardFile == "" {
		cfg.Rules.Guard, err = answer.DefaultGuardRules()
	} else {
		cfg.Rules.Guard, err = readGuardRules(cfg.GuardFile)
	}
	if err != nil {
		return fmt.Errorf("config: VRAAGBAAK_GUARD_FILE: %w", err)
	}
	if cfg.HandoffFile == "" {
		cfg.Rules.Handoff, err = answer.DefaultHandoffRules()
	} else {
		cfg.Rules.Handoff, err = readHandoffRules(cfg.HandoffFile)
	}
	if err != nil {
		return fmt.Errorf("config: VRAAGBAAK_HANDOFF_FILE: %w", err)
	}
	// The crisis detector learns from the embedded phrasings on first use.
	if cfg.Rules.Crisis, err = answer.NewCrisisDetector(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	// So does the guard classifier, behind the guard rules (also a
	// municipality's own guard file).
	if cfg.Rules.GuardClassifier, err = answer.NewGuardClassifier(); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	return nil
}

// readGuardRules reads and checks the guard rule file at path.
func readGuardRules(path string) (*answer.GuardRules, error) {
	src, err := readRuleFile(path, answer.RuleKindGuard)
	if err != nil {
		return nil, err
	}
	return answer.ParseGuardRules(path, src)
}

// readHandoffRules reads and checks the hand-off rule file at path.
func readHandoffRules(path string) (*answer.HandoffRules, error) {
	src, err := readRuleFile(path, answer.RuleKindHandoff)
	if err != nil {
		return nil, err
	}
	return answer.ParseHandoffRules(path, src)
}

// readRuleFile reads a rule file and refuses one that is plainly of the other kind.
func readRuleFile(path, kind string) ([]byte, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if k := answer.DetectRuleKind(src); k != "" && k != kind {
		return nil, fmt.Errorf("%s: this is a %s file, not a %s file", path, kindName(k), kindName(kind))
	}
	return src, nil
}

func kindName(kind string) string {
	if kind == answer.RuleKindHandoff {
		return "hand-off rule"
	}
	return "guard rule"
}

func (cfg *Config) loadServing(lookup func(string) (string, bool), get func(k, def string) string) error {
	// The chat server's and the staff sessions' defaults are theirs: chat.DefaultServerConfig
	// and staff.DefaultSessionTTL.
	d := chat.DefaultServerConfig()
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	cfg.Addr = get("VRAAGBAAK_ADDR", "localhost:8080")
	var err error
	if cfg.RetentionDays, err = strconv.Atoi(get("VRAAGBAAK_RETENTION_DAYS", "30")); err != nil || cfg.RetentionDays < 1 {
		return fmt.Errorf("config: VRAAGBAAK_RETENTION_DAYS must be a whole number of days, 1 or more")
	}
	// Who read a conversation must be answerable after the conversation is gone.
	def := strconv.Itoa(max(365, cfg.RetentionDays))
	if cfg.AccessLogDays, err = strconv.Atoi(get("VRAAGBAAK_ACCESS_LOG_RETENTION_DAYS", def)); err != nil || cfg.AccessLogDays < cfg.RetentionDays {
		return fmt.Errorf("config: VRAAGBAAK_ACCESS_LOG_RETENTION_DAYS must be a whole number of days, at least VRAAGBAAK_RETENTION_DAYS (%d): the log of who read a conversation must outlive the conversation", cfg.RetentionDays)
	}
	if cfg.TrustedProxies, err = throttle.ParseProxies(get("VRAAGBAAK_TRUSTED_PROXIES", "")); err != nil {
		return fmt.Errorf("config: VRAAGBAAK_TRUSTED_PROXIES: %w", err)
	}
	// Deprecated: VRAAGBAAK_TRUST_PROXY=true once took the first X-Forwarded-For entry,
	// which the client writes. It now means "trust a proxy on this machine".
	if cfg.TrustProxy, err = strconv.ParseBool(get("VRAAGBAAK_TRUST_PROXY", "false")); err != nil {
		return fmt.Errorf("config: VRAAGBAAK_TRUST_PROXY (deprecated; use VRAAGBAAK_TRUSTED_PROXIES) must be true or false")
	}
	if cfg.TrustProxy {
		cfg.TrustedProxies = append(cfg.TrustedProxies, throttle.Loopback()...)
	}
	for name, dst := range map[string]*float64{"VRAAGBAAK_RATE_LIMIT_IP": &cfg.IPRate, "VRAAGBAAK_RATE_LIMIT_CONVERSATION": &cfg.ConvRate} {
		def := map[string]string{"VRAAGBAAK_RATE_LIMIT_IP": num(d.IPRate), "VRAAGBAAK_RATE_LIMIT_CONVERSATION": num(d.ConversationRate)}[name]
		if *dst, err = strconv.ParseFloat(get(name, def), 64); err != nil || *dst <= 0 {
			return fmt.Errorf("config: %s must be a positive number of questions per minute", name)
		}
	}
	if cfg.AllowedOrigins, err = parseOrigins(get("VRAAGBAAK_ALLOWED_ORIGINS", "")); err != nil {
		return err
	}
	if cfg.OpeningHours, err = chat.ParseOpeningHours(get("VRAAGBAAK_OPENING_HOURS", "")); err != nil {
		return fmt.Errorf("config: VRAAGBAAK_OPENING_HOURS: %w", err)
	}
	if cfg.QueueTimeout, err = time.ParseDuration(get("VRAAGBAAK_QUEUE_TIMEOUT", d.QueueTimeout.String())); err != nil || cfg.QueueTimeout <= 0 {
		return fmt.Errorf("config: VRAAGBAAK_QUEUE_TIMEOUT must be a positive duration such as 5m")
	}
	if cfg.SessionTTL, err = time.ParseDuration(get("VRAAGBAAK_STAFF_SESSION_TTL", staff.DefaultSessionTTL.String())); err != nil || cfg.SessionTTL <= 0 {
		return fmt.Errorf("config: VRAAGBAAK_STAFF_SESSION_TTL must be a positive duration such as 8h")
	}
	if cfg.SecureCookies, err = strconv.ParseBool(get("VRAAGBAAK_SECURE_COOKIES", strconv.FormatBool(!loopback(cfg.Addr)))); err != nil {
		return fmt.Errorf("config: VRAAGBAAK_SECURE_COOKIES must be true or false")
	}
	cfg.MetricsAddr = "127.0.0.1:9090"
	if v, ok := lookup("VRAAGBAAK_METRICS_ADDR"); ok {
		cfg.MetricsAddr = strings.TrimSpace(v)
	}
	if strings.EqualFold(cfg.MetricsAddr, "off") {
		cfg.MetricsAddr = ""
	}
	if _, _, err := net.SplitHostPort(cfg.MetricsAddr); cfg.MetricsAddr != "" && err != nil {
		return fmt.Errorf("config: VRAAGBAAK_METRICS_ADDR must be host:port such as 127.0.0.1:9090, or off")
	}
	if cfg.HelloTimeout, err = time.ParseDuration(get("VRAAGBAAK_HELLO_TIMEOUT", d.HelloTimeout.String())); err != nil || cfg.HelloTimeout <= 0 {
		return fmt.Errorf("config: VRAAGBAAK_HELLO_TIMEOUT must be a positive duration such as 10s")
	}
	if cfg.MaxConnectionsPerIP, err = strconv.Atoi(get("VRAAGBAAK_MAX_CONNECTIONS_PER_IP", strconv.Itoa(d.MaxConnectionsPerIP))); err != nil || cfg.MaxConnectionsPerIP < 1 {
		return fmt.Errorf("config: VRAAGBAAK_MAX_CONNECTIONS_PER_IP must be a whole number, 1 or more")
	}
	if cfg.MaxConnections, err = strconv.Atoi(get("VRAAGBAAK_MAX_CONNECTIONS", "0")); err != nil || cfg.MaxConnections < 0 {
		return fmt.Errorf("config: VRAAGBAAK_MAX_CONNECTIONS must be a whole number (0: from the file-descriptor limit)")
	}
	if cfg.NewConversationRate, err = strconv.ParseFloat(get("VRAAGBAAK_RATE_LIMIT_NEW_CONVERSATIONS", num(d.NewConversationRate)), 64); err != nil || cfg.NewConversationRate <= 0 {
		return fmt.Errorf("config: VRAAGBAAK_RATE_LIMIT_NEW_CONVERSATIONS must be a positive number of conversations per minute")
	}
	return nil
}

// loopback reports whether addr (host:port) listens on loopback only: 127.0.0.0/8,
// ::1 or localhost. ":8080" listens on every interface.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

// parseOrigins reads "GM0363=https://a.nl https://b.nl;*=https://c.nl".
func parseOrigins(s string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		key, origins, ok := strings.Cut(part, "=")
		key = strings.TrimSpace(key)
		if !ok || (key != "*" && !cbs.Valid(key)) {
			return nil, fmt.Errorf("config: VRAAGBAAK_ALLOWED_ORIGINS: %q must look like GM0363=https://www.example.nl (or *=…)", part)
		}
		for _, o := range strings.Fields(origins) {
			u, err := url.Parse(o)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") {
				return nil, fmt.Errorf("config: VRAAGBAAK_ALLOWED_ORIGINS: %q is not an origin such as https://www.example.nl", o)
			}
			out[key] = append(out[key], u.Scheme+"://"+u.Host)
		}
	}
	return out, nil
}

// needDatabase says what to do when DATABASE_URL is missing.
func (c Config) needDatabase() error {
	if c.DatabaseURL == "" {
		return fmt.Errorf("config: DATABASE_URL is not set (scripts/postgres.sh prints one for a local PostgreSQL)")
	}
	return nil
}

// secret reads NAME, or the file named by NAME_FILE.
func secret(lookup func(string) (string, bool), name string) (string, error) {
	if v, ok := lookup(name); ok && v != "" {
		return v, nil
	}
	path, ok := lookup(name + "_FILE")
	if !ok || path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("config: %s_FILE: %w", name, err)
	}
	return strings.TrimSpace(string(b)), nil
}
