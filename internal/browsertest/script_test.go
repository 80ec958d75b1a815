package browsertest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// scripts/browser.sh installs Debian's npm package when npm is missing, the way it
// installs Chromium, instead of stopping. The test runs a copy of the script with a
// PATH of its own: apt-get and sudo are fakes that record what they were asked, and
// the fake apt-get "installs" an npm that "installs" axe-core.
func TestBrowserScriptInstallsNpm(t *testing.T) {
	root := t.TempDir()
	scripts, bin := filepath.Join(root, "scripts"), filepath.Join(root, "bin")
	for _, d := range []string{scripts, bin} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	src, err := os.ReadFile("../../scripts/browser.sh")
	if err != nil {
		t.Fatal(err)
	}
	write := func(path, body string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(scripts, "browser.sh"), string(src))
	for _, tool := range []string{"bash", "sed", "mkdir", "dirname", "id", "head", "env", "cat", "chmod"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Skipf("%s not found: %v", tool, err)
		}
		if err := os.Symlink(p, filepath.Join(bin, tool)); err != nil {
			t.Fatal(err)
		}
	}
	calls := filepath.Join(root, "calls")
	fakeNpm := "#!" + filepath.Join(bin, "bash") + `
prefix=$3
mkdir -p "$prefix/node_modules/axe-core"
echo '// axe' > "$prefix/node_modules/axe-core/axe.min.js"
printf '{\n  "version": "4.10.0"\n}\n' > "$prefix/node_modules/axe-core/package.json"
`
	write(filepath.Join(root, "npm"), fakeNpm)
	write(filepath.Join(bin, "apt-get"), "#!"+filepath.Join(bin, "bash")+`
echo "apt-get $*" >> `+calls+`
case "$*" in *" npm"*) cat `+filepath.Join(root, "npm")+` > `+filepath.Join(bin, "npm")+`; chmod 755 `+filepath.Join(bin, "npm")+`;; esac
`)
	write(filepath.Join(bin, "sudo"), "#!"+filepath.Join(bin, "bash")+"\n\"$@\"\n")
	write(filepath.Join(bin, "chromium"), "#!"+filepath.Join(bin, "bash")+"\n")

	cmd := exec.Command(filepath.Join(bin, "bash"), filepath.Join(scripts, "browser.sh"))
	cmd.Env = []string{"PATH=" + bin, "HOME=" + root}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("browser.sh: %v\n%s", err, stderr.String())
	}
	got, _ := os.ReadFile(calls)
	if !strings.Contains(string(got), "install -y -qq --no-install-recommends npm") {
		t.Errorf("apt-get was not asked for npm; calls:\n%s\nstderr:\n%s", got, stderr.String())
	}
	if want := filepath.Join(root, ".cache/node_modules/axe-core/axe.min.js"); !strings.Contains(string(out), want) {
		t.Errorf("stdout %q does not name %s", out, want)
	}
}
