// What every portal page does: the console's menu button on phones, the countdowns.
import { gz } from "./helpers.js";

gz.start_layout = function () {
	const toggle = document.querySelector(".gz-nav-toggle");
	const nav = document.getElementById("gz-nav");
	if (toggle && nav) {
		toggle.addEventListener("click", () => {
			const open = nav.classList.toggle("open");
			toggle.setAttribute("aria-expanded", open ? "true" : "false");
		});
	}
	gz.start_countdowns();
};
