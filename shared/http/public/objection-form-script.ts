/**
 * The objection form's one script, served from this service (no third party, CSP `script-src 'self'`):
 * it fetches a challenge, finds the number (SHA-256, as ALTCHA v1), puts the solution in the form's
 * `altcha` field and submits. Without JavaScript the form still posts and the answer says why the
 * objection needs it; the page's <noscript> says so beforehand.
 */
export const OBJECTION_FORM_SCRIPT = `(function () {
  var form = document.querySelector('form[data-pow]');
  if (!form || !window.crypto || !crypto.subtle) return;
  var field = form.querySelector('input[name=altcha]');
  var status = form.querySelector('[data-pow-status]');
  var button = form.querySelector('button');
  function hex(buf) {
    var out = '';
    var bytes = new Uint8Array(buf);
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return out;
  }
  async function solve() {
    var res = await fetch(form.getAttribute('data-pow'), { cache: 'no-store' });
    var c = await res.json();
    var enc = new TextEncoder();
    for (var n = 0; n <= c.maxnumber; n++) {
      if (hex(await crypto.subtle.digest('SHA-256', enc.encode(c.salt + n))) === c.challenge) {
        return btoa(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number: n, salt: c.salt, signature: c.signature }));
      }
    }
    throw new Error('unsolved');
  }
  form.addEventListener('submit', function (e) {
    if (field.value) return;
    e.preventDefault();
    button.disabled = true;
    status.textContent = '正在进行防刷验证（在本机计算，约需数秒）…';
    solve().then(function (p) {
      field.value = p;
      status.textContent = '';
      form.submit();
    }).catch(function () {
      status.textContent = '验证未完成，请稍后重试。';
      button.disabled = false;
    });
  });
})();
`;
