package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/vraagbaak/vraagbaak/ingest/extract"
	"github.com/vraagbaak/vraagbaak/internal/cbs"
	"github.com/vraagbaak/vraagbaak/retrieval"
)

// Source is one entry of a sources file: what to crawl and where its pages belong.
type Source struct {
	Name         string   `yaml:"name"`
	Scope        string   `yaml:"scope"`        // national | municipality
	Municipality string   `yaml:"municipality"` // CBS code, for municipality sources
	Start        []string `yaml:"start"`        // sitemaps and/or page URLs
	Allow        []string `yaml:"allow"`        // URL prefixes the crawler may fetch
	// Extract refines the generic main-content extraction for this source's template.
	Extract extract.Options `yaml:"extract"`
}

// SourcesFile is the parsed sources file.
type SourcesFile struct {
	Sources []Source `yaml:"sources"`
}

// FieldError names the place in a sources file that is wrong.
type FieldError struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Field, e.Msg)
}

var sourceNameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// LoadSources reads and validates a sources file. Every error names the file, the line
// and the field.
func LoadSources(path string) ([]Source, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("ingest: read sources: %w", err)
	}
	return ParseSources(path, data)
}

// ParseSources validates a sources file held in memory; name is used in errors.
func ParseSources(name string, data []byte) ([]Source, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, &FieldError{File: name, Line: max(root.Line, 1), Field: "sources", Msg: "the file must be a mapping with a `sources:` list"}
	}
	doc := root.Content[0]
	if err := knownKeys(name, doc, "sources"); err != nil {
		return nil, err
	}
	list := valueOf(doc, "sources")
	if list == nil || list.Kind != yaml.SequenceNode || len(list.Content) == 0 {
		return nil, &FieldError{File: name, Line: doc.Line, Field: "sources", Msg: "a non-empty list of sources is required"}
	}
	seen := map[string]int{}
	var out []Source
	for i, n := range list.Content {
		field := fmt.Sprintf("sources[%d]", i)
		if n.Kind != yaml.MappingNode {
			return nil, &FieldError{File: name, Line: n.Line, Field: field, Msg: "must be a mapping"}
		}
		if err := knownKeys(name, n, "name", "scope", "municipality", "start", "allow", "extract"); err != nil {
			return nil, err
		}
		var src Source
		if err := n.Decode(&src); err != nil {
			var te *yaml.TypeError
			if errors.As(err, &te) {
				return nil, fmt.Errorf("%s: %s: %s", name, field, strings.Join(te.Errors, "; "))
			}
			return nil, fmt.Errorf("%s:%d: %s: %w", name, n.Line, field, err)
		}
		if err := validateSource(name, n, field, &src); err != nil {
			return nil, err
		}
		if line, dup := seen[src.Name]; dup {
			return nil, &FieldError{File: name, Line: lineOf(n, "name"), Field: field + ".name", Msg: fmt.Sprintf("%q is already used on line %d", src.Name, line)}
		}
		seen[src.Name] = lineOf(n, "name")
		out = append(out, src)
	}
	return out, nil
}

func validateSource(file string, n *yaml.Node, field string, src *Source) error {
	fail := func(key, msg string) error {
		return &FieldError{File: file, Line: lineOf(n, key), Field: field + "." + key, Msg: msg}
	}
	if !sourceNameRe.MatchString(src.Name) {
		return fail("name", "required: lowercase letters, digits, - and _")
	}
	field = fmt.Sprintf("%s (%s)", field, src.Name)
	switch src.Scope {
	case retrieval.ScopeNational:
		if src.Municipality != "" {
			return fail("municipality", "only municipality sources have a municipality code")
		}
	case retrieval.ScopeMunicipality:
		if !cbs.Valid(src.Municipality) {
			return fail("municipality", "required for scope municipality: a CBS code such as GM0363")
		}
	default:
		return fail("scope", "must be national or municipality")
	}
	if len(src.Allow) == 0 {
		return fail("allow", "at least one URL prefix is required")
	}
	for _, a := range src.Allow {
		if err := checkAllow(a); err != nil {
			return fail("allow", err.Error())
		}
	}
	if len(src.Start) == 0 {
		return fail("start", "at least one start URL (sitemap or page) is required")
	}
	for _, s := range src.Start {
		u, err := httpURL(s)
		if err != nil {
			return fail("start", err.Error())
		}
		if !allowed(src.Allow, u) {
			return fail("start", fmt.Sprintf("%s is not under any allow prefix", s))
		}
	}
	return nil
}

func httpURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL: %v", s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("%q must be an absolute http(s) URL", s)
	}
	return u, nil
}

func knownKeys(file string, n *yaml.Node, keys ...string) error {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		ok := false
		for _, want := range keys {
			ok = ok || k.Value == want
		}
		if !ok {
			return &FieldError{File: file, Line: k.Line, Field: k.Value, Msg: fmt.Sprintf("unknown field (known: %s)", strings.Join(keys, ", "))}
		}
	}
	return nil
}

func valueOf(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func lineOf(n *yaml.Node, key string) int {
	if v := valueOf(n, key); v != nil {
		return v.Line
	}
	return n.Line
}
