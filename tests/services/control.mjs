// control.mjs - the control file of the fault-injecting proxies (flaky_proxy.mjs,
// kinesis_proxy.mjs): read before every request; a new command replaces the one in progress,
// a counted command is consumed (the file emptied, the proxy counts down), a sticky one lasts
// until the file is emptied.
import fs from 'node:fs';

// Returns next(op): what to do with this request, null (pass) or a copy of the command. parse(text)
// turns the file's text into { op?, skip, n, sticky, ... } or null. A command with `op` only
// counts and acts on requests of that operation.
export function controlReader(file, parse) {
  let state = null;
  let lastText = '';
  return function next(op) {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8').trim();
    } catch {
      text = '';
    }
    if (text === '') {
      if (state && state.sticky) state = null;
      lastText = '';
    } else if (text !== lastText) {
      state = parse(text);
      if (state && !state.sticky) {
        fs.writeFileSync(file, ''); // consumed: the proxy counts down from here
        lastText = '';
      } else {
        lastText = text;
      }
    }
    if (!state) return null;
    if (state.op && state.op !== op) return null;
    if (state.skip > 0) {
      state.skip--;
      return null;
    }
    if (state.n <= 0) {
      state = null;
      return null;
    }
    state.n--;
    return { ...state };
  };
}
