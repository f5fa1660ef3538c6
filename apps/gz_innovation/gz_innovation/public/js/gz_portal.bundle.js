// The portal's one script bundle (built by `bench build`): Frappe's `__()`, the shared helpers and
// every portal page's behaviour. The page names its script in <body data-gz-page>.
import "./portal/shim.js";
import "frappe/public/js/frappe/format.js";
import "frappe/public/js/frappe/translate.js";
import { gz } from "./portal/helpers.js";
import "./portal/autosave.js";
import "./portal/layout.js";
import "./portal/accounts.js";
import "./portal/enterprise_form.js";
import "./portal/certify.js";
import "./portal/members.js";
import "./portal/enterprise_update.js";
import "./portal/cultivation_form.js";
import "./portal/cultivation.js";
import "./portal/publicity.js";

function start() {
	gz.start_layout();
	const page = document.body.dataset.gzPage;
	if (gz.pages[page]) gz.pages[page](gz.data);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
