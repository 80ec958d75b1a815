package staff

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"html/template"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vraagbaak/vraagbaak/internal/throttle"
)

// Cookie names and the CSRF header.
const (
	// SessionCookie holds the session token: Path=/staff (Config.CookiePath),
	// HttpOnly, SameSite=Strict, and Secure when Config.Secure. Pages and endpoints
	// that need a session must live under that path for the browser to send it.
	SessionCookie = "vraagbaak_staff"
	// loginCSRFCookie is the double-submit token of the login form.
	loginCSRFCookie = "vraagbaak_login_csrf"
	// CSRFHeader carries the session's CSRF token on state-changing requests made
	// by scripts; forms send it in the field "csrf" instead.
	CSRFHeader = "X-CSRF-Token"
)

// DefaultSessionTTL is how long a session lasts without use when Config.SessionTTL is
// zero; VRAAGBAAK_STAFF_SESSION_TTL defaults to it.
const DefaultSessionTTL = 8 * time.Hour

// Config configures sessions and logins. Zero values take the defaults.
type Config struct {
	SessionTTL     time.Duration    // idle timeout, default DefaultSessionTTL; a session never lasts longer than MaxSessionAge
	Secure         bool             // mark cookies Secure; set when served over HTTPS
	LoginPerMinute float64          // login attempts a minute per client address and per email, default 5
	TrustedProxies throttle.Proxies // reverse proxies whose X-Forwarded-For is believed (see throttle.ClientIP)
	// CookiePath is the session cookie's Path, default "/staff". Set it to "/" when
	// pages outside /staff/ (the evaluator pages under /eval/) need the session too.
	CookiePath string
}

func (c Config) withDefaults() Config {
	if c.SessionTTL <= 0 {
		c.SessionTTL = DefaultSessionTTL
	}
	if c.LoginPerMinute <= 0 {
		c.LoginPerMinute = 5
	}
	if c.CookiePath == "" {
		c.CookiePath = "/staff"
	}
	return c
}

// Auth runs the login, logout and session endpoints and guards the staff pages.
type Auth struct {
	store   *Store
	pool    *pgxpool.Pool
	cfg     Config
	log     *slog.Logger
	page    *template.Template
	byIP    *throttle.Keyed
	byEmail *throttle.Keyed
}

// NewAuth returns an Auth checking passwords against store and keeping sessions in pool.
func NewAuth(store *Store, pool *pgxpool.Pool, cfg Config, log *slog.Logger) *Auth {
	cfg = cfg.withDefaults()
	return &Auth{
		store:   store,
		pool:    pool,
		cfg:     cfg,
		log:     log,
		page:    template.Must(template.New("login").Parse(loginHTML)), // embedded; the tests render it
		byIP:    throttle.NewKeyed(cfg.LoginPerMinute, int(cfg.LoginPerMinute)),
		byEmail: throttle.NewKeyed(cfg.LoginPerMinute, int(cfg.LoginPerMinute)),
	}
}

// Routes registers GET and POST /staff/login, POST /staff/logout and GET /staff/session.
func (a *Auth) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /staff/login", a.loginPage)
	mux.HandleFunc("POST /staff/login", a.login)
	mux.HandleFunc("POST /staff/logout", a.logout)
	mux.HandleFunc("GET /staff/session", a.sessionInfo)
}

type accountKey struct{}

type csrfKey struct{}

// AccountFrom returns the account that Require put in the context.
func AccountFrom(ctx context.Context) (Account, bool) {
	acc, ok := ctx.Value(accountKey{}).(Account)
	return acc, ok
}

// CSRFFrom returns the session's CSRF token that Require put in the context, for a
// page rendered on the server whose forms post (the field "csrf"); "" outside Require.
func CSRFFrom(ctx context.Context) string {
	token, _ := ctx.Value(csrfKey{}).(string)
	return token
}

// SessionToken returns the session cookie's value, or "".
func SessionToken(r *http.Request) string {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return ""
	}
	return c.Value
}

// Require returns middleware that lets through requests with a live session whose
// account has one of roles (any role when none are given). Without a session, a GET
// for an HTML page is redirected (303) to the login page, which comes back to it;
// anything else gets 401. A wrong role gets 403, and so does a request other than
// GET, HEAD or OPTIONS that does not carry the session's CSRF token in the
// X-CSRF-Token header or the form field "csrf". Each request that passes moves the
// session's idle expiry forward; the handler finds the account with AccountFrom.
func (a *Auth) Require(roles ...Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			token := SessionToken(r)
			s, err := a.lookup(r.Context(), token, true)
			if errors.Is(err, ErrNotFound) {
				a.unauthenticated(w, r, token != "")
				return
			}
			if err != nil {
				a.log.Error("staff session lookup failed", "err", err)
				writeError(w, r, http.StatusInternalServerError, "Er ging iets mis. Probeer het later opnieuw.")
				return
			}
			if len(roles) > 0 && !slices.Contains(roles, s.account.Role) {
				writeError(w, r, http.StatusForbidden, "U heeft geen toegang tot deze pagina.")
				return
			}
			if !safeMethod(r.Method) && !csrfOK(r, s.csrf) {
				a.log.Warn("staff request without valid csrf token", "account_id", s.account.ID, "method", r.Method, "path", r.URL.Path)
				writeError(w, r, http.StatusForbidden, "Deze actie is geweigerd omdat de beveiligingscode ontbreekt of verlopen is. Laad de pagina opnieuw.")
				return
			}
			// Staff pages show citizens' conversations: keep them out of caches
			// unless the handler decides otherwise.
			w.Header().Set("Cache-Control", "no-store")
			ctx := context.WithValue(context.WithValue(r.Context(), accountKey{}, s.account), csrfKey{}, s.csrf)
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// unauthenticated answers a request without a live session.
func (a *Auth) unauthenticated(w http.ResponseWriter, r *http.Request, staleCookie bool) {
	if staleCookie {
		a.clearSessionCookie(w)
	}
	if (r.Method == http.MethodGet || r.Method == http.MethodHead) && wantsHTML(r) {
		loc := "/staff/login"
		if next := r.URL.RequestURI(); safeNext(next) == next {
			loc += "?" + url.Values{"next": {next}}.Encode()
		}
		w.Header().Set("Location", loc)
		w.WriteHeader(http.StatusSeeOther)
		return
	}
	writeError(w, r, http.StatusUnauthorized, "U bent niet (meer) ingelogd. Log opnieuw in.")
}

// sessionInfo answers GET /staff/session with who is logged in and the CSRF token
// for scripts. It does not extend the session, so a page may poll it to warn
// before the session expires.
func (a *Auth) sessionInfo(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	token := SessionToken(r)
	s, err := a.lookup(r.Context(), token, false)
	if errors.Is(err, ErrNotFound) {
		if token != "" {
			a.clearSessionCookie(w)
		}
		writeJSON(w, http.StatusUnauthorized, jsonError{Error: "U bent niet (meer) ingelogd. Log opnieuw in."})
		return
	}
	if err != nil {
		a.log.Error("staff session lookup failed", "err", err)
		writeJSON(w, http.StatusInternalServerError, jsonError{Error: "Er ging iets mis. Probeer het later opnieuw."})
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Email        string    `json:"email"`
		Name         string    `json:"name"`
		Municipality string    `json:"municipality"`
		Role         Role      `json:"role"`
		CSRF         string    `json:"csrf"`
		ExpiresAt    time.Time `json:"expires_at"`
	}{s.account.Email, s.account.Name, s.account.Municipality, s.account.Role, s.csrf, s.expiresAt.UTC()})
}

// logout answers POST /staff/logout: it ends the session (the request must carry
// its CSRF token) and clears the cookie. Forms are sent to the login page, scripts
// get 204.
func (a *Auth) logout(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	token := SessionToken(r)
	s, err := a.lookup(r.Context(), token, false)
	switch {
	case errors.Is(err, ErrNotFound):
		// Nothing to end.
	case err != nil:
		a.log.Error("staff session lookup failed", "err", err)
		writeError(w, r, http.StatusInternalServerError, "Er ging iets mis. Probeer het later opnieuw.")
		return
	case !csrfOK(r, s.csrf):
		writeError(w, r, http.StatusForbidden, "Uitloggen is geweigerd omdat de beveiligingscode ontbreekt. Laad de pagina opnieuw.")
		return
	default:
		if err := a.deleteSession(r.Context(), token); err != nil {
			a.log.Error("staff logout failed", "account_id", s.account.ID, "err", err)
			writeError(w, r, http.StatusInternalServerError, "Uitloggen is mislukt. Probeer het opnieuw.")
			return
		}
		a.log.Info("staff logout", "account_id", s.account.ID)
	}
	if token != "" {
		a.clearSessionCookie(w)
	}
	if wantsHTML(r) {
		w.Header().Set("Location", "/staff/login")
		w.WriteHeader(http.StatusSeeOther)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *Auth) setSessionCookie(w http.ResponseWriter, token string) {
	// No Expires: the cookie ends with the browser; the server enforces the expiry.
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: a.cfg.CookiePath,
		HttpOnly: true, Secure: a.cfg.Secure, SameSite: http.SameSiteStrictMode})
}

func (a *Auth) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: a.cfg.CookiePath, MaxAge: -1,
		HttpOnly: true, Secure: a.cfg.Secure, SameSite: http.SameSiteStrictMode})
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// csrfOK reports whether r carries the token want, in the header or a form field.
func csrfOK(r *http.Request, want string) bool {
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct == "application/x-www-form-urlencoded" || ct == "multipart/form-data" {
			got = r.PostFormValue("csrf")
		}
	}
	return want != "" && got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func wantsHTML(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// safeNext returns next if it is a local path under /staff/ or /eval/ (with an
// optional query), else /staff/: the login page must not redirect elsewhere.
func safeNext(next string) string {
	const def = "/staff/"
	if !strings.HasPrefix(next, "/staff/") && !strings.HasPrefix(next, "/eval/") {
		return def
	}
	for _, c := range next {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return def
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || u.Fragment != "" {
		return def
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == "." || seg == ".." {
			return def
		}
	}
	return next
}

type jsonError struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v) //nolint:errcheck // the client went away
}

// writeError answers with a Dutch message: plain text for browsers asking for a
// page, JSON ({"error": …}) for scripts.
func writeError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if wantsHTML(r) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		http.Error(w, msg, status)
		return
	}
	writeJSON(w, status, jsonError{Error: msg})
}
