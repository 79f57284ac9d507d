// Web platform globals that jsdom does not provide.
const { TextEncoder, TextDecoder } = require('node:util');

// react-router 8 uses TextEncoder at import time.
if (typeof globalThis.TextEncoder === 'undefined') Object.assign(globalThis, { TextEncoder, TextDecoder });

// antd's form and select schedule macro-tasks through MessageChannel. Node's own
// MessageChannel keeps the process alive while a port listens, so a timer-based stand-in
// with the same "runs in a later macro-task" behaviour is used instead.
if (typeof globalThis.MessageChannel === 'undefined') {
  class TimerMessagePort {
    constructor() {
      this.onmessage = null;
      this.peer = null;
    }
    postMessage(data) {
      setTimeout(() => this.peer && this.peer.onmessage && this.peer.onmessage({ data }), 0);
    }
    close() {
      this.onmessage = null;
    }
  }
  class TimerMessageChannel {
    constructor() {
      this.port1 = new TimerMessagePort();
      this.port2 = new TimerMessagePort();
      this.port1.peer = this.port2;
      this.port2.peer = this.port1;
    }
  }
  globalThis.MessageChannel = TimerMessageChannel;
}
