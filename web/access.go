package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vraagbaak/vraagbaak/audit"
)

// AccessViewer is the privacy officer looking at the access log.
type AccessViewer struct {
	Name         string
	Municipality string // the only municipality whose log they see
	CSRF         string // the session's CSRF token, for the logout form
}

// AccessOptions configure the access log page.
type AccessOptions struct {
	Log *audit.Log
	// Who returns the logged-in privacy officer; the caller has checked the role.
	Who func(*http.Request) (AccessViewer, bool)
	// RetentionDays is how long the log is kept, shown on the page.
	RetentionDays int
	Logger        *slog.Logger
}

// accessPageRows is how many rows the page shows at most; the export has them all.
const accessPageRows = 500

// AccessHandler serves the privacy officer's view of the transcript access log of
// their own municipality: GET /staff/access (a page rendered on the server, filtered
// by the query: from and to, dates YYYY-MM-DD in Dutch time, both inclusive; account,
// a staff account id; conversation, a conversation id) and GET
// /staff/access/export.csv (the same rows as CSV). The caller puts both behind the
// staff session check for the privacy role. The page uses the console's CSS (served
// by StaffHandler) and no script.
func AccessHandler(opts AccessOptions) http.Handler {
	files := loadFileSet(nil, "static/shared", "static/staff") // the version StaffHandler serves them under
	tmpl, tmplErr := template.ParseFS(pageFiles, "pages/staff/access.html")
	loc, err := time.LoadLocation("Europe/Amsterdam") // time/tzdata is linked in by main
	if err != nil {
		loc = time.UTC
	}
	h := &accessPages{opts: opts, version: files.version, tmpl: tmpl, tmplErr: tmplErr, loc: loc}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /staff/access", h.page)
	mux.HandleFunc("GET /staff/access/export.csv", h.export)
	mux.HandleFunc("/", http.NotFound)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-store")
		mux.ServeHTTP(w, r)
	})
}

type accessPages struct {
	opts    AccessOptions
	version string
	tmpl    *template.Template
	tmplErr error
	loc     *time.Location
}

// accessQuery is the filter as the officer typed it, with what is wrong with it.
type accessQuery struct {
	From, To, Account, Conversation string
	FromErr, ToErr, ConversationErr string
	filter                          audit.Filter
}

func (q accessQuery) Invalid() bool {
	return q.FromErr != "" || q.ToErr != "" || q.ConversationErr != ""
}

// ExportHref is the export's address with the filter.
func (q accessQuery) ExportHref() string {
	if e := q.encode(); e != "" {
		return "/staff/access/export.csv?" + e
	}
	return "/staff/access/export.csv"
}

func (q accessQuery) encode() string {
	v := url.Values{}
	for k, s := range map[string]string{"from": q.From, "to": q.To, "account": q.Account, "conversation": q.Conversation} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v.Encode()
}

func (p *accessPages) parse(r *http.Request, municipality string) accessQuery {
	get := func(k string) string { return strings.TrimSpace(r.URL.Query().Get(k)) }
	q := accessQuery{From: get("from"), To: get("to"), Account: get("account"), Conversation: strings.TrimPrefix(get("conversation"), "#")}
	q.filter.Municipality = municipality
	day := func(s string) (time.Time, bool) {
		d, err := time.ParseInLocation(time.DateOnly, s, p.loc)
		return d, err == nil
	}
	if q.From != "" {
		if d, ok := day(q.From); ok {
			q.filter.Since = d
		} else {
			q.FromErr = "Vul een datum in als 2026-03-31."
		}
	}
	if q.To != "" {
		if d, ok := day(q.To); ok {
			q.filter.Before = d.AddDate(0, 0, 1)
		} else {
			q.ToErr = "Vul een datum in als 2026-03-31."
		}
	}
	if q.FromErr == "" && q.ToErr == "" && !q.filter.Since.IsZero() && !q.filter.Before.IsZero() && !q.filter.Since.Before(q.filter.Before) {
		q.ToErr = "Deze datum ligt vóór de datum bij Van."
	}
	if q.Account != "" {
		if id, err := strconv.ParseInt(q.Account, 10, 64); err == nil && id > 0 {
			q.filter.AccountID = id
		} else {
			q.Account = ""
		}
	}
	if q.Conversation != "" {
		if id, err := strconv.ParseInt(q.Conversation, 10, 64); err == nil && id > 0 {
			q.filter.Conversation = id
		} else {
			q.ConversationErr = "Vul het nummer van een gesprek in, bijvoorbeeld 1234."
		}
	}
	return q
}

// accessRow is one row of the page's table.
type accessRow struct {
	Time, Date, Name, Role, Channel string
	Conversation, Answer            int64
}

// memberOption is one staff member in the filter's list.
type memberOption struct {
	ID       int64
	Label    string
	Selected bool
}

type accessView struct {
	Version       string
	Viewer        AccessViewer
	Query         accessQuery
	Members       []memberOption
	Rows          []accessRow
	More          bool // more rows than shown
	RetentionDays int
}

// Dutch names of the roles and channels.
var (
	roleNames    = map[string]string{audit.RoleAgent: "medewerker", audit.RoleSupervisor: "teamleider", audit.RoleEvaluator: "beoordelaar"}
	channelNames = map[audit.Channel]string{audit.Console: "klantcontact", audit.Workbench: "beoordelen", audit.Export: "export (CSV)"}
)

func (p *accessPages) page(w http.ResponseWriter, r *http.Request) {
	viewer, ok := p.opts.Who(r)
	if !ok {
		http.Error(w, "U bent niet (meer) ingelogd. Log opnieuw in.", http.StatusUnauthorized)
		return
	}
	q := p.parse(r, viewer.Municipality)
	v := accessView{Version: p.version, Viewer: viewer, Query: q, RetentionDays: p.opts.RetentionDays}
	members, err := p.opts.Log.Members(r.Context(), viewer.Municipality)
	if err == nil && !q.Invalid() {
		f := q.filter
		f.Limit = accessPageRows + 1
		var list []audit.Entry
		list, err = p.opts.Log.List(r.Context(), f)
		if len(list) > accessPageRows {
			list, v.More = list[:accessPageRows], true
		}
		for _, e := range list {
			at := e.At.In(p.loc)
			v.Rows = append(v.Rows, accessRow{Date: at.Format(time.DateOnly), Time: at.Format("15:04:05"), Name: e.Name,
				Role: roleNames[e.Role], Channel: channelNames[e.Channel], Conversation: e.Conversation, Answer: e.Answer})
		}
	}
	if err != nil {
		p.opts.Logger.Error("access log page", "municipality", viewer.Municipality, "err", err)
		http.Error(w, "Er ging iets mis. Probeer het later opnieuw.", http.StatusInternalServerError)
		return
	}
	for _, m := range members {
		label := m.Name
		if label == "" {
			label = fmt.Sprintf("account %d", m.AccountID)
		}
		v.Members = append(v.Members, memberOption{ID: m.AccountID, Label: fmt.Sprintf("%s (%s)", label, roleNames[m.Role]),
			Selected: m.AccountID == q.filter.AccountID})
	}
	var buf bytes.Buffer
	if p.tmplErr != nil || p.tmpl.Execute(&buf, v) != nil { // a bug in the embedded template, which the tests render
		http.Error(w, "Er ging iets mis. Probeer het later opnieuw.", http.StatusInternalServerError)
		return
	}
	status := http.StatusOK
	if q.Invalid() {
		status = http.StatusBadRequest
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}

func (p *accessPages) export(w http.ResponseWriter, r *http.Request) {
	viewer, ok := p.opts.Who(r)
	if !ok {
		http.Error(w, "U bent niet (meer) ingelogd. Log opnieuw in.", http.StatusUnauthorized)
		return
	}
	q := p.parse(r, viewer.Municipality)
	if q.Invalid() {
		http.Error(w, strings.Join([]string{q.FromErr, q.ToErr, q.ConversationErr}, " "), http.StatusBadRequest)
		return
	}
	var buf bytes.Buffer
	if err := p.opts.Log.WriteCSV(r.Context(), &buf, q.filter, p.loc); err != nil {
		if !errors.Is(err, r.Context().Err()) {
			p.opts.Logger.Error("access log export", "municipality", viewer.Municipality, "err", err)
		}
		http.Error(w, "Er ging iets mis. Probeer het later opnieuw.", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="inzage-%s-%s.csv"`, viewer.Municipality, time.Now().In(p.loc).Format(time.DateOnly)))
	w.Write(buf.Bytes()) //nolint:errcheck // the client went away
}
