package web

import "net/http"

// EvalHandler serves the evaluator workbench: GET /eval/ (the page; the caller puts it
// behind the staff session check for evaluators and supervisors) and GET
// /eval/static/<version>/<file> (its modules and CSS, public). Every other path, and
// every other method, is a 404.
//
// The page is plain JavaScript modules speaking the JSON API under /eval/api/
// (review.Rounds.Handler); it reads who is logged in, and the CSRF token, from GET
// /staff/session. It runs under the same Content-Security-Policy as the other pages.
func EvalHandler() http.Handler {
	return appHandler("/eval/", "pages/evalui/workbench.html", "static/evalui")
}
