/*
 * The demo's agent view: a stand-in for Flex that shows each task the way the plugin makes
 * Flex show it: the channel's icon (its SVG from channels.json, drawn as an <img> data URI),
 * its color (brand color while the task is live, grey once wrapping or completed) and its
 * templates ({{task.attributes.x}} placeholders, rendered as text). Everything from a task
 * or a customer is written with textContent, never as HTML.
 */
(function () {
  'use strict';

  var POLL_MS = 1000;
  var GREY = '#a0a8bd';
  var SVG_NAMESPACE = 'http://www.w3.org/2000/svg';
  var GENERIC_CHAT = {
    channelType: 'chat',
    displayName: 'Chat',
    color: '#057D9E',
    icon: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"><path d="M4 4h16v12H8l-4 4z"/></svg>',
    templates: {},
  };
  /** Flex's status names for TaskRouter's assignment statuses. */
  var FLEX_STATUS = {
    pending: 'Pending',
    reserved: 'Reserved',
    assigned: 'Assigned',
    wrapping: 'Wrapping',
    completed: 'Completed',
    canceled: 'Canceled',
  };
  var STATUS_ALIASES = { Reserved: 'Pending', Pending: 'Reserved', Assigned: 'Accepted', Accepted: 'Assigned' };

  var channels = [];
  var tasks = [];
  var selectedSid = null;
  var canvas = null; // the open task's canvas elements
  var messagesBySid = {};

  var taskList = document.getElementById('task-list');
  var noTasks = document.getElementById('no-tasks');
  var canvasRoot = document.getElementById('canvas');
  var pollStatus = document.getElementById('poll-status');

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // ---- channels: the same matching, icon and color rules as the plugin ----

  function channelFor(task) {
    if (task.taskChannelUniqueName !== 'chat') return GENERIC_CHAT;
    var attributes = task.attributes || {};
    for (var i = 0; i < channels.length; i++) {
      var c = channels[i];
      if (attributes.customChannelType === c.channelType || attributes.channelType === c.channelType) return c;
    }
    return GENERIC_CHAT;
  }

  function flexStatus(task) {
    return FLEX_STATUS[task.assignmentStatus] || 'Pending';
  }

  function colorFor(task, channel) {
    var status = flexStatus(task);
    return status === 'Wrapping' || status === 'Completed' || status === 'Canceled' ? GREY : channel.color;
  }

  /** As the plugin's svgDataUri: the SVG shown as an image cannot run script or reach the page. */
  function svgDataUri(svg, color) {
    var colored = svg.replace(/currentColor/g, color);
    var namespaced = colored.indexOf(SVG_NAMESPACE) >= 0 ? colored : colored.replace(/<svg\b/, '<svg xmlns="' + SVG_NAMESPACE + '"');
    return 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(namespaced);
  }

  function icon(task, channel, size) {
    var img = el('img', 'channel-icon');
    img.src = svgDataUri(channel.icon, colorFor(task, channel));
    img.alt = channel.displayName;
    img.width = size;
    img.height = size;
    return img;
  }

  // ---- templates: {{task.attributes.x}} and friends, as text ----

  function templateText(channel, group, line, task, fallback) {
    var lines = (channel.templates || {})[group] || {};
    var text = lines[line];
    if (text && typeof text === 'object') {
      var status = flexStatus(task);
      text = text[status] !== undefined ? text[status] : text[STATUS_ALIASES[status]];
    }
    return renderTemplate(typeof text === 'string' ? text : fallback, task);
  }

  function renderTemplate(text, task) {
    // Flex refuses triple braces (unescaped HTML); they are shown as written.
    if (text.indexOf('{{{') >= 0) return text;
    return text.replace(/\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g, function (_, path) {
      if (path === 'helper.durationSinceUpdate') return duration(task.dateUpdated);
      var scope = {
        task: {
          attributes: task.attributes || {},
          sid: task.sid,
          status: flexStatus(task),
          defaultFrom: (task.attributes || {}).from || '',
        },
      };
      var value = path.split('.').reduce(function (object, key) {
        return object !== null && typeof object === 'object' && Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
      }, scope);
      return value === undefined || value === null || typeof value === 'object' ? '' : String(value);
    });
  }

  function duration(iso) {
    var seconds = Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 1000));
    var minutes = Math.floor(seconds / 60);
    return minutes > 0 ? minutes + 'm ' + (seconds % 60) + 's' : seconds + 's';
  }

  // ---- API ----

  function api(method, path, body) {
    return fetch('/api' + path, {
      method: method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (json) {
        if (!response.ok) throw new Error((json.error && json.error.message) || json.message || 'HTTP ' + response.status);
        return json;
      });
    });
  }

  // ---- task list ----

  function renderTasks() {
    taskList.textContent = '';
    noTasks.hidden = tasks.length > 0;
    tasks
      .slice()
      .reverse()
      .forEach(function (task) {
        var channel = channelFor(task);
        var color = colorFor(task, channel);
        var item = el('li', 'task' + (task.sid === selectedSid ? ' selected' : ''));
        item.setAttribute('data-sid', task.sid);
        item.setAttribute('data-status', task.assignmentStatus);
        item.setAttribute('data-channel', channel.channelType);
        item.setAttribute('data-color', color);
        item.style.borderLeftColor = color;
        var button = el('button', 'task-button');
        button.type = 'button';
        button.appendChild(icon(task, channel, 28));
        var lines = el('span', 'task-lines');
        lines.appendChild(el('span', 'task-first-line', templateText(channel, 'taskListItem', 'firstLine', task, '{{task.defaultFrom}}')));
        lines.appendChild(el('span', 'task-second-line', templateText(channel, 'taskListItem', 'secondLine', task, channel.displayName)));
        button.appendChild(lines);
        var badge = el('span', 'status-badge', flexStatus(task));
        badge.style.backgroundColor = color;
        button.appendChild(badge);
        button.addEventListener('click', function () {
          select(task.sid);
        });
        item.appendChild(button);
        taskList.appendChild(item);
      });
  }

  function select(sid) {
    selectedSid = sid;
    canvas = null;
    renderTasks();
    renderCanvas();
    refreshMessages();
  }

  // ---- the open task ----

  function buildCanvas(task) {
    canvasRoot.textContent = '';
    var c = { sid: task.sid };
    c.header = el('header', 'canvas-header');
    c.icon = el('span', 'canvas-icon');
    c.title = el('h2', 'canvas-title');
    c.status = el('span', 'status-badge');
    c.header.appendChild(c.icon);
    c.header.appendChild(c.title);
    c.header.appendChild(c.status);

    c.incoming = el('section', 'incoming');
    c.incomingFirst = el('p', 'incoming-first-line');
    c.incomingSecond = el('p', 'incoming-second-line');
    c.accept = el('button', 'button accept', 'Accept');
    c.accept.type = 'button';
    c.accept.addEventListener('click', function () {
      act(task.sid, 'accept');
    });
    c.incoming.appendChild(c.incomingFirst);
    c.incoming.appendChild(c.incomingSecond);
    c.incoming.appendChild(c.accept);

    c.messages = el('ol', 'messages');
    c.messages.setAttribute('aria-label', 'Conversation');

    c.composer = el('form', 'composer');
    c.input = el('input', 'reply-input');
    c.input.name = 'reply';
    c.input.placeholder = 'Type a reply';
    c.input.setAttribute('aria-label', 'Reply');
    c.input.maxLength = 32768;
    c.send = el('button', 'button send', 'Send');
    c.send.type = 'submit';
    c.complete = el('button', 'button complete', 'Complete');
    c.complete.type = 'button';
    c.composer.appendChild(c.input);
    c.composer.appendChild(c.send);
    c.composer.appendChild(c.complete);
    c.composer.addEventListener('submit', function (event) {
      event.preventDefault();
      var text = c.input.value;
      if (!text.trim()) return;
      c.input.value = '';
      api('POST', '/tasks/' + task.sid + '/messages', { body: text }).then(refreshMessages, showError);
    });
    if (window.ccAttachments) window.ccAttachments.addButton(c.composer, task.sid, refreshMessages, showError);
    c.complete.addEventListener('click', function () {
      act(task.sid, 'complete');
    });

    c.preview = el('details', 'preview');
    c.preview.appendChild(el('summary', null, 'How this channel looks in Flex (templates from channels.json)'));
    c.previewList = el('dl', 'preview-list');
    c.preview.appendChild(c.previewList);

    c.error = el('p', 'error');
    c.error.setAttribute('role', 'alert');

    [c.header, c.incoming, c.messages, c.composer, c.error, c.preview].forEach(function (node) {
      canvasRoot.appendChild(node);
    });
    return c;
  }

  function renderCanvas() {
    var task = tasks.filter(function (t) {
      return t.sid === selectedSid;
    })[0];
    if (!task) {
      canvasRoot.textContent = '';
      canvasRoot.appendChild(el('p', 'empty', 'Select a task.'));
      canvas = null;
      return;
    }
    if (!canvas || canvas.sid !== task.sid) canvas = buildCanvas(task);
    var channel = channelFor(task);
    var color = colorFor(task, channel);
    var status = task.assignmentStatus;
    canvasRoot.setAttribute('data-sid', task.sid);
    canvasRoot.setAttribute('data-status', status);
    canvas.header.style.borderBottomColor = color;
    canvas.icon.textContent = '';
    canvas.icon.appendChild(icon(task, channel, 32));
    canvas.title.textContent = templateText(channel, 'taskCanvasHeader', 'title', task, '{{task.defaultFrom}}');
    canvas.status.textContent = flexStatus(task);
    canvas.status.style.backgroundColor = color;

    var incoming = status === 'pending' || status === 'reserved';
    canvas.incoming.hidden = !incoming;
    canvas.incomingFirst.textContent = templateText(channel, 'incomingTaskCanvas', 'firstLine', task, '{{task.defaultFrom}}');
    canvas.incomingSecond.textContent = templateText(channel, 'incomingTaskCanvas', 'secondLine', task, 'Incoming chat request');
    canvas.composer.hidden = status !== 'assigned';

    canvas.previewList.textContent = '';
    [
      ['Task list', 'taskListItem', ['firstLine', 'secondLine']],
      ['Task canvas header', 'taskCanvasHeader', ['title']],
      ['Incoming task', 'incomingTaskCanvas', ['firstLine', 'secondLine']],
      ['Task card', 'taskCard', ['firstLine', 'secondLine']],
      ['Supervisor header', 'supervisorTaskCanvasHeader', ['title']],
      ['Supervisor overview', 'supervisorTaskOverviewCanvas', ['firstLine', 'secondLine']],
    ].forEach(function (entry) {
      canvas.previewList.appendChild(el('dt', null, entry[0]));
      canvas.previewList.appendChild(
        el(
          'dd',
          null,
          entry[2]
            .map(function (line) {
              return templateText(channel, entry[1], line, task, '\u2014');
            })
            .join(' \u00b7 '),
        ),
      );
    });
    renderMessages(task);
  }

  function renderMessages(task) {
    if (!canvas) return;
    var messages = messagesBySid[task.sid] || [];
    var atBottom = canvas.messages.scrollHeight - canvas.messages.scrollTop - canvas.messages.clientHeight < 20;
    canvas.messages.textContent = '';
    messages.forEach(function (message) {
      var fromAgent = message.author === task.agent;
      var item = el('li', 'message ' + (fromAgent ? 'from-agent' : 'from-customer'));
      item.setAttribute('data-sid', message.sid);
      item.appendChild(el('span', 'author', fromAgent ? 'You (' + message.author + ')' : (task.attributes || {}).name || 'Customer'));
      if (message.body) item.appendChild(el('p', 'text', message.body));
      if (message.media && window.ccAttachments) item.appendChild(window.ccAttachments.view(message.media));
      canvas.messages.appendChild(item);
    });
    if (atBottom) canvas.messages.scrollTop = canvas.messages.scrollHeight;
  }

  function act(sid, action) {
    api('POST', '/tasks/' + sid + '/' + action).then(refresh, showError);
  }

  function showError(error) {
    if (canvas) canvas.error.textContent = error.message;
  }

  // ---- polling ----

  function refreshMessages() {
    var sid = selectedSid;
    if (!sid) return Promise.resolve();
    return api('GET', '/tasks/' + sid + '/messages').then(
      function (result) {
        messagesBySid[sid] = result.messages || [];
        var task = tasks.filter(function (t) {
          return t.sid === sid;
        })[0];
        if (task && sid === selectedSid) renderMessages(task);
      },
      function () {},
    );
  }

  function refresh() {
    return api('GET', '/tasks').then(
      function (result) {
        tasks = result.tasks || [];
        pollStatus.textContent = 'Live';
        pollStatus.setAttribute('data-ok', 'true');
        if (!selectedSid && tasks.length) selectedSid = tasks[tasks.length - 1].sid;
        renderTasks();
        renderCanvas();
        return refreshMessages();
      },
      function () {
        pollStatus.textContent = 'Cannot reach the demo';
        pollStatus.setAttribute('data-ok', 'false');
      },
    );
  }

  function loop() {
    refresh().then(function () {
      setTimeout(loop, POLL_MS);
    });
  }

  api('GET', '/channels').then(
    function (result) {
      channels = result.channels || [];
      loop();
    },
    function (error) {
      pollStatus.textContent = 'Cannot load channels: ' + error.message;
    },
  );
})();
