// The link to Rasa's socket.io channel: session_request / session_confirm, user_uttered with an
// acknowledgement, bot_uttered. Reconnects on its own; goes quiet while the browser is offline.

const SOCKET_CLIENT = new URL("../vendor/socket.io.esm.min.js", import.meta.url).href;
const ACK_TIMEOUT_MS = 90000;
const UNREACHABLE_AFTER_MS = 4000;

export class Connection {
  /**
   * @param {Object} options
   * @param {string} options.socketUrl Rasa's URL
   * @param {string} options.socketPath socket.io path (Rasa's default: /socket.io)
   * @param {() => string} options.sessionId the conversation to join
   * @param {(state: string) => void} options.onState "connecting" | "online" | "offline" |
   *   "unreachable" | "unavailable"
   * @param {() => void} options.onReady session confirmed: queued messages can go
   * @param {() => void} options.onLost the connection dropped (unacknowledged messages are unsure)
   * @param {(payload: Object) => void} options.onBotMessage
   */
  constructor(options) {
    this.options = options;
    this.socket = null;
    this.ready = false;
    this.state = "connecting";
    this.unreachableTimer = null;
    this.pending = new Set(); // resolvers of sends waiting for their acknowledgement
  }

  async start() {
    let io;
    try {
      ({ io } = await import(SOCKET_CLIENT));
    } catch (error) {
      console.error("Fernhill chat: the socket.io client did not load", error);
      this.setState("unavailable");
      return;
    }
    const { socketUrl, socketPath } = this.options;
    this.socket = io(socketUrl, {
      path: socketPath,
      autoConnect: false,
      transports: ["websocket", "polling"],
      tryAllTransports: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
      timeout: 8000,
    });
    this.socket.on("connect", () => this.requestSession());
    this.socket.on("session_confirm", (confirmed) => this.confirmed(confirmed));
    this.socket.on("bot_uttered", (payload) => this.options.onBotMessage(payload || {}));
    this.socket.on("disconnect", () => this.lost());
    this.socket.on("connect_error", () => this.failing());
    window.addEventListener("offline", () => this.goOffline());
    window.addEventListener("online", () => this.connect());
    if (navigator.onLine === false) this.setState("offline");
    else this.connect();
  }

  connect() {
    if (!this.socket || this.socket.connected) return;
    this.setState("connecting");
    this.armUnreachable();
    this.socket.connect();
  }

  /** Ask again now (the "Try again" button). */
  retryNow() {
    if (!this.socket) return;
    if (this.socket.connected) this.requestSession();
    else {
      this.socket.disconnect();
      this.connect();
    }
  }

  requestSession() {
    this.ready = false;
    this.socket.emit("session_request", { session_id: this.options.sessionId() });
  }

  /** Switches to another conversation (after "start a new chat"). */
  changeSession() {
    if (this.socket && this.socket.connected) this.requestSession();
  }

  confirmed(sessionId) {
    if (sessionId !== this.options.sessionId()) return; // an answer to an older request
    this.ready = true;
    this.disarmUnreachable();
    this.setState("online");
    this.options.onReady();
  }

  lost() {
    const wasReady = this.ready;
    this.ready = false;
    if (navigator.onLine === false) this.setState("offline");
    else {
      this.setState("connecting");
      this.armUnreachable();
    }
    for (const settle of [...this.pending]) settle("lost");
    if (wasReady) this.options.onLost();
  }

  failing() {
    if (navigator.onLine === false) this.setState("offline");
    else if (this.state !== "unreachable") this.armUnreachable();
  }

  goOffline() {
    // The browser knows it has no network: stop trying until it says "online" again.
    this.disarmUnreachable();
    if (this.socket) this.socket.disconnect();
    this.setState("offline");
  }

  /** Says "unreachable" if no session is confirmed within a few seconds from now (or from the
   * earlier attempt this one continues: failed retries do not restart the clock). */
  armUnreachable() {
    if (this.unreachableTimer !== null) return;
    this.unreachableTimer = setTimeout(() => {
      this.unreachableTimer = null;
      if (!this.ready && navigator.onLine !== false) this.setState("unreachable");
    }, UNREACHABLE_AFTER_MS);
  }

  disarmUnreachable() {
    clearTimeout(this.unreachableTimer);
    this.unreachableTimer = null;
  }

  setState(state) {
    if (state === this.state) return;
    this.state = state;
    this.options.onState(state);
  }

  /**
   * Sends one shopper message. Resolves "ack" once Rasa acknowledged it (after handling it),
   * "lost" when the connection dropped first (Rasa may or may not have it), "timeout" when no
   * acknowledgement came in time, "not-ready" when there is no confirmed session now.
   */
  send(entry) {
    if (!this.ready) return Promise.resolve("not-ready");
    return new Promise((resolve) => {
      const settle = (outcome) => {
        if (!this.pending.delete(settle)) return;
        clearTimeout(timer);
        resolve(outcome);
      };
      const timer = setTimeout(() => settle("timeout"), ACK_TIMEOUT_MS);
      this.pending.add(settle);
      const metadata = { client_message_id: entry.id, language: this.options.language };
      // The product of the page the shopper is on: "this" in their message means it.
      const product = this.options.pageProduct ? this.options.pageProduct() : null;
      if (product) metadata.page_product = product;
      if (entry.click) metadata.recommendation_click = entry.click;
      const message = { message: entry.payload || entry.text, session_id: this.options.sessionId(), metadata };
      this.socket.emit("user_uttered", message, () => settle("ack"));
    });
  }
}
