package chat

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/vraagbaak/vraagbaak/answer"
)

// Metrics are the chat service's Prometheus metrics. A nil *Metrics records nothing.
type Metrics struct {
	connections prometheus.Gauge
	questions   prometheus.Counter
	answers     *prometheus.CounterVec
	errors      *prometheus.CounterVec
	feedbacks   *prometheus.CounterVec
	latency     *prometheus.HistogramVec
}

// NewMetrics registers the metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		connections: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "vraagbaak_websocket_connections", Help: "Open citizen websocket connections.",
		}),
		questions: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "vraagbaak_questions_total", Help: "Questions stored (retries not counted).",
		}),
		answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vraagbaak_answers_total", Help: "Answers stored, by outcome and answerer.",
		}, []string{"outcome", "answerer"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vraagbaak_websocket_errors_total", Help: "Errors sent to citizens or refused connections, by code.",
		}, []string{"code"}),
		feedbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "vraagbaak_feedback_total", Help: "Citizens' feedback on answers.",
		}, []string{"useful"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "vraagbaak_answer_seconds",
			Help:    "Time to answer a question, by step (retrieval, answering) and in total.",
			Buckets: []float64{.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"step"}),
	}
	reg.MustRegister(m.connections, m.questions, m.answers, m.errors, m.feedbacks, m.latency)
	return m
}

func (m *Metrics) connected(delta float64) {
	if m != nil {
		m.connections.Add(delta)
	}
}

func (m *Metrics) question() {
	if m != nil {
		m.questions.Inc()
	}
}

func (m *Metrics) error(code string) {
	if m != nil {
		m.errors.WithLabelValues(code).Inc()
	}
}

func (m *Metrics) feedback(useful bool) {
	if m != nil {
		v := "no"
		if useful {
			v = "yes"
		}
		m.feedbacks.WithLabelValues(v).Inc()
	}
}

func (m *Metrics) answered(a answer.Answer, total time.Duration) {
	if m == nil {
		return
	}
	m.answers.WithLabelValues(string(a.Outcome), a.Answerer).Inc()
	m.latency.WithLabelValues("retrieval").Observe(a.Timings.Retrieval / 1000)
	m.latency.WithLabelValues("answering").Observe(a.Timings.Answering / 1000)
	m.latency.WithLabelValues("total").Observe(total.Seconds())
}
