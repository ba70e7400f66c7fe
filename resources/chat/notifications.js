// The user's notification stream over Server-Sent Events (docs/protocol.md, "Server-Sent
// Events"). An EventSource cannot send an Authorization header, so each stream opens with
// a single-use ticket (POST /api/sse/ticket, bearer token) and resumes with ?lastEventId=.
// The browser's own reconnect would reuse the spent ticket, so the stream is closed on
// its first error and the page decides where to open the next one (onLost).

export class NotificationStream {
  // handlers: onOpen(), onNotification(notification, id), onReset(data), onLost(why, {auth})
  constructor(handlers) {
    this.handlers = handlers;
    this.source = null;
    this.generation = 0;
  }

  async start(token, lastEventId) {
    this.stop();
    const generation = ++this.generation;
    let response;
    try {
      response = await fetch('/api/sse/ticket', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
        cache: 'no-store',
        signal: AbortSignal.timeout(5000),
      });
    } catch (error) {
      if (generation === this.generation) this.handlers.onLost(`no SSE ticket: ${error.message}`, { auth: false });
      return;
    }
    if (generation !== this.generation) return;
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      this.handlers.onLost(`no SSE ticket: ${body.error ?? response.status}`, { auth: response.status === 401 });
      return;
    }
    const { ticket } = await response.json();
    let url = `/api/sse?ticket=${encodeURIComponent(ticket)}`;
    if (lastEventId) url += `&lastEventId=${encodeURIComponent(lastEventId)}`;
    const source = new EventSource(url);
    this.source = source;
    source.onopen = () => this.handlers.onOpen?.();
    source.addEventListener('notification', (event) => {
      let notification;
      try { notification = JSON.parse(event.data); } catch { return; }
      this.handlers.onNotification(notification, event.lastEventId);
    });
    source.addEventListener('reset', (event) => {
      let data = {};
      try { data = JSON.parse(event.data); } catch { /* still a reset */ }
      this.handlers.onReset?.(data);
    });
    source.onerror = () => {
      if (source !== this.source) return;
      this.stop();
      this.handlers.onLost('the notification stream closed', { auth: false });
    };
  }

  stop() {
    ++this.generation;
    if (this.source) {
      this.source.onerror = null;
      this.source.close();
      this.source = null;
    }
  }
}
