// The websocket to the server, kept open: when it closes, it is opened again after a
// delay that doubles with each failed try (0.5 s up to 30 s), with jitter so that
// many clients do not all come back at the same moment after a server restart. The
// widget and the staff console both use it.

const baseDelay = 500;
const maxDelay = 30000;
const openTimeout = 20000; // a handshake that hangs this long is given up and retried

export class Connection {
  // handlers: open() when connected, message(obj) for each JSON object with a type,
  // close(ev) when the connection is lost (or a try to connect failed), with the
  // CloseEvent; calling stop() in it means no new try.
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.ws = null;
    this.attempt = 0;
    this.timer = 0;
    this.openTimer = 0;
    this.stopped = false;
  }

  // start connects unless connected, connecting, waiting to try again or stopped.
  start() {
    if (!this.ws && !this.timer && !this.stopped) {
      this.open();
    }
  }

  // now skips the wait before the next try (the browser is back online).
  now() {
    if (!this.ws && this.timer && !this.stopped) {
      clearTimeout(this.timer);
      this.timer = 0;
      this.open();
    }
  }

  // stop closes the connection for good: no new tries.
  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = 0;
    const ws = this.ws;
    this.ws = null;
    ws?.close();
  }

  // connected reports whether messages can be sent.
  connected() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  // send sends one message and reports whether it could.
  send(msg) {
    if (!this.connected()) {
      return false;
    }
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  // established resets the back-off: the server answered.
  established() {
    this.attempt = 0;
  }

  open() {
    this.timer = 0;
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (err) {
      this.retry();
      return;
    }
    this.ws = ws;
    this.openTimer = setTimeout(() => ws.close(), openTimeout);
    ws.addEventListener("open", () => {
      clearTimeout(this.openTimer);
      this.handlers.open();
    });
    ws.addEventListener("message", (ev) => {
      if (typeof ev.data !== "string") {
        return;
      }
      let msg;
      try {
        msg = JSON.parse(ev.data);
      } catch (err) {
        return;
      }
      if (msg !== null && typeof msg === "object" && typeof msg.type === "string") {
        this.handlers.message(msg);
      }
    });
    ws.addEventListener("close", (ev) => {
      clearTimeout(this.openTimer);
      if (this.ws !== ws) {
        return;
      }
      this.ws = null;
      this.handlers.close(ev);
      this.retry();
    });
  }

  retry() {
    if (this.stopped) {
      return;
    }
    const ceiling = Math.min(maxDelay, baseDelay * 2 ** this.attempt);
    this.attempt++;
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.timer = setTimeout(() => this.open(), delay);
  }
}
