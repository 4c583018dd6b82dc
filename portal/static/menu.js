/* On a phone the main menu starts folded under its "Menu" button; without JavaScript it simply stays open. */
(function () {
  var menu = document.querySelector("details.menu");
  if (menu && window.matchMedia("(max-width: 40rem)").matches) {
    menu.removeAttribute("open");
  }
})();
