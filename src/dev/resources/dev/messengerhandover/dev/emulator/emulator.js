// The emulator's page: renders /emulator/api/state and sends the user's and the agent's actions. No framework, no CDN.
(() => {
  'use strict';
  const api = '/emulator/api';
  const $ = (id) => document.getElementById(id);
  let state = null;
  let user = null;          // psid chatting in the user pane
  let folder = 'done';      // Page Inbox folder shown
  let selected = null;      // psid open in the Page Inbox
  let lastNotified = new Set();

  const post = async (path, body) => {
    const res = await fetch(api + path, {
      method: 'POST',
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (!res.ok) {
      const err = json && json.error;
      throw new Error(typeof err === 'string' ? err : (err && err.message) || ('HTTP ' + res.status));
    }
    return json;
  };

  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === null || v === undefined || v === false) return;
      if (k === 'class') node.className = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : v);
    });
    children.flat().forEach((c) => node.append(c instanceof Node ? c : document.createTextNode(String(c))));
    return node;
  };

  const who = { user: 'You', bot: 'Bot', agent: 'Page (agent)', system: '' };
  const time = (ms) => new Date(ms).toLocaleTimeString();

  function line(m, viewer) {
    if (m.from === 'system') return el('li', { class: 'msg system' }, m.text);
    const label = viewer === 'inbox' && m.from === 'user' ? conversation(selected).name : who[m.from];
    return el('li', { class: 'msg ' + m.from, 'data-from': m.from },
      el('span', { class: 'who' }, label + ' · ' + time(m.at)), m.text,
      viewer === 'user' && m.buttons && m.buttons.length
        ? el('div', { class: 'buttons' }, m.buttons.map((b) =>
            el('button', { type: 'button', class: 'postback', onclick: () => tap(b) }, b.title)))
        : []);
  }

  const conversation = (psid) => state && state.conversations.find((c) => c.psid === psid);

  function renderUser() {
    const select = $('user-select');
    select.replaceChildren(...state.conversations.map((c) =>
      el('option', { value: c.psid, selected: c.psid === user }, c.name + ' (' + c.psid + ')')));
    const c = conversation(user);
    const log = $('chat-log');
    const visible = c ? c.messages.filter((m) => m.from !== 'system') : [];
    log.replaceChildren(...visible.map((m) => line(m, 'user')));
    log.scrollTop = log.scrollHeight;
    // Quick replies belong to the latest message, and vanish once the user says anything.
    const last = visible[visible.length - 1];
    const chips = last && last.from !== 'user' && last.quickReplies ? last.quickReplies : [];
    $('quick-replies').replaceChildren(...chips.map((q) =>
      el('button', { type: 'button', class: 'quick-reply', onclick: () => say(q.title, q.payload) }, q.title)));
  }

  function renderInbox() {
    const inInbox = state.conversations.filter((c) => c.folder === 'inbox');
    const inDone = state.conversations.filter((c) => c.folder === 'done');
    $('inbox-count').textContent = inInbox.length;
    $('done-count').textContent = inDone.length;
    $('folder-inbox').setAttribute('aria-selected', folder === 'inbox');
    $('folder-done').setAttribute('aria-selected', folder === 'done');

    const notified = state.conversations.filter((c) => c.notified);
    const note = $('notification');
    if (notified.length) {
      note.hidden = false;
      note.textContent = (notified.length === 1 ? 'New conversation needs a person: '
        : notified.length + ' conversations need a person: ') + notified.map((c) => c.name).join(', ');
      const fresh = notified.filter((c) => !lastNotified.has(c.psid));
      if (fresh.length && folder !== 'inbox') { folder = 'inbox'; return renderInbox(); }
    } else {
      note.hidden = true;
      note.textContent = '';
    }
    lastNotified = new Set(notified.map((c) => c.psid));

    const shown = folder === 'inbox' ? inInbox : inDone;
    if (!shown.some((c) => c.psid === selected)) selected = shown.length ? shown[0].psid : null;
    const list = $('conversation-list');
    list.replaceChildren(...(shown.length ? shown.map((c) => {
      const last = c.messages.filter((m) => m.from !== 'system').slice(-1)[0];
      return el('li', {
        tabindex: 0, role: 'option', 'data-psid': c.psid, 'aria-selected': c.psid === selected,
        class: c.notified ? 'unread' : '', onclick: () => open(c.psid),
        onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(c.psid); } },
      }, el('span', { class: 'name' }, c.name), el('span', { class: 'preview' }, last ? last.text : ''));
    }) : [el('li', { class: 'empty' }, folder === 'inbox' ? 'Nothing needs a person.' : 'No conversations yet.')]));

    const c = conversation(selected);
    const head = $('thread-head');
    if (!c) {
      head.replaceChildren('Select a conversation');
      $('inbox-log').replaceChildren();
    } else {
      const role = { bot: 'Bot has control', inbox: 'Page Inbox has control', idle: 'Idle: no app has control', other: 'Another app has control' }[c.role];
      head.replaceChildren(el('strong', {}, c.name), ' · ', el('span', { class: 'badge ' + c.role, id: 'owner-badge' }, role));
      $('inbox-log').replaceChildren(...c.messages.map((m) => line(m, 'inbox')));
      $('inbox-log').scrollTop = $('inbox-log').scrollHeight;
    }
    const owns = c && c.role === 'inbox';
    $('agent-input').disabled = !owns;
    $('agent-send').disabled = !owns;
    $('agent-input').placeholder = owns ? 'Reply as the Page…' : 'The bot has this conversation: move it to Inbox to reply';
    $('done-button').disabled = !c || c.folder !== 'inbox';
    $('move-to-inbox').disabled = !c || c.folder === 'inbox';
  }

  function renderTimeline() {
    $('page-facts').textContent = 'Page ' + state.pageId + ' · bot (Primary Receiver) app ' + state.primaryAppId
      + ' · Page Inbox app ' + state.inboxAppId + ' · idle after ' + Math.round(state.idleAfterSeconds / 3600) + ' h';
    const items = state.timeline.slice().reverse().map((t) => {
      const status = t.kind === 'inbox' ? '' : t.status === 0 ? 'sending…'
        : t.status < 0 ? 'unreachable' : String(t.status);
      const good = t.status === 200;
      return el('li', { 'data-kind': t.kind },
        el('span', { class: 'kind ' + t.kind }, t.kind), ' ', time(t.at), ' ', t.title, ' ',
        status ? el('span', { class: 'status ' + (good ? 'ok' : 'bad') }, status + (t.millis !== undefined ? ' · ' + t.millis + ' ms' : '')) : '',
        t.detail ? el('details', {}, el('summary', {}, 'JSON'), el('pre', {}, JSON.stringify(t.detail, null, 2))) : '');
    });
    $('timeline').replaceChildren(...items);
  }

  function render() {
    if (!state) return;
    if (!conversation(user) && state.conversations.length) user = state.conversations[0].psid;
    renderUser();
    renderInbox();
    renderTimeline();
  }

  async function refresh() {
    const res = await fetch(api + '/state');
    state = await res.json();
    render();
  }

  const act = async (fn, errorTarget) => {
    try {
      if (errorTarget) $(errorTarget).textContent = '';
      await fn();
    } catch (e) {
      if (errorTarget) $(errorTarget).textContent = e.message;
    }
    await refresh();
  };

  const say = (text, payload) => act(() => post('/users/' + user + '/messages', payload ? { text, payload } : { text }));
  const tap = (b) => act(() => post('/users/' + user + '/postbacks', { title: b.title, payload: b.payload }));
  const open = (psid) => { selected = psid; act(() => post('/inbox/' + psid + '/open')); };

  $('user-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $('user-input');
    const text = input.value.trim();
    if (!text || !user) return;
    input.value = '';
    say(text);
  });
  $('agent-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $('agent-input');
    const text = input.value.trim();
    if (!text || !selected) return;
    input.value = '';
    act(() => post('/inbox/' + selected + '/replies', { text }), 'agent-error');
  });
  $('done-button').addEventListener('click', () => act(() => post('/inbox/' + selected + '/done'), 'agent-error'));
  $('move-to-inbox').addEventListener('click', () => { const psid = selected; folder = 'inbox'; selected = psid;
    act(() => post('/inbox/' + psid + '/move-to-inbox'), 'agent-error'); });
  $('user-select').addEventListener('change', (e) => { user = e.target.value; render(); });
  $('new-user').addEventListener('click', () => act(async () => {
    const names = ['Sam', 'Noor', 'Lena', 'Kofi', 'Mia', 'Ravi', 'Yuki'];
    const created = await post('/users', { name: names[state.conversations.length % names.length] });
    user = created.psid;
  }));
  document.querySelectorAll('.folders button').forEach((b) => b.addEventListener('click', () => {
    folder = b.dataset.folder;
    selected = null;
    render();
  }));

  // Live updates: server-sent events; polling if the stream is unavailable.
  function listen() {
    if (!window.EventSource) return setInterval(refresh, 1000);
    const source = new EventSource(api + '/changes');
    let pending = null; // one refresh for a burst of changes
    source.onmessage = () => { if (!pending) pending = setTimeout(() => { pending = null; refresh(); }, 40); };
    source.onerror = () => { source.close(); setTimeout(listen, 2000); };
  }

  (async () => {
    await refresh();
    if (!state.conversations.length) {
      const created = await post('/users', { name: 'Alex' });
      user = created.psid;
      await refresh();
    }
    listen();
  })();
})();
