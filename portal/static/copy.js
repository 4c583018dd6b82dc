/* "Copy" buttons next to feed addresses: copy the address of the field the button names. Without
   JavaScript the buttons stay hidden and the address can be selected by hand. */
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    var field = document.getElementById(button.getAttribute("data-copy"));
    field.select();
    if (navigator.clipboard) {
      navigator.clipboard.writeText(field.value);
    } else {
      document.execCommand("copy");
    }
    button.textContent = button.getAttribute("data-done");
  });
});
