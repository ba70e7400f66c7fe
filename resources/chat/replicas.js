// Which replica serves this page, and where to go when it dies. The list comes from the
// node (GET /api/replicas: the replicas announced in the cluster's registry). A page can
// talk HTTP only to its own origin (the API sends no CORS headers), so moving to another
// replica means loading the page from it, the session handed over in the URL fragment
// (never sent to any server) and removed from the address bar at once.

const RESUME_PREFIX = '#resume=';

export class ReplicaDirectory {
  constructor() {
    this.self = null;
    this.replicas = [];
  }

  // Resolves with {self, replicas}; rejects when this replica does not answer.
  async refresh() {
    const response = await fetch('/api/replicas', { cache: 'no-store', signal: AbortSignal.timeout(3000) });
    if (!response.ok) throw Object.assign(new Error(`/api/replicas answered ${response.status}`), { status: response.status });
    const answer = await response.json();
    this.self = answer.self;
    this.replicas = answer.replicas;
    return answer;
  }

  // The other replicas to try, those that said they were ready first, each group in random
  // order so that the pages of a dead replica spread over the survivors instead of all
  // landing on the first. The list is this page's last look: once its own replica is dead
  // it cannot look again (the API is same-origin only), so a replica that was starting or
  // had lost Redis then is still tried, last (accepts() asks it; its own page recovers from
  // there if it is not ready). Only a replica seen draining is left out: it is going away.
  candidates() {
    const others = this.replicas.filter((r) => r.id !== this.self && r.url && !r.draining);
    const shuffled = (list) => {
      for (let i = list.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [list[i], list[j]] = [list[j], list[i]];
      }
      return list;
    };
    return [...shuffled(others.filter((r) => r.ready)), ...shuffled(others.filter((r) => !r.ready))];
  }

  // Does this replica take STOMP sessions now? A WebSocket may cross origins where fetch
  // may not, and a draining replica refuses the upgrade (503): exactly the question.
  static accepts(url, timeoutMs) {
    return new Promise((resolve) => {
      let ws;
      const done = (ok) => {
        clearTimeout(timer);
        if (ws) { ws.onopen = ws.onerror = ws.onclose = null; try { ws.close(1000); } catch { /* closed */ } }
        resolve(ok);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      try { ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, ['v12.stomp']); } catch { done(false); return; }
      ws.onopen = () => done(true);
      ws.onerror = () => done(false);
      ws.onclose = () => done(false);
    });
  }

  // Only at its root: any other path is a file of the page and left alone.
  static moveTo(url, session) {
    location.assign(`${url}/${RESUME_PREFIX}${encodeURIComponent(JSON.stringify(session))}`);
  }

  // The session a previous replica's page handed over, if this load is such a move.
  static takeHandOver() {
    if (!location.hash.startsWith(RESUME_PREFIX)) return null;
    const text = decodeURIComponent(location.hash.slice(RESUME_PREFIX.length));
    history.replaceState(null, '', location.pathname); // the token leaves the address bar and history
    try { return JSON.parse(text); } catch { return null; }
  }
}
