// Package proxytest starts a real nginx as a reverse proxy in front of a test server,
// the way a municipality or a supplier runs Vraagbaak: HTTP and websockets proxied,
// X-Forwarded-For appended with $proxy_add_x_forwarded_for. Only tests import it.
//
// The nginx is the one in VRAAGBAAK_NGINX, else nginx on PATH or /usr/sbin/nginx;
// scripts/nginx.sh installs it and prints the variable. When it is missing the test is
// skipped, unless VRAAGBAAK_REQUIRE_NGINX=1, where it fails instead.
//
//	upstream := httptest.NewServer(handler)
//	proxy := proxytest.Start(t, upstream.URL)
//	resp, err := http.Get(proxy.URL + "/healthz")
package proxytest

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Proxy is a running nginx.
type Proxy struct {
	URL  string // http://127.0.0.1:port
	Addr string // 127.0.0.1:port
}

// Binary returns the nginx executable, or skips (or fails) the test.
func Binary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("VRAAGBAAK_NGINX"); p != "" {
		path, err := exec.LookPath(p)
		if err != nil {
			t.Fatalf("proxytest: VRAAGBAAK_NGINX=%s: %v", p, err)
		}
		return path
	}
	if path, err := exec.LookPath("nginx"); err == nil {
		return path
	}
	if _, err := os.Stat("/usr/sbin/nginx"); err == nil {
		return "/usr/sbin/nginx"
	}
	msg := "no nginx (VRAAGBAAK_NGINX is unset and nginx is not on PATH or in /usr/sbin)"
	if os.Getenv("VRAAGBAAK_REQUIRE_NGINX") == "1" {
		t.Fatalf("proxytest: %s, but VRAAGBAAK_REQUIRE_NGINX=1", msg)
	}
	t.Skipf("proxytest: %s; run scripts/nginx.sh and export what it prints", msg)
	return ""
}

// config is the whole nginx.conf: one process in the foreground, everything it
// writes in dir, one server that proxies every path (websockets included) to upstream.
const config = `daemon off;
master_process off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path %[1]s/body;
	proxy_temp_path %[1]s/proxy;
	fastcgi_temp_path %[1]s/fastcgi;
	uwsgi_temp_path %[1]s/uwsgi;
	scgi_temp_path %[1]s/scgi;
	map $http_upgrade $connection_upgrade { default upgrade; '' close; }
	server {
		listen %[2]s;
		location / {
			proxy_pass %[3]s;
			proxy_http_version 1.1;
			proxy_set_header Host $host;
			proxy_set_header Upgrade $http_upgrade;
			proxy_set_header Connection $connection_upgrade;
			proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
			proxy_set_header X-Forwarded-Proto $scheme;
			proxy_read_timeout 60s;
		}
	}
}
`

// Start runs nginx on a free loopback port in front of upstream (an http:// URL) and
// stops it when the test ends.
func Start(t testing.TB, upstream string) *Proxy {
	t.Helper()
	bin := Binary(t)
	u, err := url.Parse(upstream)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		t.Fatalf("proxytest: upstream %q is not an http:// URL", upstream)
	}
	dir := t.TempDir()
	addr := freeAddr(t)
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf(config, dir, addr, "http://"+u.Host)), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd := exec.Command(bin, "-p", dir, "-c", conf)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("proxytest: start nginx: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited //nolint:errcheck // killed: the exit status says nothing (staticcheck S1005 rejects "_ =" here)
	})
	p := &Proxy{URL: "http://" + addr, Addr: addr}
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case err := <-exited:
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("proxytest: nginx exited: %v\n%s%s", err, out.String(), log)
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("proxytest: nginx did not listen on %s within 10s\n%s", addr, out.String())
		}
		time.Sleep(20 * time.Millisecond) // polling for the port with a deadline
	}
}

// freeAddr returns a loopback address with a port nobody listens on now.
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// ClientFrom returns an HTTP client whose connections come from the loopback address
// local (such as "127.0.0.2"), so that a test can tell the citizen's address from the
// proxy's when both are on this machine.
func ClientFrom(local string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 5 * time.Second}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}, Timeout: 10 * time.Second}
}
