// The menu button of the public site's and the unit portal's bar on a narrow screen: shows or
// hides the menu it names (Bootstrap's .collapse / .show classes, without Bootstrap's script).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-menu]");
  if (!button) { return; }
  var menu = document.querySelector(button.dataset.menu);
  if (!menu) { return; }
  var open = menu.classList.toggle("show");
  button.setAttribute("aria-expanded", open ? "true" : "false");
});
