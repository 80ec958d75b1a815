package staff

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// MaxSessionAge is how long a session lasts at most, however active: after it, the
// staff member logs in again.
const MaxSessionAge = 24 * time.Hour

// session is a logged-in browser.
type session struct {
	account   Account
	csrf      string
	expiresAt time.Time
}

// newToken returns 32 random bytes in unpadded base64url (43 characters).
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("staff: random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// wellFormed reports whether s looks like a token from newToken.
func wellFormed(token string) bool {
	b, err := base64.RawURLEncoding.DecodeString(token)
	return err == nil && len(b) == 32
}

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

func seconds(d time.Duration) float64 { return d.Seconds() }

// createSession starts a session for the account and returns the cookie's token.
func (a *Auth) createSession(ctx context.Context, acc Account) (string, session, error) {
	token, err := newToken()
	if err != nil {
		return "", session{}, err
	}
	csrf, err := newToken()
	if err != nil {
		return "", session{}, err
	}
	s := session{account: acc, csrf: csrf}
	err = a.pool.QueryRow(ctx, `
		INSERT INTO staff_sessions (token_hash, account_id, csrf, expires_at)
		VALUES ($1, $2, $3, now() + make_interval(secs => least($4::float8, $5::float8)))
		RETURNING expires_at`, tokenHash(token), acc.ID, csrf, seconds(a.cfg.SessionTTL), seconds(MaxSessionAge)).
		Scan(&s.expiresAt)
	if err != nil {
		return "", session{}, fmt.Errorf("staff: create session: %w", err)
	}
	return token, s, nil
}

// lookup returns the live session with this token; with touch, it also moves the
// idle expiry forward. ErrNotFound when there is none (expired, logged out, or the
// account was disabled).
func (a *Auth) lookup(ctx context.Context, token string, touch bool) (session, error) {
	if !wellFormed(token) {
		return session{}, ErrNotFound
	}
	var row pgx.Row
	if touch {
		row = a.pool.QueryRow(ctx, `
			UPDATE staff_sessions s
			SET expires_at = least(now() + make_interval(secs => $2::float8), s.created_at + make_interval(secs => $3::float8))
			FROM staff_accounts a
			WHERE s.token_hash = $1 AND s.expires_at > now() AND a.id = s.account_id AND a.disabled_at IS NULL
			RETURNING a.id, a.email, a.name, a.municipality, a.role, s.csrf, s.expires_at`,
			tokenHash(token), seconds(a.cfg.SessionTTL), seconds(MaxSessionAge))
	} else {
		row = a.pool.QueryRow(ctx, `
			SELECT a.id, a.email, a.name, a.municipality, a.role, s.csrf, s.expires_at
			FROM staff_sessions s JOIN staff_accounts a ON a.id = s.account_id
			WHERE s.token_hash = $1 AND s.expires_at > now() AND a.disabled_at IS NULL`,
			tokenHash(token))
	}
	var s session
	err := row.Scan(&s.account.ID, &s.account.Email, &s.account.Name, &s.account.Municipality, &s.account.Role, &s.csrf, &s.expiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return session{}, ErrNotFound
	}
	if err != nil {
		return session{}, fmt.Errorf("staff: look up session: %w", err)
	}
	return s, nil
}

// deleteSession ends the session with this token, if there is one.
func (a *Auth) deleteSession(ctx context.Context, token string) error {
	if !wellFormed(token) {
		return nil
	}
	if _, err := a.pool.Exec(ctx, `DELETE FROM staff_sessions WHERE token_hash = $1`, tokenHash(token)); err != nil {
		return fmt.Errorf("staff: delete session: %w", err)
	}
	return nil
}

// Check returns the account of the live session with this token without extending
// it; long-lived websockets call it to re-validate their session. ErrNotFound when
// the session expired, was logged out, or its account was disabled.
func (a *Auth) Check(ctx context.Context, sessionToken string) (Account, error) {
	s, err := a.lookup(ctx, sessionToken, false)
	if err != nil {
		return Account{}, err
	}
	return s.account, nil
}

// Touch is Check for activity: it also extends the idle expiry, as a request through
// Require does. The staff console's websocket calls it on every message the agent sends.
func (a *Auth) Touch(ctx context.Context, sessionToken string) (Account, error) {
	s, err := a.lookup(ctx, sessionToken, true)
	if err != nil {
		return Account{}, err
	}
	return s.account, nil
}

// Purge deletes expired sessions and returns how many. serve calls it now and then.
func (a *Auth) Purge(ctx context.Context) (int64, error) {
	tag, err := a.pool.Exec(ctx, `DELETE FROM staff_sessions WHERE expires_at <= now()`)
	if err != nil {
		return 0, fmt.Errorf("staff: purge sessions: %w", err)
	}
	return tag.RowsAffected(), nil
}
