/**
 * A messenger app's chat screen for the demo, served by a platform stand-in at `/`: the
 * customer writes (POST /sandbox/say) and reads the agent's replies (GET /sandbox/chats/:user).
 * Text is set with textContent only: whatever either side writes is shown as text. With
 * `pictures`, the customer also sends a picture (POST /sandbox/say-picture, base64) and a reply
 * `{ "image": url }` is shown as one.
 */
export function phonePage(platform: { name: string; color: string; pictures?: boolean }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${platform.name} (stand-in)</title>
<style>
  body { font: 15px system-ui, sans-serif; margin: 0; background: #eef1f4; }
  header { background: ${platform.color}; color: #fff; padding: 12px 16px; font-weight: 600; }
  header small { display: block; font-weight: 400; opacity: .85; }
  main { max-width: 420px; margin: 0 auto; display: flex; flex-direction: column; height: calc(100vh - 58px); }
  #log { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 6px; }
  .bubble { max-width: 80%; padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; word-wrap: break-word; }
  .me { align-self: flex-end; background: ${platform.color}; color: #fff; }
  .agent { align-self: flex-start; background: #fff; }
  form { display: flex; gap: 6px; padding: 8px; background: #fff; }
  input { flex: 1; padding: 8px; font: inherit; }
  .bubble img { max-width: 100%; display: block; border-radius: 8px; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<header>${platform.name} <small>a stand-in of the app: no account, nothing leaves this machine</small></header>
<main>
  <div id="log" aria-live="polite"></div>
  <form id="name-form"><input id="name" placeholder="Your name in ${platform.name}" required><button>Start</button></form>
  <form id="say" hidden><input id="text" placeholder="Message" autocomplete="off" required><button>Send</button>${
    platform.pictures ? '<label>Picture <input id="picture" type="file" accept="image/jpeg"></label>' : ''
  }</form>
</main>
<script>
  const storageKey = 'messenger-standin-user';
  let user = JSON.parse(localStorage.getItem(storageKey) || 'null');
  let shown = 0;
  const log = document.getElementById('log');
  const add = (message, who) => {
    const bubble = document.createElement('div');
    bubble.className = 'bubble ' + who;
    if (typeof message === 'object' && message && message.image) {
      const image = document.createElement('img');
      image.alt = 'picture';
      image.src = message.image;
      bubble.append(image);
    } else bubble.textContent = message;
    log.append(bubble);
    log.scrollTop = log.scrollHeight;
  };
  const ready = () => {
    document.getElementById('name-form').hidden = true;
    document.getElementById('say').hidden = false;
    document.getElementById('text').focus();
  };
  document.getElementById('name-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = document.getElementById('name').value.trim();
    const answer = await fetch('sandbox/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
    user = await answer.json();
    localStorage.setItem(storageKey, JSON.stringify(user));
    ready();
  });
  document.getElementById('say').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = document.getElementById('text');
    const text = input.value;
    input.value = '';
    add(text, 'me');
    await fetch('sandbox/say', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, text }) });
  });
  const picture = document.getElementById('picture');
  if (picture) picture.addEventListener('change', async () => {
    const file = picture.files[0];
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    add({ image: URL.createObjectURL(file) }, 'me');
    picture.value = '';
    await fetch('sandbox/say-picture', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, image: btoa(binary) }) });
  });
  setInterval(async () => {
    if (!user) return;
    const answer = await fetch('sandbox/chats/' + encodeURIComponent(user.id));
    if (!answer.ok) return;
    const { messages } = await answer.json();
    for (const message of messages.slice(shown)) add(message, 'agent');
    shown = messages.length;
  }, 1000);
  if (user) ready();
</script>
</body>
</html>
`;
}
