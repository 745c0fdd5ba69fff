// One submit per tap: after the first tap the buttons are disabled, so a double tap or an
// impatient second tap on a slow network sends nothing more (the server refuses it anyway).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.classList.contains("ballot-form")) { return; }
  // Disable after the browser has read the tapped button's name and value.
  window.setTimeout(function () {
    form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
  }, 0);
});
