package review

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxSample bounds the size of one round drawn through the API.
const maxSample = 1000

// Handler serves the evaluator workbench's JSON API under /eval/api/ (full paths;
// the caller mounts it behind the staff session check, which also checks the CSRF
// token of POSTs):
//
//	GET  /eval/api/rounds                            the rounds of the evaluator's municipality
//	POST /eval/api/rounds                            {"since_days", "n", "name"}: sample a new round
//	GET  /eval/api/rounds/{id}/next                  the next item to score, blind; {"done": true, …} when done
//	GET  /eval/api/rounds/{id}/items                 every item in order, each with whether the evaluator scored it
//	GET  /eval/api/rounds/{id}/items/{item}          one item, blind but for the evaluator's own score ("mine")
//	POST /eval/api/rounds/{id}/items/{item}/score    a Rating; saving again changes the evaluator's score
//	GET  /eval/api/rounds/{id}/report                the Report
//	GET  /eval/api/rounds/{id}/export.csv            every score as CSV
//
// who returns the logged-in evaluator; everything is scoped to their municipality.
// Errors are JSON {"error": …} with a fixed Dutch message.
func (r *Rounds) Handler(who func(*http.Request) (Evaluator, bool)) http.Handler {
	log := r.log
	mux := http.NewServeMux()
	handle := func(pattern string, f func(http.ResponseWriter, *http.Request, Evaluator) error) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, req *http.Request) {
			ev, ok := who(req)
			if !ok {
				writeError(w, http.StatusUnauthorized, "U bent niet (meer) ingelogd. Log opnieuw in.")
				return
			}
			err := f(w, req, ev)
			var bad badRequest
			switch {
			case err == nil:
			case errors.As(err, &bad):
				writeError(w, http.StatusBadRequest, string(bad))
			case errors.Is(err, ErrNotFound):
				writeError(w, http.StatusNotFound, "Niet gevonden.")
			case errors.Is(err, ErrEmpty):
				writeError(w, http.StatusUnprocessableEntity, "Er zijn in deze periode geen antwoorden om te beoordelen.")
			default:
				log.Error("eval api", "method", req.Method, "path", req.URL.Path, "account_id", ev.ID, "err", err)
				writeError(w, http.StatusInternalServerError, "Er ging iets mis. Probeer het later opnieuw.")
			}
		})
	}
	// handleRound and handleItem parse the round's {id} (and the item's {item})
	// from the path; an unparsable one is ErrNotFound.
	handleRound := func(pattern string, f func(http.ResponseWriter, *http.Request, Evaluator, int64) error) {
		handle(pattern, func(w http.ResponseWriter, req *http.Request, ev Evaluator) error {
			id, err := pathID(req, "id")
			if err != nil {
				return err
			}
			return f(w, req, ev, id)
		})
	}
	handleItem := func(pattern string, f func(http.ResponseWriter, *http.Request, Evaluator, int64, int64) error) {
		handleRound(pattern, func(w http.ResponseWriter, req *http.Request, ev Evaluator, id int64) error {
			item, err := pathID(req, "item")
			if err != nil {
				return err
			}
			return f(w, req, ev, id, item)
		})
	}
	handle("GET /eval/api/rounds", func(w http.ResponseWriter, req *http.Request, ev Evaluator) error {
		list, err := r.List(req.Context(), ev)
		if err != nil {
			return err
		}
		if list == nil {
			list = []Round{}
		}
		writeJSON(w, http.StatusOK, struct {
			Rounds []Round      `json:"rounds"`
			Rubric []RubricItem `json:"rubric"`
		}{list, Rubric()})
		return nil
	})
	handle("POST /eval/api/rounds", func(w http.ResponseWriter, req *http.Request, ev Evaluator) error {
		var in struct {
			SinceDays int    `json:"since_days"`
			N         int    `json:"n"`
			Name      string `json:"name"`
		}
		if err := readJSON(w, req, &in); err != nil {
			return err
		}
		in.Name = strings.TrimSpace(in.Name)
		switch {
		case in.Name == "" || len(in.Name) > 200:
			return badRequest("Geef de ronde een naam van hoogstens 200 tekens.")
		case in.SinceDays < 1 || in.SinceDays > 366:
			return badRequest("Kies een periode van 1 tot 366 dagen.")
		case in.N < 1 || in.N > maxSample:
			return badRequest(fmt.Sprintf("Kies een aantal van 1 tot %d antwoorden.", maxSample))
		}
		since := time.Now().AddDate(0, 0, -in.SinceDays)
		rd, err := r.Sample(req.Context(), ev.Municipality, since, in.N, in.Name, ev.ID)
		if err != nil {
			return err
		}
		log.Info("eval round sampled", "round_id", rd.ID, "account_id", ev.ID, "items", rd.Items)
		writeJSON(w, http.StatusCreated, rd)
		return nil
	})
	handleRound("GET /eval/api/rounds/{id}/next", func(w http.ResponseWriter, req *http.Request, ev Evaluator, id int64) error {
		it, err := r.Next(req.Context(), ev, id)
		if errors.Is(err, ErrNotFound) {
			// Done, or not a round of theirs: tell the two apart for the page.
			rd, gerr := r.Get(req.Context(), ev, id)
			if gerr != nil {
				return gerr
			}
			writeJSON(w, http.StatusOK, struct {
				Done   bool `json:"done"`
				Scored int  `json:"scored"`
				Total  int  `json:"total"`
			}{true, rd.Scored, rd.Items})
			return nil
		}
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, it)
		return nil
	})
	handleRound("GET /eval/api/rounds/{id}/items", func(w http.ResponseWriter, req *http.Request, ev Evaluator, id int64) error {
		list, err := r.Items(req.Context(), ev, id)
		if err != nil {
			return err
		}
		if list == nil {
			list = []ItemRef{}
		}
		writeJSON(w, http.StatusOK, struct {
			Items []ItemRef `json:"items"`
		}{list})
		return nil
	})
	handleItem("GET /eval/api/rounds/{id}/items/{item}", func(w http.ResponseWriter, req *http.Request, ev Evaluator, id, item int64) error {
		it, err := r.Item(req.Context(), ev, id, item)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, it)
		return nil
	})
	handleItem("POST /eval/api/rounds/{id}/items/{item}/score", func(w http.ResponseWriter, req *http.Request, ev Evaluator, id, item int64) error {
		var s Rating
		if err := readJSON(w, req, &s); err != nil {
			return err
		}
		if s.Validate() != nil {
			return badRequest("Beantwoord elke vraag met een waarde op de schaal.")
		}
		if err := r.Save(req.Context(), ev, id, item, s); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
	handleRound("GET /eval/api/rounds/{id}/report", func(w http.ResponseWriter, req *http.Request, ev Evaluator, id int64) error {
		rep, err := r.Report(req.Context(), ev, id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, rep)
		return nil
	})
	handleRound("GET /eval/api/rounds/{id}/export.csv", func(w http.ResponseWriter, req *http.Request, ev Evaluator, id int64) error {
		var buf bytes.Buffer
		if err := r.WriteCSV(req.Context(), ev, id, &buf); err != nil {
			return err
		}
		h := w.Header()
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="ronde-%d.csv"`, id))
		h.Set("X-Content-Type-Options", "nosniff")
		buf.WriteTo(w) //nolint:errcheck // the client went away
		return nil
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, "Niet gevonden.")
	})
	return mux
}

// badRequest is a Dutch message for the evaluator about their input.
type badRequest string

func (b badRequest) Error() string { return string(b) }

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id < 1 {
		return 0, ErrNotFound
	}
	return id, nil
}

func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest("Het verzoek kon niet worden gelezen.")
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v) //nolint:errcheck // the client went away
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, struct {
		Error string `json:"error"`
	}{msg})
}
