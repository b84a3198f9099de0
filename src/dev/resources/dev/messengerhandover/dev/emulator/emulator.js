// The emulator's page: renders /emulator/api/state and sends the user's and the agent's actions. No framework, no CDN.
(() => {
  'use strict';
  const api = '/emulator/api';
  const $ = (id) => document.getElementById(id);
  let state = null;
  let user = null;          // psid chatting in the user pane
  let folder = 'done';      // Page Inbox folder shown
  let selected = null;      // psid open in the Page Inbox: only ever what the agent chose, or where it went
  let busy = false;         // an Inbox action is in flight: its buttons wait for it
  let lastNotified = new Set();
  let followed = null;      // { psid, folder }: the Inbox pane followed the agent's conversation to this folder
  let inboxAccount = null;  // whose Inbox is shown: a Page's, or its Instagram account's
  let newUserAccount = null; // where New user opens a chat
  let zone = null;          // the zone the page shows times in: the clock's zone select, the first Page's at first
  let view = 'messenger';   // which channel the panes show: Messenger and Instagram, or WhatsApp
  let waUser = null;        // wa_id chatting in the WhatsApp user pane
  let helpdeskFolder = 'mine'; // the helpdesk's conversations shown: passed to it, or all
  let waSelected = null;    // wa_id open in the helpdesk: only what the agent chose
  let helpdeskBusy = false; // a helpdesk action is in flight
  let botBusy = false;      // a switch of bot is in flight: the function reads its Pages again

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
      if (k.startsWith('aria-')) { node.setAttribute(k, String(v)); return; } // aria states are "true"/"false"
      if (v === null || v === undefined || v === false) return;
      if (k === 'class') node.className = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : v);
    });
    children.flat().forEach((c) => node.append(c instanceof Node ? c : document.createTextNode(String(c))));
    return node;
  };

  // Every time on the page is the platform's, in one zone, which the clock names: 24-hour, weekday first.
  const format = (options) => (ms) => new Intl.DateTimeFormat('en-GB',
    Object.assign({ timeZone: zone || 'UTC', hourCycle: 'h23' }, options)).format(new Date(ms));
  const time = (ms) => format({ hour: '2-digit', minute: '2-digit' })(ms);
  const dayTime = (ms) => format({ weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit',
    minute: '2-digit' })(ms).replace(',', '');
  const who = { user: 'You', bot: 'Bot', agent: 'Page (agent)', system: '' };

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
  const account = (id) => state.accounts.find((a) => a.id === id);
  const label = (a) => a ? a.name + (a.platform === 'instagram' ? ' · Instagram' : ' · Messenger') : '';
  const several = () => state.accounts.length > 1;
  const inboxName = (c) => (account(c.account) || { inbox: 'Page Inbox' }).inbox;

  /**
   * What a conversation's status line says, from the platform's state alone: who has control and what happens next.
   * The one source of every status the Inbox pane shows.
   */
  function status(c) {
    switch (c.role) {
      case 'bot': return { badge: 'Bot has control', hint: 'the bot answers the user' };
      case 'inbox': return { badge: inboxName(c) + ' has control', hint: 'the bot stays silent' };
      case 'other': return { badge: 'Another app has control', hint: '' };
      default: return { badge: 'Idle: no app has control', hint: state.mode === 'routing'
        ? 'the bot answers the next message' : 'the next message reaches every app' };
    }
  }

  // --- the accounts' bots -----------------------------------------------------------------------------------------

  const bots = () => state.bots || { accounts: [], kinds: [], behaviours: [], switchable: false };
  const botOf = (id) => bots().accounts.find((b) => b.account === id);

  /** The bot controls of a pane, for the account its chat is with; label: whose bot they are. */
  function renderBot(prefix, accountId, label) {
    const b = botOf(accountId);
    const kind = $(prefix + 'bot-kind');
    const behaviour = $(prefix + 'bot-behaviour');
    const all = bots();
    if (kind.options.length !== all.kinds.length) {
      kind.replaceChildren(...all.kinds.map((k) => el('option', { value: k.id, title: k.title }, k.label)));
      behaviour.replaceChildren(...all.behaviours.map((k) => el('option', { value: k.id, title: k.title },
        k.label)));
    }
    kind.dataset.account = accountId || '';
    behaviour.dataset.account = accountId || '';
    $(prefix + 'bot-of').textContent = label;
    if (!b) {
      kind.disabled = true;
      behaviour.disabled = true;
      kind.title = all.why || '';
      return;
    }
    kind.value = b.kind;
    behaviour.value = b.behaviour;
    kind.disabled = botBusy;
    kind.title = (all.kinds.find((k) => k.id === b.kind) || {}).title + ' (from the next message)';
    // The catalogue is the function's own: nothing is called, nothing can be slow or fail.
    behaviour.disabled = botBusy || b.kind === 'catalogue';
    behaviour.title = b.kind === 'catalogue' ? 'The catalogue is built in: no call to slow down or fail'
      : (all.behaviours.find((k) => k.id === b.behaviour) || {}).title;
  }

  /** A switch of bot: its controls wait until the function has read its Pages again. */
  const switchBot = async (prefix, body) => {
    const account = $(prefix + 'bot-kind').dataset.account;
    if (!account || botBusy) return;
    botBusy = true;
    render();
    try {
      await act(() => post('/bots/' + account, body), prefix + 'bot-error');
    } finally {
      botBusy = false;
      render();
    }
  };

  function renderUser() {
    const select = $('user-select');
    select.replaceChildren(...state.conversations.map((c) =>
      el('option', { value: c.psid, selected: c.psid === user },
        c.name + (several() ? ' · ' + label(account(c.account)) : '') + ' (' + c.psid + ')')));
    $('account-select').replaceChildren(...state.accounts.map((a) =>
      el('option', { value: a.id, selected: a.id === newUserAccount }, label(a))));
    const c = conversation(user);
    const chatAccount = account(c ? c.account : state.pageId);
    const page = chatAccount && chatAccount.platform === 'instagram' ? chatAccount.page : (chatAccount || {}).id;
    renderBot('', page, (account(page) || { name: 'The Page' }).name + "'s bot");
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

  /** The agent opens a conversation, in its account's Inbox and folder (a notification may name another account's). */
  function show(c) {
    inboxAccount = c.account;
    folder = c.folder;
    open(c.psid);
  }

  function renderNotification() {
    // Who needs a person: unread, and the Inbox holds the thread. The conversation the agent has open is read.
    const needing = state.conversations.filter((c) => c.needsPerson && c.psid !== selected);
    const note = $('notification');
    if (!needing.length) {
      note.hidden = true;
      note.replaceChildren();
      lastNotified = new Set();
      return false;
    }
    note.hidden = false;
    note.replaceChildren(needing.length === 1 ? 'New conversation needs a person: '
      : needing.length + ' conversations need a person: ', ...needing.flatMap((c, i) => [i ? ', ' : '',
      el('button', { type: 'button', class: 'link', 'data-psid': c.psid, onclick: () => show(c) },
        c.name + (several() ? ' (' + label(account(c.account)) + ')' : ''))]));
    // A fresh one, while the agent has nothing open: the Inbox pane shows its folder and account.
    const fresh = needing.filter((c) => !lastNotified.has(c.psid));
    lastNotified = new Set(needing.map((c) => c.psid));
    if (fresh.length && !selected && (folder !== 'inbox' || inboxAccount !== fresh[0].account)) {
      folder = 'inbox';
      inboxAccount = fresh[0].account;
      return true;
    }
    return false;
  }

  function renderInbox() {
    if (!account(inboxAccount)) inboxAccount = state.accounts[0].id;
    const c0 = conversation(selected);
    // The conversation the agent has open is theirs to read.
    if (c0 && c0.notified && c0.account === inboxAccount) post('/inbox/' + c0.psid + '/open').catch(() => {});
    renderNotification();
    $('inbox-select').replaceChildren(...state.accounts.map((a) =>
      el('option', { value: a.id, selected: a.id === inboxAccount }, a.name + ' · ' + a.inbox)));
    $('inbox-title').textContent = account(inboxAccount).inbox;
    const mine = state.conversations.filter((c) => c.account === inboxAccount);
    const inInbox = mine.filter((c) => c.folder === 'inbox');
    const inDone = mine.filter((c) => c.folder === 'done');
    $('inbox-count').textContent = inInbox.length;
    $('done-count').textContent = inDone.length;

    // Never switch the agent to a conversation they did not choose: if theirs moved folder, follow it there.
    const c = c0 && c0.account === inboxAccount ? c0 : null;
    if (c && c.folder !== folder) {
      folder = c.folder;
      followed = { psid: c.psid, folder: c.folder };
    }
    $('folder-inbox').setAttribute('aria-selected', folder === 'inbox');
    $('folder-done').setAttribute('aria-selected', folder === 'done');
    const shown = folder === 'inbox' ? inInbox : inDone;
    const list = $('conversation-list');
    list.replaceChildren(...(shown.length ? shown.map((x) => {
      const last = x.messages.filter((m) => m.from !== 'system').slice(-1)[0];
      return el('li', {
        tabindex: 0, role: 'option', 'data-psid': x.psid, 'aria-selected': x.psid === selected,
        class: x.needsPerson ? 'unread' : '', onclick: () => open(x.psid),
        onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(x.psid); } },
      }, el('span', { class: 'name' }, x.name), el('span', { class: 'preview' }, last ? last.text : ''));
    }) : [el('li', { class: 'empty' }, folder === 'inbox' ? 'Nothing needs a person.' : 'No conversations yet.')]));

    const head = $('thread-head');
    if (!c) {
      head.replaceChildren('Select a conversation');
      $('inbox-log').replaceChildren();
    } else {
      const s = status(c);
      const expires = c.owner && c.expiresAt ? 'control expires ' + dayTime(c.expiresAt) : '';
      const follow = followed && followed.psid === c.psid && followed.folder === c.folder
        ? 'followed it to ' + (c.folder === 'done' ? 'Done' : 'Inbox') : '';
      head.replaceChildren(el('strong', {}, c.name), ' · ',
        el('span', { class: 'badge ' + c.role, id: 'owner-badge' }, s.badge),
        s.hint ? el('span', { id: 'status-hint' }, ' · ' + s.hint) : '',
        expires ? ' · ' + expires : '',
        follow ? el('span', { class: 'follow', id: 'follow-note' }, ' · ' + follow) : '');
      $('inbox-log').replaceChildren(...c.messages.map((m) => line(m, 'inbox')));
      $('inbox-log').scrollTop = $('inbox-log').scrollHeight;
    }
    const routing = state.mode === 'routing';
    // Where routing is configured an agent may answer any conversation (the Inbox takes it by answering).
    const mayReply = c && (c.role === 'inbox' || (routing ? true : c.role === 'idle'));
    $('agent-input').disabled = !mayReply || busy;
    $('agent-send').disabled = !mayReply || busy;
    $('agent-input').placeholder = !c ? 'Select a conversation to reply'
      : mayReply ? 'Reply as the Page…' : 'Another app has it: Move to Inbox to ask for it';
    // Done gives the conversation back: only while the Inbox holds it.
    $('done-pass').disabled = busy || !c || c.role !== 'inbox';
    $('done-release').disabled = busy || !c || c.role !== 'inbox';
    $('move-to-inbox').disabled = busy || !c || c.folder === 'inbox';
  }

  function renderBar() {
    document.querySelectorAll('.accounts-only').forEach((e) => { e.hidden = !several(); });
    $('page-facts').textContent = (several() ? state.accounts.map(label).join(', ') : 'Page ' + state.pageId)
      + ' · bot app ' + state.botAppId
      + ' · Page Inbox app ' + state.inboxAppId + ' · control expires after '
      + Math.round(state.controlLastsSeconds / 3600) + ' h without activity';
    $('mode-select').value = state.mode;
    const numbers = state.numbers || [];
    $('view-whatsapp').hidden = !numbers.length;
    $('whatsapp-facts').hidden = view !== 'whatsapp' || !numbers.length;
    $('whatsapp-facts').textContent = numbers.map((n) => 'WhatsApp ' + n.name + ' +' + n.display + ' (phone number '
      + n.id + ')').join(', ') + ' · the bot: customer_service, the helpdesk app ' + (numbers[0] || {}).helpdeskAppId
      + ': escalation · idle after 24 h without a message from the user';
    $('page-facts').hidden = view === 'whatsapp';
    document.querySelectorAll('.views button').forEach((b) => b.setAttribute('aria-selected', b.dataset.view === view));
    document.querySelectorAll('.panes > [data-view]').forEach((p) => { p.hidden = p.dataset.view !== view; });
    $('mode-select').closest('label').hidden = view === 'whatsapp';
    $('whatsapp-count').textContent = (state.whatsapp || []).filter((c) => c.role === 'helpdesk').length;
    const zones = state.zones || ['UTC'];
    const select = $('zone-select');
    if (select.options.length !== zones.length) {
      select.replaceChildren(...zones.map((z) => el('option', { value: z, selected: z === (zone || state.zone) }, z)));
    }
    zone = select.value || state.zone || 'UTC';
    $('clock').textContent = dayTime(state.now);
    $('clock-zone').textContent = zone;
  }

  // The function's queues of the Inbox shown, as its operator API gives them: who waits for an agent, for how long.
  const minutes = (ms) => ms >= 3600000 ? Math.floor(ms / 3600000) + ' h ' + Math.floor(ms % 3600000 / 60000) + ' min'
    : Math.max(0, Math.round(ms / 60000)) + ' min';
  async function refreshQueue() {
    const account = inboxAccount || (state && state.pageId);
    if (!account) return;
    let queues;
    try {
      const res = await fetch(api + '/queue?account=' + encodeURIComponent(account));
      const text = await res.text();
      try { queues = JSON.parse(text); } catch (e) { queues = { error: 'HTTP ' + res.status + ' ' + text }; }
      if (!res.ok && !queues.error) queues = { error: 'HTTP ' + res.status };
    } catch (e) {
      queues = { error: 'the emulator did not answer: ' + e.message };
    }
    if (queues.error || !queues.waiting || !queues['with-agent']) {
      // A failing call is an error, never an empty queue.
      $('queue').replaceChildren(el('p', { class: 'error', id: 'queue-error', role: 'alert' },
        'Queue unavailable: ' + (queues.error || 'no queues in the answer')));
      return;
    }
    const name = (psid) => (conversation(psid) || { name: psid }).name;
    // On the platform's clock, which the clock control moves.
    const since = (t) => state.now - Date.parse(t.since);
    const row = (t, waiting) => el('li', { 'data-psid': t.userId },
      el('strong', {}, name(t.userId)), ' · ', waiting ? 'waiting ' + minutes(since(t)) : 'held '
        + minutes(since(t)) + (t.waitedMillis != null ? ', first answer after ' + minutes(t.waitedMillis) : ''),
      waiting && t.alerted ? el('span', { class: 'badge' }, 'team alerted') : '');
    $('queue').replaceChildren(
      el('h3', {}, 'Waiting for an agent (' + queues.waiting.length + ')'),
      el('ul', { id: 'queue-waiting' }, queues.waiting.map((t) => row(t, true))),
      el('h3', {}, 'With an agent (' + queues['with-agent'].length + ')'),
      el('ul', { id: 'queue-with-agent' }, queues['with-agent'].map((t) => row(t, false))));
  }

  // --- WhatsApp: the user's phone, and the helpdesk -----------------------------------------------------------

  const waConversation = (waId) => state && (state.whatsapp || []).find((c) => c.waId === waId);
  const number = (id) => (state.numbers || []).find((n) => n.id === id);
  const waWho = { user: 'You', bot: 'Bot', agent: 'Helpdesk (agent)' };

  function waLine(m, viewer, c) {
    if (m.from === 'system') return el('li', { class: 'msg system' }, m.text);
    const label = viewer === 'helpdesk' && m.from === 'user' ? c.name : waWho[m.from] || m.from;
    const failed = m.status === 'failed' ? ' · not delivered' : '';
    return el('li', { class: 'msg ' + m.from, 'data-from': m.from },
      el('span', { class: 'who' }, label + ' · ' + time(m.at) + failed), m.text,
      m.buttons && m.buttons.length ? el('div', { class: 'buttons wa-buttons' }, m.buttons.map((b) =>
        el('button', viewer === 'user' ? { type: 'button', class: 'reply-button', 'data-button-id': b.id,
          onclick: () => waTap(m.id, b.id) } : { type: 'button', class: 'reply-button', disabled: true }, b.title)))
        : []);
  }

  /** What the helpdesk's status line says: who holds the thread, what happens next, the 24 h limits. */
  function waStatus(c) {
    switch (c.role) {
      case 'bot': return { badge: 'Bot has control', hint: 'the bot answers the user; a reply takes the conversation' };
      case 'helpdesk': return { badge: 'Helpdesk has control', hint: 'the bot stays silent' };
      case 'other': return { badge: 'Another app has control', hint: '' };
      default: return { badge: 'Idle: nobody has control', hint: "the user's next message reaches the bot" };
    }
  }

  function renderWhatsApp() {
    const chats = state.whatsapp || [];
    if (!waConversation(waUser) && chats.length) waUser = chats[0].waId;
    $('wa-user-select').replaceChildren(...chats.map((c) => el('option', { value: c.waId, selected: c.waId === waUser },
      c.name + ' (+' + c.waId + ')')));
    const c = waConversation(waUser);
    const numberId = c ? c.number : ((state.numbers || [])[0] || {}).id;
    renderBot('wa-', numberId, (number(numberId) || { name: 'The number' }).name + "'s bot on WhatsApp");
    const log = $('wa-chat-log');
    log.replaceChildren(...(c ? c.messages.filter((m) => m.from !== 'system').map((m) => waLine(m, 'user', c)) : []));
    log.scrollTop = log.scrollHeight;
    $('wa-window').replaceChildren(!c || !c.windowClosesAt
      ? 'Write to the business to open its 24 h customer service window.'
      : c.windowOpen ? el('span', { class: 'open' }, '24 h window open until ' + dayTime(c.windowClosesAt))
        : el('span', { class: 'closed' }, '24 h window closed: the business may only send templates until you write'));

    const mine = chats.filter((x) => x.role === 'helpdesk');
    $('helpdesk-mine-count').textContent = mine.length;
    $('helpdesk-all-count').textContent = chats.length;
    $('helpdesk-mine').setAttribute('aria-selected', helpdeskFolder === 'mine');
    $('helpdesk-all').setAttribute('aria-selected', helpdeskFolder === 'all');
    const shown = helpdeskFolder === 'mine' ? mine : chats;
    $('helpdesk-list').replaceChildren(...(shown.length ? shown.map((x) => {
      const last = x.messages.filter((m) => m.from !== 'system').slice(-1)[0];
      return el('li', {
        tabindex: 0, role: 'option', 'data-waid': x.waId, 'aria-selected': x.waId === waSelected,
        class: x.role === 'helpdesk' && x.waId !== waSelected ? 'unread' : '', onclick: () => waOpen(x.waId),
        onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); waOpen(x.waId); } },
      }, el('span', { class: 'name' }, x.name), el('span', { class: 'preview' }, last ? last.text : ''));
    }) : [el('li', { class: 'empty' }, helpdeskFolder === 'mine' ? 'Nothing passed to the helpdesk.'
      : 'No conversations yet.')]));

    const open = waConversation(waSelected);
    const head = $('helpdesk-head');
    if (!open) {
      head.replaceChildren('Select a conversation');
      $('helpdesk-log').replaceChildren();
    } else {
      const st = waStatus(open);
      head.replaceChildren(el('strong', {}, open.name), ' · ',
        el('span', { class: 'badge ' + (open.role === 'helpdesk' ? 'inbox' : open.role), id: 'helpdesk-badge' },
          st.badge),
        st.hint ? el('span', { id: 'helpdesk-hint' }, ' · ' + st.hint) : '',
        // Both the customer service window and control run 24 h from the user's last message.
        open.windowClosesAt ? el('span', { id: 'helpdesk-window' }, !open.windowOpen ? ' · 24 h window closed'
          : open.idleAt ? ' · window open and control held until ' + dayTime(open.windowClosesAt)
            + ', unless the user writes' : ' · window open until ' + dayTime(open.windowClosesAt)) : '');
      $('helpdesk-log').replaceChildren(...open.messages.map((m) => waLine(m, 'helpdesk', open)));
      $('helpdesk-log').scrollTop = $('helpdesk-log').scrollHeight;
    }
    // A Service message needs the window; from the helpdesk it takes the conversation.
    const mayReply = open && open.windowOpen;
    $('helpdesk-input').disabled = !mayReply || helpdeskBusy;
    $('helpdesk-send').disabled = !mayReply || helpdeskBusy;
    $('helpdesk-input').placeholder = !open ? 'Select a conversation to reply'
      : !open.windowOpen ? 'The 24 h window is closed: templates only'
        : open.role === 'helpdesk' ? 'Reply as the helpdesk…' : 'Reply as the helpdesk (takes the conversation)…';
    $('helpdesk-done-pass').disabled = helpdeskBusy || !open || open.role !== 'helpdesk';
    $('helpdesk-done-release').disabled = helpdeskBusy || !open || open.role !== 'helpdesk';
  }

  const waSay = (text) => act(() => post('/whatsapp/users/' + waUser + '/messages', { text }));
  const waTap = (messageId, buttonId) => act(() => post('/whatsapp/users/' + waUser + '/taps',
    { messageId, buttonId }));
  const waOpen = (waId) => { waSelected = waId; render(); };
  const helpdeskAct = async (fn) => {
    if (helpdeskBusy || !waSelected) return;
    helpdeskBusy = true;
    render();
    try {
      await act(fn, 'helpdesk-error');
    } finally {
      helpdeskBusy = false;
      render();
    }
  };
  const helpdeskDone = (how) => {
    const waId = waSelected;
    helpdeskAct(() => post('/whatsapp/helpdesk/' + waId + '/done', { how }));
  };

  /** The WhatsApp view opens on a user of its own: one is made the first time. */
  async function showView(name) {
    view = name;
    render();
    if (view === 'whatsapp' && state && !(state.whatsapp || []).length && (state.numbers || []).length) {
      await act(async () => { waUser = (await post('/whatsapp/users', {})).waId; });
    }
  }

  function renderTimeline() {
    const items = state.timeline.slice().reverse().map((t) => {
      const status = t.kind === 'bot' ? (t.status === 0 ? 'asking…' : t.status < 0 ? 'no answer' : String(t.status))
        : t.kind !== 'webhook' && t.kind !== 'graph' ? '' : t.status === 0 ? 'sending…'
          : t.status < 0 ? 'unreachable' : String(t.status);
      const good = t.status === 200;
      return el('li', { 'data-kind': t.kind, class: (t.kind === 'sweep' || t.kind === 'bot')
        && (t.status >= 400 || t.status < 0) ? 'failed' : '' },
        el('span', { class: 'kind ' + t.kind }, t.kind), ' ', time(t.at), ' ', el('span', { class: 'title' }, t.title),
        ' ', status ? el('span', { class: 'status ' + (good ? 'ok' : 'bad') },
          status + (t.millis !== undefined ? ' · ' + t.millis + ' ms' : '')) : '',
        t.detail ? el('details', {}, el('summary', {}, 'JSON'), el('pre', {}, JSON.stringify(t.detail, null, 2))) : '');
    });
    $('timeline').replaceChildren(...items);
  }

  function render() {
    if (!state) return;
    if (!conversation(user) && state.conversations.length) user = state.conversations[0].psid;
    renderBar();
    renderUser();
    renderInbox();
    renderWhatsApp();
    renderTimeline();
  }

  async function refresh() {
    const res = await fetch(api + '/state');
    state = await res.json();
    render();
    refreshQueue();
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

  /** An Inbox action on the conversation the agent has open: its buttons wait until it is done. */
  const inboxAct = async (psid, fn) => {
    if (busy || !psid) return;
    busy = true;
    render();
    try {
      await act(fn, 'agent-error');
    } finally {
      busy = false;
      render();
    }
  };

  const say = (text, payload) => act(() => post('/users/' + user + '/messages', payload ? { text, payload } : { text }));
  const tap = (b) => act(() => post('/users/' + user + '/postbacks', { title: b.title, payload: b.payload }));
  const open = (psid) => { selected = psid; followed = null; act(() => post('/inbox/' + psid + '/open')); };
  const done = (how) => {
    const psid = selected; // the conversation the agent was looking at, whatever happens meanwhile
    inboxAct(psid, () => post('/inbox/' + psid + '/done', { how }));
  };

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
    const psid = selected;
    if (!text || !psid) return;
    input.value = '';
    inboxAct(psid, () => post('/inbox/' + psid + '/replies', { text }));
  });
  $('done-pass').addEventListener('click', () => done('pass'));
  $('done-release').addEventListener('click', () => done('release'));
  $('move-to-inbox').addEventListener('click', () => {
    const psid = selected;
    inboxAct(psid, () => post('/inbox/' + psid + '/move-to-inbox'));
  });
  $('user-select').addEventListener('change', (e) => { user = e.target.value; render(); });
  $('new-user').addEventListener('click', () => act(async () => {
    const created = await post('/users', newUserAccount ? { account: newUserAccount } : {});
    user = created.psid;
  }));
  $('account-select').addEventListener('change', (e) => { newUserAccount = e.target.value; });
  $('inbox-select').addEventListener('change', (e) => {
    inboxAccount = e.target.value;
    selected = null;
    followed = null;
    render();
    refreshQueue();
  });
  $('every-account').addEventListener('click', () => {
    const input = $('user-input');
    const text = input.value.trim() || 'hi';
    input.value = '';
    act(() => post('/every-account', { text }));
  });
  $('mode-select').addEventListener('change', (e) => act(() => post('/mode', { mode: e.target.value })));
  $('zone-select').addEventListener('change', () => render());
  document.querySelectorAll('.clock button[data-minutes]').forEach((b) => b.addEventListener('click',
    () => act(() => post('/clock', { minutes: Number(b.dataset.minutes) }))));
  $('set-time').addEventListener('click', () => act(() => post('/clock', {
    timeOfDay: $('time-of-day').value || '09:00', zone: $('zone-select').value || 'UTC',
    day: $('day-select').value || undefined,
  })));
  document.querySelectorAll('#folder-inbox, #folder-done').forEach((b) => b.addEventListener('click', () => {
    folder = b.dataset.folder;
    selected = null; // the agent looks at a folder: nothing is opened for them
    followed = null;
    render();
  }));

  document.querySelectorAll('.views button').forEach((b) => b.addEventListener('click',
    () => showView(b.dataset.view)));
  document.querySelectorAll('.bot-kind').forEach((s) => s.addEventListener('change', (e) =>
    switchBot(e.target.id.startsWith('wa-') ? 'wa-' : '', { kind: e.target.value })));
  document.querySelectorAll('.bot-behaviour').forEach((s) => s.addEventListener('change', (e) =>
    switchBot(e.target.id.startsWith('wa-') ? 'wa-' : '', { behaviour: e.target.value })));
  $('wa-user-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $('wa-user-input');
    const text = input.value.trim();
    if (!text || !waUser) return;
    input.value = '';
    waSay(text);
  });
  $('wa-user-select').addEventListener('change', (e) => { waUser = e.target.value; render(); });
  $('wa-new-user').addEventListener('click', () => act(async () => {
    waUser = (await post('/whatsapp/users', {})).waId;
  }));
  document.querySelectorAll('#helpdesk-mine, #helpdesk-all').forEach((b) => b.addEventListener('click', () => {
    helpdeskFolder = b.dataset.folder;
    render();
  }));
  $('helpdesk-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $('helpdesk-input');
    const text = input.value.trim();
    const waId = waSelected;
    if (!text || !waId) return;
    input.value = '';
    helpdeskAct(() => post('/whatsapp/helpdesk/' + waId + '/replies', { text }));
  });
  $('helpdesk-done-pass').addEventListener('click', () => helpdeskDone('pass'));
  $('helpdesk-done-release').addEventListener('click', () => helpdeskDone('release'));

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
