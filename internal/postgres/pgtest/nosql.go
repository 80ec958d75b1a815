package pgtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// NoSQLOver fails t for every string literal in the non-test Go files of the
// current directory (the package under test) that names table: the package must
// read it through view instead.
func NoSQLOver(t testing.TB, table, view string) {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && strings.Contains(lit.Value, table) {
				t.Errorf("%s: SQL over %s; read the %s view", fset.Position(lit.Pos()), table, view)
			}
			return true
		})
	}
}
