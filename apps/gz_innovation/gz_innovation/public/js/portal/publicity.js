// 认定公示: a logged-in user's objection to an entry of an open list, under their real name.
import { gz } from "./helpers.js";

gz.pages.publicity = function () {
	document.querySelectorAll("form.gz-objection").forEach((form) => {
		form.addEventListener("submit", async (event) => {
			event.preventDefault();
			const error = form.querySelector(".gz-form-error");
			const done = form.querySelector(".gz-done");
			error.textContent = "";
			done.hidden = true;
			const button = form.querySelector("button[type=submit]");
			button.disabled = true;
			try {
				const data = new FormData();
				data.append("publicity", form.dataset.publicity);
				data.append("enterprise", form.elements.enterprise.value);
				data.append("reasons", form.elements.reasons.value);
				const file = form.elements.attachment?.files[0];
				if (file) data.append("attachment", file);
				await gz.call("gz_innovation.recognition.publicity.submit_objection", {}, { body: data });
				form.elements.reasons.value = "";
				if (form.elements.attachment) form.elements.attachment.value = "";
				done.textContent = __("Your objection was received; the department will verify it and record the outcome.");
				done.hidden = false;
			} catch (e) {
				gz.show_error(form, e);
			} finally {
				button.disabled = false;
			}
		});
	});
};
