// Frappe's own format.js and translate.js (the `__()` of Desk) expect jQuery to hang `format` on.
// The portal pages load no jQuery: a plain object takes its place for them. frappe._messages is
// filled by the page (templates/gz/base.html) with the Chinese of the texts below, from the app's
// catalog (portal/context.py).
window.frappe = window.frappe || {};
frappe._messages = frappe._messages || {};
window.jQuery = window.$ = window.jQuery || {};
