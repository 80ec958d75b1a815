// Minimal behaviour for the Rijksoverheid sample site: hide the cookie banner after a choice.
document.querySelectorAll(".cookie-banner button").forEach(function (b) {
  b.addEventListener("click", function () { b.closest(".cookie-banner").hidden = true; });
});
