package eval

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vraagbaak/vraagbaak/answer"
	"github.com/vraagbaak/vraagbaak/retrieval"
)

// ReportFile is the name of the HTML report in an output directory.
const ReportFile = "report.html"

//go:embed report.html.tmpl
var reportTemplate string

// WriteReport writes r as one self-contained HTML page: inline CSS and SVG, no
// scripts, no external assets, so that it opens from disk and can be mailed.
func (r Result) WriteReport(w io.Writer) error {
	t, err := template.New("report").Parse(reportTemplate)
	if err != nil {
		return fmt.Errorf("eval: report template: %w", err)
	}
	if err := t.Execute(w, newReportView(r)); err != nil {
		return fmt.Errorf("eval: report: %w", err)
	}
	return nil
}

// WriteReportFile writes the report to dir/report.html and returns its path.
func (r Result) WriteReportFile(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("eval: %w", err)
	}
	path := filepath.Join(dir, ReportFile)
	f, err := os.Create(path)
	if err != nil {
		return "", fmt.Errorf("eval: %w", err)
	}
	if err := r.WriteReport(f); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("eval: %w", err)
	}
	return path, nil
}

// The report's view: everything computed, the template only lays it out.
type reportView struct {
	Golden, Created, MinSupport string
	N                           int
	Sections                    []summarySection
	Modes                       []modeRow
	Rates                       barChart
	Splits                      []splitView
	Latency                     histogram
	Confusion                   confusionView
	Failed                      []failedRow
	Judged                      *judgedView // nil when no model judged the answers
}

// judgedView is the section on the model-judged figures.
type judgedView struct {
	Model, Relevance string
	Answers          int
	Claims           string
	Rows             []judgedRow
	NotJudged        []notJudgedRow
}

type judgedRow struct {
	Label, Value      string
	Judged, NotJudged int
}

type notJudgedRow struct {
	ID, Metric, Reason string
}

type summarySection struct {
	Name string
	Rows []summaryRow
}

type summaryRow struct {
	Label, Value, Of, Better string
	N                        int
	Headline                 bool
}

type modeRow struct {
	Mode                     string
	N                        int
	R1, R5, R10, MRR, NDCG10 string
}

type splitView struct {
	ID, Name string
	Groups   []groupHead
	Rows     []splitRow
	Charts   []barChart
}

type groupHead struct {
	Name string
	N    int
}

type splitRow struct {
	Label  string
	Values []string
}

type confusionView struct {
	Labels   []string
	Rows     []confusionRow
	Accuracy string
}

type confusionRow struct {
	Label string
	Cells []confusionCell
	Total int
}

type confusionCell struct {
	Count    int
	Shade    string
	Diagonal bool
}

type failedRow struct {
	ID, Municipality, Topic, Question, Expected, Got, Rank, Answer string
	Problems, Cited                                                []string
}

func newReportView(r Result) reportView {
	v := reportView{
		Golden:     r.Golden,
		Created:    r.Created.UTC().Format("2006-01-02 15:04 UTC"),
		MinSupport: fmt.Sprintf("%.2f", r.MinSupport),
		N:          r.Metrics.N,
	}
	cat := Catalog()
	if r.Metrics.Judged != nil {
		cat = append(cat, JudgedCatalog()...)
		v.Judged = newJudgedView(r)
	}
	for _, info := range cat {
		if len(v.Sections) == 0 || v.Sections[len(v.Sections)-1].Name != info.Section {
			v.Sections = append(v.Sections, summarySection{Name: info.Section})
		}
		s := &v.Sections[len(v.Sections)-1]
		better := "higher"
		if info.Better == LowerIsBetter {
			better = "lower"
		}
		s.Rows = append(s.Rows, summaryRow{
			Label: info.Label, Value: info.Format(info.Value(r.Metrics)), Headline: info.Headline, Better: better,
			N: info.Base(r.Metrics), Of: info.Of,
		})
	}
	for _, m := range r.Metrics.Modes {
		f := shareText
		v.Modes = append(v.Modes, modeRow{Mode: m.Mode, N: m.N, R1: f(m.Recall1), R5: f(m.Recall5), R10: f(m.Recall10), MRR: f(m.MRR), NDCG10: f(m.NDCG10)})
	}

	var rates []barInput
	for _, info := range cat {
		if info.Unit == Share {
			rates = append(rates, barInput{Label: info.Label, Value: info.Value(r.Metrics)})
		}
	}
	v.Rates = newBarChart("chart-rates", "Figures over all questions", "Every share-valued figure over all questions, on a scale from 0 to 1", rates)

	for _, s := range []struct {
		id, name string
		groups   []Group
	}{{"municipality", "municipality", r.ByMunicipality}, {"topic", "topic", r.ByTopic}} {
		sv := splitView{ID: s.id, Name: s.name}
		for _, g := range s.groups {
			sv.Groups = append(sv.Groups, groupHead{Name: g.Name, N: g.Metrics.N})
		}
		for _, info := range cat {
			row := splitRow{Label: info.Label}
			for _, g := range s.groups {
				row.Values = append(row.Values, info.Format(info.Value(g.Metrics)))
			}
			sv.Rows = append(sv.Rows, row)
			if !info.Headline {
				continue
			}
			var bars []barInput
			for _, g := range s.groups {
				bars = append(bars, barInput{Label: g.Name, Value: info.Value(g.Metrics)})
			}
			sv.Charts = append(sv.Charts, newBarChart("chart-"+s.id+"-"+info.Key, info.Label+" per "+s.name,
				info.Label+" for each "+s.name+", on a scale from 0 to 1", bars))
		}
		v.Splits = append(v.Splits, sv)
	}

	var total []float64
	for _, q := range r.Questions {
		total = append(total, q.TotalMs)
	}
	v.Latency = newHistogram("chart-latency", "Latency per question", total, r.Metrics.TotalP50, r.Metrics.TotalP95)
	v.Confusion = newConfusionView(r.Metrics)
	v.Failed = failedRows(r.Questions)
	return v
}

func newJudgedView(r Result) *judgedView {
	jm := r.Metrics.Judged
	v := &judgedView{Model: "unknown", Relevance: "unknown", Answers: jm.Answers,
		Claims: fmt.Sprintf("%d of %d claims of the answers judged were supported by their cited passages.", jm.SupportedClaims, jm.Claims)}
	if r.Judge != nil {
		v.Model, v.Relevance = r.Judge.Model, r.Judge.Describe()
	}
	for _, info := range JudgedCatalog() {
		v.Rows = append(v.Rows, judgedRow{Label: info.Label, Value: info.Format(info.Value(r.Metrics)),
			Judged: info.Base(r.Metrics), NotJudged: NotJudged(info.Key, r.Metrics)})
	}
	for _, q := range r.Questions {
		if j := q.Judgement; j != nil {
			if j.FaithfulnessError != "" {
				v.NotJudged = append(v.NotJudged, notJudgedRow{ID: q.ID, Metric: "Faithfulness", Reason: j.FaithfulnessError})
			}
			if j.RelevanceError != "" {
				v.NotJudged = append(v.NotJudged, notJudgedRow{ID: q.ID, Metric: "Answer relevance", Reason: j.RelevanceError})
			}
		}
	}
	return v
}

func newConfusionView(m Metrics) confusionView {
	c := m.Confusion
	most := 1
	for i := range c.Labels {
		for j := range c.Labels {
			most = max(most, c.Counts[i][j])
		}
	}
	v := confusionView{Accuracy: shareText(m.OutcomeAccuracy)}
	for i, e := range c.Labels {
		v.Labels = append(v.Labels, string(e))
		row := confusionRow{Label: string(e), Total: c.Expected(e)}
		for j := range c.Labels {
			n := c.Counts[i][j]
			shade := 0
			if n > 0 {
				shade = 1 + int(math.Round(3*float64(n)/float64(most)))
			}
			row.Cells = append(row.Cells, confusionCell{Count: n, Shade: fmt.Sprintf("s%d", min(shade, 4)), Diagonal: i == j})
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// failedRows lists the questions with problems: wrong outcomes first.
func failedRows(qs []QuestionResult) []failedRow {
	var failed []QuestionResult
	for _, q := range qs {
		if len(q.Problems()) > 0 {
			failed = append(failed, q)
		}
	}
	slices.SortStableFunc(failed, func(a, b QuestionResult) int {
		if a.Right() != b.Right() {
			if !a.Right() {
				return -1
			}
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	var rows []failedRow
	for _, q := range failed {
		fr := failedRow{
			ID: q.ID, Municipality: q.MunicipalityGroup(), Topic: q.Topic, Question: q.Question,
			Expected: string(q.Expected), Got: string(q.Outcome), Rank: "–", Problems: q.Problems(),
		}
		if q.Ranks != nil && len(q.ExpectedPages) > 0 {
			fr.Rank = rankName(q.BestRank(retrieval.Hybrid.String()))
		}
		if q.Outcome == answer.Answered {
			fr.Answer = q.Answer
			for _, c := range q.Citations {
				fr.Cited = append(fr.Cited, c.URL)
			}
		}
		rows = append(rows, fr)
	}
	return rows
}

// barChart is a horizontal bar chart of shares (0..1), as SVG geometry.
type barChart struct {
	ID, Title, Desc                           string
	Width, Height                             int
	PlotX, PlotW, PlotTop, GridBottom, LabelX int
	Bars                                      []bar
	Ticks                                     []tick
}

type bar struct {
	Label, Value      string
	Y, W, TextX, MidY int
	Defined           bool
}

type barInput struct {
	Label string
	Value Figure
}

type tick struct {
	X, Y  int
	Label string
}

const (
	barRow    = 24 // pixels per bar
	barHeight = 16
	charWidth = 7 // estimate of one character of the 13px labels
)

func newBarChart(id, title, desc string, in []barInput) barChart {
	labelW := 0
	var parts []string
	for _, b := range in {
		labelW = max(labelW, len([]rune(b.Label)))
		parts = append(parts, b.Label+" "+shareText(b.Value))
	}
	c := barChart{ID: id, Title: title, Desc: desc + ": " + strings.Join(parts, "; ") + ".", PlotTop: 8}
	c.PlotX = min(labelW, 32)*charWidth + 12
	c.PlotW = 320
	c.Width = c.PlotX + c.PlotW + 60
	c.Height = c.PlotTop + barRow*len(in) + 24
	c.GridBottom, c.LabelX = c.PlotTop+barRow*len(in), c.PlotX-6
	for i, b := range in {
		y := c.PlotTop + barRow*i
		br := bar{Label: b.Label, Value: shareText(b.Value), Y: y + (barRow-barHeight)/2, MidY: y + barRow/2 + 4, Defined: b.Value.Defined()}
		if br.Defined {
			br.W = int(math.Round(float64(c.PlotW) * max(0, min(1, float64(b.Value)))))
		}
		br.TextX = c.PlotX + br.W + 6
		c.Bars = append(c.Bars, br)
	}
	for i := 0; i <= 4; i++ {
		c.Ticks = append(c.Ticks, tick{X: c.PlotX + c.PlotW*i/4, Y: c.PlotTop + barRow*len(in) + 16, Label: fmt.Sprintf("%.2g", float64(i)/4)})
	}
	return c
}

// histogram is a vertical-bar histogram, as SVG geometry.
type histogram struct {
	ID, Title, Desc                    string
	Width, Height                      int
	PlotX, PlotY, PlotW, PlotH         int
	PlotRight, PlotBottom              int
	Bins                               []histBin
	XTicks, YTicks                     []tick
	Markers                            []marker
	XLabel, YLabel                     string
	XLabelX, XLabelY, YLabelX, YLabelY int
}

type histBin struct {
	X, Y, W, H int
	Range      string
	Count      int
}

type marker struct {
	X, Y1, Y2, TextX, TextY int
	Label, Anchor           string
}

func abs(x int) int { return max(x, -x) }

func newHistogram(id, title string, xs []float64, p50, p95 Figure) histogram {
	h := histogram{ID: id, Title: title, PlotX: 52, PlotY: 28, PlotW: 560, PlotH: 200,
		XLabel: "total time per question (ms)", YLabel: "questions"}
	h.Width, h.Height = h.PlotX+h.PlotW+20, h.PlotY+h.PlotH+56
	h.PlotRight, h.PlotBottom = h.PlotX+h.PlotW, h.PlotY+h.PlotH
	h.XLabelX, h.XLabelY = h.PlotX+h.PlotW/2, h.PlotY+h.PlotH+44
	h.YLabelX, h.YLabelY = 14, h.PlotY+h.PlotH/2
	most := 0.0
	for _, x := range xs {
		most = max(most, x)
	}
	width := niceStep(most / 12)
	n := max(1, int(math.Ceil(most/width)))
	if float64(n)*width <= most {
		n++ // the largest value opens a bin of its own
	}
	counts := make([]int, n)
	for _, x := range xs {
		counts[min(int(x/width), n-1)]++
	}
	top := 1
	for _, c := range counts {
		top = max(top, c)
	}
	yStep := max(1, int(niceStep(float64(top)/4)))
	top = yStep * int(math.Ceil(float64(top)/float64(yStep)))
	scaleX := func(x float64) int { return h.PlotX + int(math.Round(x/(width*float64(n))*float64(h.PlotW))) }
	var desc []string
	for i, c := range counts {
		lo, hi := width*float64(i), width*float64(i+1)
		x0, x1 := scaleX(lo), scaleX(hi)
		bh := int(math.Round(float64(c) / float64(top) * float64(h.PlotH)))
		b := histBin{X: x0 + 1, W: max(1, x1-x0-2), Y: h.PlotY + h.PlotH - bh, H: bh, Count: c, Range: fmt.Sprintf("%s–%s ms", num(lo), num(hi))}
		h.Bins = append(h.Bins, b)
		if c > 0 {
			desc = append(desc, fmt.Sprintf("%s: %d", b.Range, c))
		}
	}
	every := max(1, (n+7)/8)
	for i := 0; i <= n; i += every {
		h.XTicks = append(h.XTicks, tick{X: scaleX(width * float64(i)), Y: h.PlotY + h.PlotH + 18, Label: num(width * float64(i))})
	}
	for c := 0; c <= top; c += yStep {
		h.YTicks = append(h.YTicks, tick{X: h.PlotX - 6, Y: h.PlotY + h.PlotH - int(math.Round(float64(c)/float64(top)*float64(h.PlotH))), Label: fmt.Sprint(c)})
	}
	for _, p := range []struct {
		name string
		v    Figure
	}{{"p50", p50}, {"p95", p95}} {
		if !p.v.Defined() {
			continue
		}
		x := scaleX(float64(p.v))
		m := marker{X: x, Y1: h.PlotY - 4, Y2: h.PlotY + h.PlotH, TextX: x + 4, TextY: h.PlotY - 8, Anchor: "start",
			Label: fmt.Sprintf("%s %s ms", p.name, num(float64(p.v)))}
		if x > h.PlotX+h.PlotW-120 {
			m.TextX, m.Anchor = x-4, "end"
		}
		h.Markers = append(h.Markers, m)
	}
	if len(h.Markers) == 2 && abs(h.Markers[1].X-h.Markers[0].X) < 130 {
		h.Markers[0].TextY -= 14 // keep the two labels apart
	}
	h.Desc = fmt.Sprintf("Histogram of the total time of %d questions, in bins of %s ms. %s.", len(xs), num(width), strings.Join(desc, "; "))
	if p50.Defined() && p95.Defined() {
		h.Desc += fmt.Sprintf(" Median %s ms, 95th percentile %s ms.", num(float64(p50)), num(float64(p95)))
	}
	return h
}

// niceStep rounds x up to 1, 2 or 5 times a power of ten.
func niceStep(x float64) float64 {
	if x <= 0 || math.IsNaN(x) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, f := range []float64{1, 2, 5, 10} {
		if x <= f*p {
			return f * p
		}
	}
	return 10 * p
}

// num writes a number with at most one decimal and no trailing zero.
func num(x float64) string {
	s := fmt.Sprintf("%.1f", x)
	return strings.TrimSuffix(s, ".0")
}
