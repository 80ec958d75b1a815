package staff_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vraagbaak/vraagbaak/internal/postgres/pgtest"
	"github.com/vraagbaak/vraagbaak/internal/throttle"
	"github.com/vraagbaak/vraagbaak/staff"
)

const password = "correct paard batterij"

// newStore returns a store on a new database, hashing cheaply (see TestPasswordHashes
// for the real costs).
func newStore(t *testing.T) (*staff.Store, *pgtest.DB) {
	t.Helper()
	db := pgtest.New(t)
	return staff.CheapHashes(staff.NewStore(db.Pool)), db
}

func mustAdd(t *testing.T, s *staff.Store, a staff.Account, pw string) staff.Account {
	t.Helper()
	acc, err := s.Add(context.Background(), a, pw)
	if err != nil {
		t.Fatalf("Add(%s): %v", a.Email, err)
	}
	return acc
}

func TestAdd(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	first := mustAdd(t, s, staff.Account{Email: "an@amsterdam.nl", Name: "An de Vries", Municipality: "GM0363", Role: staff.Agent}, password)
	if first.ID == 0 || first.Email != "an@amsterdam.nl" {
		t.Fatalf("Add = %+v", first)
	}
	tests := []struct {
		name    string
		acc     staff.Account
		pw      string
		wantErr error  // a sentinel, or
		wantMsg string // part of the message
	}{
		{name: "second account", acc: staff.Account{Email: "bo@amsterdam.nl", Municipality: "GM0363", Role: staff.Supervisor}, pw: password},
		{name: "duplicate", acc: staff.Account{Email: "an@amsterdam.nl", Municipality: "GM0363", Role: staff.Agent}, pw: password, wantErr: staff.ErrExists},
		{name: "duplicate in other case", acc: staff.Account{Email: "AN@Amsterdam.NL", Municipality: "GM0518", Role: staff.Evaluator}, pw: password, wantErr: staff.ErrExists},
		{name: "short password", acc: staff.Account{Email: "cor@amsterdam.nl", Municipality: "GM0363", Role: staff.Agent}, pw: "elf tekens!", wantErr: staff.ErrShortPassword},
		{name: "twelve characters with accents", acc: staff.Account{Email: "dé@amsterdam.nl", Municipality: "GM0363", Role: staff.Agent}, pw: "ééééééééééé€"},
		{name: "no municipality", acc: staff.Account{Email: "eva@amsterdam.nl", Role: staff.Agent}, pw: password, wantMsg: "CBS code"},
		{name: "bad municipality", acc: staff.Account{Email: "eva@amsterdam.nl", Municipality: "0363", Role: staff.Agent}, pw: password, wantMsg: "CBS code"},
		{name: "bad role", acc: staff.Account{Email: "eva@amsterdam.nl", Municipality: "GM0363", Role: "admin"}, pw: password, wantMsg: "role"},
		{name: "bad email", acc: staff.Account{Email: "Eva <eva@amsterdam.nl>", Municipality: "GM0363", Role: staff.Agent}, pw: password, wantMsg: "email"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			acc, err := s.Add(ctx, tc.acc, tc.pw)
			switch {
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
			case tc.wantMsg != "":
				if err == nil || !strings.Contains(err.Error(), tc.wantMsg) {
					t.Fatalf("err = %v, want one about %s", err, tc.wantMsg)
				}
			case err != nil || acc.ID == 0:
				t.Fatalf("Add = %+v, %v", acc, err)
			}
		})
	}
}

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	want := mustAdd(t, s, staff.Account{Email: "An@Amsterdam.nl", Name: "An", Municipality: "GM0363", Role: staff.Agent}, password)
	mustAdd(t, s, staff.Account{Email: "weg@amsterdam.nl", Municipality: "GM0363", Role: staff.Agent}, password)
	if err := s.Disable(ctx, "weg@amsterdam.nl"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, email, password string
		wantErr               error
	}{
		{name: "right", email: "An@Amsterdam.nl", password: password},
		{name: "email in other case", email: " an@amsterdam.nl ", password: password},
		{name: "wrong password", email: "an@amsterdam.nl", password: password + "!", wantErr: staff.ErrBadLogin},
		{name: "unknown email", email: "niemand@amsterdam.nl", password: password, wantErr: staff.ErrBadLogin},
		{name: "disabled account", email: "weg@amsterdam.nl", password: password, wantErr: staff.ErrBadLogin},
		{name: "huge password", email: "an@amsterdam.nl", password: strings.Repeat("x", 5000), wantErr: staff.ErrBadLogin},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Authenticate(ctx, tc.email, tc.password)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != want {
				t.Fatalf("Authenticate = %+v, %v; want %+v", got, err, want)
			}
		})
	}
}

func TestPasswordHashes(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	s := staff.NewStore(db.Pool) // the real costs
	ctx := context.Background()
	mustAdd(t, s, staff.Account{Email: "a@gemeente.nl", Municipality: "GM0363", Role: staff.Agent}, password)
	mustAdd(t, s, staff.Account{Email: "b@gemeente.nl", Municipality: "GM0363", Role: staff.Agent}, password)
	// An account hashed with other costs gets the current ones at its next login.
	mustAdd(t, staff.CheapHashes(staff.NewStore(db.Pool)), staff.Account{Email: "c@gemeente.nl", Municipality: "GM0363", Role: staff.Agent}, password)
	if _, err := s.Authenticate(ctx, "c@gemeente.nl", password); err != nil {
		t.Fatal(err)
	}
	rows, _ := db.Pool.Query(ctx, `SELECT password_hash FROM staff_accounts ORDER BY id`)
	hashes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	phc := regexp.MustCompile(`^\$argon2id\$v=19\$m=47104,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	for _, h := range hashes {
		if !phc.MatchString(h) || strings.Contains(h, password) {
			t.Errorf("stored hash %q is not an argon2id PHC string with the current costs, free of the password", h)
		}
	}
	if len(hashes) != 3 || hashes[0] == hashes[1] || hashes[1] == hashes[2] || hashes[0] == hashes[2] {
		t.Errorf("accounts with the same password have hashes %q: want different ones (salted)", hashes)
	}
	if _, err := s.Authenticate(ctx, "c@gemeente.nl", password); err != nil {
		t.Errorf("login after the rehash: %v", err)
	}
}

func TestSetPasswordAndList(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	mustAdd(t, s, staff.Account{Email: "b@amsterdam.nl", Municipality: "GM0363", Role: staff.Supervisor}, password)
	mustAdd(t, s, staff.Account{Email: "a@amsterdam.nl", Municipality: "GM0363", Role: staff.Agent}, password)
	mustAdd(t, s, staff.Account{Email: "c@utrecht.nl", Municipality: "GM0344", Role: staff.Evaluator}, password)

	const newPassword = "een heel ander wachtwoord"
	if err := s.SetPassword(ctx, "A@amsterdam.nl", newPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, "a@amsterdam.nl", password); !errors.Is(err, staff.ErrBadLogin) {
		t.Errorf("old password after SetPassword: err = %v, want ErrBadLogin", err)
	}
	if _, err := s.Authenticate(ctx, "a@amsterdam.nl", newPassword); err != nil {
		t.Errorf("new password: %v", err)
	}
	if err := s.SetPassword(ctx, "niemand@amsterdam.nl", newPassword); !errors.Is(err, staff.ErrNotFound) {
		t.Errorf("SetPassword of unknown email: err = %v, want ErrNotFound", err)
	}
	if err := s.SetPassword(ctx, "a@amsterdam.nl", "kort"); !errors.Is(err, staff.ErrShortPassword) {
		t.Errorf("SetPassword with a short password: err = %v, want ErrShortPassword", err)
	}

	tests := []struct {
		municipality string
		want         []string
	}{
		{"", []string{"c@utrecht.nl", "a@amsterdam.nl", "b@amsterdam.nl"}},
		{"GM0363", []string{"a@amsterdam.nl", "b@amsterdam.nl"}},
		{"GM0014", nil},
	}
	for _, tc := range tests {
		t.Run("municipality="+tc.municipality, func(t *testing.T) {
			accounts, err := s.List(ctx, tc.municipality)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range accounts {
				got = append(got, a.Email)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("List(%q) = %v, want %v", tc.municipality, got, tc.want)
			}
		})
	}
	if _, err := s.List(ctx, "Amsterdam"); err == nil {
		t.Error("List(\"Amsterdam\") succeeded; want an error about the CBS code")
	}
}

// site is a staff site as serve would wire it: the auth routes and pages behind Require.
type site struct {
	logs  *syncBuffer
	db    *pgtest.DB
	store *staff.Store
	auth  *staff.Auth
	srv   *httptest.Server
}

func newSite(t *testing.T, cfg staff.Config) *site {
	t.Helper()
	store, db := newStore(t)
	logs := &syncBuffer{}
	auth := staff.NewAuth(store, db.Pool, cfg, slog.New(slog.NewTextHandler(io.MultiWriter(t.Output(), logs), nil)))
	mux := http.NewServeMux()
	auth.Routes(mux)
	whoami := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		acc, ok := staff.AccountFrom(r.Context())
		if !ok {
			http.Error(w, "no account in context", http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, "%s %s %s %s", r.Method, acc.Email, acc.Role, acc.Municipality)
	})
	mux.Handle("/staff/queue", auth.Require(staff.Agent, staff.Supervisor)(whoami))
	mux.Handle("/staff/eval", auth.Require(staff.Evaluator)(whoami))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &site{logs: logs, db: db, store: store, auth: auth, srv: srv}
}

// syncBuffer collects the server's log, written and read by different goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// browser keeps cookies by hand (to see their attributes) and never follows redirects.
type browser struct {
	t       *testing.T
	s       *site
	cookies map[string]*http.Cookie
	header  http.Header // sent with every request
}

func (s *site) browser(t *testing.T) *browser {
	return &browser{t: t, s: s, cookies: map[string]*http.Cookie{}, header: http.Header{}}
}

type response struct {
	*http.Response
	body    string
	cookies map[string]*http.Cookie // set by this response
}

func (b *browser) do(method, path string, form url.Values, header map[string]string) response {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.s.srv.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	for k, v := range b.header {
		req.Header[k] = v
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	for _, c := range b.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	r := response{Response: resp, body: string(data), cookies: map[string]*http.Cookie{}}
	for _, c := range resp.Cookies() {
		r.cookies[c.Name] = c
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return r
}

// loginForm loads the login page and returns the form with its CSRF token filled in.
func (b *browser) loginForm(next string) url.Values {
	b.t.Helper()
	path := "/staff/login"
	if next != "" {
		path += "?" + url.Values{"next": {next}}.Encode()
	}
	r := b.do("GET", path, nil, nil)
	if r.StatusCode != http.StatusOK {
		b.t.Fatalf("GET %s: %s", path, r.Status)
	}
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(r.body)
	if m == nil {
		b.t.Fatalf("login page has no csrf field:\n%s", r.body)
	}
	n := regexp.MustCompile(`name="next" value="([^"]*)"`).FindStringSubmatch(r.body)
	return url.Values{"csrf": {m[1]}, "next": {n[1]}}
}

func (b *browser) login(email, pw string) response {
	b.t.Helper()
	form := b.loginForm("")
	form.Set("email", email)
	form.Set("password", pw)
	return b.do("POST", "/staff/login", form, nil)
}

func (b *browser) session() map[string]string {
	b.t.Helper()
	r := b.do("GET", "/staff/session", nil, nil)
	if r.StatusCode != http.StatusOK {
		b.t.Fatalf("GET /staff/session: %s %s", r.Status, r.body)
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(r.body), &m); err != nil {
		b.t.Fatal(err)
	}
	return m
}

func TestLoginPage(t *testing.T) {
	t.Parallel()
	s := newSite(t, staff.Config{})
	b := s.browser(t)
	r := b.do("GET", "/staff/login?next=/eval/sets", nil, nil)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("status %s", r.Status)
	}
	if got, want := r.Header.Get("Content-Security-Policy"), "default-src 'self'; style-src 'self' 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"; got != want {
		t.Errorf("CSP = %q, want %q", got, want)
	}
	c := r.cookies["vraagbaak_login_csrf"]
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || len(c.Value) < 40 {
		t.Fatalf("login CSRF cookie = %+v", c)
	}
	for _, want := range []string{
		`<html lang="nl">`,
		`<title>Inloggen — Vraagbaak medewerkers</title>`,
		`name="csrf" value="` + c.Value + `"`,
		`name="next" value="/eval/sets"`,
		`<label for="email">`, `autocomplete="username"`,
		`<label for="password">`, `autocomplete="current-password"`,
		`:focus-visible`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("login page lacks %s", want)
		}
	}
	if strings.Contains(r.body, "<script") || strings.Contains(r.body, "role=\"alert\"") {
		t.Error("login page has a script, or an alert before anything went wrong")
	}
	// A second load keeps the token, so that two open tabs both work.
	if r2 := b.do("GET", "/staff/login", nil, nil); !strings.Contains(r2.body, c.Value) || r2.cookies["vraagbaak_login_csrf"] != nil {
		t.Error("second load of the login page replaced the CSRF token")
	}
}

func TestLoginAndSession(t *testing.T) {
	t.Parallel()
	s := newSite(t, staff.Config{})
	ctx := context.Background()
	mustAdd(t, s.store, staff.Account{Email: "an@amsterdam.nl", Name: "An", Municipality: "GM0363", Role: staff.Agent}, password)
	b := s.browser(t)

	// Wrong password: the page again, with an alert, and no session.
	r := b.login("an@amsterdam.nl", "niet het wachtwoord")
	if r.StatusCode != http.StatusUnauthorized || !strings.Contains(r.body, `role="alert"`) || !strings.Contains(r.body, "klopt niet") {
		t.Fatalf("wrong password: %s\n%s", r.Status, r.body)
	}
	if !strings.Contains(r.body, `value="an@amsterdam.nl"`) || strings.Contains(r.body, "niet het wachtwoord") {
		t.Error("after a failed login the page should keep the email and forget the password")
	}
	if r.cookies["vraagbaak_staff"] != nil {
		t.Fatal("failed login set a session cookie")
	}
	logs := s.logs.String()
	if !strings.Contains(logs, `level=WARN msg="staff login failed"`) || !strings.Contains(logs, "email_hash=") ||
		strings.Contains(logs, "an@amsterdam.nl") || strings.Contains(logs, "niet het wachtwoord") {
		t.Errorf("a failed login should be logged at warn without the email or password:\n%s", logs)
	}

	// No CSRF cookie, or a field that does not match it: refused before the password is checked.
	form := b.loginForm("")
	form.Set("email", "an@amsterdam.nl")
	form.Set("password", password)
	stranger := s.browser(t)
	if r := stranger.do("POST", "/staff/login", form, nil); r.StatusCode != http.StatusForbidden || r.cookies["vraagbaak_staff"] != nil {
		t.Errorf("login without the CSRF cookie: %s, cookies %v", r.Status, r.cookies)
	}
	wrong := "x" + form.Get("csrf")[1:]
	if wrong == form.Get("csrf") { // the token began with an x already
		wrong = "y" + form.Get("csrf")[1:]
	}
	bad := url.Values{"csrf": {wrong}, "email": {"an@amsterdam.nl"}, "password": {password}}
	if r := b.do("POST", "/staff/login", bad, nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("login with a wrong CSRF field: %s", r.Status)
	}

	// Right password: a redirect to next and a session cookie.
	form = b.loginForm("/staff/queue?tab=wachtend")
	form.Set("email", "AN@amsterdam.nl")
	form.Set("password", password)
	r = b.do("POST", "/staff/login", form, nil)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/staff/queue?tab=wachtend" {
		t.Fatalf("login: %s to %q", r.Status, r.Header.Get("Location"))
	}
	c := r.cookies["vraagbaak_staff"]
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/staff" || c.Secure || len(c.Value) < 40 {
		t.Fatalf("session cookie = %+v", c)
	}
	if b.cookies["vraagbaak_login_csrf"] != nil {
		t.Error("the login CSRF cookie outlived the login")
	}
	var stored int
	if err := s.db.Pool.QueryRow(ctx, `SELECT count(*) FROM staff_sessions WHERE token_hash = sha256($1::bytea)`, []byte(c.Value)).Scan(&stored); err != nil || stored != 1 {
		t.Fatalf("sessions stored under the sha256 of the token: %d, %v", stored, err)
	}

	info := b.session()
	if info["email"] != "an@amsterdam.nl" || info["role"] != "agent" || info["municipality"] != "GM0363" || info["name"] != "An" || len(info["csrf"]) < 40 {
		t.Errorf("GET /staff/session = %v", info)
	}
	if exp, err := time.Parse(time.RFC3339, info["expires_at"]); err != nil || time.Until(exp) < 7*time.Hour || time.Until(exp) > 8*time.Hour+time.Minute {
		t.Errorf("expires_at = %q, want about 8 hours from now", info["expires_at"])
	}
	acc, err := s.auth.Check(ctx, c.Value)
	if err != nil || acc.Email != "an@amsterdam.nl" {
		t.Errorf("Check = %+v, %v", acc, err)
	}
	// Already logged in: the login page sends you on.
	if r := b.do("GET", "/staff/login?next=/staff/queue", nil, nil); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/staff/queue" {
		t.Errorf("login page while logged in: %s to %q", r.Status, r.Header.Get("Location"))
	}
}

func TestRequire(t *testing.T) {
	t.Parallel()
	s := newSite(t, staff.Config{})
	ctx := context.Background()
	mustAdd(t, s.store, staff.Account{Email: "an@amsterdam.nl", Municipality: "GM0363", Role: staff.Agent}, password)
	anon := s.browser(t)
	b := s.browser(t)
	if r := b.login("an@amsterdam.nl", password); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %s", r.Status)
	}
	csrf := b.session()["csrf"]
	html := map[string]string{"Accept": "text/html,application/xhtml+xml"}

	tests := []struct {
		name     string
		b        *browser
		method   string
		path     string
		form     url.Values
		header   map[string]string
		status   int
		location string // for redirects
		body     string // part of the body
	}{
		{name: "no session, script", b: anon, method: "GET", path: "/staff/queue", status: 401, body: `"error"`},
		{name: "no session, page", b: anon, method: "GET", path: "/staff/queue?tab=1", header: html, status: 303, location: "/staff/login?next=%2Fstaff%2Fqueue%3Ftab%3D1"},
		{name: "no session, post from a page", b: anon, method: "POST", path: "/staff/queue", header: html, status: 401},
		{name: "session", b: b, method: "GET", path: "/staff/queue", status: 200, body: "GET an@amsterdam.nl agent GM0363"},
		{name: "post without csrf", b: b, method: "POST", path: "/staff/queue", status: 403},
		{name: "post with a wrong csrf", b: b, method: "POST", path: "/staff/queue", header: map[string]string{"X-CSRF-Token": csrf + "x"}, status: 403},
		{name: "post with csrf header", b: b, method: "POST", path: "/staff/queue", header: map[string]string{"X-CSRF-Token": csrf}, status: 200, body: "POST an@amsterdam.nl"},
		{name: "form with csrf field", b: b, method: "POST", path: "/staff/queue", form: url.Values{"csrf": {csrf}}, status: 200, body: "POST an@amsterdam.nl"},
		{name: "delete with csrf header", b: b, method: "DELETE", path: "/staff/queue", header: map[string]string{"X-CSRF-Token": csrf}, status: 200},
		{name: "wrong role", b: b, method: "GET", path: "/staff/eval", status: 403},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.b.do(tc.method, tc.path, tc.form, tc.header)
			if r.StatusCode != tc.status || r.Header.Get("Location") != tc.location || !strings.Contains(r.body, tc.body) {
				t.Errorf("%s %s = %s to %q: %s\nwant %d to %q with %q", tc.method, tc.path, r.Status, r.Header.Get("Location"), r.body, tc.status, tc.location, tc.body)
			}
		})
	}

	// Using the session moves the idle expiry forward, but not past 24 hours after login.
	token := b.cookies["vraagbaak_staff"].Value
	setSession := func(sql string) {
		t.Helper()
		if _, err := s.db.Pool.Exec(ctx, `UPDATE staff_sessions SET `+sql+` WHERE token_hash = sha256($1::bytea)`, []byte(token)); err != nil {
			t.Fatal(err)
		}
	}
	expiry := func() time.Duration {
		t.Helper()
		var left float64
		if err := s.db.Pool.QueryRow(ctx, `SELECT extract(epoch FROM expires_at - now()) FROM staff_sessions WHERE token_hash = sha256($1::bytea)`, []byte(token)).Scan(&left); err != nil {
			t.Fatal(err)
		}
		return time.Duration(left * float64(time.Second))
	}
	setSession(`expires_at = now() + interval '1 minute'`)
	b.do("GET", "/staff/queue", nil, nil)
	if left := expiry(); left < 7*time.Hour {
		t.Errorf("after a request the session expires in %v, want about 8h", left)
	}
	setSession(`created_at = now() - interval '23 hours', expires_at = now() + interval '1 minute'`)
	b.do("GET", "/staff/queue", nil, nil)
	if left := expiry(); left > time.Hour+time.Minute || left < 50*time.Minute {
		t.Errorf("a session 23 hours old expires in %v, want the hour left of its 24", left)
	}
	// GET /staff/session and Check do not count as use.
	setSession(`created_at = now(), expires_at = now() + interval '1 hour'`)
	b.session()
	if _, err := s.auth.Check(ctx, token); err != nil {
		t.Fatal(err)
	}
	if left := expiry(); left > time.Hour {
		t.Errorf("GET /staff/session or Check extended the session to %v", left)
	}

	// Expired: 401, Check says ErrNotFound, Purge deletes it.
	setSession(`expires_at = now() - interval '1 second'`)
	if r := b.do("GET", "/staff/queue", nil, nil); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("expired session: %s", r.Status)
	}
	if _, err := s.auth.Check(ctx, token); !errors.Is(err, staff.ErrNotFound) {
		t.Errorf("Check of an expired session: err = %v, want ErrNotFound", err)
	}
	if n, err := s.auth.Purge(ctx); err != nil || n != 1 {
		t.Errorf("Purge = %d, %v; want 1 expired session deleted", n, err)
	}
}

func TestLogout(t *testing.T) {
	t.Parallel()
	s := newSite(t, staff.Config{})
	ctx := context.Background()
	mustAdd(t, s.store, staff.Account{Email: "an@amsterdam.nl", Municipality: "GM0363", Role: staff.Agent}, password)
	b := s.browser(t)
	// A login with a session cookie already present (say, planted) replaces that session.
	form := b.loginForm("")
	first := s.browser(t)
	first.login("an@amsterdam.nl", password)
	planted := first.cookies["vraagbaak_staff"].Value
	b.cookies["vraagbaak_staff"] = &http.Cookie{Name: "vraagbaak_staff", Value: planted}
	form.Set("email", "an@amsterdam.nl")
	form.Set("password", password)
	if r := b.do("POST", "/staff/login", form, nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %s", r.Status)
	}
	token := b.cookies["vraagbaak_staff"].Value
	if _, err := s.auth.Check(ctx, planted); token == planted || !errors.Is(err, staff.ErrNotFound) {
		t.Errorf("logging in kept the session whose cookie was already there (err = %v)", err)
	}

	csrf := b.session()["csrf"]
	if r := b.do("POST", "/staff/logout", nil, nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("logout without CSRF token: %s", r.Status)
	}
	r := b.do("POST", "/staff/logout", url.Values{"csrf": {csrf}}, map[string]string{"Accept": "text/html"})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/staff/login" {
		t.Errorf("logout: %s to %q", r.Status, r.Header.Get("Location"))
	}
	if c := r.cookies["vraagbaak_staff"]; c == nil || c.MaxAge >= 0 {
		t.Errorf("logout did not clear the cookie: %+v", c)
	}
	if _, err := s.auth.Check(ctx, token); !errors.Is(err, staff.ErrNotFound) {
		t.Errorf("Check after logout: err = %v, want ErrNotFound", err)
	}
	// The old token no longer works even if a copy of the cookie survived.
	b.cookies["vraagbaak_staff"] = &http.Cookie{Name: "vraagbaak_staff", Value: token}
	if r := b.do("GET", "/staff/queue", nil, nil); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("request after logout: %s", r.Status)
	}

	// A new password ends every session of the account.
	b.login("an@amsterdam.nl", password)
	token = b.cookies["vraagbaak_staff"].Value
	if err := s.store.SetPassword(ctx, "an@amsterdam.nl", "nieuw wachtwoord 2026"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.auth.Check(ctx, token); !errors.Is(err, staff.ErrNotFound) {
		t.Errorf("Check after a password change: err = %v, want ErrNotFound", err)
	}
}

func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		email func(i int) string
		ip    func(i int) string
	}{
		{name: "one address, many emails", email: func(i int) string { return fmt.Sprintf("x%d@amsterdam.nl", i) }, ip: func(int) string { return "192.0.2.1" }},
		{name: "one email, many addresses", email: func(int) string { return "an@amsterdam.nl" }, ip: func(i int) string { return fmt.Sprintf("192.0.2.%d", 10+i) }},
		// The client writes what it likes left of the address the proxy appends: it
		// does not escape the limit of its own address.
		{name: "forged X-Forwarded-For entries", email: func(i int) string { return fmt.Sprintf("y%d@amsterdam.nl", i) }, ip: func(i int) string { return fmt.Sprintf("192.0.2.%d, 198.51.100.1", 10+i) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newSite(t, staff.Config{LoginPerMinute: 3, TrustedProxies: throttle.Loopback()})
			mustAdd(t, s.store, staff.Account{Email: "an@amsterdam.nl", Municipality: "GM0363", Role: staff.Agent}, password)
			b := s.browser(t)
			for i := range 4 {
				b.header.Set("X-Forwarded-For", tc.ip(i))
				r := b.login(tc.email(i), "fout wachtwoord")
				want := http.StatusUnauthorized
				if i == 3 {
					want = http.StatusTooManyRequests
				}
				if r.StatusCode != want {
					t.Fatalf("attempt %d: %s, want %d", i+1, r.Status, want)
				}
				if i == 3 && (!strings.Contains(r.body, "Te veel inlogpogingen") || r.Header.Get("Retry-After") == "") {
					t.Errorf("429 page lacks the Dutch message or Retry-After:\n%s", r.body)
				}
			}
			// Even the right password waits.
			if r := b.login("an@amsterdam.nl", password); r.StatusCode != http.StatusTooManyRequests {
				t.Errorf("right password while limited: %s", r.Status)
			}
		})
	}
}

// With CookiePath "/", the evaluator pages under /eval/ get the session too.
func TestCookiePath(t *testing.T) {
	t.Parallel()
	s := newSite(t, staff.Config{CookiePath: "/", Secure: true})
	mustAdd(t, s.store, staff.Account{Email: "ev@amsterdam.nl", Municipality: "GM0363", Role: staff.Evaluator}, password)
	b := s.browser(t)
	r := b.login("ev@amsterdam.nl", password)
	if c := r.cookies["vraagbaak_staff"]; c == nil || c.Path != "/" || !c.Secure {
		t.Fatalf("session cookie = %+v, want Path=/ and Secure", c)
	}
}

func TestLoginRedirectStaysLocal(t *testing.T) {
	t.Parallel()
	s := newSite(t, staff.Config{LoginPerMinute: 100})
	mustAdd(t, s.store, staff.Account{Email: "an@amsterdam.nl", Municipality: "GM0363", Role: staff.Evaluator}, password)
	tests := []struct{ next, want string }{
		{"", "/staff/"},
		{"/staff/gesprek/12", "/staff/gesprek/12"},
		{"/eval/sets?id=3", "/eval/sets?id=3"},
		{"https://evil.example", "/staff/"},
		{"https://evil.example/staff/", "/staff/"},
		{"//evil.example/staff/", "/staff/"},
		{"/\\evil.example", "/staff/"},
		{"/staff/\\\\evil.example", "/staff/"},
		{"/staff/../../evil", "/staff/"},
		{"/staff/%2e%2e/x", "/staff/"},
		{"/staff/\r\nSet-Cookie: x=y", "/staff/"},
		{"javascript:alert(1)", "/staff/"},
		{"/elders", "/staff/"},
	}
	for _, tc := range tests {
		t.Run(tc.next, func(t *testing.T) {
			b := s.browser(t)
			form := b.loginForm("")
			form.Set("next", tc.next)
			form.Set("email", "an@amsterdam.nl")
			form.Set("password", password)
			r := b.do("POST", "/staff/login", form, nil)
			if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != tc.want {
				t.Errorf("next=%q: %s to %q, want %q", tc.next, r.Status, r.Header.Get("Location"), tc.want)
			}
		})
	}
	// The page itself does not carry a foreign next into its form either.
	b := s.browser(t)
	if form := b.loginForm("https://evil.example"); form.Get("next") != "/staff/" {
		t.Errorf("login page kept next=%q", form.Get("next"))
	}
}
