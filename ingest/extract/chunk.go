package extract

import (
	"strings"
	"unicode/utf8"

	"github.com/tmc/langchaingo/textsplitter"
)

// Chunk defaults, in characters. 1,500 characters are about 220 Dutch words: one or two
// paragraphs of an official page, small enough for a precise embedding and large enough to
// answer a question on its own.
const (
	DefaultChunkSize    = 1500
	DefaultChunkOverlap = 200
	DefaultChunkMinSize = 200
)

// Chunk is a piece of a page's text for retrieval. Text is body text only; a chunk that
// merges several small sections carries their headings below Headings as lines of text.
type Chunk struct {
	Ord      int
	Headings []string
	Anchor   string
	Text     string
	// Lead marks the chunk of a question page that holds its lead answer: the first
	// paragraph after the question.
	Lead bool
}

// ChunkOptions size the chunks, in characters (runes). Zero values take the defaults; a
// negative Overlap means no overlap and a negative MinSize disables merging.
type ChunkOptions struct {
	Size    int // maximum length of a chunk
	Overlap int // text repeated between consecutive pieces of a split section
	MinSize int // sections shorter than this are merged with their neighbours
}

func (o ChunkOptions) withDefaults() ChunkOptions {
	if o.Size <= 0 {
		o.Size = DefaultChunkSize
	}
	switch {
	case o.Overlap == 0:
		o.Overlap = min(DefaultChunkOverlap, o.Size/4)
	case o.Overlap < 0:
		o.Overlap = 0
	case o.Overlap >= o.Size:
		o.Overlap = o.Size / 4
	}
	switch {
	case o.MinSize == 0:
		o.MinSize = min(DefaultChunkMinSize, o.Size/4)
	case o.MinSize < 0:
		o.MinSize = 0
	}
	return o
}

// piece is a section, or a part of a section too long for one chunk.
type piece struct {
	headings []string
	anchor   string
	text     string
	size     int
	part     bool // a part of a split section; never merged
}

// Split cuts the page's sections into chunks. A section longer than Size is split at
// paragraphs, then lines, sentences and words by langchaingo's recursive character splitter;
// consecutive small sections under the same parent are merged so that chunks are not
// fragments, keeping the anchor of the first.
func Split(p *Page, opts ChunkOptions) []Chunk {
	opts = opts.withDefaults()
	splitter := textsplitter.NewRecursiveCharacter(
		textsplitter.WithChunkSize(opts.Size),
		textsplitter.WithChunkOverlap(opts.Overlap),
		textsplitter.WithSeparators([]string{"\n\n", "\n", ". ", "? ", "; ", ", ", " ", ""}),
	)
	var pieces []piece
	for _, s := range p.Sections {
		n := utf8.RuneCountInString(s.Text)
		if n <= opts.Size {
			pieces = append(pieces, piece{headings: s.Headings, anchor: s.Anchor, text: s.Text, size: n})
			continue
		}
		parts, err := splitter.SplitText(s.Text)
		if err != nil || len(parts) == 0 {
			// The recursive splitter does not fail on plain text; keep the section whole.
			parts = []string{s.Text}
		}
		for _, t := range restorePeriods(s.Text, parts) {
			pieces = append(pieces, piece{
				headings: s.Headings, anchor: s.Anchor, text: t,
				size: utf8.RuneCountInString(t), part: true,
			})
		}
	}

	var chunks []Chunk
	var group []piece
	emit := func() {
		if len(group) > 0 {
			chunks = append(chunks, merge(group, len(chunks)))
			group = nil
		}
	}
	for _, pc := range pieces {
		if len(group) > 0 && mergeable(group, pc, opts) {
			group = append(group, pc)
			continue
		}
		emit()
		group = []piece{pc}
	}
	emit()
	if p.Kind == KindQuestion && len(chunks) > 0 && len(p.Sections) > 0 && len(p.Sections[0].Headings) == 0 {
		chunks[0].Lead = true
	}
	return chunks
}

// mergeable reports whether pc may join the group: neither is a part of a split section,
// one of them is small, the result fits, and pc is not further than a sibling of the
// group's first section in the heading tree.
func mergeable(group []piece, pc piece, opts ChunkOptions) bool {
	if pc.part || group[0].part {
		return false
	}
	size, prefix := groupSize(group)
	if size >= opts.MinSize && pc.size >= opts.MinSize {
		return false
	}
	common := min(prefix, commonPrefix(group[0].headings, pc.headings))
	if common < len(group[0].headings)-1 {
		return false
	}
	merged, _ := groupSize(append(group[:len(group):len(group)], pc))
	return merged <= opts.Size
}

// groupSize returns the text length of a group and the length of its common heading path.
func groupSize(group []piece) (size, prefix int) {
	prefix = len(group[0].headings)
	for _, g := range group[1:] {
		prefix = min(prefix, commonPrefix(group[0].headings, g.headings))
	}
	for i, g := range group {
		if i > 0 {
			size += 2
		}
		size += g.size
		if len(group) > 1 {
			for _, h := range g.headings[prefix:] {
				size += utf8.RuneCountInString(h) + 2
			}
		}
	}
	return size, prefix
}

// merge makes one chunk of a group: the common heading path, the anchor of the first
// section, and the text of each section under its own headings below that path.
func merge(group []piece, ord int) Chunk {
	c := Chunk{Ord: ord, Headings: group[0].headings, Anchor: group[0].anchor, Text: group[0].text}
	if len(group) == 1 {
		return c
	}
	_, prefix := groupSize(group)
	c.Headings = nil
	if prefix > 0 {
		c.Headings = group[0].headings[:prefix:prefix]
	}
	var b strings.Builder
	var prev []string
	for _, g := range group {
		rel := g.headings[prefix:]
		from := commonPrefix(prev, rel)
		if from == len(rel) && from > 0 {
			from--
		}
		for _, h := range rel[from:] {
			if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			b.WriteString(h)
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(g.text)
		prev = rel
	}
	c.Text = b.String()
	return c
}

// restorePeriods puts back the full stop or question mark that splitting at ". " removes from the end of a
// part. The parts are substrings of text in order, possibly overlapping.
func restorePeriods(text string, parts []string) []string {
	from := 0
	for i, p := range parts {
		at := strings.Index(text[from:], p)
		if at < 0 {
			continue
		}
		end := from + at + len(p)
		if end < len(text) && (text[end] == '.' || text[end] == '?') && !strings.HasSuffix(p, text[end:end+1]) {
			parts[i] = p + text[end:end+1]
		}
		from += at + 1
	}
	return parts
}
