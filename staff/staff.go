// Package staff owns staff accounts, passwords, sessions and CSRF for the staff and
// evaluator pages: the staff_accounts and staff_sessions tables, the login page, and
// the middleware that guards the pages behind it. Only cmd imports it: cmd wraps the
// staff handlers of chat and web in Require and passes them what they need (the
// Account from AccountFrom, Check for long-lived websockets) as plain values and funcs.
// Other packages that need an account in their SQL read the staff_directory view
// (id, email, name, municipality, role, disabled_at; migration 0015), which staff
// keeps when its table changes: chat for transfers and the online colleagues, review
// for the evaluator of a score. Nobody else reads staff_accounts.
package staff

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/vraagbaak/vraagbaak/internal/cbs"
)

// Role is what a staff member may do.
type Role string

// The roles. Agents take over conversations, supervisors also watch the queue and
// manage their colleagues' work, evaluators score answers in the evaluator pages. The
// privacy officer reads the municipality's transcript access log (/staff/access) and
// cannot open conversations or answers themselves.
const (
	Agent      Role = "agent"
	Supervisor Role = "supervisor"
	Evaluator  Role = "evaluator"
	Privacy    Role = "privacy"
)

// PrivacyHome is where a privacy officer goes after logging in without another page
// to go back to.
const PrivacyHome = "/staff/access"

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool {
	return r == Agent || r == Supervisor || r == Evaluator || r == Privacy
}

// Account is one staff member.
type Account struct {
	ID           int64
	Email        string
	Name         string
	Municipality string // CBS code such as GM0363
	Role         Role
}

// Sentinel errors.
var (
	ErrExists        = errors.New("staff: an account with this email already exists")
	ErrBadLogin      = errors.New("staff: wrong email or password")
	ErrNotFound      = errors.New("staff: not found")
	ErrShortPassword = fmt.Errorf("staff: a password needs at least %d characters", MinPasswordLength)
)

// Password limits. The minimum counts characters (runes); the maximum bytes, so that
// nobody makes the server hash megabytes.
const (
	MinPasswordLength = 12
	MaxPasswordBytes  = 1024
)

func checkPassword(password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return ErrShortPassword
	}
	if len(password) > MaxPasswordBytes {
		return fmt.Errorf("staff: a password may have at most %d bytes", MaxPasswordBytes)
	}
	return nil
}

// validate checks an account before it is stored and returns it normalised.
func (a Account) validate() (Account, error) {
	a.Email = strings.TrimSpace(a.Email)
	a.Name = strings.TrimSpace(a.Name)
	if !validEmail(a.Email) {
		return a, fmt.Errorf("staff: %q is not an email address such as naam@gemeente.nl", a.Email)
	}
	if !cbs.Valid(a.Municipality) {
		return a, fmt.Errorf("staff: municipality must be a CBS code such as GM0363, not %q", a.Municipality)
	}
	if !a.Role.Valid() {
		return a, fmt.Errorf("staff: role must be agent, supervisor, evaluator or privacy, not %q", a.Role)
	}
	if utf8.RuneCountInString(a.Name) > 200 {
		return a, errors.New("staff: name is longer than 200 characters")
	}
	return a, nil
}

func validEmail(s string) bool {
	if s == "" || len(s) > 254 {
		return false
	}
	addr, err := mail.ParseAddress(s)
	return err == nil && addr.Name == "" && addr.Address == s
}
