import { Hono } from 'hono';

/**
 * The search page's 附近 button: asks the browser for its position (WGS-84), converts it to GCJ-02 with
 * the same published formula as shared/domain/geo.ts (tested against the same reference points) and
 * submits the search with `near`. Served as a file: the pages allow no inline script.
 */
export const NEAR_SCRIPT_PATH = '/assets/near-me.js';

export const NEAR_SCRIPT = `(function () {
  var A = 6378245.0, EE = 0.006693421622965943;
  function outOfChina(lat, lng) { return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271; }
  function offLat(x, y) {
    var r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
    r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
    r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
    return r;
  }
  function offLng(x, y) {
    var r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
    r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
    r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
    return r;
  }
  function toGcj(lat, lng) {
    if (outOfChina(lat, lng)) return { lat: lat, lng: lng };
    var dLat = offLat(lng - 105.0, lat - 35.0), dLng = offLng(lng - 105.0, lat - 35.0);
    var rad = (lat / 180.0) * Math.PI, m = Math.sin(rad);
    m = 1 - EE * m * m;
    var s = Math.sqrt(m);
    dLat = (dLat * 180.0) / (((A * (1 - EE)) / (m * s)) * Math.PI);
    dLng = (dLng * 180.0) / ((A / s) * Math.cos(rad) * Math.PI);
    return { lat: lat + dLat, lng: lng + dLng };
  }
  var root = typeof window === 'undefined' ? null : window;
  if (root) root.yimeiToGcj02 = toGcj;
  if (typeof document === 'undefined') return;
  var button = document.getElementById('near-me');
  var form = button && button.form;
  var status = document.getElementById('near-status');
  if (!button || !form || !navigator.geolocation) return;
  button.hidden = false;
  // A typed name searches by name: the position of an earlier 附近 search no longer applies.
  form.addEventListener('submit', function () {
    if (form.elements.q.value.trim() !== '') { form.elements.near.value = ''; if (form.elements.radius) form.elements.radius.value = ''; }
  });
  button.addEventListener('click', function () {
    if (status) status.textContent = '正在获取您的位置…';
    navigator.geolocation.getCurrentPosition(function (p) {
      var g = toGcj(p.coords.latitude, p.coords.longitude);
      form.elements.near.value = g.lat.toFixed(6) + ',' + g.lng.toFixed(6);
      form.elements.q.value = '';
      form.submit();
    }, function () {
      if (status) status.textContent = '未能获取位置：请在浏览器中允许定位，或按区县筛选。';
    }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 });
  });
})();
`;

export function nearScriptRoutes() {
  const app = new Hono();
  app.get(NEAR_SCRIPT_PATH, (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(NEAR_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });
  return app;
}
