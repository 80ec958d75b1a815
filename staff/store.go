package staff

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/vraagbaak/vraagbaak/internal/cbs"
)

// Store keeps the staff accounts in PostgreSQL.
type Store struct {
	pool   *pgxpool.Pool
	params argonParams
	// hashing bounds how many password hashes run at once: each takes tens of
	// megabytes, and a burst of logins must not exhaust the memory.
	hashing chan struct{}
}

// NewStore returns a Store on pool.
func NewStore(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool, params: defaultArgonParams(), hashing: make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))}
}

// withHashSlot runs f once fewer than the allowed number of hashes are running.
func (s *Store) withHashSlot(ctx context.Context, f func()) error {
	select {
	case s.hashing <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.hashing }()
	f()
	return nil
}

func (s *Store) hash(ctx context.Context, password string) (string, error) {
	var h string
	var err error
	if serr := s.withHashSlot(ctx, func() { h, err = hashPassword(s.params, password) }); serr != nil {
		return "", serr
	}
	return h, err
}

const accountColumns = `id, email, name, municipality, role`

func scanAccount(row pgx.CollectableRow) (Account, error) {
	var a Account
	err := row.Scan(&a.ID, &a.Email, &a.Name, &a.Municipality, &a.Role)
	return a, err
}

// Add creates an account with the given password (at least MinPasswordLength
// characters) and returns it with its ID. ErrExists when the email, in any case, is
// taken.
func (s *Store) Add(ctx context.Context, a Account, password string) (Account, error) {
	a, err := a.validate()
	if err != nil {
		return Account{}, err
	}
	if err := checkPassword(password); err != nil {
		return Account{}, err
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return Account{}, err
	}
	err = s.pool.QueryRow(ctx, `
		INSERT INTO staff_accounts (email, name, municipality, role, password_hash)
		VALUES ($1, $2, $3, $4, $5)
		RETURNING id`, a.Email, a.Name, a.Municipality, a.Role, hash).Scan(&a.ID)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return Account{}, ErrExists
	}
	if err != nil {
		return Account{}, fmt.Errorf("staff: add account: %w", err)
	}
	return a, nil
}

// Authenticate returns the active account with this email (in any case) and
// password, or ErrBadLogin. An unknown email costs as much time as a known one: a
// password is hashed either way.
func (s *Store) Authenticate(ctx context.Context, email, password string) (Account, error) {
	if len(password) > MaxPasswordBytes {
		return Account{}, ErrBadLogin
	}
	var (
		a        Account
		hash     string
		disabled bool
	)
	err := s.pool.QueryRow(ctx, `
		SELECT `+accountColumns+`, password_hash, disabled_at IS NOT NULL
		FROM staff_accounts
		WHERE lower(email) = lower($1)`, strings.TrimSpace(email)).
		Scan(&a.ID, &a.Email, &a.Name, &a.Municipality, &a.Role, &hash, &disabled)
	if errors.Is(err, pgx.ErrNoRows) {
		// Spend the time a real check would take, so that response times do not
		// tell which emails have accounts.
		if _, err := s.hash(ctx, password); err != nil {
			return Account{}, fmt.Errorf("staff: authenticate: %w", err)
		}
		return Account{}, ErrBadLogin
	}
	if err != nil {
		return Account{}, fmt.Errorf("staff: authenticate: %w", err)
	}
	var ok, rehash bool
	var verr error
	if err := s.withHashSlot(ctx, func() { ok, rehash, verr = verifyPassword(s.params, hash, password) }); err != nil {
		return Account{}, fmt.Errorf("staff: authenticate: %w", err)
	}
	if verr != nil {
		return Account{}, fmt.Errorf("staff: authenticate account %d: %w", a.ID, verr)
	}
	if !ok || disabled {
		return Account{}, ErrBadLogin
	}
	if rehash {
		// The hash was made with older parameters: replace it while the password is at hand.
		newHash, err := s.hash(ctx, password)
		if err != nil {
			return Account{}, fmt.Errorf("staff: authenticate: %w", err)
		}
		if _, err := s.pool.Exec(ctx, `UPDATE staff_accounts SET password_hash = $2 WHERE id = $1`, a.ID, newHash); err != nil {
			return Account{}, fmt.Errorf("staff: authenticate: rehash: %w", err)
		}
	}
	return a, nil
}

// SetPassword replaces the password of the account with this email and ends all its
// sessions. ErrNotFound when there is no such account.
func (s *Store) SetPassword(ctx context.Context, email, password string) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return err
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `
			UPDATE staff_accounts SET password_hash = $2
			WHERE lower(email) = lower($1)
			RETURNING id`, strings.TrimSpace(email), hash).Scan(&id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM staff_sessions WHERE account_id = $1`, id)
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("staff: set password: %w", err)
	}
	return nil
}

// Disable stops the account with this email from logging in and ends its sessions;
// its rows stay for the record. ErrNotFound when there is no such account.
func (s *Store) Disable(ctx context.Context, email string) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `
			UPDATE staff_accounts SET disabled_at = coalesce(disabled_at, now())
			WHERE lower(email) = lower($1)
			RETURNING id`, strings.TrimSpace(email)).Scan(&id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM staff_sessions WHERE account_id = $1`, id)
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("staff: disable: %w", err)
	}
	return nil
}

// List returns the active accounts of a municipality ("" for all), ordered by
// municipality and email.
func (s *Store) List(ctx context.Context, municipality string) ([]Account, error) {
	if municipality != "" && !cbs.Valid(municipality) {
		return nil, fmt.Errorf("staff: list: municipality must be a CBS code such as GM0363, not %q", municipality)
	}
	rows, _ := s.pool.Query(ctx, `
		SELECT `+accountColumns+`
		FROM staff_accounts
		WHERE ($1 = '' OR municipality = $1) AND disabled_at IS NULL
		ORDER BY municipality, lower(email)`, municipality)
	accounts, err := pgx.CollectRows(rows, scanAccount)
	if err != nil {
		return nil, fmt.Errorf("staff: list: %w", err)
	}
	return accounts, nil
}
