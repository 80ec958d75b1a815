package staff

import (
	"crypto/sha256"
	"crypto/subtle"
	_ "embed"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/vraagbaak/vraagbaak/internal/throttle"
)

//go:embed login.html
var loginHTML string

// loginCSP is the Content-Security-Policy of the login page: nothing but its own
// inline styles, and the form posts only to this site.
const loginCSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"

// maxFormBytes bounds the login and logout forms.
const maxFormBytes = 16 << 10

// The login page's messages, shown in its alert.
const (
	msgBadLogin   = "Het e-mailadres of het wachtwoord klopt niet."
	msgEmpty      = "Vul uw e-mailadres en uw wachtwoord in."
	msgExpired    = "Het formulier was verlopen. Vul het opnieuw in."
	msgTooMany    = "Te veel inlogpogingen. Wacht een minuut en probeer het dan opnieuw."
	msgFailure    = "Inloggen lukt nu niet door een storing. Probeer het over een paar minuten opnieuw."
	msgBadRequest = "Het formulier kon niet worden gelezen. Probeer het opnieuw."
)

// loginView is what the login page shows.
type loginView struct {
	Email string
	Next  string
	CSRF  string
	Error string
}

// loginPage answers GET /staff/login. Someone already logged in goes straight on to
// next, if the session cookie reaches it (else the browser would go round in circles).
func (a *Auth) loginPage(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if token := SessionToken(r); token != "" && strings.HasPrefix(next, strings.TrimSuffix(a.cfg.CookiePath, "/")+"/") {
		if _, err := a.lookup(r.Context(), token, false); err == nil {
			w.Header().Set("Location", next)
			w.WriteHeader(http.StatusSeeOther)
			return
		}
	}
	a.renderLogin(w, r, http.StatusOK, loginView{Next: next})
}

// login answers POST /staff/login: the form's double-submit token, the rate limits,
// the password; on success a new session and a redirect (303) to next.
func (a *Auth) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		a.renderLogin(w, r, http.StatusBadRequest, loginView{Next: "/staff/", Error: msgBadRequest})
		return
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	password := r.PostForm.Get("password")
	v := loginView{Email: email, Next: safeNext(r.PostForm.Get("next"))}
	if !loginCSRFOK(r) {
		v.Error = msgExpired
		a.renderLogin(w, r, http.StatusForbidden, v)
		return
	}
	ip := throttle.Bucket(throttle.ClientIP(r, a.cfg.TrustedProxies)) // an IPv6 /64 counts as one address
	now := time.Now()
	if !a.byIP.Allow(ip, now) || !a.byEmail.Allow(strings.ToLower(email), now) {
		a.log.Warn("staff login rate limited", "ip", ip, "email_hash", emailHash(email))
		w.Header().Set("Retry-After", "60")
		v.Error = msgTooMany
		a.renderLogin(w, r, http.StatusTooManyRequests, v)
		return
	}
	if email == "" || password == "" {
		v.Error = msgEmpty
		a.renderLogin(w, r, http.StatusBadRequest, v)
		return
	}
	acc, err := a.store.Authenticate(r.Context(), email, password)
	if errors.Is(err, ErrBadLogin) {
		a.log.Warn("staff login failed", "ip", ip, "email_hash", emailHash(email))
		v.Error = msgBadLogin
		a.renderLogin(w, r, http.StatusUnauthorized, v)
		return
	}
	if err != nil {
		a.log.Error("staff login failed", "ip", ip, "email_hash", emailHash(email), "err", err)
		v.Error = msgFailure
		a.renderLogin(w, r, http.StatusInternalServerError, v)
		return
	}
	// A new session every time: a token planted before the login is never promoted.
	if old := SessionToken(r); old != "" {
		if err := a.deleteSession(r.Context(), old); err != nil {
			a.log.Warn("staff login: ending the previous session failed", "account_id", acc.ID, "err", err)
		}
	}
	token, _, err := a.createSession(r.Context(), acc)
	if err != nil {
		a.log.Error("staff login failed", "account_id", acc.ID, "err", err)
		v.Error = msgFailure
		a.renderLogin(w, r, http.StatusInternalServerError, v)
		return
	}
	a.log.Info("staff login", "account_id", acc.ID, "role", string(acc.Role), "municipality", acc.Municipality)
	if acc.Role == Privacy && v.Next == "/staff/" { // the console is not theirs: their page is the access log
		v.Next = PrivacyHome
	}
	a.setSessionCookie(w, token)
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: "", Path: "/staff/login", MaxAge: -1,
		HttpOnly: true, Secure: a.cfg.Secure, SameSite: http.SameSiteStrictMode})
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Location", v.Next)
	w.WriteHeader(http.StatusSeeOther)
}

// loginCSRFOK checks the double submit: the form's field "csrf" must equal the
// cookie that GET /staff/login set. Another site can make a browser post the form,
// but it can neither read nor set that cookie.
func loginCSRFOK(r *http.Request) bool {
	c, err := r.Cookie(loginCSRFCookie)
	if err != nil || !wellFormed(c.Value) {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostForm.Get("csrf"))) == 1
}

// renderLogin writes the login page with a double-submit token, reusing the
// browser's token if it has one, so that two open login tabs both work.
func (a *Auth) renderLogin(w http.ResponseWriter, r *http.Request, status int, v loginView) {
	if c, err := r.Cookie(loginCSRFCookie); err == nil && wellFormed(c.Value) {
		v.CSRF = c.Value
	} else {
		token, err := newToken()
		if err != nil {
			a.log.Error("staff login page", "err", err)
			http.Error(w, msgFailure, http.StatusInternalServerError)
			return
		}
		v.CSRF = token
		http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: token, Path: "/staff/login",
			HttpOnly: true, Secure: a.cfg.Secure, SameSite: http.SameSiteStrictMode})
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", loginCSP)
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := a.page.Execute(w, v); err != nil {
		a.log.Warn("staff login page: write", "err", err)
	}
}

// emailHash identifies an email in logs without writing it down: the first 16 hex
// digits of the sha256 of its lower-case form.
func emailHash(email string) string {
	h := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(h[:8])
}
