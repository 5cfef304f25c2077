/**
 * The institution page's copy-link button: hidden until this script shows it, so a page without
 * JavaScript offers only the selectable link field. Served from this origin (CSP `script-src 'self'`).
 */
export const SHARE_SCRIPT = `(function () {
  var button = document.querySelector('button[data-copy]');
  if (!button) return;
  var field = document.getElementById(button.getAttribute('data-copy'));
  var status = document.querySelector('[data-copy-status]');
  button.hidden = false;
  function manual() {
    field.focus();
    field.select();
    status.textContent = '链接已选中，请长按或按 Ctrl+C 复制。';
  }
  button.addEventListener('click', function () {
    if (!navigator.clipboard || !navigator.clipboard.writeText) return manual();
    navigator.clipboard.writeText(field.value).then(function () {
      status.textContent = '链接已复制。';
    }, manual);
  });
})();
`;
