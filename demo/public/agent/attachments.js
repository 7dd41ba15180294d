/*
 * The agent view's attachments: a message's file shown in the conversation (a picture as a
 * thumbnail opening full size, anything else as a named download with its size) and an
 * attach button that sends a file as the agent. File names are shown as text, never markup.
 */
(function () {
  'use strict';

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function sizeText(bytes) {
    if (typeof bytes !== 'number') return '';
    if (bytes < 1024) return bytes + ' B';
    if (bytes < 1024 * 1024) return Math.round(bytes / 1024) + ' KB';
    return (bytes / (1024 * 1024)).toFixed(1) + ' MB';
  }

  /** One message's file (the stand-in's control API shape: sid, contentType, filename, size). */
  function view(media) {
    var url = 'api/media/' + encodeURIComponent(media.sid);
    var name = media.filename || 'file';
    var link = el('a', 'attachment');
    link.href = url;
    link.target = '_blank';
    link.rel = 'noopener';
    if (/^image\/(png|jpeg|gif|webp)$/.test(media.contentType)) {
      var image = el('img', 'attachment-thumb');
      image.src = url;
      image.alt = name;
      link.appendChild(image);
      link.setAttribute('data-attachment', 'image');
    } else {
      link.setAttribute('download', name);
      link.setAttribute('data-attachment', 'file');
      link.appendChild(el('span', 'attachment-name', name));
      link.appendChild(el('span', 'attachment-size', ' ' + sizeText(media.size)));
    }
    return link;
  }

  /** An attach button in the composer: the chosen file is sent as the agent's message. */
  function addButton(composer, taskSid, onSent, onError) {
    var input = el('input', 'attach-input');
    input.type = 'file';
    input.hidden = true;
    var button = el('button', 'attach', 'Attach file');
    button.type = 'button';
    button.addEventListener('click', function () {
      input.click();
    });
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      input.value = '';
      if (!file) return;
      button.disabled = true;
      fetch('api/tasks/' + taskSid + '/media?filename=' + encodeURIComponent(file.name), {
        method: 'POST',
        headers: { 'content-type': file.type || 'application/octet-stream' },
        body: file,
      })
        .then(function (response) {
          return response.json().then(function (body) {
            if (!response.ok) throw new Error(body.message || (body.error && body.error.message) || 'the file was not sent');
          });
        })
        .then(onSent, onError)
        .then(function () {
          button.disabled = false;
        });
    });
    composer.insertBefore(button, composer.firstChild);
    composer.appendChild(input);
  }

  window.ccAttachments = { view: view, addButton: addButton };
})();
