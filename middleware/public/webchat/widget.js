/*
 * Custom channels web chat widget. Embed with one tag:
 *   <script src="https://middleware.example.com/webchat/widget.js" data-channel="webchat" defer></script>
 * Options (data- attributes on the script tag): data-channel (default "webchat"),
 * data-title (default "Chat with us"), data-open="true" (start with the panel open).
 *
 * Plain JavaScript, no dependencies, nothing fetched but this script's own origin. All text
 * from the visitor or the agent is rendered with textContent, never as HTML. The protocol
 * is described in middleware/src/webchat/README.md.
 */
(function () {
  'use strict';

  var script = document.currentScript || document.querySelector('script[src*="/webchat/widget.js"]');
  if (!script || window.__ccWebchatLoaded) return;
  window.__ccWebchatLoaded = true;

  var base = new URL('.', script.src);
  var channel = script.getAttribute('data-channel') || 'webchat';
  var title = script.getAttribute('data-title') || 'Chat with us';
  var startOpen = script.getAttribute('data-open') === 'true';
  var socketUrl = new URL('ws', base);
  socketUrl.protocol = socketUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  var storageKey = 'cc-webchat:' + base.origin + ':' + channel;
  // Flex's chat limit until the welcome frame tells the channel's own.
  var maxText = 32768;
  var MAX_NAME = 80;
  // What the channel takes as attachments, from the welcome frame; null: text only.
  var mediaRules = null;

  // ---- persisted state: the visitor's token and name, and messages not yet acknowledged ----

  function load(key, fallback) {
    try {
      var value = window.localStorage.getItem(key);
      return value ? JSON.parse(value) : fallback;
    } catch (e) {
      return fallback;
    }
  }
  function save(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      /* private mode: the chat still works for this page */
    }
  }

  var profile = load(storageKey, {}); // { token, visitorId, epoch, name }
  var pending = load(storageKey + ':pending', []); // [{ id, text, name, at }]
  var saveProfile = function () {
    save(storageKey, profile);
  };
  var savePending = function () {
    save(
      storageKey + ':pending',
      pending.map(function (p) {
        return { id: p.id, text: p.text, name: p.name, at: p.at, media: p.media };
      }),
    );
  };

  // ---- transcript model ----

  var events = {}; // seq -> event
  var lastSeq = 0;
  var delivered = {}; // client message id -> true once acknowledged
  var failed = {}; // client message id -> reason

  function newId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    var id = 'm';
    for (var i = 0; i < bytes.length; i++) id += ('0' + bytes[i].toString(16)).slice(-2);
    return id;
  }

  // ---- DOM (inside a shadow root, so the host page's styles do not leak in) ----

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var host = el('div');
  host.id = 'cc-webchat';
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  var style = el('link');
  style.rel = 'stylesheet';
  style.href = new URL('widget.css', base).href;
  root.appendChild(style);

  var launcher = el('button', 'cc-launcher', 'Chat');
  launcher.type = 'button';
  launcher.setAttribute('aria-label', title);
  var panel = el('section', 'cc-panel');
  panel.setAttribute('aria-label', title);
  panel.hidden = true;

  var header = el('header', 'cc-header');
  var heading = el('h2', 'cc-title', title);
  var status = el('p', 'cc-status');
  status.setAttribute('role', 'status');
  var closeButton = el('button', 'cc-close', '\u00d7');
  closeButton.type = 'button';
  closeButton.setAttribute('aria-label', 'Close chat');
  header.appendChild(heading);
  header.appendChild(closeButton);

  var nameForm = el('form', 'cc-name-form');
  var nameLabel = el('label', 'cc-label', 'Your name');
  var nameInput = el('input', 'cc-name-input');
  nameInput.name = 'name';
  nameInput.autocomplete = 'name';
  nameInput.maxLength = MAX_NAME;
  nameInput.required = true;
  nameLabel.appendChild(nameInput);
  var nameButton = el('button', 'cc-button cc-name-submit', 'Start chat');
  nameButton.type = 'submit';
  var nameError = fieldError('cc-name-error');
  nameInput.setAttribute('aria-describedby', 'cc-name-error');
  nameForm.appendChild(el('p', 'cc-intro', 'Hi! Tell us your name and an agent will be with you shortly.'));
  nameForm.appendChild(nameLabel);
  nameForm.appendChild(nameError);
  nameForm.appendChild(nameButton);

  var list = el('ol', 'cc-messages');
  list.setAttribute('role', 'log');
  list.setAttribute('aria-live', 'polite');

  var composer = el('form', 'cc-composer');
  // No maxLength: the browser would cut a long paste silently; the length is checked instead.
  var input = el('textarea', 'cc-input');
  input.name = 'text';
  input.rows = 2;
  input.setAttribute('aria-label', 'Message');
  input.setAttribute('aria-describedby', 'cc-text-error');
  var sendButton = el('button', 'cc-button cc-send', 'Send');
  sendButton.type = 'submit';
  var textError = fieldError('cc-text-error');
  var attachButton = el('button', 'cc-button cc-attach', 'Attach');
  attachButton.type = 'button';
  attachButton.setAttribute('aria-label', 'Attach a file');
  attachButton.hidden = true;
  var fileInput = el('input', 'cc-file-input');
  fileInput.type = 'file';
  fileInput.hidden = true;
  composer.appendChild(attachButton);
  composer.appendChild(fileInput);
  composer.appendChild(input);
  composer.appendChild(sendButton);
  composer.appendChild(textError);

  panel.appendChild(header);
  panel.appendChild(status);
  panel.appendChild(nameForm);
  panel.appendChild(list);
  panel.appendChild(composer);
  root.appendChild(launcher);
  root.appendChild(panel);

  function fieldError(id) {
    var node = el('p', 'cc-field-error');
    node.id = id;
    node.setAttribute('role', 'alert');
    node.hidden = true;
    return node;
  }

  /** Shows why a field is refused, or clears it when `message` is empty. */
  function setFieldError(field, node, message) {
    node.textContent = message;
    node.hidden = !message;
    if (message) field.setAttribute('aria-invalid', 'true');
    else field.removeAttribute('aria-invalid');
  }

  /** What is wrong with a message text, or '' when it can be sent. Counted in code points, as the middleware does. */
  function textProblem(text) {
    var length = Array.from(text).length;
    if (length <= maxText) return '';
    return 'This message is ' + length.toLocaleString() + ' characters long; the limit is ' + maxText.toLocaleString() + '. Shorten it or send it in parts.';
  }

  var timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

  function timeOf(at) {
    var node = el('time', 'cc-time', timeFormat.format(new Date(at)));
    node.dateTime = new Date(at).toISOString();
    return node;
  }

  function render() {
    var seqs = Object.keys(events)
      .map(Number)
      .sort(function (a, b) {
        return a - b;
      });
    var shown = {};
    var ended = false;
    var readUpTo = readHorizon(seqs);
    list.textContent = '';
    seqs.forEach(function (seq) {
      var event = events[seq];
      if (event.kind === 'visitor-message') {
        shown[event.id] = true;
        list.appendChild(messageRow('visitor', 'You', event.text, event.at, seq <= readUpTo ? 'read' : 'delivered', seq, null, event.media));
        ended = false;
      } else if (event.kind === 'agent-message') {
        var agentRow = messageRow('agent', 'Agent', event.text, event.at, null, seq, null, event.media);
        agentRow.setAttribute('data-id', event.id);
        list.appendChild(agentRow);
        ended = false;
      } else if (event.kind === 'ended') {
        var row = el('li', 'cc-msg cc-system');
        row.setAttribute('data-kind', 'ended');
        row.setAttribute('data-seq', String(seq));
        row.appendChild(el('span', 'cc-ended', 'Chat ended'));
        row.appendChild(timeOf(event.at));
        row.appendChild(el('span', 'cc-hint', 'Send a message to start a new chat.'));
        list.appendChild(row);
        ended = true;
      }
    });
    pending.forEach(function (p) {
      if (shown[p.id]) return;
      var state = failed[p.id] ? 'failed' : delivered[p.id] ? 'delivered' : 'sending';
      list.appendChild(messageRow('visitor', 'You', p.text, p.at, state, null, failed[p.id], p.media));
      ended = false;
    });
    uploads.forEach(function (upload) {
      list.appendChild(uploadRow(upload));
    });
    input.placeholder = ended ? 'Send a message to start a new chat' : 'Type a message';
    host.setAttribute('data-last-seq', String(lastSeq));
    scrollToNewest();
    reportRead();
  }

  // ---- read receipts: "Read" under the visitor's messages, and what the visitor has seen ----

  /** The seq of the visitor's latest message the agent has read (0 for none). */
  function readHorizon(seqs) {
    var seqOfMessage = {};
    var upTo = 0;
    seqs.forEach(function (seq) {
      var event = events[seq];
      if (event.kind === 'visitor-message') seqOfMessage[event.id] = seq;
      else if (event.kind === 'read' && seqOfMessage[event.upTo] > upTo) upTo = seqOfMessage[event.upTo];
    });
    return upTo;
  }

  var readSentSeq = 0;

  /** Tells the middleware the latest agent message on screen, when the chat is open and the page visible. */
  function reportRead() {
    if (panel.hidden || document.hidden || !synced) return;
    var box = list.getBoundingClientRect();
    var rows = list.querySelectorAll('[data-kind="agent"][data-id]');
    for (var i = rows.length - 1; i >= 0; i--) {
      var rect = rows[i].getBoundingClientRect();
      if (rect.bottom <= box.top || rect.top >= box.bottom) continue;
      var seq = Number(rows[i].getAttribute('data-seq'));
      if (seq > readSentSeq) {
        readSentSeq = seq;
        send({ type: 'read', upTo: rows[i].getAttribute('data-id') });
      }
      return;
    }
  }

  list.addEventListener('scroll', reportRead);
  document.addEventListener('visibilitychange', reportRead);

  // ---- staying at the newest message: a picture that loads, or the panel that opens, moves it ----

  var atBottom = true;

  function scrollToNewest() {
    list.scrollTop = list.scrollHeight;
  }

  list.addEventListener('scroll', function () {
    atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 2;
  });
  // load does not bubble: listened to while it goes down to the picture.
  list.addEventListener(
    'load',
    function () {
      if (atBottom) scrollToNewest();
    },
    true,
  );

  function messageRow(kind, author, text, at, state, seq, reason, media) {
    var row = el('li', 'cc-msg cc-' + kind);
    row.setAttribute('data-kind', kind);
    if (seq !== null) row.setAttribute('data-seq', String(seq));
    var meta = el('span', 'cc-meta');
    meta.appendChild(el('span', 'cc-author', author));
    // Messages kept from before the time was stored have none.
    if (typeof at === 'number') meta.appendChild(timeOf(at));
    row.appendChild(meta);
    if (text) row.appendChild(el('p', 'cc-text', text));
    (media || []).forEach(function (file) {
      row.appendChild(attachmentView(file));
    });
    if (state) {
      var label =
        state === 'read'
          ? '\u2713\u2713 Read'
          : state === 'delivered'
            ? '\u2713 Delivered'
            : state === 'failed'
              ? 'Not sent' + (reason ? ': ' + reason : '')
              : 'Sending\u2026';
      var mark = el('span', 'cc-state', label);
      row.setAttribute('data-state', state);
      row.appendChild(mark);
    }
    return row;
  }

  // ---- attachments: thumbnails and downloads, uploads with progress ----

  var uploads = []; // [{ name, size, loaded, error }] while uploading, or refused by the middleware

  function sizeText(bytes) {
    if (typeof bytes !== 'number') return '';
    if (bytes < 1024) return bytes + ' B';
    if (bytes < 1024 * 1024) return Math.round(bytes / 1024) + ' KB';
    return (bytes / (1024 * 1024)).toFixed(1) + ' MB';
  }

  /** A picture as a thumbnail that opens full size, anything else as a named download with its size. Names are text, never markup. */
  function attachmentView(file) {
    var name = file.filename || (file.contentType.indexOf('image/') === 0 ? 'picture' : 'file');
    var link = el('a', 'cc-attachment');
    link.href = file.url || file.preview || '#';
    link.target = '_blank';
    link.rel = 'noopener';
    if (/^image\/(png|jpeg|gif|webp)$/.test(file.contentType) && (file.url || file.preview)) {
      var image = el('img', 'cc-thumb');
      image.src = file.preview || file.url;
      image.alt = name;
      link.appendChild(image);
      link.setAttribute('data-attachment', 'image');
    } else {
      link.setAttribute('download', name);
      link.setAttribute('data-attachment', 'file');
      link.appendChild(el('span', 'cc-file-name', name));
      link.appendChild(el('span', 'cc-file-size', sizeText(file.size)));
    }
    return link;
  }

  function uploadRow(upload) {
    var row = el('li', 'cc-msg cc-visitor cc-upload');
    row.setAttribute('data-kind', 'upload');
    row.appendChild(el('span', 'cc-file-name', upload.name + ' ' + sizeText(upload.size)));
    if (upload.error) {
      row.setAttribute('data-state', 'failed');
      row.appendChild(el('span', 'cc-state', 'Not sent: ' + upload.error));
    } else {
      var bar = el('progress', 'cc-progress');
      bar.max = upload.size;
      bar.value = upload.loaded;
      bar.setAttribute('aria-label', 'Uploading ' + upload.name);
      row.appendChild(bar);
    }
    return row;
  }

  /** Why the channel will not take this file, or '' when it will: the type against accept, the size against maxBytes. */
  function fileProblem(file) {
    var type = (file.type || '').toLowerCase();
    var family = type.split('/')[0] + '/*';
    var name = file.name || 'This file';
    if (
      !mediaRules.accept.some(function (entry) {
        return entry === type || entry === family;
      })
    ) {
      return name + ' is ' + (type || 'of an unknown type') + '; this chat takes ' + mediaRules.accept.join(', ') + '.';
    }
    if (file.size > mediaRules.maxBytes) return name + ' is ' + sizeText(file.size) + '; this chat takes files up to ' + sizeText(mediaRules.maxBytes) + '.';
    return '';
  }

  function attach(files) {
    var file = files && files[0];
    if (!file || !mediaRules || !profile.name) return;
    var problem = fileProblem(file);
    setFieldError(input, textError, problem);
    if (problem) return;
    var upload = { name: file.name || 'file', size: file.size, loaded: 0, error: '' };
    uploads.push(upload);
    render();
    var request = new XMLHttpRequest();
    request.open('POST', new URL('uploads?channel=' + encodeURIComponent(channel) + '&filename=' + encodeURIComponent(upload.name), base).href);
    request.setRequestHeader('Authorization', 'Bearer ' + profile.token);
    request.setRequestHeader('Content-Type', file.type);
    request.upload.onprogress = function (event) {
      upload.loaded = event.loaded;
      render();
    };
    request.onload = function () {
      var body = {};
      try {
        body = JSON.parse(request.responseText);
      } catch (e) {
        /* judged by the status */
      }
      if (request.status !== 201) {
        upload.error = (body.error && body.error.message) || 'the upload failed; try again';
        return render();
      }
      uploads.splice(uploads.indexOf(upload), 1);
      var preview = file.type.indexOf('image/') === 0 && window.URL.createObjectURL ? URL.createObjectURL(file) : undefined;
      var message = { id: newId(), text: '', name: profile.name, at: Date.now(), media: [body] };
      pending.push(message);
      savePending();
      message.media = [Object.assign({ preview: preview }, body)];
      render();
      if (synced) sendMessage(message);
    };
    request.onerror = function () {
      upload.error = 'the connection failed; try again';
      render();
    };
    request.send(file);
  }

  /** A message frame; an attachment's preview (a local picture) is not sent. */
  function sendMessage(p) {
    var frame = { type: 'message', id: p.id, name: p.name };
    if (p.text) frame.text = p.text;
    if (p.media) {
      frame.media = p.media.map(function (file) {
        var sent = { mediaSid: file.mediaSid, serviceSid: file.serviceSid, contentType: file.contentType, size: file.size, ticket: file.ticket };
        if (file.filename) sent.filename = file.filename;
        return sent;
      });
    }
    send(frame);
  }

  attachButton.addEventListener('click', function () {
    fileInput.click();
  });
  fileInput.addEventListener('change', function () {
    attach(fileInput.files);
    fileInput.value = '';
  });
  input.addEventListener('paste', function (event) {
    var files = event.clipboardData && event.clipboardData.files;
    if (files && files.length && mediaRules) {
      event.preventDefault();
      attach(files);
    }
  });
  panel.addEventListener('dragover', function (event) {
    if (mediaRules) event.preventDefault();
  });
  panel.addEventListener('drop', function (event) {
    if (!mediaRules) return;
    event.preventDefault();
    attach(event.dataTransfer && event.dataTransfer.files);
  });

  function showConversation() {
    var named = Boolean(profile.name);
    nameForm.hidden = named;
    list.hidden = !named;
    composer.hidden = !named;
  }

  // ---- connection: hello, catch up, reconnect with backoff ----

  var socket = null;
  var synced = false;
  var attempts = 0;
  var reconnectTimer = null;
  var heartbeatTimer = null;
  var lastFrameAt = 0;
  var started = false;
  var refused = false;
  var BUSY_DELAY_MS = 30000;

  function setConnection(state, text) {
    host.setAttribute('data-connection', state);
    status.setAttribute('data-connection', state);
    status.textContent = text;
  }

  function send(frame) {
    if (socket && socket.readyState === 1) socket.send(JSON.stringify(frame));
  }

  function connect() {
    started = true;
    clearTimeout(reconnectTimer);
    reconnectTimer = null;
    if (socket || refused) return;
    if (navigator.onLine === false) {
      setConnection('offline', 'You are offline. Messages will be sent when you are back.');
      return;
    }
    setConnection('connecting', attempts ? 'Reconnecting\u2026' : 'Connecting\u2026');
    var ws = new WebSocket(socketUrl.href);
    socket = ws;
    synced = false;
    ws.onopen = function () {
      var hello = { type: 'hello', v: 1, channel: channel, after: lastSeq };
      if (profile.token) hello.token = profile.token;
      if (profile.epoch) hello.epoch = profile.epoch;
      ws.send(JSON.stringify(hello));
    };
    ws.onmessage = function (message) {
      if (socket !== ws) return;
      lastFrameAt = Date.now();
      var frame;
      try {
        frame = JSON.parse(message.data);
      } catch (e) {
        return;
      }
      handle(frame);
    };
    ws.onclose = function (event) {
      if (socket !== ws) return;
      socket = null;
      synced = false;
      clearInterval(heartbeatTimer);
      // 1008: this page's origin (or channel) is refused; reconnecting would not change that.
      if (event.code === 1008) {
        refused = true;
        setConnection('offline', 'This chat is not available on this page.');
        return;
      }
      scheduleReconnect(event.code === 1013 ? BUSY_DELAY_MS : 0);
    };
  }

  function scheduleReconnect(atLeast) {
    if (reconnectTimer || refused) return;
    if (navigator.onLine === false) {
      setConnection('offline', 'You are offline. Messages will be sent when you are back.');
      return;
    }
    // 1013 (too many connections): wait long enough not to add to the load, with jitter.
    var delay = Math.max(atLeast, Math.min(15000, 500 * Math.pow(2, attempts))) * (0.5 + Math.random() / 2);
    attempts += 1;
    setConnection('connecting', 'Connection lost. Reconnecting\u2026');
    reconnectTimer = setTimeout(connect, delay);
  }

  function handle(frame) {
    if (frame.type === 'welcome') {
      if (frame.reset) {
        events = {};
        lastSeq = 0;
        readSentSeq = 0;
      }
      profile.token = frame.token;
      profile.visitorId = frame.visitorId;
      profile.epoch = frame.epoch;
      if (typeof frame.maxMessageLength === 'number') maxText = frame.maxMessageLength;
      mediaRules = frame.media || null;
      attachButton.hidden = !mediaRules;
      if (mediaRules) fileInput.accept = mediaRules.accept.join(',');
      saveProfile();
    } else if (frame.type === 'event') {
      if (frame.seq > lastSeq) lastSeq = frame.seq;
      events[frame.seq] = frame.event;
      if (frame.event.kind === 'visitor-message') dropPending(frame.event.id);
      if (frame.event.kind !== 'visitor-message' && frame.event.kind !== 'read' && panel.hidden) launcher.classList.add('cc-unread');
      render();
    } else if (frame.type === 'synced') {
      synced = true;
      attempts = 0;
      setConnection('online', 'Connected');
      startHeartbeat();
      flushPending();
      render();
    } else if (frame.type === 'ack') {
      delivered[frame.id] = true;
      dropPending(frame.id);
      render();
    } else if (frame.type === 'error') {
      onError(frame);
    }
  }

  function onError(frame) {
    if (!frame.id) {
      if (window.console) console.warn('web chat:', frame.code, frame.field || '', frame.message);
      return;
    }
    var retryable = frame.code === 'rate_limited' || frame.code === 'not_accepted' || frame.code === 'internal_error';
    if (retryable) {
      setTimeout(flushPending, 2000);
    } else {
      failed[frame.id] = frame.field ? frame.field.replace(/^\//, '') + ' ' + frame.message : frame.message;
      render();
    }
  }

  function dropPending(id) {
    var before = pending.length;
    pending = pending.filter(function (p) {
      return p.id !== id;
    });
    if (pending.length !== before) savePending();
  }

  function flushPending() {
    if (!synced) return;
    pending.forEach(function (p) {
      if (!failed[p.id]) sendMessage(p);
    });
  }

  function startHeartbeat() {
    clearInterval(heartbeatTimer);
    lastFrameAt = Date.now();
    heartbeatTimer = setInterval(function () {
      if (!socket) return;
      // No answer to the last ping: the connection is dead even if the browser has not noticed.
      if (Date.now() - lastFrameAt > 45000) {
        socket.close();
        return;
      }
      send({ type: 'ping' });
    }, 20000);
  }

  window.addEventListener('offline', function () {
    if (socket) socket.close();
    setConnection('offline', 'You are offline. Messages will be sent when you are back.');
  });
  window.addEventListener('online', function () {
    if (!started) return;
    attempts = 0;
    connect();
  });

  // ---- user actions ----

  function open() {
    panel.hidden = false;
    launcher.hidden = true;
    launcher.classList.remove('cc-unread');
    showConversation();
    // A hidden list has no height: what arrived while the panel was closed is scrolled to now.
    if (atBottom) scrollToNewest();
    if (!started) connect();
    (profile.name ? input : nameInput).focus();
    reportRead();
  }

  launcher.addEventListener('click', open);
  closeButton.addEventListener('click', function () {
    panel.hidden = true;
    launcher.hidden = false;
  });

  nameForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var name = nameInput.value.trim().slice(0, MAX_NAME);
    setFieldError(nameInput, nameError, name ? '' : 'Please enter your name: spaces alone are not a name.');
    if (!name) return;
    profile.name = name;
    saveProfile();
    showConversation();
    input.focus();
  });

  composer.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value;
    var problem = textProblem(text);
    setFieldError(input, textError, problem);
    if (!text.trim() || problem) return;
    var message = { id: newId(), text: text, name: profile.name, at: Date.now() };
    pending.push(message);
    savePending();
    input.value = '';
    render();
    if (synced) sendMessage(message);
  });

  nameInput.addEventListener('input', function () {
    if (nameInput.value.trim()) setFieldError(nameInput, nameError, '');
  });
  input.addEventListener('input', function () {
    setFieldError(input, textError, textProblem(input.value));
  });

  input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      if (composer.requestSubmit) composer.requestSubmit();
      else composer.dispatchEvent(new Event('submit', { cancelable: true }));
    }
  });

  function mount() {
    document.body.appendChild(host);
    setConnection('idle', '');
    render();
    // A returning visitor with replies waiting, or messages not yet sent: connect now.
    if (startOpen) open();
    else if (profile.token || pending.length) connect();
  }

  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
