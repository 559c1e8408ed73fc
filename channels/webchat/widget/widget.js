/*
 * Pasokh web chat widget. A site embeds:
 *   <script src="https://support.example/widget.js" data-channel="<web chat channel id>" async></script>
 * Optional: data-lang="fa" | "en" (default: the page's <html lang>), data-name / data-email (a signed-in
 * shopper's details). Plain script, no build step: it runs in pages we do not control, so it keeps to
 * itself — a shadow root for its markup and styles, and the page's own `window.io` left as it was.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__pasokhWidget) return;
  window.__pasokhWidget = true;

  var base = new URL(script.src).origin;
  var channelId = script.getAttribute('data-channel') || '';
  var lang = (script.getAttribute('data-lang') || document.documentElement.lang || 'en').toLowerCase().indexOf('fa') === 0 ? 'fa' : 'en';
  var storageKey = 'pasokh.webchat.' + channelId;
  var TEXT = {
    en: { open: 'Chat with us', close: 'Close chat', placeholder: 'Write a message…', send: 'Send', sending: 'Sending…', failed: 'Not sent. Click to try again.', offline: 'Reconnecting…', unavailable: 'The chat is not available right now.', title: 'Chat', you: 'You', file: 'File:', unread: '%d new', typing: '%s is typing…', attach: 'Attach a file', tooLarge: '%s is larger than %d MB.', away: 'We are away right now. Leave a message: we answer from %s.', awayNoTime: 'We are away right now. Leave a message: we will answer soon.', fileFailed: 'The file could not be downloaded. Try again.', choices: 'Answers' },
    fa: { open: 'گفتگو با ما', close: 'بستن گفتگو', placeholder: 'پیام خود را بنویسید…', send: 'ارسال', sending: 'در حال ارسال…', failed: 'ارسال نشد. برای تلاش دوباره کلیک کنید.', offline: 'در حال اتصال دوباره…', unavailable: 'گفتگو اکنون در دسترس نیست.', title: 'گفتگو', you: 'شما', file: 'پیوست:', unread: '%d پیام تازه', typing: '%s در حال نوشتن است…', attach: 'پیوست فایل', tooLarge: '%s بزرگ‌تر از %d مگابایت است.', away: 'اکنون در دسترس نیستیم. پیام بگذارید: از %s پاسخ می‌دهیم.', awayNoTime: 'اکنون در دسترس نیستیم. پیام بگذارید: به‌زودی پاسخ می‌دهیم.', fileFailed: 'دریافت فایل ممکن نشد. دوباره تلاش کنید.', choices: 'پاسخ‌ها' },
  }[lang];
  var dir = lang === 'fa' ? 'rtl' : 'ltr';
  var timeFormat = new Intl.DateTimeFormat(lang === 'fa' ? 'fa-IR' : undefined, { hour: '2-digit', minute: '2-digit' });

  var host = document.createElement('div');
  host.setAttribute('data-pasokh-widget', '');
  var root = host.attachShadow({ mode: 'open' });
  root.innerHTML =
    '<style>' +
    ':host{all:initial}' +
    '.w{position:fixed;bottom:20px;' + (dir === 'rtl' ? 'left' : 'right') + ':20px;z-index:2147483000;display:flex;flex-direction:column;align-items:flex-end;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Tahoma,sans-serif;color:#1f2933}' +
    '.launcher{width:56px;height:56px;border-radius:50%;border:0;background:#2457c5;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);position:relative;display:grid;place-items:center}' +
    '.launcher:focus-visible,.send:focus-visible,.close:focus-visible{outline:3px solid #f5b400;outline-offset:2px}' +
    '.badge{position:absolute;top:-2px;' + (dir === 'rtl' ? 'left' : 'right') + ':-2px;min-width:20px;height:20px;border-radius:10px;background:#d0312d;color:#fff;font-size:12px;line-height:20px}' +
    '.panel{width:340px;max-width:calc(100vw - 40px);height:460px;max-height:calc(100vh - 100px);background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden;margin-bottom:12px}' +
    '.head{background:#2457c5;color:#fff;padding:12px 14px;display:flex;align-items:center;justify-content:space-between;font-weight:600}' +
    '.close{background:none;border:0;color:#fff;font-size:20px;cursor:pointer;line-height:1}' +
    '.log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f5f7fa}' +
    '.greeting{color:#52606d;font-size:13px}' +
    '.away{background:#fff7e0;border:1px solid #f0d68a;color:#5c4400;border-radius:8px;padding:8px 10px;font-size:13px;margin:0}' +
    '.msg{max-width:80%;padding:8px 10px;border-radius:10px;white-space:pre-wrap;overflow-wrap:anywhere}' +
    '.in{align-self:flex-end;background:#2457c5;color:#fff}' +
    '.out{align-self:flex-start;background:#fff;border:1px solid #d9e2ec}' +
    '.file{display:block}' +
    '.file-link{background:none;border:0;padding:0;color:inherit;font:inherit;text-decoration:underline;cursor:pointer;text-align:start;overflow-wrap:anywhere}' +
    '.file-link:focus-visible{outline:3px solid #f5b400;outline-offset:2px}' +
    '.thumb{display:block;max-width:100%;max-height:180px;border-radius:6px;margin:4px 0;cursor:pointer}' +
    '.choices{display:flex;gap:6px;flex-wrap:wrap;align-self:flex-start}' +
    '.choice{min-width:36px;height:36px;padding:0 10px;border:1px solid #2457c5;border-radius:18px;background:#fff;color:#2457c5;cursor:pointer;font:inherit}' +
    '.choice:focus-visible{outline:3px solid #f5b400;outline-offset:2px}' +
    '.meta{display:block;font-size:11px;opacity:.75;margin-top:2px}' +
    '.failed{background:#fde8e8;color:#8a1c1c;cursor:pointer}' +
    '.status{font-size:12px;color:#8a1c1c;padding:0 12px}' +
    '.typing{font-size:12px;color:#52606d;padding:2px 12px;margin:0}' +
    'form{display:flex;gap:8px;padding:10px;border-top:1px solid #d9e2ec;background:#fff}' +
    'textarea{flex:1;resize:none;height:40px;border:1px solid #9aa5b1;border-radius:8px;padding:8px;font:inherit;color:inherit}' +
    '.send{border:0;border-radius:8px;background:#2457c5;color:#fff;padding:0 14px;cursor:pointer;font:inherit}' +
    '.attach{border:1px solid #9aa5b1;border-radius:8px;background:#fff;color:#52606d;padding:0 8px;cursor:pointer;display:grid;place-items:center}' +
    '.attach:focus-visible{outline:3px solid #f5b400;outline-offset:2px}' +
    '[hidden]{display:none!important}' +
    '</style>' +
    '<div class="w" dir="' + dir + '" lang="' + lang + '">' +
    '<section class="panel" role="dialog" aria-modal="false" hidden>' +
    '<div class="head"><span class="title"></span><button type="button" class="close"></button></div>' +
    '<div class="log" role="log" aria-live="polite"><p class="greeting" hidden></p><p class="away" hidden></p></div>' +
    '<p class="typing" role="status" aria-live="polite" hidden></p>' +
    '<p class="status" role="status" hidden></p>' +
    '<form><button type="button" class="attach">' +
    '<svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" d="M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9"/></svg>' +
    '</button><input type="file" class="file" multiple hidden><textarea rows="1"></textarea><button type="submit" class="send"></button></form>' +
    '</section>' +
    '<button type="button" class="launcher" aria-expanded="false">' +
    '<svg width="26" height="26" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg>' +
    '<span class="badge" hidden></span></button>' +
    '</div>';

  var $ = function (selector) { return root.querySelector(selector); };
  var panel = $('.panel'), log = $('.log'), greeting = $('.greeting'), statusLine = $('.status'), typingLine = $('.typing');
  var launcher = $('.launcher'), badge = $('.badge'), input = $('textarea'), form = $('form');
  var title = $('.title');
  var awayLine = $('.away');
  var whenFormat = new Intl.DateTimeFormat(lang === 'fa' ? 'fa-IR' : undefined, { weekday: 'long', hour: '2-digit', minute: '2-digit' });
  title.textContent = TEXT.title;
  panel.setAttribute('aria-label', TEXT.title);
  launcher.setAttribute('aria-label', TEXT.open);
  $('.close').setAttribute('aria-label', TEXT.close);
  $('.close').textContent = '×';
  input.setAttribute('placeholder', TEXT.placeholder);
  input.setAttribute('aria-label', TEXT.placeholder);
  $('.send').textContent = TEXT.send;
  var attach = $('.attach'), fileInput = $('.file');
  attach.setAttribute('aria-label', TEXT.attach);
  attach.setAttribute('title', TEXT.attach);
  var maxFileBytes = 0;

  var socket = null;
  var shown = {}; // message id -> its element
  var choices = null; // the answer buttons under the latest message, if it offers any
  var unread = 0;
  var reported = {}; // reply id -> 'delivered' | 'read', as told to the server
  var toReport = { delivered: [], read: [] };
  var reportTimer = null;

  function token() {
    try { return localStorage.getItem(storageKey); } catch (e) { return null; }
  }
  function saveToken(value) {
    try { if (value) localStorage.setItem(storageKey, value); else localStorage.removeItem(storageKey); } catch (e) { /* private mode: one visit */ }
  }

  function setStatus(text) {
    statusLine.textContent = text || '';
    statusLine.hidden = !text;
  }

  function render(message, element) {
    var el = element || shown[message.id] || document.createElement('div');
    el.className = 'msg ' + (message.direction === 'inbound' ? 'in' : 'out');
    el.textContent = message.text;
    (message.attachments || []).forEach(function (file) { el.appendChild(fileElement(file)); });
    var meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = (message.direction === 'inbound' ? TEXT.you : message.agentName || TEXT.title) + ' · ' + timeFormat.format(new Date(message.createdAt));
    el.appendChild(meta);
    if (message.id) shown[message.id] = el;
    if (!el.parentNode) {
      // Answers offered under a message go once anything comes after it.
      if (choices) choices.remove();
      choices = null;
      log.appendChild(el);
      if (message.direction === 'outbound' && message.quickReplies && message.quickReplies.length) choices = choiceButtons(message.quickReplies);
    }
    log.scrollTop = log.scrollHeight;
    return el;
  }

  /** Buttons under a question (a rating's 1–5): a tap sends its text as the visitor's message. */
  function choiceButtons(answers) {
    var group = document.createElement('div');
    group.className = 'choices';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', TEXT.choices);
    answers.forEach(function (answer) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'choice';
      button.textContent = answer;
      button.addEventListener('click', function () { send(answer, newId()); });
      group.appendChild(button);
    });
    log.appendChild(group);
    return group;
  }

  /**
   * A file in the conversation: a button that downloads it, and a preview for a small image. Fetched
   * with the visitor token in a header (never in a URL), so the page gets a blob: URL.
   */
  function fileElement(file) {
    var el = document.createElement('span');
    el.className = 'file';
    if (!file.id) { // still uploading
      el.textContent = TEXT.file + ' ' + file.filename;
      return el;
    }
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'file-link';
    button.textContent = TEXT.file + ' ' + file.filename;
    button.addEventListener('click', function () { download(file); });
    el.appendChild(button);
    if (/^image\/(png|jpeg|gif|webp)$/.test(file.contentType) && file.size <= 2 * 1024 * 1024) {
      var image = document.createElement('img');
      image.className = 'thumb';
      image.alt = file.filename;
      image.addEventListener('click', function () { download(file); });
      fetchFile(file).then(function (blob) { image.src = URL.createObjectURL(blob); }, function () { image.remove(); });
      el.insertBefore(image, button);
    }
    return el;
  }
  function fetchFile(file) {
    return fetch(base + '/webchat/' + encodeURIComponent(channelId) + '/files/' + encodeURIComponent(file.id), { headers: { authorization: 'Bearer ' + token() } })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.blob();
      });
  }
  function download(file) {
    fetchFile(file).then(function (blob) {
      var link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = file.filename;
      link.hidden = true;
      root.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
    }, function () {
      setStatus(TEXT.fileFailed);
      setTimeout(function () { if (statusLine.textContent === TEXT.fileFailed) setStatus(''); }, 5000);
    });
  }

  /** Tells the server the visitor's widget received replies, or the visitor saw them (batched, once each). */
  function report(id, status) {
    if (reported[id] === 'read' || reported[id] === status) return;
    reported[id] = status;
    toReport[status].push(id);
    if (!reportTimer) reportTimer = setTimeout(flushReports, 1000);
  }
  function flushReports() {
    reportTimer = null;
    if (!socket || !socket.connected) return;
    ['delivered', 'read'].forEach(function (status) {
      var ids = toReport[status].splice(0, 100);
      if (ids.length) socket.emit('message.seen', { ids: ids, status: status }, function () {});
      if (toReport[status].length && !reportTimer) reportTimer = setTimeout(flushReports, 1000);
    });
  }
  function seeing() {
    return !panel.hidden && document.visibilityState === 'visible';
  }
  function reportAllRead() {
    Object.keys(shown).forEach(function (id) {
      if (shown[id].classList.contains('out')) report(id, 'read');
    });
  }

  // An agent writing a reply; the server repeats it while they type, so silence means they stopped.
  var typingTimer = null;
  function agentTyping(signal) {
    clearTimeout(typingTimer);
    typingLine.hidden = !signal.isTyping;
    typingLine.textContent = signal.isTyping ? TEXT.typing.replace('%s', signal.agentName || TEXT.title) : '';
    if (signal.isTyping) typingTimer = setTimeout(function () { agentTyping({ isTyping: false }); }, 8000);
  }

  // The visitor writing: a heartbeat every 4 s while they type, "stopped" after 5 s idle or on send.
  var myTyping = { active: false, lastSent: 0, idle: null };
  function setMyTyping(isTyping) {
    clearTimeout(myTyping.idle);
    if (!socket || !socket.connected) return;
    if (!isTyping) {
      if (myTyping.active) socket.emit('typing', { isTyping: false }, function () {});
      myTyping.active = false;
      return;
    }
    if (!myTyping.active || Date.now() - myTyping.lastSent > 4000) {
      myTyping.active = true;
      myTyping.lastSent = Date.now();
      socket.emit('typing', { isTyping: true }, function () {});
    }
    myTyping.idle = setTimeout(function () { setMyTyping(false); }, 5000);
  }

  function receive(message) {
    if (shown[message.id]) return;
    if (message.direction === 'outbound') agentTyping({ isTyping: false });
    render(message);
    if (message.direction === 'outbound') report(message.id, seeing() ? 'read' : 'delivered');
    if (panel.hidden && message.direction === 'outbound') {
      unread += 1;
      var count = unread.toLocaleString(lang === 'fa' ? 'fa-IR' : 'en-US');
      badge.textContent = count;
      badge.hidden = false;
      launcher.setAttribute('aria-label', TEXT.open + ' (' + TEXT.unread.replace('%d', count) + ')');
    }
  }

  function loadSocketIo(done) {
    if (loadSocketIo.io) return done(loadSocketIo.io);
    var previous = window.io;
    var tag = document.createElement('script');
    tag.src = base + '/socket.io/socket.io.min.js';
    tag.onload = function () {
      loadSocketIo.io = window.io;
      window.io = previous; // the page's own socket.io, if it has one, stays its own
      done(loadSocketIo.io);
    };
    tag.onerror = function () { setStatus(TEXT.unavailable); };
    document.head.appendChild(tag);
  }

  function connect() {
    if (socket) return;
    loadSocketIo(function (io) {
      if (socket) return;
      socket = io(base + '/webchat', {
        transports: ['websocket'],
        auth: function (cb) {
          cb({ channelId: channelId, visitorToken: token(), name: script.getAttribute('data-name'), email: script.getAttribute('data-email') });
        },
      });
      socket.on('session', function (session) {
        saveToken(session.visitorToken);
        title.textContent = session.title || TEXT.title;
        panel.setAttribute('aria-label', title.textContent);
        maxFileBytes = session.maxFileBytes || 0;
        greeting.textContent = session.greeting || '';
        greeting.hidden = !session.greeting;
        // Outside business hours: the channel's own words, or when the team is back (in the visitor's clock).
        var away = session.away;
        awayLine.hidden = !away;
        awayLine.textContent = !away ? '' : away.message || (away.opensAt ? TEXT.away.replace('%s', whenFormat.format(new Date(away.opensAt))) : TEXT.awayNoTime);
        setStatus('');
        flushReports(); // what the widget could not report while it was offline
        sessionReady();
        socket.emit('history', null, function (answer) {
          if (answer && answer.ok) answer.messages.forEach(receive);
        });
      });
      socket.on('message', receive);
      socket.on('typing', agentTyping);
      socket.on('disconnect', function () { setStatus(TEXT.offline); });
      socket.on('connect_error', function (error) {
        var code = error && error.data && error.data.code;
        if (code === 'INVALID_VISITOR_TOKEN') {
          saveToken(null); // start over as a new visitor; the auth callback reads the token again
          socket.connect();
        } else if (code) {
          setStatus(TEXT.unavailable);
        } else {
          setStatus(TEXT.offline);
        }
      });
    });
  }

  /**
   * The visitor's own message while it goes out: "Sending…", or "Not sent" with a click to `retry`
   * (into the same bubble). Returns the bubble and the function that marks it failed.
   */
  function pendingBubble(message, element, retry) {
    var pending = render(message, element);
    pending.classList.remove('failed');
    pending.lastChild.textContent = TEXT.sending;
    pending.onclick = null;
    return {
      element: pending,
      failed: function () {
        pending.classList.add('failed');
        pending.lastChild.textContent = TEXT.failed;
        pending.onclick = function () { retry(pending); };
      },
    };
  }

  function send(text, clientMessageId, element) {
    var bubble = pendingBubble({ id: null, direction: 'inbound', text: text, createdAt: new Date().toISOString() }, element, function (el) { send(text, clientMessageId, el); });
    var pending = bubble.element, failed = bubble.failed;
    // Right after the chat opens the connection may still be on its way: the message waits for it.
    whenReady(failed, function () {
      // The same clientMessageId on a retry: the server stores the message once.
      socket.timeout(15000).emit('message.send', { clientMessageId: clientMessageId, text: text }, function (error, answer) {
        if (error || !answer || !answer.ok) return failed();
        if (shown[answer.message.id]) return pending.remove();
        render(answer.message, pending);
      });
    });
  }

  /** Runs `work` once this visitor has a session (at once when it has), or `gaveUp` after 15 s without one. */
  var waitingForSession = [];
  var hasSession = false;
  function whenReady(gaveUp, work) {
    if (hasSession && socket && socket.connected) return work();
    var entry = { work: work, timer: setTimeout(function () {
      waitingForSession = waitingForSession.filter(function (e) { return e !== entry; });
      gaveUp();
    }, 15000) };
    waitingForSession.push(entry);
  }
  function sessionReady() {
    hasSession = true;
    waitingForSession.splice(0).forEach(function (entry) {
      clearTimeout(entry.timer);
      entry.work();
    });
  }

  function newId() {
    return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 10);
  }

  /** One file, one message, by an HTTP upload on this page's origin; the same id again on a retry. */
  function sendFile(file, clientMessageId, element) {
    var bubble = pendingBubble({ id: null, direction: 'inbound', text: '', attachments: [{ filename: file.name }], createdAt: new Date().toISOString() }, element, function (el) { sendFile(file, clientMessageId, el); });
    var pending = bubble.element, failed = bubble.failed;
    // The upload needs the visitor token, which the first session brings.
    whenReady(failed, function () {
      var body = new FormData();
      body.append('file', file);
      fetch(base + '/webchat/' + encodeURIComponent(channelId) + '/files', {
        method: 'POST',
        headers: { authorization: 'Bearer ' + token(), 'x-client-message-id': clientMessageId },
        body: body,
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) {
          if (!answer || !answer.ok) return failed();
          if (shown[answer.message.id] && shown[answer.message.id] !== pending) return pending.remove();
          render(answer.message, pending);
        }, failed);
    });
  }

  attach.addEventListener('click', function () { fileInput.click(); });
  fileInput.addEventListener('change', function () {
    var files = Array.prototype.slice.call(fileInput.files || []);
    fileInput.value = '';
    files.forEach(function (file) {
      if (maxFileBytes && file.size > maxFileBytes) {
        setStatus(TEXT.tooLarge.replace('%s', file.name).replace('%d', String(Math.floor(maxFileBytes / 1048576))));
        return;
      }
      sendFile(file, newId());
    });
  });

  function open() {
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    launcher.setAttribute('aria-label', TEXT.close);
    unread = 0;
    badge.hidden = true;
    connect();
    reportAllRead();
    input.focus();
  }
  function close() {
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    launcher.setAttribute('aria-label', TEXT.open);
    launcher.focus();
  }

  launcher.addEventListener('click', function () { if (panel.hidden) open(); else close(); });
  $('.close').addEventListener('click', close);
  document.addEventListener('visibilitychange', function () { if (seeing()) reportAllRead(); });
  root.addEventListener('keydown', function (event) { if (event.key === 'Escape' && !panel.hidden) close(); });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    setMyTyping(false);
    send(text, newId());
  });
  input.addEventListener('input', function () { setMyTyping(input.value.trim().length > 0); });
  input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  function mount() {
    document.body.appendChild(host);
    // A returning visitor is connected at once, so a reply shows (as a badge) without opening the chat.
    if (token()) connect();
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
