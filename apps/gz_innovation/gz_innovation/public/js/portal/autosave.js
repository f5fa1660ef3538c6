// Drafts that never lose work: the form is saved a moment after the user stops typing ("已自动保存
// hh:mm"); a save that the network drops is tried again until it gets through; leaving the page with
// changes not yet saved asks first. Saves go one at a time and carry the version (`modified`) the page
// holds: a page whose copy is older than the server's (another tab or device saved since) is refused
// by the server and told, instead of overwriting the later save.
import { gz } from "./helpers.js";

const RETRY_SECONDS = [2, 4, 8, 15, 30];

export class Autosave {
	// root: the form; collect(): its values; save(values, modified) → Promise of {modified};
	// status: the element that says what happened; on_conflict(error), on_refused(error): the page's
	// answers to a refusal (the page is out of date / a value is refused).
	constructor({ root, collect, save, status, modified, delay = 1200, on_conflict, on_refused, on_saved }) {
		Object.assign(this, { root, collect, save, status, modified, delay, on_conflict, on_refused, on_saved });
		this.dirty = false;
		this.inflight = null;
		this.stopped = false;
		this.attempt = 0;
		this.refused = false;
		this.on_input = () => this.touch();
		root.addEventListener("input", this.on_input);
		root.addEventListener("change", this.on_input);
		window.addEventListener("beforeunload", (e) => {
			if (this.pending()) {
				e.preventDefault();
				e.returnValue = "";
			}
		});
	}

	say(text, kind = "") {
		if (!this.status) return;
		this.status.textContent = text;
		this.status.dataset.state = kind;
	}

	// The user changed something: save it shortly.
	touch() {
		if (this.stopped) return;
		this.dirty = true;
		this.refused = false;
		this.say(__("Unsaved changes"), "dirty");
		clearTimeout(this.timer);
		clearTimeout(this.retry_timer);
		this.timer = setTimeout(() => this.flush(), this.delay);
	}

	pending() {
		return !this.stopped && (this.dirty || !!this.inflight);
	}

	// Save now (after the save under way, if any). Resolves true when the form's content is saved.
	async flush() {
		clearTimeout(this.timer);
		while (this.inflight) await this.inflight.catch(() => {});
		if (this.stopped) return false;
		if (!this.dirty) return !this.refused;
		this.dirty = false;
		this.say(__("Saving…"), "saving");
		const attempt = this.save(this.collect(), this.modified);
		this.inflight = attempt;
		try {
			const result = await attempt;
			this.modified = result && result.modified ? result.modified : this.modified;
			this.attempt = 0;
			gz.clear_errors(this.root);
			this.say(__("Autosaved at {0}", [gz.hhmm()]), "saved");
			if (this.on_saved) this.on_saved(result);
			return !this.dirty;
		} catch (error) {
			this.dirty = true;
			if (error.network) {
				const wait = RETRY_SECONDS[Math.min(this.attempt, RETRY_SECONDS.length - 1)];
				this.attempt += 1;
				this.say(__("Not saved: the network failed. Trying again in {0} s…", [wait]), "retry");
				clearTimeout(this.retry_timer);
				this.retry_timer = setTimeout(() => this.flush(), wait * 1000);
				return false;
			}
			if (error.type === "TimestampMismatchError") {
				this.stop();
				this.say(__("Not saved: this draft was changed elsewhere"), "conflict");
				if (this.on_conflict) this.on_conflict(error);
				return false;
			}
			// A value the server refuses: shown beside its field; saved again after the next change.
			this.refused = true;
			this.dirty = true;
			this.say(__("Not saved: {0}", [error.message || __("please check the marked field")]), "refused");
			if (this.on_refused) this.on_refused(error);
			else gz.show_error(this.root, error);
			return false;
		} finally {
			if (this.inflight === attempt) this.inflight = null;
		}
	}

	// Run a save of the page's own (下一步, 提交申请, ...) after the save under way, with the version the
	// page holds; the form counts as saved when it succeeds. task(modified) → Promise of {modified}.
	async exclusive(task) {
		clearTimeout(this.timer);
		clearTimeout(this.retry_timer);
		while (this.inflight) await this.inflight.catch(() => {});
		const run = task(this.modified);
		this.inflight = run;
		try {
			const result = await run;
			if (result && result.modified) this.modified = result.modified;
			this.dirty = false;
			this.refused = false;
			return result;
		} catch (error) {
			this.dirty = true;
			throw error;
		} finally {
			if (this.inflight === run) this.inflight = null;
		}
	}

	// A save of the page's own was refused: a newer version elsewhere goes to the page's on_conflict,
	// any other refusal is shown on `form`.
	report(error, form) {
		if (error.type === "TimestampMismatchError" && this.on_conflict) this.on_conflict(error);
		else gz.show_error(form, error);
	}

	// Start listening (again) with the server's version `modified`; nothing to save yet.
	start(modified) {
		if (!this.stopped) return;
		this.stopped = false;
		this.modified = modified;
		this.dirty = false;
		this.root.addEventListener("input", this.on_input);
		this.root.addEventListener("change", this.on_input);
	}

	// Start again from the server's version `modified` (after a conflict the user chose to keep this
	// page's content): the content is saved over it at once.
	resume(modified) {
		this.stop();
		this.start(modified);
		this.dirty = true;
		return this.flush();
	}

	// No more saving (submitted, read-only, or out of date).
	stop() {
		this.stopped = true;
		clearTimeout(this.timer);
		clearTimeout(this.retry_timer);
		this.root.removeEventListener("input", this.on_input);
		this.root.removeEventListener("change", this.on_input);
	}
}
gz.Autosave = Autosave;

// The page's copy is out of date (saved in another tab or on another device since it was loaded):
// say so and offer to load the latest version or to keep this page's content (saved over the other).
gz.conflict_banner = function (container, error, { reload, keep_mine }) {
	const h = gz.h;
	const banner = h(
		"div",
		{ class: "alert alert-danger gz-conflict", role: "alert" },
		h("p", {}, error.message || __("This draft was changed elsewhere after this page loaded it.")),
		h("button", { type: "button", class: "btn btn-primary btn-sm gz-load-latest", onclick: reload }, __("Load the latest version")),
		" ",
		keep_mine
			? h(
					"button",
					{
						type: "button",
						class: "btn btn-default btn-sm gz-keep-mine",
						onclick: async () => {
							banner.remove();
							await keep_mine();
						},
					},
					__("Keep this page's content")
			  )
			: null
	);
	container.querySelectorAll(".gz-conflict").forEach((el) => el.remove());
	container.prepend(banner);
	banner.scrollIntoView({ block: "center" });
	return banner;
};
