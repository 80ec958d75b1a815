package main

import (
	"log/slog"
	"net/http"

	"github.com/vraagbaak/vraagbaak/audit"
	"github.com/vraagbaak/vraagbaak/staff"
	"github.com/vraagbaak/vraagbaak/web"
)

// mountAccess adds the privacy officer's page to mux: the transcript access log of
// their own municipality, and its CSV export, for the privacy role only (agents,
// supervisors and evaluators get 403). keptDays is shown on the page.
func mountAccess(mux *http.ServeMux, auth *staff.Auth, log *audit.Log, keptDays int, logger *slog.Logger) {
	privacyOnly := auth.Require(staff.Privacy)
	h := privacyOnly(web.AccessHandler(web.AccessOptions{
		Log: log,
		Who: func(r *http.Request) (web.AccessViewer, bool) {
			acc, ok := staff.AccountFrom(r.Context())
			name := acc.Name
			if name == "" {
				name = acc.Email
			}
			return web.AccessViewer{Name: name, Municipality: acc.Municipality, CSRF: staff.CSRFFrom(r.Context())}, ok
		},
		RetentionDays: keptDays,
		Logger:        logger,
	}))
	mux.Handle("GET "+staff.PrivacyHome, h)
	mux.Handle("GET "+staff.PrivacyHome+"/export.csv", h)
}
