// jsdom without the Fetch API: this environment lends Node's Request, Response, Headers and structuredClone,
// and a fetch that tests answer through `globalThis.__answerFetch` (see mock-api.ts).
// The API client captures fetch when it is created, hence a delegating function.
const { TestEnvironment } = require('jest-environment-jsdom');

class JsdomWithFetchEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    const global = this.global;
    const origin = 'http://localhost';
    // The browser resolves '/api/...' against the page; Node's Request needs an absolute URL.
    class PageRequest extends Request {
      constructor(input, init) {
        super(typeof input === 'string' && input.startsWith('/') ? new URL(input, origin) : input, init);
      }
    }
    global.Request = PageRequest;
    global.Response = Response;
    global.Headers = Headers;
    // Browsers have structuredClone (dagre's layout uses it); jsdom does not.
    if (typeof global.structuredClone === 'undefined') global.structuredClone = structuredClone;
    global.fetch = (input, init) => {
      const answer = global.__answerFetch;
      if (!answer) return Promise.reject(new TypeError(`No API answers are set up for this test (${String(input.url ?? input)})`));
      return answer(input instanceof Request ? input : new PageRequest(input, init));
    };
  }
}

module.exports = JsdomWithFetchEnvironment;
