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
	// 退出登录: the session ends by POST (with the page's CSRF token), then the home page opens.
	const logout = document.querySelector(".gz-logout-form");
	if (logout) {
		logout.addEventListener("submit", async (event) => {
			event.preventDefault();
			try {
				await gz.call("logout");
				window.location.href = "/";
			} catch (error) {
				logout.submit(); // Frappe's own logout page says whether it worked
			}
		});
	}
};
