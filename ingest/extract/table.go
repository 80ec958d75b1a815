package extract

import (
	"strings"

	"golang.org/x/net/html"
)

// cell is one cell of a data table; th marks a header cell.
type cell struct {
	text string
	th   bool
}

// table renders a data table as one line per row: "Kolom: waarde; Kolom: waarde" when it
// has a header row, "Kop: waarde; waarde" for a row header, else "waarde; waarde".
func (r *renderer) table(n *html.Node) {
	buf := textBuf{flat: true}
	var caption string
	var head, rows [][]cell
	row := func(tr *html.Node) []cell {
		var cells []cell
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && (c.Data == "td" || c.Data == "th") {
				cells = append(cells, cell{text: r.inlineString(c, &buf), th: c.Data == "th"})
			}
		}
		return cells
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		switch c.Data {
		case "caption":
			caption = r.inlineString(c, &buf)
		case "tr":
			rows = append(rows, row(c))
		case "thead", "tbody", "tfoot":
			for tr := c.FirstChild; tr != nil; tr = tr.NextSibling {
				if tr.Type != html.ElementNode || tr.Data != "tr" {
					continue
				}
				if c.Data == "thead" {
					head = append(head, row(tr))
				} else {
					rows = append(rows, row(tr))
				}
			}
		}
	}
	var header []cell
	switch {
	case len(head) > 0:
		header = head[len(head)-1]
	case len(rows) > 1 && allTH(rows[0]):
		header, rows = rows[0], rows[1:]
	}
	var lines []string
	if caption != "" {
		lines = append(lines, caption)
	}
	if len(rows) == 0 && len(header) > 0 {
		rows = [][]cell{header}
		header = nil
	}
	for _, cells := range rows {
		if line := rowLine(header, cells); line != "" {
			lines = append(lines, line)
		}
	}
	r.addBlock(lines, &buf)
}

func rowLine(header, cells []cell) string {
	var parts []string
	for i, c := range cells {
		switch {
		case c.text == "":
		case header != nil && i < len(header) && header[i].text != "" && header[i].text != c.text:
			parts = append(parts, header[i].text+": "+c.text)
		default:
			parts = append(parts, c.text)
		}
	}
	if header == nil && len(cells) > 1 && cells[0].th && cells[0].text != "" && len(parts) > 1 {
		return parts[0] + ": " + strings.Join(parts[1:], "; ")
	}
	return strings.Join(parts, "; ")
}

func allTH(cells []cell) bool {
	for _, c := range cells {
		if !c.th {
			return false
		}
	}
	return len(cells) > 0
}

// layoutTable reports tables used for page layout rather than data: they are rendered as
// ordinary blocks.
func layoutTable(n *html.Node) bool {
	if role := attr(n, "role"); role == "presentation" || role == "none" {
		return true
	}
	layout := false
	var walk func(p *html.Node)
	walk = func(p *html.Node) {
		for c := p.FirstChild; c != nil && !layout; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch {
			case c.Data == "table" || headingLevel(c) > 0:
				layout = true
			case c.Data == "td" || c.Data == "th":
				if total, _ := textStats(c); total > 400 {
					layout = true
				}
				walk(c)
			default:
				walk(c)
			}
		}
	}
	walk(n)
	return layout
}
